"""Create jobs, report their progress and finish them.

A page that starts long work creates a Job, commits, hands its id to a task and
sends the user to ``/jobs/<id>``; the task reports through these functions.
Messages are English source strings marked with ``N_``, translated when shown.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from flask import current_app
from sqlalchemy import select

from portal.core.notify import N_
from portal.core.text import lazy_gettext as _l
from portal.extensions import db
from portal.models import Job
from portal.models.base import utcnow

QUEUED_MESSAGE = N_("Waiting for the background worker.")
FAILED_MESSAGE = N_("The work stopped because of an error. The administrator has been told.")
WORKER_OK_MESSAGE = N_("The background worker is running.")

# Job kinds as shown to people; areas add theirs here.
KIND_LABELS = {
    "worker_check": _l("Background worker check"),
}


def kind_label(kind: str) -> str:
    return str(KIND_LABELS.get(kind, kind))


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


@contextmanager
def running(job_id: str, total: int | None = None) -> Iterator[Job]:
    """Run the ``with`` block as the job's work: running, then done, or failed on an error
    (logged, and re-raised so Huey records it and retries where the task allows)."""
    job = start(job_id, total)
    try:
        yield job
    except Exception:
        current_app.logger.exception("Job %s (%s) failed", job_id, job.kind)
        fail(job_id)
        raise
    if not job.finished:
        finish(job)


def recent_jobs(user, limit: int = 30) -> list[Job]:
    """The user's latest jobs, newest first (an admin sees everyone's)."""
    query = select(Job).order_by(Job.created_at.desc()).limit(limit)
    if user.role != "admin":
        query = query.where(Job.created_by_id == user.id)
    return list(db.session.scalars(query))
