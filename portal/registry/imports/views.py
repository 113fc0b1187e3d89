"""Import pages: upload a file, map its columns, check it, confirm, follow progress."""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, stream_with_context, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import func, select
from wtforms import SelectChoice

from portal.core import tabular
from portal.core.paging import paginate
from portal.core.policy import access
from portal.core.scope import get_in_scope_or_404
from portal.core.text import lazy_gettext as _l
from portal.extensions import db
from portal.htmx import render
from portal.models import AidCategory, ImportBatch, ImportRowError
from portal.registry.access import batch_in_scope, page_flags, visible_batches
from portal.registry.imports import cleanup, importing
from portal.registry.imports import tasks as import_tasks
from portal.registry.imports.forms import UploadForm, mapping_form
from portal.registry.imports.parsing import UnreadableFile
from portal.registry.imports.village import reason_for

bp = Blueprint("imports", __name__, url_prefix="/registry/imports")
IMPORTERS = ("officer", "admin", "village")
bp.context_processor(lambda: page_flags(current_user))  # the registry's may_* flags


def get_batch_or_404(batch_id: int) -> ImportBatch:
    """The batch, if it belongs to the officer's kecamatan (an admin sees all)."""
    return get_in_scope_or_404(ImportBatch, batch_id, batch_in_scope)


@bp.route("/")
@access(*IMPORTERS)
def index():
    """The imports of the officer's kecamatan (all for an admin), newest first."""
    query = visible_batches(current_user).order_by(
        ImportBatch.created_at.desc(), ImportBatch.id.desc()
    )
    page = paginate(query, 20)
    abandoned = db.session.scalar(
        select(func.count()).select_from(
            cleanup.abandoned(visible_batches(current_user)).subquery()
        )
    )
    return render("registry/imports/index.html", page=page, abandoned=abandoned)


@bp.route("/clear-abandoned", methods=["POST"])
@access(*IMPORTERS)
def clear_abandoned():
    """Cancel the files checked or uploaded over a week ago and never imported."""
    cleared = cleanup.clear_abandoned(visible_batches(current_user), current_user)
    flash(
        ngettext("%(num)s abandoned import cleared.", "%(num)s abandoned imports cleared.", cleared)
        if cleared
        else _l("There is no abandoned import to clear."),
        "success" if cleared else "info",
    )
    return redirect(url_for("imports.index"), 303)


def _upload_form() -> UploadForm:
    form = UploadForm()
    categories = db.session.scalars(
        select(AidCategory).where(AidCategory.active.is_(True)).order_by(AidCategory.name)
    )
    form.default_category_id.choices = [SelectChoice(0, _l("— from the file —"))] + [
        SelectChoice(c.id, c.name) for c in categories
    ]
    if current_user.role == "village":  # a village sends people, as proposals
        form.kind.choices = [c for c in form.kind.choices if c.value == "recipients"]
    return form


@bp.route("/new", methods=["GET", "POST"])
@access(*IMPORTERS)
def new():
    """Upload a file; the officer imports for their own kecamatan, the admin chooses."""
    form = _upload_form()
    if form.validate_on_submit():
        kecamatan_id = (
            form.kecamatan_id.data if current_user.role == "admin" else current_user.kecamatan_id
        )
        upload = form.file.data
        try:
            batch = importing.create_batch(
                current_user,
                form.kind.data,
                form.source.data,
                upload.filename or "upload",
                upload.read(),
                kecamatan_id,
                form.default_category_id.data or None,
                current_user.desa_id if current_user.role == "village" else None,
            )
        except UnreadableFile as error:
            db.session.rollback()
            form.file.errors.append(error.as_text())
        else:
            db.session.commit()
            return redirect(url_for("imports.mapping", batch_id=batch.id))
    return render("registry/imports/new.html", form=form)


@bp.route("/<int:batch_id>/mapping", methods=["GET", "POST"])
@access(*IMPORTERS)
def mapping(batch_id: int):
    """Confirm or change which column holds which field, seeing the first rows."""
    batch = get_batch_or_404(batch_id)
    if batch.status not in ("uploaded", "previewed"):
        return redirect(url_for("imports.show", batch_id=batch.id))
    handler = importing.rows_handler(batch)
    form = mapping_form(handler.fields, importing.header(batch))(data=_mapping_data(batch))
    if form.validate_on_submit():
        chosen = {f: getattr(form, f).data for f in handler.fields if getattr(form, f).data >= 0}
        missing = handler.missing_fields(chosen)
        for name in missing:
            getattr(form, name).errors.append(_l("Choose the column that holds this field."))
        if not missing:
            importing.set_mapping(batch, chosen)
            import_tasks.start(batch, "analyse", current_user)
            return redirect(url_for("imports.show", batch_id=batch.id))
    return render(
        "registry/imports/mapping.html",
        batch=batch,
        form=form,
        fields=handler.fields,
        required=handler.required,
        header=importing.header(batch),
        rows=importing.preview(batch),
        error=importing.error_of(batch),
    )


