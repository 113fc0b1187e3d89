"""The handover pages: the officer records the handover of an approved match (date,
place, who received or why not, proxies, photos and the scan), adds files afterwards
(only ever adding), and corrects a mistaken handover by reversing it; everyone who sees
the match opens the files their role may see (partners: the photos marked shareable).

Every match is fetched through ``get_match_or_404`` (404 outside the user's scope); the
rules are ``portal.handovers.access``, the changes ``services`` and ``files``."""

from __future__ import annotations

import io

from flask import Blueprint, abort, flash, redirect, request, send_file, url_for
from flask_login import current_user

from portal.core.policy import access
from portal.core.refusals import Refusal, attempt
from portal.core.text import lazy_gettext as _l
from portal.handovers import access as rules  # `access` is the view decorator here
from portal.handovers import files, services
from portal.handovers.forms import OUTCOME_LABELS, FilesForm, RecordForm, ReverseForm
from portal.htmx import render
from portal.matching.blueprint import get_match_or_404
from portal.matching.transitions import AlreadyDone
from portal.models import HandoverLine, Match

bp = Blueprint("handovers", __name__, url_prefix="/serah-terima")
READERS = ("officer", "camat", "admin", "partner")
NOT_ON_PLAN = _l("Someone named is not on this plan.")


@bp.app_template_global()
def handover_outcome(line: HandoverLine) -> str:
    """A line's outcome in words: received, or why not."""
    return str(OUTCOME_LABELS.get("received" if line.received else line.absent_reason, "–"))


def _back(match: Match):
    return redirect(url_for("matching.show", match_id=match.id))


def _refused(match: Match, refusal: Refusal):
    flash(refusal.message, "info" if isinstance(refusal, AlreadyDone) else "warning")
    return _back(match)


# --- recording -----------------------------------------------------------------------


def _member_rows(match: Match, typed: dict | None = None) -> list[dict]:
    typed = typed or {}
    return [typed.get(m.id, {"member_id": m.id}) for m in match.active_members]


def _posted_rows(form: RecordForm, match: Match) -> dict[int, dict] | None:
    """The rows by member id, or None when they are not exactly the match's members."""
    rows = {}
    for entry in form.members:
        try:
            member_id = int(entry.form.member_id.data or "")
        except ValueError:
            return None
        rows[member_id] = entry.form.data
    expected = {m.id for m in match.active_members}
    return rows if set(rows) == expected and len(form.members) == len(expected) else None


def _record_page(match: Match, form: RecordForm, status: int = 200, files_dropped=False):
    members = {m.id: m for m in match.active_members}
    return render(
        "handovers/record.html",
        status=status,
        match=match,
        form=form,
        members=members,
        files_dropped=files_dropped,
    )


@bp.route("/<int:match_id>/catat", methods=["GET", "POST"])
@access("officer")
def record(match_id: int):
    """The officer records the handover of an approved match, with its files."""
    match = get_match_or_404(match_id)
    if refusal := rules.record_refusal(current_user, match):
        if match.status == "handed_over" and rules.is_recorder(current_user, match):
            refusal = AlreadyDone(_l("The handover of this plan has already been recorded."))
        return _refused(match, refusal)
    if request.method == "GET":
        return _record_page(match, RecordForm(formdata=None, data={"members": _member_rows(match)}))
    form = RecordForm()
    rows = _posted_rows(form, match)
    if rows is None:
        return _forged(match, form)
    valid = form.validate_on_submit()
    photos, scans, files_ok = checked_files(form)
    if valid and files_ok:
        with attempt(form) as outcome:
            entry = services.record(match, current_user, **_record_values(form, rows))
            files.attach(entry, current_user, photos, scans, audited=False)
        if outcome.ok:
            flash(_l("The handover has been recorded."), "success")
            return _back(match)
        if isinstance(outcome.refusal, AlreadyDone):
            return _refused(match, outcome.refusal)
    return _record_page(match, form, 422, files_dropped=_files_chosen(form))


def _forged(match: Match, form: RecordForm):
    """Rows that are not the match's members: refused, the form shown again with the
    match's own rows (what was typed for real members kept)."""
    typed = {}
    for entry in form.members:
        try:
            typed[int(entry.form.member_id.data or "")] = entry.form.data
        except ValueError:
            continue
    data = {
        "handed_over_on": form.handed_over_on.data,
        "place": form.place.data,
        "notes": form.notes.data,
        "members": _member_rows(match, typed),
    }
    again = RecordForm(formdata=None, data=data)
    again.form_errors.append(NOT_ON_PLAN)
    return _record_page(match, again, 422, files_dropped=_files_chosen(form))


def _record_values(form: RecordForm, rows: dict[int, dict]) -> dict:
    absent, proxies = {}, {}
    for member_id, row in rows.items():
        if row["outcome"] != "received":
            absent[member_id] = services.Absence(row["outcome"], row["note"] or "")
        elif (row["collected_by"] or "").strip():
            proxies[member_id] = row["collected_by"].strip()
    return {
        "handed_over_on": form.handed_over_on.data,
        "place": form.place.data,
        "notes": form.notes.data or "",
        "absent": absent,
        "proxies": proxies,
    }


