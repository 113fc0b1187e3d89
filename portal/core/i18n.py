"""Locale and time zone: Indonesian by default, English on request."""

from __future__ import annotations

from flask import current_app, has_request_context, session
from flask_babel import get_locale
from flask_login import current_user

from portal.core.form_messages import use_portal_catalogue
from portal.core.text import catalogue
from portal.extensions import babel


def select_locale() -> str:
    """The user's choice, else the session's, else Indonesian (also outside requests)."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    user = current_user._get_current_object()
    if user is not None and user.is_authenticated and user.locale in languages:
        return user.locale
    if session.get("locale") in languages:
        return session["locale"]
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def setup_babel(app) -> None:
    babel.init_app(app, locale_selector=select_locale)
    # Flask-Babel's callables, through the request's cached catalogue.
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: catalogue().ugettext(s),
        ngettext=lambda s, p, n: catalogue().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: catalogue().upgettext(c, s),
        npgettext=lambda c, s, p, n: catalogue().unpgettext(c, s, p, n),
    )
    use_portal_catalogue()
    app.jinja_env.globals["get_locale"] = get_locale
