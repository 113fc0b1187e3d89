"""Flask-Login wiring: users are loaded by id and session token."""

from __future__ import annotations

from flask import flash, redirect, url_for

from portal.core.text import lazy_gettext as _l
from portal.extensions import db, login_manager
from portal.htmx import htmx, htmx_redirect
from portal.models import User


def load_user(user_key: str) -> User | None:
    """Sessions carry ``id:token``; a changed password or deactivation ends them."""
    user_id, _, token = user_key.partition(":")
    if not user_id.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.active or user.session_token != token:
        return None
    return user


def unauthorized():
    flash(_l("Please log in to open this page. Your session may have ended."), "warning")
    url = url_for("auth.login")
    return htmx_redirect(url) if htmx.request else redirect(url)


def setup_login(app) -> None:
    login_manager.init_app(app)
    login_manager.user_loader(load_user)
    login_manager.unauthorized_handler(unauthorized)
    login_manager.session_protection = "basic"