def _mapping_data(batch: ImportBatch) -> dict:
    handler = importing.rows_handler(batch)
    return {f: batch.mapping.get(f, -1) for f in handler.fields}


@bp.route("/<int:batch_id>")
@access(*IMPORTERS)
def show(batch_id: int):
    """The batch's state: progress while it runs, the check's summary, the outcome."""
    batch = get_batch_or_404(batch_id)
    issues = db.session.scalars(
        select(ImportRowError)
        .where(ImportRowError.batch_id == batch.id)
        .order_by(ImportRowError.row_number, ImportRowError.id)
        .limit(100)
    ).all()
    return render(
        "registry/imports/show.html",
        block="status",
        batch=batch,
        issues=issues,
        stalled=importing.is_stalled(batch),
        error=importing.error_of(batch),
    )


@bp.route("/<int:batch_id>/confirm", methods=["POST"])
@access(*IMPORTERS)
def confirm(batch_id: int):
    """Import the checked file; a second click queues nothing more."""
    batch = get_batch_or_404(batch_id)
    if import_tasks.start(batch, "commit", current_user) is None:
        flash(_l("This import is already running or finished."), "info")
    return redirect(url_for("imports.show", batch_id=batch.id))


@bp.route("/<int:batch_id>/resume", methods=["POST"])
@access(*IMPORTERS)
def resume(batch_id: int):
    """Continue a stopped import after its last committed chunk."""
    batch = get_batch_or_404(batch_id)
    try:
        importing.prepare_resume(batch, current_user)
    except importing.ImportRefused as refused:
        flash(_(str(refused)), "warning")
    else:
        import_tasks.start(batch, "commit", current_user)
    return redirect(url_for("imports.show", batch_id=batch.id))


@bp.route("/<int:batch_id>/rollback", methods=["POST"])
@access(*IMPORTERS)
def rollback(batch_id: int):
    """Undo an import that did not finish (or cancel one not yet started)."""
    batch = get_batch_or_404(batch_id)
    try:
        result = importing.rollback(batch, current_user)
    except importing.ImportRefused as refused:
        flash(_(str(refused)), "warning")
    else:
        flash(
            _l(
                "Import rolled back: %(restored)s records restored, %(removed)s removed.",
                **result,
            ),
            "success",
        )
    return redirect(url_for("imports.show", batch_id=batch.id))


@bp.route("/<int:batch_id>/refused.csv")
@access(*IMPORTERS)
def refused_csv(batch_id: int):
    """The refused rows with their original columns and the reasons, to fix and re-import."""
    batch = get_batch_or_404(batch_id)
    header = [_("Row"), *importing.header(batch), _("Reason")]

    def rows():
        yield header
        for number, cells, issues in importing.issues_as_rows(batch):
            reasons = "; ".join(f"{i.column}: {issue_reason(i.reason, i.params)}" for i in issues)
            yield [number, *cells, reasons]

    name = f"ditolak-impor-{batch.id}.csv"
    return Response(
        stream_with_context(tabular.csv_stream(rows())),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@bp.app_template_global()
def issue_reason(reason: str, params: dict | None = None) -> str:
    """A refused row's reason, translated, as the current user may read it (a village
    operator is not told where another desa's or kecamatan's person is registered)."""
    reason, params = reason_for(current_user, reason, params or {})
    return _(reason, **params)


@bp.app_template_filter("reason_summary")
def reason_summary(msgid: str, example: list | None = None) -> str:
    """A refusal reason counted over many rows, readable (see importing.reason_text), as
    the current user may read it (a village operator is not told where another desa's or
    kecamatan's person is registered)."""
    shown, _params = reason_for(current_user, msgid, {})
    if shown != msgid:
        return importing.reason_text(shown)
    return importing.reason_text(msgid, example)


@bp.route("/conflicts")
@access("admin")
def conflicts():
    """Rows whose NIK is registered in another kecamatan, reported for Dinsos to settle."""
    query = (
        select(ImportRowError)
        .where(ImportRowError.kind == "conflict")
        .order_by(ImportRowError.id.desc())
    )
    page = paginate(query, 50)
    return render("registry/imports/conflicts.html", page=page, nik_of=importing.nik_of)
