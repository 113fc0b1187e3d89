"""Reading one's own notifications: the list, the unread count, marking them read."""

from __future__ import annotations

from flask_babel import gettext
from sqlalchemy import func, select, update

from portal.core.dates import utcnow
from portal.extensions import db
from portal.models import Notification
from portal.notifications.access import in_scope, visible


def message_text(note: Notification) -> str:
    """The notification's message in the reader's language, placeholders filled.

    A message whose parameters no longer fit its text is shown untranslated rather
    than breaking the page.
    """
    try:
        return gettext(note.message, **(note.params or {}))
    except (KeyError, ValueError, TypeError):
        return note.message


def notifications_query(user, unread_only: bool = False):
    """The user's notifications, newest first."""
    query = visible(user)
    if unread_only:
        query = query.where(Notification.read_at.is_(None))
    return query.order_by(Notification.created_at.desc(), Notification.id.desc())


def unread_count(user) -> int:
    """How many of the user's notifications are unread (uses the user_id index)."""
    query = select(func.count(Notification.id)).where(
        Notification.user_id == user.id, Notification.read_at.is_(None)
    )
    return db.session.scalar(query) or 0


def get_own(user, note_id: int) -> Notification | None:
    """The notification if it is the user's; None otherwise (a 404, never someone else's)."""
    note = db.session.get(Notification, note_id)
    if note is None or not in_scope(user, note):
        return None
    return note


def mark_read(note: Notification) -> bool:
    """Mark one notification read; False when it already was."""
    if note.read_at is not None:
        return False
    note.read_at = utcnow()
    return True


def mark_all_read(user) -> int:
    """Mark all the user's unread notifications read; returns how many."""
    result = db.session.execute(
        update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
    return result.rowcount or 0
