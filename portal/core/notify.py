"""In-app notifications at each hand-off, and e-mail where SMTP is configured."""

from __future__ import annotations

from collections.abc import Iterable

from flask import current_app
from sqlalchemy import select

from portal.core.mail import queue_notification_mail
from portal.extensions import db
from portal.models import Notification, User


def notify(users: Iterable, message: str, link: str = "", **params) -> list[Notification]:
    """Queue a notification for each user. ``message`` is an English source string
    marked with ``N_`` at the call site; it is translated when shown."""
    created = []
    for user in users:
        note = Notification(user_id=user.id, message=message, params=params, link=link)
        db.session.add(note)
        created.append(note)
        if current_app.config.get("MAIL_SERVER") and user.email:
            queue_notification_mail(user, message, params, link)
    return created


def path_for(endpoint: str, **values) -> str:
    """A notification's link as a path; works outside a request too (CLI, background jobs)."""
    return current_app.url_map.bind("localhost").build(endpoint, values)


def kecamatan_officers(kecamatan_id: int) -> list[User]:
    """The active officers of a kecamatan: who hears of the hand-offs to it."""
    query = select(User).where(
        User.kecamatan_id == kecamatan_id, User.role == "officer", User.active.is_(True)
    )
    return list(db.session.scalars(query))
