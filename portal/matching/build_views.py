"""The officer's builder: a new draft for a contribution (``matching.new``), the builder
page with the ranked candidates, the people picked, their quantities and what remains
(``matching.build``), adding (ticked rows or the N best), quantities, removing, and
replacing someone who drops out before approval (``matching.replace``).

Every change is a POST; an HTMX request gets back the part of the page it changed (the
whole builder, or the plan with what remains), a plain POST a redirect to the page or,
when a row is refused, the whole page with the reason beside the row and what was typed.
"""

from __future__ import annotations

import uuid

from flask import abort, current_app, flash, redirect, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy.exc import IntegrityError

from portal.contributions.access import find_visible
from portal.core.labels import label
from portal.core.paging import page_number
from portal.core.policy import access
from portal.core.refusals import attempt
from portal.core.text import lazy_gettext as _l
from portal.extensions import db
from portal.htmx import htmx, render
from portal.matching import access as rules
from portal.matching import allocation, build_forms, candidates, replacement, summary
from portal.matching.blueprint import bp, get_match_or_404
from portal.matching.flags import flag_text
from portal.models import Match

TEMPLATE = "matching/build.html"


@bp.app_template_global()
def match_url(match: Match) -> str:
    """A match's page (``matching.show``); until that page exists, the builder of a plan
    not yet approved, else the contribution's page."""
    if "matching.show" in current_app.view_functions:
        return url_for("matching.show", match_id=match.id)
    if match.status in ("draft", "submitted"):
        return url_for("matching.build", match_id=match.id)
    return url_for("contributions.show", contribution_id=match.contribution_id)


bp.add_app_template_global(flag_text, "flag_text")
bp.add_app_template_global(summary.plans_of, "contribution_plans")
bp.add_app_template_global(lambda code: label(build_forms.DROP_LABELS, code), "drop_label")


# --- a new draft ----------------------------------------------------------------------


def _valid_token(value: str | None) -> str | None:
    value = (value or "").strip()
    return value if 8 <= len(value) <= 36 and value.isalnum() else None


def _to_builder(match: Match, message=None, category: str = "success"):
    if message:
        flash(message, category)
    return redirect(url_for("matching.build", match_id=match.id), 303)


@bp.route("/baru/<int:contribution_id>", methods=["GET", "POST"])
@access("officer")
def new(contribution_id: int):
    """Start a plan for an accepted contribution; the form's one-time token makes a double
    submit create one draft."""
    contribution = find_visible(current_user, contribution_id)
    if contribution is None:
        abort(404)
    if refusal := rules.plan_refusal(current_user, contribution):
        flash(refusal.message, "warning")
        return redirect(url_for("contributions.show", contribution_id=contribution.id))
    form = build_forms.MatchForm(contribution.kecamatan_id)
    token = _valid_token(form.form_token.data)
    already = _already_saved(contribution.id, token)
    if already is not None:
        return already
    if request.method == "GET":
        form.label.data = contribution.title
    if form.validate_on_submit():
        try:
            with attempt(form) as outcome:
                match = allocation.create_match(current_user, contribution, form.to_data(), token)
        except IntegrityError:  # the same form sent twice at once: the other one saved it
            db.session.rollback()
            return _already_saved(contribution.id, token) or abort(409)
        if outcome.ok:
            return _to_builder(match, _l("The draft plan has been created; pick its recipients."))
    if not form.form_token.data:
        form.form_token.data = uuid.uuid4().hex
    return render("matching/new.html", form=form, contribution=contribution)


def _already_saved(contribution_id: int, token: str | None):
    if request.method != "POST":
        return None
    existing = allocation.find_by_token(contribution_id, token)
    if existing is None:
        return None
    return _to_builder(existing, _l("This form was already saved; here is the plan."), "info")


# --- the builder page -----------------------------------------------------------------


def _buildable(match_id: int) -> Match:
    match = get_match_or_404(match_id)
    if rules.replace_refusal(current_user, match) is not None:
        abort(403)
    return match


def _filter_form(match: Match):
    return build_forms.FilterForm(match.kecamatan_id, request.args)


def _replacing(match: Match, member_id=None):
    """The member being replaced (``?ganti=<member id>`` or the posted form), if any."""
    ids = build_forms.ids_in([member_id or request.args.get("ganti", "")])
    if not ids:
        return None
    return next((m for m in match.active_members if m.id == ids[0]), None)


def page(match: Match, status: int = 200, block: str | None = None, **state):
    """The builder with what the request typed and any refusals beside their rows."""
    filters_form = state.pop("filters_form", None) or _filter_form(match)
    filters = filters_form.filters()
    number = page_number(request.args.get("page"))
    replacing = state.pop("replacing", None) or _replacing(match)
    context = {
        "match": match,
        "contribution": match.contribution,
        "filters_form": filters_form,
        "args": filters_form.url_args(),
        "candidates": candidates.candidates_page(match, filters, number),
        "lefts": allocation.left_of(match),
        "may_edit": rules.can_edit(current_user, match),
        "replacing": replacing,
        "pick_form": state.pop("pick_form", None) or build_forms.PickForm(formdata=None),
        "replace_form": state.pop("replace_form", None) or _replace_form(replacing),
        "picks": {},
        "row_errors": {},
        "share_errors": {},
        "typed": {},
        "form_errors": [],
        "fragment": block if htmx.request else None,
    }
    context.update(state)
    return render(TEMPLATE, block=block, status=status, **context)


