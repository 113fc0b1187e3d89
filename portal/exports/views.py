"""Export a list: POST the list's filter form with a format; a small list comes back as
the file, a large one as a job whose page offers the file when it is written."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, request, url_for
from flask_login import current_user

from portal.core.policy import ANY_USER, access
from portal.core.text import lazy_gettext as _l
from portal.exports import services
from portal.exports.tasks import write_export
from portal.extensions import db
from portal.jobs import services as jobs
from portal.models import Attachment, Job

bp = Blueprint("exports", __name__, url_prefix="/ekspor")
EXPORT_JOB = "export"


@bp.route("/<name>", methods=["POST"])
@access(ANY_USER)
def export(name: str):
    spec = services.spec_for(name)
    if spec is None or not services.may_export(current_user, spec):
        abort(404)
    fmt = request.form.get("format", "xlsx")
    if fmt not in services.FORMATS:
        abort(400)
    limit = services.inline_limit()
    if services.count(spec, current_user, request.form, limit + 1) > limit:
        return _in_background(spec, fmt)
    written = []
    data = services.file_bytes(
        fmt, spec, services.rows(spec, current_user, request.form, written.append)
    )
    services.record(current_user, spec, fmt, request.form, written[-1] if written else 0)
    db.session.commit()
    return _download(data, services.filename(spec, fmt), services.FORMATS[fmt])


def _in_background(spec, fmt: str):
    job = jobs.create_job(EXPORT_JOB, current_user)
    db.session.commit()
    fields = [(key, value) for key, value in request.form.items(multi=True)]
    write_export(job.id, spec.name, current_user.id, fields, fmt)
    flash(_l("The list is large: it is being written in the background."), "info")
    return redirect(url_for("jobs.show", job_id=job.id), 303)


@bp.route("/unduh/<job_id>")
@access(ANY_USER)
def download(job_id: str):
    """A finished export, for the user who asked for it only."""
    job = db.session.get(Job, job_id)
    if job is None or job.kind != EXPORT_JOB or job.created_by_id != current_user.id:
        abort(404)
    attachment_id = (job.result or {}).get("attachment_id")
    attachment = db.session.get(Attachment, attachment_id) if attachment_id else None
    if attachment is None or attachment.owner_type != "export":
        abort(404)
    return _download(attachment.data, attachment.filename, attachment.content_type)


def _download(data: bytes, name: str, mimetype: str) -> Response:
    response = Response(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
