"""Background work: a job's progress page, polled by HTMX until the job finishes,
and the list of one's recent jobs."""

from __future__ import annotations

from flask import Blueprint, redirect, url_for
from flask_login import current_user

from portal.core.policy import ANY_USER, access
from portal.core.scope import get_in_scope_or_404
from portal.extensions import db
from portal.htmx import render
from portal.jobs import services
from portal.jobs.access import in_scope, may_check_worker
from portal.jobs.tasks import check_worker
from portal.models import Job

bp = Blueprint("jobs", __name__, url_prefix="/jobs")


def get_job_or_404(job_id: str) -> Job:
    """The job, if the current user started it (or is an admin)."""
    return get_in_scope_or_404(Job, job_id, in_scope)


@bp.route("/")
@access(ANY_USER)
def index():
    """The current user's recent background work (an admin sees everyone's)."""
    return render(
        "jobs/index.html",
        jobs=services.recent_jobs(current_user),
        kind_label=services.kind_label,
        may_check_worker=may_check_worker(current_user),
    )


@bp.route("/<job_id>")
@access(ANY_USER)
def show(job_id: str):
    """The job's state and progress; the fragment re-polls itself while it runs."""
    return render(
        "jobs/show.html",
        block="status",
        job=get_job_or_404(job_id),
        kind_label=services.kind_label,
    )


@bp.route("/check", methods=["POST"])
@access("admin")
def check():
    """Start a worker check and follow it: it stays "waiting" when no consumer runs."""
    job = services.create_job("worker_check", actor=current_user)
    db.session.commit()
    check_worker(job.id)
    return redirect(url_for("jobs.show", job_id=job.id))
