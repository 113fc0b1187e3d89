"""Registry pages: the recipient list and page, validation, deactivation, village
proposals and corrections, the NIK lookup, the admin's duplicates report and aid
categories.

A NIK never travels in a URL: searches and lookups are POST bodies; links name people
by id. Each view checks scope through ``get_recipient_or_404``.
"""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, flash, g, redirect, request, url_for
from flask_login import current_user
from sqlalchemy import select

from portal.core import settings
from portal.core.audit import history
from portal.core.formatting import long_date
from portal.core.ids import MAX_ID
from portal.core.labels import SECTOR_LABELS, TARGET_GROUP_LABELS, label, registry_label
from portal.core.nik import warning_messages
from portal.core.paging import paginate
from portal.core.policy import access
from portal.core.refusals import show_error
from portal.core.text import lazy_gettext as _l
from portal.extensions import db
from portal.htmx import htmx, render
from portal.models import AidCategory, Recipient, RecipientCorrection, User
from portal.registry import categories as cat_services
from portal.registry import duplicates, forms, services
from portal.registry.lookup import aid_history
from portal.registry.lookup import lookup as lookup_nik

bp = Blueprint("registry", __name__)
PER_PAGE = 25
# Search results are counted this far (or to the page after the current one), then the
# list says "more than": counting every match of a short name regency-wide costs a scan.
SEARCH_COUNT_LIMIT = 100
READERS = ("officer", "admin", "camat", "village")


@bp.app_template_global()
def validation_state(recipient: Recipient) -> str:
    """The person's validation state; the period is read once per request, not per row
    (an unset setting is a query each time it is read)."""
    if "validation_months" not in g:
        g.validation_months = settings.get("validation_months")
    return services.validation_state(recipient, months=g.validation_months)


@bp.app_template_global()
def recipient_warnings(recipient: Recipient) -> list[str]:
    """The sentences of the warnings kept on the record (plain text, escaped when shown)."""
    return [
        str(message)
        for message in warning_messages(
            recipient.warning_codes, recipient.nik, recipient.kk, recipient.birth_date
        )
    ]


@bp.app_template_global()
def warned_in_batch(batch_id: int) -> int:
    """People of an import still waiting for validation whose records carry warnings."""
    return services.warned_pending_of_batch(current_user, batch_id)


@bp.app_template_global()
def recipient_in_scope(recipient: Recipient) -> bool:
    return services.in_scope(current_user, recipient)


@bp.app_template_global()
def lookback_start() -> date:
    """Aid on or after this date is inside the double-aid look-back window."""
    return services.add_months(date.today(), -settings.get("lookback_months"))


@bp.app_template_global()
def correction_value(name: str, value) -> str:
    """A proposed value as the officer reads it."""
    if name == "target_groups":
        return ", ".join(label(TARGET_GROUP_LABELS, code) for code in value) or "–"
    if name == "sectors":
        return ", ".join(label(SECTOR_LABELS, code) for code in value) or "–"
    if name == "sex":
        return registry_label("sex", value)
    if name == "birth_date" and value:
        return long_date(date.fromisoformat(value))
    return str(value or "–")


@bp.app_template_global()
def correction_current(recipient: Recipient, name: str) -> str:
    """The record's present value of a field a correction names."""
    current = services.as_json(getattr(services.data_of(recipient), name))
    return correction_value(name, current)


def get_recipient_or_404(recipient_id: int) -> Recipient:
    """The recipient, if the current user's kecamatan or desa holds them."""
    recipient = db.session.get(Recipient, recipient_id)
    if recipient is None or not services.in_scope(current_user, recipient):
        abort(404)
    return recipient


def get_correction_or_404(correction_id: int) -> RecipientCorrection:
    correction = db.session.get(RecipientCorrection, correction_id)
    if correction is None or not services.in_scope(current_user, correction.recipient):
        abort(404)
    return correction


def flash_warnings(warnings) -> None:
    for warning in warnings:
        flash(warning, "warning")


