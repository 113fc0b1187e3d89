"""Dates and times the same way everywhere: the current moment in UTC, and months added
the way a validity period or a look-back window counts them.

Plain functions of the standard library only, so models, services, tasks and benchmarks
can all use them."""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime


def utcnow() -> datetime:
    """Current time in UTC; also the callable column default of the models."""
    return datetime.now(UTC)


def as_utc(moment: datetime | None) -> datetime | None:
    """A datetime read back from the database, in UTC: SQLite hands back naive datetimes,
    which were stored in UTC."""
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment


def add_months(moment: date, months: int) -> date:
    """The same day ``months`` later (or earlier), clamped to the month's last day; a
    datetime stays a datetime with its time of day."""
    index = moment.month - 1 + months
    year, month = moment.year + index // 12, index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


# The regency's time zone (WITA): what "today" is for a handover or a visit in Kukar.
LOCAL_ZONE = "Asia/Makassar"


def local_today() -> date:
    """Today's date in Kutai Kartanegara (WITA), whatever the server's zone."""
    from zoneinfo import ZoneInfo

    return datetime.now(ZoneInfo(LOCAL_ZONE)).date()


def month_bounds(month: str) -> tuple[date, date] | None:
    """The first day of a ``YYYY-MM`` month and of the month after; None for other text."""
    try:
        first = datetime.strptime(month or "", "%Y-%m").date()
    except ValueError:
        return None
    return first, add_months(first, 1)


def recent_months(today: date, count: int = 12) -> list[str]:
    """``YYYY-MM`` of the last ``count`` months, the current one first."""
    first = today.replace(day=1)
    return [add_months(first, -n).strftime("%Y-%m") for n in range(count)]
