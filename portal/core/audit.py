"""Append-only audit events: who did what to which object, from which state to which.

Events refer to people by id, never by NIK or name (see DESIGN section 3).
"""

from __future__ import annotations

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from portal.extensions import db
from portal.models import AuditEvent, User


class AuditTamperError(RuntimeError):
    """Raised when code tries to change or delete an audit event."""


def record(
    actor,
    action: str,
    obj,
    from_state: str | None = None,
    to_state: str | None = None,
    reason: str = "",
    **details,
) -> AuditEvent:
    """Add an audit event for ``obj`` to the session (committed with the change it records)."""
    entry = AuditEvent(
        actor_id=getattr(actor, "id", None),
        action=action,
        object_type=type(obj).__name__.lower(),
        object_id=obj.id,
        from_state=from_state,
        to_state=to_state,
        reason=reason,
        details=details,
    )
    db.session.add(entry)
    return entry


def history(obj) -> list[AuditEvent]:
    """The object's events, oldest first, for its timeline."""
    query = (
        select(AuditEvent)
        .where(AuditEvent.object_type == type(obj).__name__.lower())
        .where(AuditEvent.object_id == obj.id)
        .order_by(AuditEvent.at, AuditEvent.id)
    )
    return list(db.session.scalars(query))


def history_with_actors(obj) -> list[tuple[AuditEvent, User | None]]:
    """The object's events, oldest first, each with the account that did it (None for the
    system), for the history partial."""
    events = history(obj)
    ids = {e.actor_id for e in events if e.actor_id}
    users = (
        {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(ids)))} if ids else {}
    )
    return [(e, users.get(e.actor_id)) for e in events]


@event.listens_for(Session, "before_flush")
def _refuse_changes(session: Session, flush_context, instances) -> None:
    for obj in (*session.dirty, *session.deleted):
        if isinstance(obj, AuditEvent) and (obj in session.deleted or session.is_modified(obj)):
            raise AuditTamperError("Audit events are append-only")
