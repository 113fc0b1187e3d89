"""The monitoring pages: the visits list of a kecamatan (what is due and overdue, by desa
and state, by due date), one visit with the officer's form to record it from the field or
to close the recipient's remaining visits, and the visit's photo. The sections on the
recipient's and the match's pages come from the template globals below."""

from __future__ import annotations

import io

from flask import Blueprint, abort, flash, redirect, request, send_file, url_for
from flask_login import current_user

from portal.contributions.uploads import check_upload
from portal.core.paging import paginate
from portal.core.policy import access
from portal.core.refusals import Refusal, attempt
from portal.core.scope import get_in_scope_or_404
from portal.core.text import lazy_gettext as _l
from portal.htmx import render
from portal.matching.transitions import AlreadyDone
from portal.models import MonitoringVisit
from portal.monitoring import access as rules  # `access` is the view decorator here
from portal.monitoring import queries, services
from portal.monitoring.forms import CloseScheduleForm, RecordVisitForm, VisitFilterForm

bp = Blueprint("monitoring", __name__, url_prefix="/pemantauan")
PER_PAGE = 25
RECORDED = _l("The visit has been recorded.")
CLOSED = _l("The remaining visits of this recipient have been closed.")


@bp.context_processor
def access_flags() -> dict[str, bool]:
    """The monitoring pages' ``may_*`` flags (templates read these, never the role)."""
    return rules.page_flags(current_user)


@bp.app_template_global()
def visit_state(visit: MonitoringVisit) -> str:
    """due, overdue, recorded or closed."""
    return queries.shown_state(visit)


@bp.app_template_global()
def visit_state_label(code: str) -> str:
    return str(queries.VISIT_STATE_LABELS.get(code, code))


@bp.app_template_global()
def close_reason_label(code: str | None) -> str:
    return str(queries.CLOSE_REASON_LABELS.get(code, code or "–"))


@bp.app_template_global()
def recipient_visits(recipient) -> dict | None:
    """The recipient page's visits section (None for whom may not see visits)."""
    if not rules.sees_visits(current_user):
        return None
    visits = [v for v in queries.of_recipient(recipient) if rules.in_scope(current_user, v)]
    return {"visits": visits, **rules.page_flags(current_user)}


@bp.app_template_global()
def match_visits(match) -> dict | None:
    """The match page's visits per member (None before the handover, or for whom may
    not see them; partners get no notes or income)."""
    if match.status not in ("handed_over", "monitored"):
        return None
    if not rules.sees_match_visits(current_user):
        return None
    return {"groups": queries.of_match(match), **rules.page_flags(current_user)}


# --- the list ------------------------------------------------------------------------


@bp.route("/")
@access(*rules.READERS)
def index():
    """Visits in the user's kecamatan (every one for the admin) with counts per state;
    the filters reload only the results."""
    form = VisitFilterForm(current_user, request.args)
    filters = form.filters()
    page = paginate(queries.list_query(current_user, filters), PER_PAGE)
    counts = queries.state_counts(current_user, filters)
    args = form.url_args()
    return render(
        "monitoring/index.html",
        block="results",
        form=form,
        page=page,
        counts=counts,
        args=args,
        count_args={k: v for k, v in args.items() if k != "state"},
        states=tuple(queries.VISIT_STATE_LABELS),
    )


# --- one visit -----------------------------------------------------------------------


def get_visit_or_404(visit_id: int) -> MonitoringVisit:
    return get_in_scope_or_404(MonitoringVisit, visit_id, rules.in_scope)


def visit_page(visit: MonitoringVisit, status: int = 200, **forms):
    may_record = rules.can_record(current_user, visit)
    if may_record:
        forms.setdefault("form", RecordVisitForm(formdata=None))
        forms.setdefault("close_form", CloseScheduleForm(formdata=None))
    return render(
        "monitoring/show.html",
        status=status,
        visit=visit,
        photo=services.photo_of(visit),
        may_record=may_record,
        **forms,
    )


@bp.route("/<int:visit_id>")
@access(*rules.READERS)
def show(visit_id: int):
    """One visit: whom, when due, what was found; the officer's form while it is due."""
    return visit_page(get_visit_or_404(visit_id))


@bp.route("/<int:visit_id>/record", methods=["POST"])
@access("officer")
def record(visit_id: int):
    """Record a visit from the field; a refused entry comes back beside its field."""
    visit = get_visit_or_404(visit_id)
    if (refusal := rules.record_refusal(current_user, visit)) is not None:
        return _refused(visit, refusal)
    form = RecordVisitForm()
    if form.validate_on_submit():
        photo = _checked_photo(form)
        if photo is not False:
            with attempt(form) as outcome:
                services.record_visit(visit, current_user, form.report(), photo)
            if outcome.ok:
                flash(RECORDED, "success")
                return redirect(url_for("monitoring.show", visit_id=visit.id))
    return visit_page(visit, status=422, form=form)


def _checked_photo(form):
    """The checked photo, None when none was sent, False (reason beside it) if refused."""
    storage = form.photo.data
    if not storage or not getattr(storage, "filename", ""):
        return None
    try:
        checked = check_upload(storage.filename, storage.stream)
    except Refusal as error:
        form.photo.errors = [*form.photo.errors, error.message]
        return False
    if not checked.content_type.startswith("image/"):
        form.photo.errors = [*form.photo.errors, _l("The photo must be a JPEG or PNG image.")]
        return False
    return checked


@bp.route("/<int:visit_id>/close", methods=["POST"])
@access("officer")
def close(visit_id: int):
    """Close the recipient's remaining visits of this handover (moved, died, other)."""
    visit = get_visit_or_404(visit_id)
    if (refusal := rules.record_refusal(current_user, visit)) is not None:
        return _refused(visit, refusal)
    form = CloseScheduleForm()
    if form.validate_on_submit():
        with attempt(form) as outcome:
            services.close_schedule(visit, current_user, form.reason.data, form.note.data)
        if outcome.ok:
            flash(CLOSED, "success")
            return redirect(url_for("monitoring.show", visit_id=visit.id))
    return visit_page(visit, status=422, close_form=form)


def _refused(visit: MonitoringVisit, refusal: Refusal):
    """Recorded already (a second tab, a retry): said as information on the visit's page;
    anything else is not this user's to do."""
    if isinstance(refusal, AlreadyDone):
        flash(refusal.message, "info")
        return redirect(url_for("monitoring.show", visit_id=visit.id))
    abort(403)


@bp.route("/<int:visit_id>/foto")
@access(*rules.READERS)
def photo(visit_id: int):
    """The visit's photo, for those who may see the visit."""
    attachment = services.photo_of(get_visit_or_404(visit_id))
    if attachment is None:
        abort(404)
    return send_file(
        io.BytesIO(attachment.data),
        mimetype=attachment.content_type,
        download_name=attachment.filename,
        etag=attachment.sha256,
        max_age=0,
    )
