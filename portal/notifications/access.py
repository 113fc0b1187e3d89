"""Whose notifications a user may read: ``visible(user)`` is the query of a user's own
notifications, ``in_scope(user, note)`` the same for one notification. Nobody, an admin
included, reads another person's notifications."""

from __future__ import annotations

from sqlalchemy import Select, select

from portal.models import Notification, User


def visible(user: User, query: Select | None = None) -> Select:
    """The notifications ``user`` may read: ``query`` (by default every notification)
    limited to the user's own."""
    query = select(Notification) if query is None else query
    return query.where(Notification.user_id == user.id)


def in_scope(user: User, note: Notification) -> bool:
    """Whether ``visible(user)`` holds this one notification."""
    return note.user_id == user.id
