"""Reading pages: a message as the user sees it, the error shown beside a field."""

from __future__ import annotations

import re

from flask_babel import gettext
from markupsafe import escape


def shown(app, message, **params) -> str:
    """A message as the default (Indonesian) page shows it, HTML-escaped."""
    with app.test_request_context():
        return str(escape(gettext(str(message), **params)))


def field_error(html: str, field_id: str) -> str:
    match = re.search(rf'<small class="field-error" id="{field_id}-error">([^<]*)</small>', html)
    return match.group(1) if match else ""


SIGNED_TOKEN = re.compile(r"[\w-]{20,}\.[\w-]{6}\.[\w-]{20,}")


def without_tokens(html: str) -> str:
    """A page with its signed CSRF tokens blanked: they carry the second they were signed,
    so two renderings of the same page differ when a second passes between them."""
    return SIGNED_TOKEN.sub("…", html)
