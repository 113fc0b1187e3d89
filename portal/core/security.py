"""Response headers: a strict Content-Security-Policy and friends, and no caching of
anything a logged-in user is sent."""

from flask import request
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'self'; object-src 'none'"
)


# Files the same for everyone (no personal data): their own caching stands.
SHARED_ASSETS = {"static", "main.logo"}


def add_security_headers(response):
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    if request.endpoint not in SHARED_ASSETS:
        if _logged_in():
            # Pages, fragments and downloads of a logged-in user carry personal data:
            # no browser history, disk cache or proxy may keep them, whatever a view said.
            response.headers["Cache-Control"] = "no-store"
        else:
            response.headers.setdefault("Cache-Control", "no-store")
    return response


def _logged_in() -> bool:
    try:
        return bool(current_user and current_user.is_authenticated)
    except SQLAlchemyError:  # the user could not be loaded: treat the response as personal
        return True
