"""A job's progress page, polled by HTMX until the job finishes."""

from __future__ import annotations

from flask import Blueprint, abort
from flask_login import current_user

from portal.core.policy import ANY_USER, access
from portal.extensions import db
from portal.htmx import render
from portal.models import Job

bp = Blueprint("jobs", __name__, url_prefix="/jobs")


def get_job_or_404(job_id: str) -> Job:
    """The job, if the current user started it (or is an admin)."""
    job = db.session.get(Job, job_id)
    if job is None:
        abort(404)
    if current_user.role != "admin" and job.created_by_id != current_user.id:
        abort(404)
    return job


@bp.route("/<job_id>")
@access(ANY_USER)
def show(job_id: str):
    """The job's state and progress; the fragment re-polls itself while it runs."""
    return render("jobs/show.html", block="status", job=get_job_or_404(job_id))