def _replace_form(member):
    form = build_forms.ReplaceForm(formdata=None)
    if member is not None:
        form.member_id.data = str(member.id)
    return form


@bp.route("/<int:match_id>/susun")
@access("officer")
def build(match_id: int):
    """The candidates, ranked with their reasons and flags, the people picked with their
    quantities, and what remains of each item; filters reload only the candidates."""
    match = _buildable(match_id)
    return page(match, block="candidates")


def _checked() -> bool:
    """The POST carries a valid CSRF token (the rows are read from the form itself)."""
    form = FlaskForm()
    if form.validate_on_submit():
        return True
    flash(_l("This form has expired. Please send it again."), "danger")
    return False


def _after_change(match: Match, block: str, message=None):
    if message:
        flash(message, "success")
    if htmx.request:
        return page(match, block=block)
    args = _filter_form(match).url_args()
    return redirect(url_for("matching.build", match_id=match.id, **args), 303)


@bp.route("/<int:match_id>/susun/tambah", methods=["POST"])
@access("officer")
def add_members(match_id: int):
    """Add the ticked candidates (a flagged one with the reason written beside them), or
    the N best unflagged candidates under the current filters."""
    match = _buildable(match_id)
    if not _checked():
        return _after_change(match, "builder")
    if "pick" in request.form:
        return _pick_best(match)
    ids = build_forms.ids_in(request.form.getlist("recipient_id"))
    picks = {i: request.form.get(f"reason-{i}", "")[:2000] for i in ids}
    errors = {}
    with attempt(category=None) as outcome:
        errors = allocation.add_members(current_user, match, picks)
    if outcome.refusal is not None:
        return page(match, block="builder", form_errors=[outcome.refusal.message], picks=picks)
    if errors:
        return page(match, block="builder", picks=picks, row_errors=errors)
    message = _l("Added to the plan: %(num)s.", num=len(picks))
    return _after_change(match, "builder", message)


def _pick_best(match: Match):
    form = build_forms.PickForm()
    if not form.validate():
        return page(match, block="builder", pick_form=form)
    filters = _filter_form(match).filters()
    with attempt(form) as outcome:
        added, skipped = allocation.pick_best(current_user, match, form.count.data, filters)
    if not outcome.ok:
        return page(match, block="builder", pick_form=form)
    message = _l("Added to the plan: %(num)s.", num=added)
    if skipped:
        flash(
            _l(
                "Passed over for a double-aid flag: %(num)s (add them by hand with a reason).",
                num=skipped,
            ),
            "info",
        )
    return _after_change(match, "builder", message)


@bp.route("/<int:match_id>/susun/jumlah", methods=["POST"])
@access("officer")
def shares(match_id: int):
    """Store the quantities typed for each person and item, and the reasons for keeping
    flagged people; what remains follows in place."""
    match = _buildable(match_id)
    if not _checked():
        return _after_change(match, "plan")
    quantities, reasons = build_forms.shares_in(request.form)
    errors = {}
    with attempt(category=None) as outcome:
        errors = allocation.set_shares(current_user, match, quantities, reasons)
    typed = {f"q-{m}-{i}": v for (m, i), v in quantities.items()}
    typed |= {f"reason-m-{m}": v for m, v in reasons.items()}
    if outcome.refusal is not None:
        return page(match, block="plan", form_errors=[outcome.refusal.message], typed=typed)
    if errors:
        db.session.rollback()
        return page(match, block="plan", share_errors=errors, typed=typed)
    return _after_change(match, "plan")


@bp.route("/<int:match_id>/susun/hapus", methods=["POST"])
@access("officer")
def remove_member(match_id: int):
    """Take a person off a draft."""
    match = _buildable(match_id)
    if not _checked():
        return _after_change(match, "builder")
    (member_id,) = build_forms.ids_in([request.form.get("member_id")]) or (None,)
    with attempt() as outcome:
        person = allocation.remove_member(current_user, match, member_id)
    message = _l("%(name)s has been taken off the plan.", name=person.name) if outcome.ok else None
    return _after_change(match, "builder", message)


@bp.route("/<int:match_id>/ganti", methods=["POST"])
@access("officer")
def replace(match_id: int):
    """Before approval: someone drops out and another candidate takes their place with the
    same quantities; the history records who replaced whom and why."""
    match = _buildable(match_id)
    form = build_forms.ReplaceForm()
    replacing = _replacing(match, form.member_id.data)
    if replacing is None:
        flash(_l("This person is not on the plan."), "danger")
        return redirect(url_for("matching.build", match_id=match.id), 303)
    if form.validate_on_submit():
        (recipient_id,) = build_forms.ids_in([form.recipient_id.data]) or (None,)
        with attempt(form) as outcome:
            new = replacement.replace_member(
                current_user,
                match,
                replacing.id,
                recipient_id,
                form.drop_reason.data,
                form.drop_note.data or "",
                form.flag_reason.data or "",
            )
        if outcome.ok:
            flash(
                _l(
                    "%(old)s has been replaced by %(new)s.",
                    old=replacing.recipient.name,
                    new=new.recipient.name,
                ),
                "success",
            )
            return redirect(url_for("matching.build", match_id=match.id), 303)
    return page(match, replacing=replacing, replace_form=form)