# --- the list -------------------------------------------------------------------------


def search_formdata():
    """The list's search and filters: a POST body, or the URL's filters without the search
    text (a ``?q=`` may carry a NIK; read from a URL it would be searched, echoed back and
    kept in access logs and history, so it is dropped unread)."""
    if request.method == "POST":
        return request.form
    args = request.args.copy()
    args.poplist(forms.SearchForm.SEARCH_FIELD)
    return args


@bp.route("/registry/recipients", methods=["GET", "POST"])
@access(*READERS)
def recipients():
    """The registry of the user's area. Filters may be in the URL; the search text (it may
    be a NIK) only ever comes in a POST body, so it is never pushed into history."""
    form = forms.SearchForm(current_user, search_formdata())
    filters = form.filters()
    if request.method == "POST" and not filters.q and not htmx.request:
        return redirect(url_for("registry.recipients", **form.url_args()), 303)
    query = services.recipient_query(current_user, filters)
    number = form.page_number()
    count_limit = max(SEARCH_COUNT_LIMIT, (number + 1) * PER_PAGE)
    if filters.q:
        page = paginate(query, PER_PAGE, page=number, count=False)
        if 0 < len(page.items) < PER_PAGE or (number == 1 and not page.items):
            page.total = (number - 1) * PER_PAGE + len(page.items)  # the last page: no count
        else:
            page.total = services.count_up_to(query, count_limit + 1)
    else:
        page = paginate(query, PER_PAGE, page=number)
    response = render(
        "registry/recipients.html",
        block="results",
        form=form,
        page=page,
        args=form.url_args(),
        searching=bool(filters.q),
        count_limit=count_limit,
    )
    if request.method == "POST" and htmx.request and not filters.q:
        response.headers["HX-Push-Url"] = url_for("registry.recipients", **form.url_args())
    return response


@bp.route("/registry/recipients/validate", methods=["POST"])
@access("officer")
def validate_bulk():
    """Validate the selected people, or every pending person of an import batch."""
    form = forms.BulkValidateForm()
    if not form.validate():
        flash(_l("Choose people to validate, or give an import batch number."), "danger")
        return redirect(url_for("registry.recipients"))
    if form.batch_id.data:
        people = services.pending_of_batch(current_user, form.batch_id.data)
    else:
        ids = form.chosen_ids()
        query = services.scoped(select(Recipient), current_user).where(Recipient.id.in_(ids))
        people = list(db.session.scalars(query))
    if not people:
        flash(_l("Nobody to validate: choose people in the list first."), "warning")
        return redirect(url_for("registry.recipients"))
    done, skipped = services.validate_many(current_user, people)
    db.session.commit()
    flash(_l("%(done)s people validated.", done=done), "success")
    if skipped:
        flash(_l("%(skipped)s could not be validated (deactivated).", skipped=skipped), "warning")
    return redirect(url_for("registry.recipients"))


# --- one person -----------------------------------------------------------------------


@bp.route("/registry/recipients/<int:recipient_id>")
@access(*READERS)
def show(recipient_id: int):
    """A person's data, family, aid history and history; opening it is logged."""
    recipient = get_recipient_or_404(recipient_id)
    services.record_view(current_user, recipient)
    db.session.commit()
    household, aid = aid_history(recipient)
    events = history(recipient)
    views = services.VIEW_ACTIONS
    actors = {
        u.id: u
        for u in db.session.scalars(select(User).where(User.id.in_({e.actor_id for e in events})))
    }
    groups, sectors = services.codes_of(recipient)
    return render(
        "registry/show.html",
        recipient=recipient,
        household=household,
        aid=aid,
        events=[(e, actors.get(e.actor_id)) for e in events if e.action not in views],
        views=[(e, actors.get(e.actor_id)) for e in events if e.action in views][-20:],
        groups=groups,
        sectors=sectors,
        expires_at=services.validation_expires_at(recipient),
        validator=db.session.get(User, recipient.validated_by_id)
        if recipient.validated_by_id
        else None,
        reject_form=forms.ReasonForm(),
        deactivate_form=forms.DeactivateForm(),
        corrections=db.session.scalars(
            select(RecipientCorrection)
            .where(RecipientCorrection.recipient_id == recipient.id)
            .order_by(RecipientCorrection.proposed_at.desc())
        ).all(),
    )


