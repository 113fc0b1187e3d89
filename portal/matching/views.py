"""The matching pages this module serves: the list of matches, one match with its people,
quantities, flags and history, the camat's queue (and the admin's regency-wide view), and
the moves: the officer submits, the camat approves or returns, the officer closes what
remains of a contribution. The builder's pages are in other modules of the blueprint.

Every match is fetched through ``get_match_or_404`` (404 outside the user's scope); the
moves run ``transitions`` inside ``attempt``."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, request, url_for
from flask_login import current_user

from portal.contributions.access import find_visible
from portal.core import audit, throttle
from portal.core.paging import paginate
from portal.core.policy import access
from portal.core.refusals import Refusal, attempt, refuse, show_error
from portal.core.text import lazy_gettext as _l
from portal.extensions import limiter
from portal.handovers.pages import match_section
from portal.htmx import render
from portal.matching import access as rules  # `access` is the view decorator here
from portal.matching import holds, lists, transitions
from portal.matching.blueprint import bp, get_match_or_404
from portal.matching.decision_forms import (
    ApproveForm,
    CloseRemainingForm,
    ReturnForm,
    filter_form,
)
from portal.matching.flag_text import flag_lines
from portal.models import Match

PER_PAGE = 25
READERS = ("officer", "camat", "admin", "partner")


@bp.app_template_global()
def match_name(match: Match) -> str:
    """The officer's label of a match, or its contribution's title."""
    return transitions.display_name(match)


@bp.app_template_global()
def close_remaining_form_for(contribution) -> CloseRemainingForm | None:
    """The form to close what remains of a contribution, for whom may (else None)."""
    if not rules.can_close(current_user, contribution):
        return None
    return CloseRemainingForm(formdata=None)


# --- lists ---------------------------------------------------------------------------


@bp.route("/")
@access(*READERS)
def index():
    """Matches in the user's scope; filters and search reload only the results."""
    form = filter_form(current_user, request.args)
    page = paginate(lists.list_query(current_user, form.filters()), PER_PAGE)
    return render(
        "matching/index.html", block="results", form=form, page=page, args=form.url_args()
    )


@bp.route("/queue")
@access("camat", "admin")
def queue():
    """The camat's matches waiting for approval, oldest first; for the admin every
    kecamatan's, the approvals waiting past the limit and the flags kept with reasons."""
    matches = lists.waiting(current_user)
    context = {
        "matches": matches,
        "amendments": holds.open_amendments(matches),
        "days_waiting": lists.days_waiting,
        "flag_lines": flag_lines,
    }
    if current_user.role == "admin":
        limit, overdue = lists.overdue_by_kecamatan(current_user)
        context.update(limit=limit, overdue=overdue, flagged=lists.flagged_members(current_user))
    return render("matching/queue.html", **context)


# --- one match -----------------------------------------------------------------------


def show_page(match: Match, status: int = 200, **forms):
    """The match's page: its contribution, state and who acts next, the people with what
    they receive and every flag, the actions the user may take, the history."""
    user = current_user
    may_decide = rules.can_decide(user, match)
    if may_decide:
        forms.setdefault("approve_form", ApproveForm(formdata=None))
        forms.setdefault("return_form", ReturnForm(formdata=None))
    context = {
        "match": match,
        "totals": lists.totals(match) if rules.sees_people(user, match) else None,
        "outline": lists.outline(match),
        "history": audit.history_with_actors(match),
        "amendment": holds.open_amendment(match),
        "may_edit": rules.can_edit(user, match),
        "may_decide": may_decide,
        "may_name_people": rules.sees_people(user, match),
        "build_url": _build_url(match),
        "flag_lines": flag_lines,
        **match_section(user, match),  # the handover: what it recorded, its may_* flags
    }
    return render("matching/show.html", status=status, **context, **forms)


def _build_url(match: Match) -> str | None:
    """The builder's page for this match, once that page exists."""
    if "matching.build" not in current_app.view_functions:
        return None
    return url_for("matching.build", match_id=match.id)


@bp.route("/<int:match_id>")
@access(*READERS)
def show(match_id: int):
    return show_page(get_match_or_404(match_id))


