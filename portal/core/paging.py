"""One reader of a list's page number, and the pagination every list goes through: an
absurd page (``?page=9223372036854775808``, ``-1``, ``abc``) is the first page, never
an offset the database cannot hold."""

from __future__ import annotations

from flask import request

from portal.extensions import db

MAX_PAGE = 1_000_000


def page_number(value) -> int:
    """The page asked for: a whole number from 1 to MAX_PAGE; anything else reads as 1."""
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    else:
        text = str(value or "").strip()
        if not (text.isascii() and text.isdigit()) or len(text) > len(str(MAX_PAGE)):
            return 1
        number = int(text)
    return number if 1 <= number <= MAX_PAGE else 1


def paginate(query, per_page: int, page=None, **kwargs):
    """``db.paginate`` at the page given, else the query string's ``page``, read safely."""
    if page is None:
        page = request.args.get("page")
    return db.paginate(query, page=page_number(page), per_page=per_page, error_out=False, **kwargs)
