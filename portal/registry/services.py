"""The registry's refusal and the small helpers its modules share (time, a person's codes,
who hears about a kecamatan).

The registry is split by concept: ``access`` (who sees whom), ``validity`` (validation
states), ``search`` (the list and the candidates), ``recipients`` (create, update,
deactivate), ``validation`` (validate, reject), ``corrections`` (village proposals) and
``double_aid`` (the double-aid rule). Every transition takes the acting user, checks the
current state and the actor's right, writes the audit event and notifies; a refusal
raises ``RegistryError`` and changes nothing. The caller commits.
"""

from __future__ import annotations

import calendar
from datetime import UTC, datetime

from sqlalchemy import delete, insert, select

from portal.extensions import db
from portal.models import Recipient, User
from portal.models.recipients import recipient_sector, recipient_target_group


class RegistryError(Exception):
    """A refused registry action; ``field`` names the form field the message belongs to.

    ``existing`` is the recipient that already holds a NIK, when that is the reason."""

    def __init__(self, message, field: str | None = None, existing: Recipient | None = None):
        super().__init__(str(message))
        self.message = message
        self.field = field
        self.existing = existing


# --- time -----------------------------------------------------------------------------


def now_utc() -> datetime:
    """The present moment, in UTC."""
    return datetime.now(UTC)


def as_utc(moment: datetime | None) -> datetime | None:
    """Datetimes read back from SQLite are naive; they were stored in UTC."""
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment


def add_months(moment: datetime, months: int) -> datetime:
    """The same day ``months`` later (or earlier), clamped to the month's last day."""
    index = moment.month - 1 + months
    year, month = moment.year + index // 12, index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def kecamatan_officers(kecamatan_id: int) -> list[User]:
    """The active officers of a kecamatan, who hear of its proposals."""
    return list(
        db.session.scalars(
            select(User).where(
                User.role == "officer", User.kecamatan_id == kecamatan_id, User.active.is_(True)
            )
        )
    )


def codes_of(recipient: Recipient) -> tuple[list[str], list[str]]:
    """The recipient's target groups and sectors."""
    groups = db.session.scalars(
        select(recipient_target_group.c.code).where(
            recipient_target_group.c.recipient_id == recipient.id
        )
    )
    sectors = db.session.scalars(
        select(recipient_sector.c.code).where(recipient_sector.c.recipient_id == recipient.id)
    )
    return sorted(groups), sorted(sectors)


def _set_codes(recipient: Recipient, groups: list[str], sectors: list[str]) -> None:
    for table, codes in ((recipient_target_group, groups), (recipient_sector, sectors)):
        db.session.execute(delete(table).where(table.c.recipient_id == recipient.id))
        if codes:
            db.session.execute(
                insert(table), [{"recipient_id": recipient.id, "code": c} for c in set(codes)]
            )


# registry/forms.py still imports these three from here; another change owns that file and
# the lead points its import at the new modules on merging. Resolved lazily (no cycle).
_MOVED = {
    "RecipientData": "portal.registry.recipients",
    "RecipientFilters": "portal.registry.search",
    "desas_for": "portal.registry.access",
}


def __getattr__(name: str):
    """The names ``forms.py`` reads from here, from the modules they moved to."""
    if name in _MOVED:
        import importlib

        return getattr(importlib.import_module(_MOVED[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
