"""The background task that analyses or commits an import batch, reporting progress."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import select, update

from portal.core.dates import utcnow
from portal.core.queue import app_task
from portal.core.text import N_
from portal.extensions import db
from portal.jobs import services as jobs
from portal.models import Attachment, ImportBatch
from portal.registry.imports import importing
from portal.registry.imports.parsing import UnreadableFile

FILE_REFUSED = N_("The file cannot be imported. The import's page says why.")
# A file this small is checked in the request itself: the officer sees its preview at
# once instead of waiting for a consumer to poll. Larger files always go to the queue.
INLINE_CHECK_BYTES = 1_000_000


@app_task()
def run_import(batch_id: int, job_id: str, phase: str) -> None:
    """``phase`` is "analyse" (dry run) or "commit"; a failure leaves the batch resumable."""
    batch = db.session.get(ImportBatch, batch_id)
    step = importing.analyse if phase == "analyse" else importing.commit

    def progress(done: int) -> None:
        job.total = batch.total_rows  # the check learns the size as it reads
        jobs.progress(job, done)

    def stopped() -> None:
        importing.mark_failed(batch_id)

    with jobs.running(job_id, total=batch.total_rows, on_error=stopped, reraise=False) as job:
        try:
            step(batch, progress=progress)
        except UnreadableFile as error:
            current_app.logger.info("Import batch %s refused during %s: %s", batch_id, phase, error)
            importing.mark_unreadable(batch_id, error)
            raise jobs.JobRefused(FILE_REFUSED) from error
        jobs.finish(job, result={"batch_id": batch_id})


CLAIMS = {
    "analyse": (("uploaded", "previewed"), "analysing"),
    "commit": (("previewed", *importing.RESUMABLE), "running"),
}


def start(batch: ImportBatch, phase: str, actor) -> str | None:
    """Queue the work for a consumer, once: a second click or tab finds the batch claimed
    and queues nothing (returns None). The batch page follows the job's progress."""
    from_states, to_state = CLAIMS[phase]
    job = jobs.create_job(f"import_{phase}", actor, total=batch.total_rows)
    claimed = db.session.execute(
        update(ImportBatch)
        .where(ImportBatch.id == batch.id, ImportBatch.status.in_(from_states))
        .values(status=to_state, job_id=job.id, heartbeat_at=utcnow())
    ).rowcount
    if not claimed:
        db.session.rollback()
        return None
    db.session.commit()
    if phase == "analyse" and _file_size(batch) < INLINE_CHECK_BYTES:
        run_import.call_local(batch.id, job.id, phase)
    else:
        run_import(batch.id, job.id, phase)
    return job.id


def _file_size(batch: ImportBatch) -> int:
    query = select(Attachment.size).where(Attachment.id == batch.attachment_id)
    return db.session.scalar(query) or 0
