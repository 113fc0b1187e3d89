"""The waiting room: what staff of a company that is not active may reach.

Runs before every request, after the access policy. Staff of a pending or
rejected company see only the waiting page, home, their password, the language
switch, log-out and notifications; staff of a suspended company may read but
every change (a POST) outside that short list is refused.
"""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_login import current_user

from portal.core.text import lazy_gettext as _l
from portal.htmx import htmx, htmx_redirect
from portal.partners.services import company_can_read, company_can_submit

# Reachable by staff of a company that is not (yet) active.
WAITING_ENDPOINTS = {
    "static",
    "main.home",
    "main.set_locale",
    "main.healthz",
    "main.logo",
    "auth.logout",
    "auth.change_password",
    "partners.waiting",
}
WAITING_BLUEPRINTS = {"notifications"}


def _allowed_while_waiting(endpoint: str | None) -> bool:
    if endpoint is None or endpoint in WAITING_ENDPOINTS:
        return True
    return endpoint.split(".", 1)[0] in WAITING_BLUEPRINTS


def _go(url: str):
    return htmx_redirect(url) if htmx.request else redirect(url)


def company_gate():
    """before_request hook: keep a partner of an inactive company in the waiting room."""
    if not current_user.is_authenticated or current_user.role != "partner":
        return None
    if _allowed_while_waiting(request.endpoint):
        return None
    if not company_can_read(current_user):
        flash(_l("Your company is not active yet; this page opens once it is."), "warning")
        return _go(url_for("partners.waiting"))
    if request.method not in ("GET", "HEAD", "OPTIONS") and not company_can_submit(current_user):
        flash(_l("Your company is suspended: you can read but not make changes."), "warning")
        return _go(url_for("main.home"))
    return None