@bp.route("/registry/recipients/new", methods=["GET", "POST"])
@access("officer", "village")
def new():
    """Add a person (officer) or propose one for the officer to validate (village)."""
    form = forms.RecipientForm(current_user)
    if current_user.role == "village" and request.method == "GET":
        form.desa_id.data = current_user.desa_id
    existing = None
    if form.validate_on_submit():
        try:
            recipient, _warnings = services.create_recipient(current_user, form.to_data())
        except services.RegistryError as error:
            db.session.rollback()
            show_error(form, error)
            existing = error.existing
        else:
            db.session.commit()  # the warnings are on the record and shown on its page
            if current_user.role == "village":
                flash(_l("Sent to the kecamatan officer, who will validate it."), "success")
            else:
                flash(
                    _l("%(name)s has been added, waiting for validation.", name=recipient.name),
                    "success",
                )
            return redirect(url_for("registry.show", recipient_id=recipient.id))
    return render("registry/form.html", form=form, recipient=None, existing=existing)


@bp.route("/registry/recipients/<int:recipient_id>/edit", methods=["GET", "POST"])
@access("officer")
def edit(recipient_id: int):
    """Change a person's data."""
    recipient = get_recipient_or_404(recipient_id)
    form = forms.RecipientForm(current_user, data=vars(services.data_of(recipient)))
    existing = None
    if form.validate_on_submit():
        try:
            changed, _warnings = services.update_recipient(current_user, recipient, form.to_data())
        except services.RegistryError as error:
            db.session.rollback()
            show_error(form, error)
            existing = error.existing
        else:
            db.session.commit()  # the warnings are on the record and shown on its page
            if changed:
                flash(_l("The record has been saved."), "success")
            return redirect(url_for("registry.show", recipient_id=recipient.id))
    return render("registry/form.html", form=form, recipient=recipient, existing=existing)


def _transition(recipient: Recipient, action, success):
    try:
        action()
    except services.RegistryError as error:
        db.session.rollback()
        flash(error.message, "danger")
    else:
        db.session.commit()
        flash(success, "success")
    return redirect(url_for("registry.show", recipient_id=recipient.id))


@bp.route("/registry/recipients/<int:recipient_id>/validate", methods=["POST"])
@access("officer")
def validate(recipient_id: int):
    """Validate or re-validate one person."""
    recipient = get_recipient_or_404(recipient_id)
    return _transition(
        recipient,
        lambda: services.validate_recipient(current_user, recipient),
        _l("%(name)s is validated.", name=recipient.name),
    )


@bp.route("/registry/recipients/<int:recipient_id>/reactivate", methods=["POST"])
@access("officer")
def reactivate(recipient_id: int):
    """Put a deactivated person back on the list."""
    recipient = get_recipient_or_404(recipient_id)
    return _transition(
        recipient,
        lambda: services.reactivate_recipient(current_user, recipient),
        _l("%(name)s is active again.", name=recipient.name),
    )


@bp.route("/registry/recipients/<int:recipient_id>/reject", methods=["GET", "POST"])
@access("officer")
def reject(recipient_id: int):
    """Reject a person, with the reason."""
    recipient = get_recipient_or_404(recipient_id)
    form = forms.ReasonForm()
    if form.validate_on_submit():
        try:
            services.reject_recipient(current_user, recipient, form.reason.data)
        except services.RegistryError as error:
            db.session.rollback()
            show_error(form, error)
        else:
            db.session.commit()
            flash(_l("%(name)s is rejected.", name=recipient.name), "success")
            return redirect(url_for("registry.show", recipient_id=recipient.id))
    return render("registry/reason.html", form=form, recipient=recipient, what="reject")


