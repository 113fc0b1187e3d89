"""Show a secret once, after the Post/Redirect/Get, without putting it in the cookie.

The POST that creates a temporary password or an invitation link keeps it here, bound
to the user who asked and the page it belongs to; the page that follows the redirect
takes it (reading deletes it, like a flashed message), so a refresh shows nothing and
changes nothing. Secrets nobody came to see are swept after ``KEEP_MINUTES``.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, select

from portal.core.dates import as_utc, utcnow
from portal.extensions import db
from portal.models import HandOver

KEEP_MINUTES = 10
TEMPORARY_PASSWORD = "temporary_password"
INVITATION_LINK = "invitation_link"


def _sweep() -> None:
    db.session.execute(delete(HandOver).where(HandOver.expires_at <= utcnow()))


def hand_over(viewer, kind: str, subject_id: int, secret: str) -> None:
    """Keep ``secret`` for one showing to ``viewer`` on ``subject_id``'s page (caller
    commits, with the change that made the secret)."""
    _sweep()
    db.session.execute(
        delete(HandOver).where(
            HandOver.viewer_id == viewer.id,
            HandOver.kind == kind,
            HandOver.subject_id == subject_id,
        )
    )
    db.session.add(
        HandOver(
            viewer_id=viewer.id,
            kind=kind,
            subject_id=subject_id,
            secret=secret,
            expires_at=utcnow() + timedelta(minutes=KEEP_MINUTES),
        )
    )


def take(viewer, kind: str, subject_id: int) -> str | None:
    """The secret waiting for ``viewer`` on this page, removed as it is read; None when
    there is none (already shown, expired, or someone else's).

    Most page views find nothing and write nothing; otherwise one DELETE … RETURNING,
    so of two requests at once only one gets it."""
    mine = (
        HandOver.viewer_id == viewer.id,
        HandOver.kind == kind,
        HandOver.subject_id == subject_id,
    )
    if db.session.scalar(select(HandOver.id).where(*mine)) is None:
        return None
    statement = delete(HandOver).where(*mine).returning(HandOver.secret, HandOver.expires_at)
    row = db.session.execute(statement).first()
    db.session.commit()
    if row is None:  # taken by a request at the same moment
        return None
    return row.secret if as_utc(row.expires_at) > utcnow() else None
