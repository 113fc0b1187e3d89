"""Create jobs, report their progress and finish them."""

from __future__ import annotations

import uuid

from portal.extensions import db
from portal.models import Job
from portal.models.base import utcnow


def create_job(kind: str, actor=None, total: int = 0, message: str = "") -> Job:
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


def fail(job_id: str, message: str) -> None:
    db.session.rollback()
    job = db.session.get(Job, job_id)
    job.state = "failed"
    job.message = message
    job.finished_at = utcnow()
    db.session.commit()
