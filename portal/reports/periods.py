"""The periods reports cover: a calendar month (the monthly evaluation) or a span of days
(the impact report), as the office reads the calendar (WITA), with the UTC bounds that
stored moments are compared with."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from portal.core import words
from portal.core.dates import LOCAL_ZONE, add_months

WITA = ZoneInfo(LOCAL_ZONE)


@dataclass(frozen=True)
class Period:
    """The days ``first`` to ``last``, both included."""

    first: date
    last: date

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        first = date(year, month, 1)
        return cls(first, add_months(first, 1) - timedelta(days=1))

    @property
    def after(self) -> date:
        """The day after the period (the end of a half-open range)."""
        return self.last + timedelta(days=1)

    @property
    def starts_at(self) -> datetime:
        """The period's first moment in UTC (midnight WITA)."""
        return _utc(self.first)

    @property
    def ends_at(self) -> datetime:
        """The moment after the period in UTC (midnight WITA of the next day)."""
        return _utc(self.after)

    @property
    def key(self) -> str:
        """``2025-05`` for a month, ``2025-01-01_2025-06-30`` otherwise (file names)."""
        if self == Period.month(self.first.year, self.first.month):
            return self.first.strftime("%Y-%m")
        return f"{self.first.isoformat()}_{self.last.isoformat()}"

    @property
    def title(self) -> str:
        """``Mei 2025``, or ``1 Januari 2025 – 30 Juni 2025``."""
        if self == Period.month(self.first.year, self.first.month):
            return f"{words.month_name(self.first.month)} {self.first.year}"
        return f"{words.long_date(self.first)} – {words.long_date(self.last)}"

    def days(self) -> int:
        return (self.last - self.first).days + 1


def _utc(day: date) -> datetime:
    return datetime.combine(day, time(), WITA).astimezone(UTC)
