"""Error pages in the reader's language, as a page or an HTMX fragment; never a trace."""

from __future__ import annotations

from flask import current_app
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException

from portal.core.text import lazy_gettext as _l
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
CSRF_MESSAGE = _l(
    "This form has expired or was sent without its security token. "
    "Please reload the page and send it again."
)


def error_page(code: int, message=None):
    return render(
        "errors/error.html",
        block="content",
        status=code,
        code=code,
        message=message or MESSAGES.get(code, MESSAGES[500]),
    )


def register_error_pages(app) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return error_page(400, CSRF_MESSAGE)

    @app.errorhandler(HTTPException)
    def http_error(error):
        return error_page(error.code or 500)

    @app.errorhandler(OperationalError)
    def database_error(error):
        current_app.logger.exception("Database unavailable")
        return error_page(503)

    @app.errorhandler(Exception)
    def unexpected_error(error):
        current_app.logger.exception("Unhandled error")
        return error_page(500)