def _back(match: Match):
    return redirect(url_for("matching.show", match_id=match.id))


def _run(match: Match, apply, message, form=None, key: str = ""):
    """Run ``apply()`` as one change; a move already made is information, a refusal
    beside its field when ``form`` has it (the page shows ``form`` again as ``key``),
    else flashed."""
    with attempt(category=None) as outcome:
        apply()
    if outcome.ok:
        flash(message, "success")
        return _back(match)
    refusal = outcome.refusal
    if isinstance(refusal, transitions.AlreadyDone):
        flash(refusal.message, "info")
    elif form is not None and refusal.field and refusal.field in form:
        show_error(form, refusal)
        return show_page(match, status=422, **{key: form})
    else:
        flash(refusal.message, "danger")
    return _back(match)


@bp.route("/<int:match_id>/submit", methods=["POST"])
@access("officer")
def submit(match_id: int):
    """The officer sends the match to the camat; a second click changes nothing."""
    match = get_match_or_404(match_id)
    return _run(
        match,
        lambda: transitions.submit(match, current_user),
        _l("The plan has been submitted to the camat."),
    )


def _approver_key() -> str:
    return f"approve:{current_user.id}"


def _wrong_password(response) -> bool:
    """An approval refused for its password (the page is shown again with 422)."""
    return response.status_code == 422


def _approval_throttled(limit):
    """Too many wrong passwords: the page again, saying how long to wait."""
    form = ApproveForm(formdata=None)
    form.form_errors.append(throttle.wait_message(limit))
    match = get_match_or_404(request.view_args["match_id"])
    return throttle.refused(show_page(match, approve_form=form), limit)


@bp.route("/<int:match_id>/approve", methods=["POST"])
@access("camat")
@limiter.limit(
    throttle.configured("LOGIN_LIMIT_PER_ACCOUNT"),
    key_func=_approver_key,
    deduct_when=_wrong_password,
    on_breach=_approval_throttled,
)
def approve(match_id: int):
    """The camat approves, confirming with their password; the letter gets its number.
    Wrong passwords are counted per account like failed logins (the password confirms a
    signature, so it must not be guessed from a left-open session)."""
    match = get_match_or_404(match_id)
    form = ApproveForm()
    if match.status != "submitted" or not form.validate_on_submit():
        if match.status == "submitted" and rules.can_decide(current_user, match):
            return show_page(match, status=422, approve_form=form)
        return _run(match, lambda: transitions.approve(match, current_user, ""), "")
    return _run(
        match,
        lambda: transitions.approve(match, current_user, form.password.data),
        _l("The plan has been approved."),
        form=form,
        key="approve_form",
    )


@bp.route("/<int:match_id>/return", methods=["POST"])
@access("camat")
def return_(match_id: int):
    """The camat sends the match back to the officer with a note."""
    match = get_match_or_404(match_id)
    form = ReturnForm()
    if not form.validate_on_submit():
        if rules.can_decide(current_user, match):
            return show_page(match, status=422, return_form=form)
        return _run(match, lambda: transitions.return_(match, current_user, ""), "")
    return _run(
        match,
        lambda: transitions.return_(match, current_user, form.note.data),
        _l("The plan has been returned to the officer."),
        form=form,
        key="return_form",
    )


# --- closing what remains of a contribution --------------------------------------------


@bp.route("/contribution/<int:contribution_id>/close", methods=["POST"])
@access("officer")
def close_remaining(contribution_id: int):
    """The officer closes what no match has taken; no new matches afterwards."""
    contribution = find_visible(current_user, contribution_id)
    if contribution is None:
        abort(404)
    back = redirect(url_for("contributions.show", contribution_id=contribution.id))
    form = CloseRemainingForm()
    if not form.validate_on_submit():
        refuse(
            Refusal(form.reason.errors[0] if form.reason.errors else _l("Please give a reason."))
        )
        return back
    with attempt() as outcome:
        transitions.close_remaining(contribution, current_user, form.reason.data)
    if outcome.ok:
        flash(_l("What remains of the contribution has been closed."), "success")
    return back