def _chosen(storage) -> bool:
    return bool(storage is not None and getattr(storage, "filename", ""))


def _files_chosen(form: FilesForm) -> bool:
    return _chosen(form.scan.data) or any(_chosen(e.form.file.data) for e in form.photos)


def checked_files(form: FilesForm) -> tuple[list, list, bool]:
    """The form's photos and scan checked by content; a refused one gets its reason beside
    its field. Returns (photos, scans, all accepted)."""
    photos, scans, ok = [], [], True
    for entry in form.photos:
        row = entry.form
        if not _chosen(row.file.data):
            continue
        try:
            checked = files.check_photo(row.file.data.filename, row.file.data.stream)
        except Refusal as error:
            row.file.errors = [*row.file.errors, error.message]
            ok = False
        else:
            photos.append(files.Photo(checked, row.caption.data or "", bool(row.shareable.data)))
    if _chosen(form.scan.data):
        try:
            scans.append(files.check_scan(form.scan.data.filename, form.scan.data.stream))
        except Refusal as error:
            form.scan.errors = [*form.scan.errors, error.message]
            ok = False
    return photos, scans, ok


# --- adding files afterwards -----------------------------------------------------------


@bp.route("/<int:match_id>/berkas", methods=["GET", "POST"])
@access("officer")
def add_files(match_id: int):
    """The officer adds photos or the scan to the handover in force; nothing is replaced."""
    match = get_match_or_404(match_id)
    entry = services.current_handover(match)
    if refusal := rules.add_files_refusal(current_user, match, entry):
        return _refused(match, refusal)
    form = FilesForm()
    status = 200
    if request.method == "POST":
        status = 422
        valid = form.validate_on_submit()
        photos, scans, files_ok = checked_files(form)
        if valid and files_ok and not (photos or scans):
            form.form_errors.append(_l("Choose at least one photo or the scan."))
        elif valid and files_ok:
            with attempt(form) as outcome:
                files.attach(entry, current_user, photos, scans)
            if outcome.ok:
                flash(_l("The files have been added to the handover."), "success")
                return _back(match)
    stored = files.files_of(entry)
    return render(
        "handovers/files.html",
        status=status,
        match=match,
        entry=entry,
        form=form,
        stored=stored,
        room=files.MAX_PHOTOS - sum(1 for a in stored if a.kind == "photo"),
    )


# --- reversing -------------------------------------------------------------------------


@bp.route("/<int:match_id>/koreksi", methods=["GET", "POST"])
@access("officer")
def reverse(match_id: int):
    """The officer corrects a mistaken handover by a reversing entry, with a reason."""
    match = get_match_or_404(match_id)
    if refusal := rules.reverse_refusal(current_user, match):
        if match.status == "approved" and rules.is_recorder(current_user, match):
            refusal = AlreadyDone(_l("This handover has already been reversed."))
        return _refused(match, refusal)
    entry = services.current_handover(match)
    form = ReverseForm()
    status = 200
    if request.method == "POST":
        status = 422
        if form.validate_on_submit():
            with attempt(form) as outcome:
                services.reverse(match, current_user, form.reason.data)
            if outcome.ok:
                flash(_l("The handover has been reversed; the plan is approved again."), "success")
                return _back(match)
            if isinstance(outcome.refusal, AlreadyDone):
                return _refused(match, outcome.refusal)
    return render("handovers/reverse.html", status=status, match=match, entry=entry, form=form)


# --- files -----------------------------------------------------------------------------


def _visible_file(match_id: int, attachment_id: int):
    match = get_match_or_404(match_id)
    ids = [r.id for r in services.history(match) if r.kind == "handover"]
    attachment = files.find_file(ids, attachment_id)
    if attachment is None or not rules.may_see_file(current_user, match, attachment):
        abort(404)
    return attachment


@bp.route("/<int:match_id>/berkas/<int:attachment_id>/unduh")
@access(*READERS)
def file(match_id: int, attachment_id: int):
    """A photo (shown) or a scan (downloaded), for whom may see it."""
    attachment = _visible_file(match_id, attachment_id)
    return send_file(
        io.BytesIO(attachment.data),
        mimetype=attachment.content_type,
        as_attachment=attachment.kind != "photo",
        download_name=attachment.filename,
        etag=attachment.sha256,
        max_age=0,
    )


@bp.route("/<int:match_id>/berkas/<int:attachment_id>/kecil")
@access(*READERS)
def thumbnail(match_id: int, attachment_id: int):
    """A photo's thumbnail, for whom may see the photo."""
    attachment = _visible_file(match_id, attachment_id)
    if attachment.kind != "photo":
        abort(404)
    return send_file(io.BytesIO(files.thumbnail(attachment)), mimetype="image/jpeg", max_age=0)
