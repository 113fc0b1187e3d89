"""Create jobs, report their progress and finish them.

A page that starts long work creates a Job, commits, hands its id to a task and
sends the user to ``/jobs/<id>``; the task reports through these functions.
Messages are English source strings marked with ``N_``, translated when shown.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from flask import current_app

from portal.core.dates import utcnow
from portal.core.text import N_
from portal.core.text import lazy_gettext as _l
from portal.extensions import db
from portal.jobs.access import visible
from portal.models import Job

# Job kinds as shown to people: every area's kinds are named here, in one place.
KIND_LABELS = {
    "worker_check": _l("Background worker check"),
    "import_analyse": _l("Checking an import file"),
    "import_commit": _l("Importing a file"),
    "export": _l("Writing an export file"),
    "receipts": _l("Printing receipts"),
}


def kind_label(kind: str) -> str:
    """How a job kind reads on the jobs pages."""
    return str(KIND_LABELS.get(kind, kind))


QUEUED_MESSAGE = N_("Waiting for the background worker.")
FAILED_MESSAGE = N_("The work stopped because of an error. The administrator has been told.")
WORKER_OK_MESSAGE = N_("The background worker is running.")


def create_job(kind: str, actor=None, total: int = 0, message: str = QUEUED_MESSAGE) -> Job:
    """A queued job the caller hands to a task by id (the caller commits)."""
    job = Job(
        id=uuid.uuid4().hex,
        kind=kind,
        total=total,
        message=message,
        created_by_id=getattr(actor, "id", None),
    )
    db.session.add(job)
    return job


def start(job_id: str, total: int | None = None) -> Job:
    job = db.session.get(Job, job_id)
    job.state = "running"
    job.started_at = utcnow()
    job.message = ""
    if total is not None:
        job.total = total
    db.session.commit()
    return job


def progress(job: Job, done: int, message: str | None = None) -> None:
    """Record progress and commit, so other requests can read it at once."""
    job.progress = done
    if message is not None:
        job.message = message
    db.session.commit()


def finish(job: Job, result: dict | None = None, message: str = "") -> None:
    job.state = "done"
    job.progress = job.total or job.progress
    job.result = result or {}
    job.message = message
    job.finished_at = utcnow()
    db.session.commit()


def fail(job_id: str, message: str = FAILED_MESSAGE) -> None:
    db.session.rollback()
    job = db.session.get(Job, job_id)
    job.state = "failed"
    job.message = message
    job.finished_at = utcnow()
    db.session.commit()


class JobRefused(Exception):
    """Raised inside ``running`` when the work cannot go on for a reason the user can act
    on (a refused file): the job fails with ``message`` (an English source string marked
    with ``N_``), nothing is logged as an error and the task is not retried."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@contextmanager
def running(
    job_id: str,
    total: int | None = None,
    *,
    on_error: Callable[[], None] | None = None,
    reraise: bool = True,
) -> Iterator[Job]:
    """Run the ``with`` block as the job's work: running, then done (unless the block
    finished the job itself), or failed. Every task runs its job through this.

    ``JobRefused`` fails the job with its message. Any other error is logged, ``on_error``
    runs (to put the task's own records right), the job fails with FAILED_MESSAGE, and the
    error is re-raised so Huey records it and retries where the task allows; a task that
    has said all there is to say passes ``reraise=False``."""
    job = start(job_id, total)
    try:
        yield job
    except JobRefused as refusal:
        fail(job_id, refusal.message)
        return
    except Exception:
        current_app.logger.exception("Job %s (%s) failed", job_id, job.kind)
        if on_error is not None:
            on_error()
        fail(job_id)
        if reraise:
            raise
        return
    if not job.finished:
        finish(job)


def recent_jobs(user, limit: int = 30) -> list[Job]:
    """The user's latest jobs, newest first (an admin sees everyone's)."""
    query = visible(user).order_by(Job.created_at.desc()).limit(limit)
    return list(db.session.scalars(query))
