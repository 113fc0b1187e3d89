"""The one time helper the registry's modules share (SQLite's naive
datetimes read as UTC); the current time, months, a person's codes and a kecamatan's
officers come from core.

The registry is split by concept: ``access`` (who sees whom), ``validity`` (validation
states), ``search`` (the list and the candidates), ``recipients`` (create, update,
deactivate), ``validation`` (validate, reject), ``corrections`` (village proposals) and
``double_aid`` (the double-aid rule). Every transition takes the acting user, checks the
current state and the actor's right, writes the audit event and notifies; a refusal
raises ``Refusal`` and changes nothing. The caller commits.
"""

from __future__ import annotations

from datetime import UTC, datetime

# --- time -----------------------------------------------------------------------------


def as_utc(moment: datetime | None) -> datetime | None:
    """Datetimes read back from SQLite are naive; they were stored in UTC."""
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment
