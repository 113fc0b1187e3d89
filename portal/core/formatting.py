"""How money, numbers and dates read in the portal (Indonesian conventions)."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal

from flask_babel import format_date, format_datetime, format_decimal

from portal.core.nik import mask_nik


def rupiah(value: int | None) -> str:
    """``1500000`` → ``Rp 1.500.000``; Rupiah are whole numbers."""
    if value is None:
        return "–"
    sign = "-" if value < 0 else ""
    return f"{sign}Rp {abs(int(value)):,}".replace(",", ".")


def quantity(value: Decimal | int | float | None) -> str:
    """A quantity without trailing zeros, in the reader's locale."""
    if value is None:
        return "–"
    return format_decimal(Decimal(value).normalize(), format="#,##0.###")


def long_date(value: date | datetime | None) -> str:
    """``14 Mei 2025`` in Indonesian."""
    if value is None:
        return "–"
    if isinstance(value, datetime):
        return format_datetime(value, "d MMMM y")
    return format_date(value, "d MMMM y")


def date_time(value: datetime | None) -> str:
    """``14 Mei 2025 09.30`` in the local zone (WITA)."""
    if value is None:
        return "–"
    return format_datetime(value, "d MMMM y HH.mm") + " WITA"


def stored_cell(cells_json: str | None, index: int | None) -> str:
    """One cell of a row kept as a JSON list (a refused import row's ``raw``): "" when the
    row or the cell is missing."""
    if not cells_json or index is None:
        return ""
    try:
        cells = json.loads(cells_json)
    except ValueError:
        return ""
    if not isinstance(cells, list) or not 0 <= index < len(cells) or cells[index] is None:
        return ""
    return str(cells[index])


def register_filters(app) -> None:
    app.jinja_env.filters.update(
        rupiah=rupiah,
        quantity=quantity,
        long_date=long_date,
        date_time=date_time,
        masked_nik=mask_nik,
        stored_cell=stored_cell,
    )
