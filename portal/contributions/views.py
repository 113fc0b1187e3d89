"""Contribution pages: the partner's proposal form, its page with status, timeline and
attachments, and the lists. The moves between states (submit, withdraw, the reviewers'
decisions, Dinsos routing and splitting) are in ``transition_views``, on the same blueprint.

Views read the form, call ``portal.contributions.services`` and render or redirect;
a refused change comes back as a message beside its field. Every object is looked up
through ``get_contribution_or_404``, so nobody reaches what is outside their scope.
"""

from __future__ import annotations

import io
import uuid

from flask import Blueprint, abort, flash, redirect, request, send_file, url_for
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from portal.contributions import access as rules  # `access` is the view decorator here
from portal.contributions import decision_forms, forms, queries, services
from portal.contributions.forms import ContributionForm
from portal.contributions.uploads import check_upload
from portal.core.codes import codes_of
from portal.core.paging import paginate
from portal.core.policy import access
from portal.core.refusals import Refusal, attempt, refuse
from portal.core.text import lazy_gettext as _l
from portal.extensions import db
from portal.htmx import htmx, render
from portal.models import Contribution

bp = Blueprint("contributions", __name__, url_prefix="/contributions")
bp.context_processor(lambda: rules.page_flags(current_user))  # the may_* page flags
PER_PAGE = 25
READERS = ("partner", "officer", "camat", "admin")
REVIEWERS = ("officer", "admin")
FORM_TEMPLATE = "contributions/form.html"


@bp.app_template_global()
def contribution_overview(user) -> list:
    """For the partner's home page: their contributions by status with totals."""
    if user.role != "partner" or user.company_id is None:
        return []
    return queries.company_overview(user.company_id)


def get_contribution_or_404(contribution_id: int) -> Contribution:
    """The contribution if the current user may see it; 404 otherwise (no hint it exists)."""
    contribution = rules.find_visible(current_user, contribution_id)
    if contribution is None:
        abort(404)
    return contribution


# --- lists ---------------------------------------------------------------------------


@bp.route("/")
@access(*READERS)
def index():
    """Contributions in the user's scope; filters and search reload only the results."""
    form = forms.filter_form(current_user, request.args)
    query = queries.list_query(current_user, form.filters())
    page = paginate(query, PER_PAGE)
    return render(
        "contributions/index.html", block="results", form=form, page=page, args=form.url_args()
    )


# --- the partner's proposal ----------------------------------------------------------


def _row_action() -> tuple[str, int | None] | None:
    """Which item-row button was pressed, if any: add, remove (with its row) or totals."""
    if "add_item" in request.form:
        return "add", None
    if "remove_item" in request.form:
        try:
            return "remove", int(request.form["remove_item"])
        except ValueError:
            return "remove", None
    if "recalculate" in request.form:
        return "totals", None
    return None


def _rows_response(action: tuple[str, int | None], contribution: Contribution | None):
    """Re-render the form with a row added or removed, or just its totals; an HTMX
    request gets only the changed block, a plain POST the whole page."""
    kind, index = action
    if kind == "totals":
        form = ContributionForm(formdata=request.form)
        block = "totals"
    else:
        formdata = forms.rows_changed(request.form, remove=index, add=kind == "add")
        form = ContributionForm(formdata=formdata)
        block = "items"
    return render(
        FORM_TEMPLATE, block=block, form=form, contribution=contribution, oob_rows=htmx.request
    )


def _checked_uploads(form) -> list | None:
    """The form's files, checked by content; None (with the reasons beside the field)
    when any is refused."""
    checked, refused = [], []
    for storage in form.attachments.data or []:
        if not storage or not storage.filename:
            continue
        try:
            checked.append(check_upload(storage.filename, storage.stream))
        except Refusal as error:
            refused.append(error.message)
    if refused:
        form.attachments.errors = [*form.attachments.errors, *refused]
        return None
    return checked


def _partner_may_change() -> bool:
    if rules.company_can_submit(current_user):
        return True
    flash(
        _l("Your company is not active, so it cannot propose or change contributions."),
        "warning",
    )
    return False


