"""Flask-Login wiring: the cookie names a server-side login session, never just a user.

Every way into the portal (login, registration, an accepted invitation) goes through
``log_in``, which starts a fresh cookie session and a new ``LoginSession`` row; a user is
loaded only while that row is live, so logging out ends a copied cookie too.
"""

from __future__ import annotations

from flask import current_app, flash, g, redirect, request, session, url_for
from flask_login import current_user, login_user, logout_user

from portal.auth import sessions
from portal.core.text import lazy_gettext as _l
from portal.extensions import db, login_manager
from portal.htmx import htmx, htmx_redirect
from portal.models import LoginSession, User

# Survive the clean slate at login: the language chosen on the login page.
KEPT_AT_LOGIN = ("locale",)


def _idle_limit():
    return current_app.config["PERMANENT_SESSION_LIFETIME"]


def load_user(user_key: str) -> User | None:
    """The cookie carries a session token; only a live session of an active user counts."""
    login = sessions.find_live(user_key, _idle_limit())
    if login is None:
        return None
    user = login.user
    if user is None or not user.active:
        return None
    sessions.touch(login)
    user.login_key = user_key
    g.login_session = login
    return user


def current_login() -> LoginSession | None:
    """The server-side session of the current request's user, if logged in."""
    if not current_user.is_authenticated:
        return None
    return g.get("login_session")


def log_in(user: User) -> None:
    """Start a new session for ``user`` on this device and commit it.

    The old cookie session is cleared first, so nothing planted before login (a session
    value, a CSRF token) carries over into the logged-in session.
    """
    kept = {key: session[key] for key in KEPT_AT_LOGIN if key in session}
    session.clear()
    g.pop("csrf_token", None)  # Flask-WTF caches the request's token here
    session.update(kept)
    sessions.prune(user, _idle_limit())
    login, token = sessions.start(
        user,
        user_agent=request.headers.get("User-Agent", ""),
        ip_address=request.remote_addr or "",
    )
    db.session.commit()
    user.login_key = token
    g.login_session = login
    session.permanent = True
    login_user(user)


def log_out(everywhere: bool = False) -> None:
    """End this device's session (or all of the user's) and forget the user here."""
    if current_user.is_authenticated:
        if everywhere:
            sessions.end_all(current_user)
        else:
            sessions.end(current_login())
        db.session.commit()
    logout_user()
    g.pop("login_session", None)
    session.pop("locale", None)


def unauthorized():
    flash(_l("Please log in to open this page. Your session may have ended."), "warning")
    url = url_for("auth.login")
    return htmx_redirect(url) if htmx.request else redirect(url)


def setup_login(app) -> None:
    login_manager.init_app(app)
    login_manager.user_loader(load_user)
    login_manager.unauthorized_handler(unauthorized)
    login_manager.session_protection = "basic"