@bp.route("/registry/recipients/<int:recipient_id>/deactivate", methods=["GET", "POST"])
@access("officer")
def deactivate(recipient_id: int):
    """Take a person off the candidate lists, with the reason; history stays."""
    recipient = get_recipient_or_404(recipient_id)
    form = forms.DeactivateForm()
    if form.validate_on_submit():
        try:
            services.deactivate_recipient(
                current_user, recipient, form.reason.data, form.note.data or ""
            )
        except services.RegistryError as error:
            db.session.rollback()
            show_error(form, error)
        else:
            db.session.commit()
            flash(_l("%(name)s is deactivated.", name=recipient.name), "success")
            return redirect(url_for("registry.show", recipient_id=recipient.id))
    return render("registry/reason.html", form=form, recipient=recipient, what="deactivate")


# --- village proposals and corrections ------------------------------------------------


@bp.route("/registry/recipients/<int:recipient_id>/correct", methods=["GET", "POST"])
@access("village")
def correct(recipient_id: int):
    """Propose a correction to a person of the operator's desa."""
    recipient = get_recipient_or_404(recipient_id)
    form = forms.CorrectionForm(current_user, data=vars(services.data_of(recipient)))
    if form.validate_on_submit():
        try:
            services.propose_correction(current_user, recipient, form.to_data(), form.reason.data)
        except services.RegistryError as error:
            db.session.rollback()
            show_error(form, error)
        else:
            db.session.commit()
            flash(_l("Your correction was sent to the kecamatan officer."), "success")
            return redirect(url_for("registry.show", recipient_id=recipient.id))
    return render(
        "registry/form.html", form=form, recipient=recipient, existing=None, correcting=True
    )


@bp.route("/registry/proposals")
@access("officer", "village")
def proposals():
    """Officer: what village operators sent and waits. Village: what I sent and its outcome."""
    if current_user.role == "village":
        people, corrections = services.proposals_of(current_user)
    else:
        people, corrections = services.pending_proposals(current_user)
    return render(
        "registry/proposals.html",
        people=people,
        corrections=corrections,
        reject_form=forms.ReasonForm(),
    )


@bp.route("/registry/corrections/<int:correction_id>/accept", methods=["POST"])
@access("officer")
def correction_accept(correction_id: int):
    """Apply a village operator's correction."""
    correction = get_correction_or_404(correction_id)
    try:
        warnings = services.accept_correction(current_user, correction)
    except services.RegistryError as error:
        db.session.rollback()
        flash(error.message, "danger")
    else:
        db.session.commit()
        flash_warnings(warnings)
        flash(_l("The correction has been applied."), "success")
    return redirect(url_for("registry.proposals"))


@bp.route("/registry/corrections/<int:correction_id>/reject", methods=["GET", "POST"])
@access("officer")
def correction_reject(correction_id: int):
    """Refuse a village operator's correction, with the reason they will read."""
    correction = get_correction_or_404(correction_id)
    form = forms.ReasonForm()
    if form.validate_on_submit():
        try:
            services.reject_correction(current_user, correction, form.reason.data)
        except services.RegistryError as error:
            db.session.rollback()
            show_error(form, error)
        else:
            db.session.commit()
            flash(_l("The correction has been rejected."), "success")
            return redirect(url_for("registry.proposals"))
    return render(
        "registry/reason.html",
        form=form,
        recipient=correction.recipient,
        what="correction",
        correction=correction,
    )


# --- NIK lookup -----------------------------------------------------------------------


@bp.route("/registry/lookup", methods=["GET", "POST"])
@access("officer", "admin", "camat")
def lookup():
    """Type a NIK (in a POST body) and see every aid of that person and their family."""
    form = forms.LookupForm(request.form if request.method == "POST" else None)
    result = None
    if request.method == "POST" and form.validate():
        result = lookup_nik(form.nik.data)
        if result.household.person is not None:
            services.record_view(current_user, result.household.person, looked_up=True)
            db.session.commit()
    response = render("registry/lookup.html", block="lookup_results", form=form, result=result)
    response.headers["Cache-Control"] = "no-store"
    return response