@bp.route("/new", methods=["GET", "POST"])
@access("partner")
def new():
    """A new draft. The form carries a one-time token, so a double submit saves once."""
    if not _partner_may_change():
        return redirect(url_for("contributions.index"))
    if request.method == "POST" and (action := _row_action()):
        return _rows_response(action, None)
    form = ContributionForm()
    token = _valid_token(form.form_token.data)
    if request.method == "POST" and (
        existing := services.find_by_token(current_user.company_id, token)
    ):
        return _already_saved(existing)
    if form.validate_on_submit():
        uploads = _checked_uploads(form)
        if uploads is not None:
            try:
                contribution = _save_draft(
                    form,
                    uploads,
                    lambda: services.create(current_user, form.to_data(), client_token=token),
                )
            except IntegrityError:
                db.session.rollback()
                existing = services.find_by_token(current_user.company_id, token)
                if existing is None:
                    raise
                return _already_saved(existing)
            if contribution is not None:
                return _draft_saved(contribution)
    if not form.form_token.data:
        form.form_token.data = uuid.uuid4().hex
    return render(FORM_TEMPLATE, form=form, contribution=None)


def _save_draft(form, uploads: list, write) -> Contribution | None:
    """Save the draft with ``write()`` (create or update), attach the checked uploads and
    commit; a refusal is rolled back and shown beside its field, and None is returned."""
    with attempt(form) as outcome:
        contribution = write()
        for checked in uploads:
            services.add_attachment(current_user, contribution, checked, form.attachment_kind.data)
    return contribution if outcome.ok else None


def _draft_saved(contribution: Contribution):
    flash(_l("The draft has been saved."), "success")
    return redirect(url_for("contributions.show", contribution_id=contribution.id))


def _valid_token(value: str | None) -> str | None:
    value = (value or "").strip()
    return value if 8 <= len(value) <= 36 and value.isalnum() else None


def _already_saved(contribution: Contribution):
    flash(_l("This form was already saved; here is the contribution."), "info")
    return redirect(url_for("contributions.show", contribution_id=contribution.id))


@bp.route("/<int:contribution_id>/edit", methods=["GET", "POST"])
@access("partner")
def edit(contribution_id: int):
    """Change a draft (a new one, or one returned by the kecamatan)."""
    contribution = get_contribution_or_404(contribution_id)
    if not rules.can_edit(current_user, contribution):
        flash(_l("Only a draft of an active company can be edited."), "warning")
        return redirect(url_for("contributions.show", contribution_id=contribution.id))
    if request.method == "POST" and (action := _row_action()):
        return _rows_response(action, contribution)
    if request.method == "POST":
        form = ContributionForm()
    else:
        form = ContributionForm(data=forms.data_from(contribution, *codes_of(contribution)))
    if form.validate_on_submit():
        uploads = _checked_uploads(form)
        if uploads is not None:

            def write() -> Contribution:
                services.update(current_user, contribution, form.to_data())
                return contribution

            if _save_draft(form, uploads, write) is not None:
                return _draft_saved(contribution)
    return render(FORM_TEMPLATE, form=form, contribution=contribution)


# --- one contribution ----------------------------------------------------------------


def show_page(contribution: Contribution, status: int = 200, **given_forms):
    """The contribution's page: details, status, reasons, timeline and the actions the
    current user may take (forms passed in keep what was typed and their errors)."""
    user = current_user
    target_groups, sectors = codes_of(contribution)
    context = {
        "contribution": contribution,
        "target_groups": target_groups,
        "sectors": sectors,
        "attachments": services.attachments_of(contribution),
        "timeline": queries.timeline(contribution),
        "may_edit": rules.can_edit(user, contribution),
        "may_withdraw": rules.can_withdraw(user, contribution),
        "may_review": rules.can_review(user, contribution),
        "may_route": rules.can_route(user, contribution),
        "may_open_parent": rules.may_open_parent(user, contribution),
        "problems": services.submission_problems(contribution)
        if contribution.status == "draft"
        else [],
    }
    if context["may_review"]:
        given_forms.setdefault("accept_form", accept_form(contribution, suggest=True))
        given_forms.setdefault(
            "return_form", decision_forms.ReturnForm(formdata=None, prefix="return")
        )
        given_forms.setdefault(
            "reject_form", decision_forms.RejectForm(formdata=None, prefix="reject")
        )
    if context["may_withdraw"]:
        given_forms.setdefault("withdraw_form", decision_forms.WithdrawForm(formdata=None))
    if context["may_edit"]:
        given_forms.setdefault("upload_form", forms.AttachmentForm(formdata=None))
    if context["may_route"]:
        given_forms.setdefault("route_form", decision_forms.RouteForm(formdata=None))
    return render("contributions/show.html", status=status, **context, **given_forms)


