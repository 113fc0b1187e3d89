"""Access policy: every view declares which roles it serves; everything else is denied.

``@access("officer", "camat")`` names roles, ``@access(PUBLIC)`` opens a view to
everyone, ``@access(ANY_USER)`` to every logged-in user. ``enforce_access`` runs
before each request and refuses views that declare nothing.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import abort, current_app, flash, redirect, request, url_for
from flask_login import current_user

from portal.core.text import lazy_gettext as _l
from portal.htmx import htmx, htmx_redirect
from portal.models import ROLES

PUBLIC = "public"
ANY_USER = "any_user"
EXEMPT_ENDPOINTS = {"static"}
# Reachable while a user must still choose a new password.
PASSWORD_CHANGE_ENDPOINTS = {"auth.change_password", "auth.logout", "main.set_locale", "main.logo"}


def access(*allowed: str) -> Callable:
    """Declare who may use a view. Checked centrally by ``enforce_access``."""
    unknown = set(allowed) - {PUBLIC, ANY_USER, *ROLES}
    if not allowed or unknown:
        raise ValueError(f"access() needs known roles, got {allowed!r}")

    def decorator(view: Callable) -> Callable:
        view.access_rule = frozenset(allowed)
        return view

    return decorator


def rule_for(endpoint: str | None) -> frozenset[str] | None:
    """The access rule a view declared, or None when it declared none."""
    view = current_app.view_functions.get(endpoint or "")
    return getattr(view, "access_rule", None)


def allows(user, rule: frozenset[str] | None) -> bool:
    """Whether ``user`` may use a view with this rule (deny by default)."""
    if not rule:
        return False
    if PUBLIC in rule:
        return True
    if not user.is_authenticated:
        return False
    return ANY_USER in rule or user.role in rule


def can_open(user, endpoint: str) -> bool:
    """For navigation: show a link only when its view would admit the user."""
    return allows(user, rule_for(endpoint))


def enforce_access():
    """before_request hook: deny by default, send anonymous users to the login page."""
    if request.endpoint in EXEMPT_ENDPOINTS or request.endpoint is None:
        return None
    rule = rule_for(request.endpoint)
    if rule is None:
        current_app.logger.error("View %s declares no access rule", request.endpoint)
        abort(403)
    if allows(current_user, rule):
        return _password_change_gate()
    if not current_user.is_authenticated:
        return _to_login()
    abort(403)


def _password_change_gate():
    if (
        current_user.is_authenticated
        and current_user.must_change_password
        and request.endpoint not in PASSWORD_CHANGE_ENDPOINTS
        and request.endpoint != "static"
    ):
        flash(_l("Please choose a new password before you continue."), "warning")
        return _redirect(url_for("auth.change_password"))
    return None


def _to_login():
    flash(_l("Please log in to open this page. Your session may have ended."), "warning")
    target = request.full_path if request.method == "GET" and not htmx.request else None
    return _redirect(url_for("auth.login", next=target.rstrip("?") if target else None))


def _redirect(url: str):
    return htmx_redirect(url) if htmx.request else redirect(url)
