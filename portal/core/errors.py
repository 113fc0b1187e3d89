"""Error pages in the reader's language, as a page or an HTMX fragment; never a trace."""

from __future__ import annotations

from flask import current_app, make_response
from flask_wtf.csrf import CSRFError
from markupsafe import escape
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException

from portal.core.text import lazy_gettext as _l
from portal.extensions import db
from portal.htmx import render

MESSAGES = {
    400: _l("The request could not be understood. Please go back and try again."),
    403: _l("You do not have access to this page."),
    404: _l("The page you are looking for does not exist."),
    405: _l("This action cannot be done that way."),
    413: _l("The file is too large."),
    429: _l("Too many attempts. Please wait a moment and try again."),
    500: _l("Something went wrong on our side. Your data is safe; please try again."),
    503: _l("The service is temporarily unavailable. Please try again shortly."),
}
# The page's heading: what happened, in plain words (the code stays in the page title).
TITLES = {
    400: _l("The request could not be processed"),
    403: _l("No access to this page"),
    404: _l("Page not found"),
    405: _l("This action is not possible here"),
    413: _l("The file is too large"),
    429: _l("Too many attempts"),
    500: _l("Something went wrong"),
    503: _l("Service temporarily unavailable"),
}
CSRF_MESSAGE = _l(
    "This form has expired or was sent without its security token. "
    "Please reload the page and send it again."
)


def error_page(code: int, message=None):
    """The error page in the portal's layout; the bare text if even that cannot render."""
    message = message or MESSAGES.get(code, MESSAGES[500])
    try:
        title = TITLES.get(code, TITLES[500])
        return render(
            "errors/error.html",
            block="content",
            status=code,
            code=code,
            title=title,
            message=message,
        )
    except Exception:
        current_app.logger.exception("The error page could not be rendered")
        rollback()
        return _plain_page(code, message)


def rollback() -> None:
    """End the failed request's transaction first: a session left mid-error would break
    the error page's own queries (the user, the unread count)."""
    try:
        db.session.rollback()
    except Exception:  # the connection itself is gone; the page must still answer
        current_app.logger.exception("Rollback failed")


def _plain_page(code: int, message) -> object:
    try:
        text = str(message)
    except Exception:  # not even the reader's language could be read
        text = str(MESSAGES.get(code, MESSAGES[500])._args[0])
    body = (
        f'<!doctype html><html lang="id"><head><meta charset="utf-8">'
        f"<title>{code}</title></head><body><main><h1>{code}</h1><p>{escape(text)}</p>"
        '<p><a href="/">Sinergi</a></p></main></body></html>'
    )
    return make_response(body, code)


def register_error_pages(app) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error):
        rollback()
        return error_page(400, CSRF_MESSAGE)

    @app.errorhandler(HTTPException)
    def http_error(error):
        rollback()
        return error_page(error.code or 500)

    @app.errorhandler(OperationalError)
    def database_error(error):
        current_app.logger.exception("Database unavailable")
        rollback()
        return error_page(503)

    @app.errorhandler(Exception)
    def unexpected_error(error):
        current_app.logger.exception("Unhandled error")
        rollback()
        return error_page(500)
