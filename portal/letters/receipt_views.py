"""Printing a letter's receipts (tanda terima): a POST from the letter's page renders a
small match at once and hands a large one to a background job, whose page shows the
progress and then offers the file."""

from __future__ import annotations

from flask import abort, flash, make_response, redirect, url_for
from flask_login import current_user

from portal.core.policy import access
from portal.core.scope import get_in_scope_or_404
from portal.core.text import lazy_gettext as _l
from portal.extensions import db
from portal.jobs import services as jobs
from portal.letters import receipts
from portal.letters.access import RECEIPT_ROLES, can_print_receipts, in_scope
from portal.letters.receipt_pdf import render_receipts
from portal.letters.tasks import RECEIPTS_JOB, print_receipts
from portal.letters.views import bp
from portal.models import Attachment, Job, Letter

IN_BACKGROUND = _l("The receipts are being made in the background; this page shows how far.")


@bp.route("/surat/<int:letter_id>/tanda-terima", methods=["POST"])
@access(*RECEIPT_ROLES)
def print_receipts_view(letter_id: int):
    """One receipt per recipient as one PDF: at once for a small match, else as a job."""
    letter = get_in_scope_or_404(Letter, letter_id, in_scope)
    if not can_print_receipts(current_user, letter):
        abort(403)
    batch = receipts.receipt_batch(letter, current_user)
    if len(batch.receipts) <= receipts.inline_limit():
        return _pdf(render_receipts(batch, processes=1), receipts.file_name(letter))
    job = jobs.create_job(RECEIPTS_JOB, current_user, total=len(batch.receipts))
    db.session.commit()
    print_receipts(job.id, letter.id, current_user.id)
    flash(IN_BACKGROUND, "info")
    return redirect(url_for("jobs.show", job_id=job.id), 303)


@bp.route("/surat/tanda-terima/<job_id>")
@access(*RECEIPT_ROLES)
def download_receipts(job_id: str):
    """A finished receipts PDF, for the user who asked for it, while they may still."""
    job = db.session.get(Job, job_id)
    if job is None or job.kind != RECEIPTS_JOB or job.created_by_id != current_user.id:
        abort(404)
    attachment_id = (job.result or {}).get("attachment_id")
    attachment = db.session.get(Attachment, attachment_id) if attachment_id else None
    if attachment is None or attachment.owner_type != receipts.ATTACHMENT_OWNER:
        abort(404)
    letter = db.session.get(Letter, attachment.owner_id)
    if letter is None or not in_scope(current_user, letter):
        abort(404)
    return _pdf(attachment.data, attachment.filename)


def _pdf(data: bytes, name: str):
    response = make_response(data)
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