# --- admin: duplicates and categories -------------------------------------------------


@bp.route("/admin/duplicates")
@access("admin")
def duplicates_report():
    """Regency-wide suspected duplicates, for review."""
    form = forms.DuplicateFilterForm(request.args)
    form.validate()
    kind = form.kind.data if form.kind.data in ("name", "kk") and not form.kind.errors else "name"
    number = form.page.data if form.page.data and not form.page.errors else 1
    page = duplicates.duplicate_groups(kind, number)
    return render("registry/duplicates.html", block="results", form=form, page=page, kind=kind)


@bp.route("/admin/categories")
@access("admin")
def categories():
    """Aid categories and the pairs that may go together."""
    return render(
        "registry/categories.html",
        categories=cat_services.all_categories(),
        pairs=cat_services.all_pairs(),
        pair_form=forms.PairForm(),
    )


def _category_form(category: AidCategory | None):
    form = forms.CategoryForm(obj=category)
    if form.validate_on_submit():
        try:
            cat_services.save_category(
                current_user, category, form.code.data, form.name.data, form.description.data or ""
            )
        except services.RegistryError as error:
            db.session.rollback()
            show_error(form, error)
        else:
            db.session.commit()
            flash(_l("The category has been saved."), "success")
            return redirect(url_for("registry.categories"))
    return render("registry/category_form.html", form=form, category=category)


@bp.route("/admin/categories/new", methods=["GET", "POST"])
@access("admin")
def category_new():
    """Add an aid category."""
    return _category_form(None)


@bp.route("/admin/categories/<int:category_id>/edit", methods=["GET", "POST"])
@access("admin")
def category_edit(category_id: int):
    """Rename or describe an aid category."""
    return _category_form(db.get_or_404(AidCategory, category_id))


@bp.route("/admin/categories/<int:category_id>/active", methods=["POST"])
@access("admin")
def category_active(category_id: int):
    """Deactivate a category, or bring it back."""
    category = db.get_or_404(AidCategory, category_id)
    try:
        cat_services.set_category_active(current_user, category, request.form.get("active") == "1")
    except services.RegistryError as error:
        db.session.rollback()
        flash(error.message, "danger")
    else:
        db.session.commit()
        flash(_l("The category has been saved."), "success")
    return redirect(url_for("registry.categories"))


@bp.route("/admin/categories/pairs", methods=["POST"])
@access("admin")
def pair_add():
    """Declare two categories allowed together."""
    form = forms.PairForm()
    if form.validate_on_submit():
        try:
            cat_services.add_pair(current_user, form.first_id.data, form.second_id.data)
        except services.RegistryError as error:
            db.session.rollback()
            show_error(form, error)
        else:
            db.session.commit()
            flash(_l("The two categories may now go together."), "success")
            return redirect(url_for("registry.categories"))
    return render(
        "registry/categories.html",
        status=400,
        categories=cat_services.all_categories(),
        pairs=cat_services.all_pairs(),
        pair_form=form,
    )


@bp.route("/admin/categories/pairs/remove", methods=["POST"])
@access("admin")
def pair_remove():
    """Stop allowing two categories together."""
    try:
        first, second = int(request.form["first_id"]), int(request.form["second_id"])
        if not (0 < first <= MAX_ID and 0 < second <= MAX_ID):
            raise ValueError
        cat_services.remove_pair(current_user, first, second)
    except (KeyError, ValueError):
        abort(400)
    except services.RegistryError as error:
        db.session.rollback()
        flash(error.message, "danger")
    else:
        db.session.commit()
        flash(_l("The pair has been removed."), "success")
    return redirect(url_for("registry.categories"))
