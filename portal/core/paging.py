"""One reader of a list's page number, and the pagination every list goes through: an
absurd page (``?page=9223372036854775808``, ``-1``, ``abc``) is the first page, never
an offset the database cannot hold."""

from __future__ import annotations

import math
from dataclasses import dataclass

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


@dataclass
class Page:
    """A page of rows computed in Python (ranked candidates, grouped duplicates), shaped
    like Flask-SQLAlchemy's Pagination for the pager macro."""

    items: list
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1
