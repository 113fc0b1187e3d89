"""Background work of the letters: printing every receipt of a large match as one PDF,
with progress on the job's page and the file offered there when it is made."""

from __future__ import annotations

from flask import current_app

from portal.core.queue import app_task
from portal.core.text import N_
from portal.extensions import db
from portal.jobs import services as jobs
from portal.letters import receipts
from portal.letters.receipt_pdf import DEFAULT_PROCESSES, render_receipts
from portal.models import Letter, User

RECEIPTS_JOB = "receipts"
DONE_MESSAGE = N_("The receipts are ready to download.")


@app_task()
def print_receipts(job_id: str, letter_id: int, user_id: int) -> None:
    """Render the receipts of ``letter_id`` as ``user_id`` asked, in worker processes."""
    letter = db.session.get(Letter, letter_id)
    user = db.session.get(User, user_id)
    batch = receipts.receipt_batch(letter, user)
    processes = int(current_app.config.get("RECEIPTS_PROCESSES", DEFAULT_PROCESSES))
    with jobs.running(job_id, total=len(batch.receipts), reraise=False) as job:
        pdf = render_receipts(batch, lambda done: jobs.progress(job, done), processes)
        attachment = receipts.store(letter, user, pdf)
        db.session.flush()
        jobs.finish(
            job,
            result={"attachment_id": attachment.id, "filename": attachment.filename},
            message=DONE_MESSAGE,
        )
