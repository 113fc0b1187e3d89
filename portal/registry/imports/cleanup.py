"""Abandoned imports: files uploaded or checked long ago and never imported, which an
officer cancels and clears (each one rolled back as ``importing.rollback`` does, its
stored file dropped)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Select

from portal.core.dates import utcnow
from portal.extensions import db
from portal.models import Attachment, ImportBatch
from portal.registry.imports.importing import rollback

# A file checked (or only uploaded) and left this long without an import is abandoned.
ABANDONED_AFTER = timedelta(days=7)
ABANDONED_STATES = ("uploaded", "previewed")


def abandoned(query: Select, now: datetime | None = None) -> Select:
    """The batches of ``query`` (already limited to what the user may see) that were
    uploaded or checked more than ``ABANDONED_AFTER`` ago and never imported."""
    before = (now or utcnow()) - ABANDONED_AFTER
    return query.where(ImportBatch.status.in_(ABANDONED_STATES), ImportBatch.created_at < before)


def clear_abandoned(query: Select, actor) -> int:
    """Cancel every abandoned batch of ``query`` (each audited, as one rollback) and drop
    its stored file; nothing of theirs reached the registry. How many were cleared."""
    cleared = 0
    for batch in db.session.scalars(abandoned(query)).all():
        rollback(batch, actor)
        file = db.session.get(Attachment, batch.attachment_id) if batch.attachment_id else None
        if file is not None:
            batch.attachment_id = None
            db.session.delete(file)
        db.session.commit()
        cleared += 1
    return cleared
