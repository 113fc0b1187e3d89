"""The background export: a large list written chunk by chunk into an attachment, its
progress on the job's page."""

from __future__ import annotations

from werkzeug.datastructures import MultiDict

from portal.core.queue import app_task
from portal.exports import services
from portal.extensions import db
from portal.jobs import services as jobs
from portal.models import User


@app_task()
def write_export(job_id: str, name: str, user_id: int, fields: list, fmt: str) -> None:
    """Write the export ``name`` as ``user_id`` filtered it (``fields``: the posted pairs)."""
    spec = services.spec_for(name)
    user = db.session.get(User, user_id)
    formdata = MultiDict(fields)
    total = services.count(spec, user, formdata, limit=10**9)
    with jobs.running(job_id, total=total, reraise=False) as job:
        written = 0

        def on_chunk(done: int) -> None:
            nonlocal written
            written = done
            jobs.progress(job, done)

        data = services.file_bytes(fmt, spec, services.rows(spec, user, formdata, on_chunk))
        attachment = services.store(user.id, spec, fmt, data)
        services.record(user, spec, fmt, formdata, written)
        db.session.flush()
        jobs.finish(
            job,
            result={"attachment_id": attachment.id, "filename": attachment.filename},
            message=services.DONE_MESSAGE,
        )