SUGGESTED_CATEGORY = {"equipment": "EQUIPMENT", "training": "TRAINING"}


def accept_form(contribution: Contribution, suggest: bool = False) -> decision_forms.AcceptForm:
    """The accept form; on the page it proposes a category that fits the kind."""
    categories = services.active_categories()
    if not suggest:
        return decision_forms.AcceptForm(categories, prefix="accept")
    form = decision_forms.AcceptForm(categories, prefix="accept", formdata=None)
    if form.aid_category_id.data is None:
        suggested = SUGGESTED_CATEGORY.get(contribution.kind)
        form.aid_category_id.data = contribution.aid_category_id or next(
            (c.id for c in categories if c.code == suggested), None
        )
    return form


@bp.route("/<int:contribution_id>")
@access(*READERS)
def show(contribution_id: int):
    """A contribution's details, status, reasons and timeline."""
    return show_page(get_contribution_or_404(contribution_id))


def change(contribution: Contribution, apply, message):
    """Run ``apply()`` as one change: commit and say ``message``, or roll back and flash
    its refusal; either way back to the contribution's page."""
    with attempt() as outcome:
        apply()
    if outcome.ok:
        flash(message, "success")
    return _back(contribution)


def refused(contribution: Contribution, error: Refusal):
    """Roll back and show the refusal on the contribution's page."""
    refuse(error)
    return _back(contribution)


def _back(contribution: Contribution):
    return redirect(url_for("contributions.show", contribution_id=contribution.id))


# --- attachments ---------------------------------------------------------------------


@bp.route("/<int:contribution_id>/attachments", methods=["POST"])
@access("partner")
def attachment_upload(contribution_id: int):
    """Add a file to a draft; a refused file comes back with its reason."""
    contribution = get_contribution_or_404(contribution_id)
    if refusal := rules.edit_refusal(current_user, contribution):
        return refused(contribution, refusal)
    form = forms.AttachmentForm()
    if form.validate_on_submit():
        try:
            checked = check_upload(form.file.data.filename, form.file.data.stream)
        except Refusal as error:
            form.file.errors = [*form.file.errors, error.message]
        else:
            return change(
                contribution,
                lambda: services.add_attachment(
                    current_user, contribution, checked, form.kind.data
                ),
                _l("The file has been attached."),
            )
    return show_page(contribution, upload_form=form)


@bp.route("/<int:contribution_id>/attachments/<int:attachment_id>")
@access(*READERS)
def attachment_download(contribution_id: int, attachment_id: int):
    """A stored file, for those who may see its contribution; always as a download."""
    contribution = get_contribution_or_404(contribution_id)
    attachment = services.find_attachment(contribution, attachment_id)
    if attachment is None:
        abort(404)
    return send_file(
        io.BytesIO(attachment.data),
        mimetype=attachment.content_type,
        as_attachment=True,
        download_name=attachment.filename,
        etag=attachment.sha256,
        max_age=0,
    )


@bp.route("/<int:contribution_id>/attachments/<int:attachment_id>/delete", methods=["POST"])
@access("partner")
def attachment_delete(contribution_id: int, attachment_id: int):
    """Remove a file from a draft."""
    contribution = get_contribution_or_404(contribution_id)
    attachment = services.find_attachment(contribution, attachment_id)
    if attachment is None:
        abort(404)
    return change(
        contribution,
        lambda: services.remove_attachment(current_user, contribution, attachment),
        _l("The file has been removed."),
    )
