"""Locale and time zone: Indonesian by default, English on request."""

from __future__ import annotations

from flask import current_app, has_request_context, session
from flask_babel import get_locale
from flask_login import current_user

from portal.core.form_messages import use_portal_catalogue
from portal.extensions import babel


def select_locale() -> str:
    """The user's choice, else the session's, else Indonesian (also outside requests)."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    if session.get("locale") in languages:
        return session["locale"]
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def setup_babel(app) -> None:
    babel.init_app(app, locale_selector=select_locale)
    use_portal_catalogue()
    app.jinja_env.globals["get_locale"] = get_locale
