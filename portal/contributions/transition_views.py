"""The moves of a contribution between states: the partner submits or withdraws, the
reviewers accept, return or reject, and Dinsos routes or splits a "Dinsos decides"
proposal. Routes of the ``contributions`` blueprint (``portal.contributions.views``)."""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_login import current_user

from portal.contributions import access as rules  # `access` is the view decorator here
from portal.contributions import decision_forms, routing, services
from portal.contributions.split import parse_shares, split_context
from portal.contributions.views import (
    REVIEWERS,
    accept_form,
    bp,
    change,
    get_contribution_or_404,
    refused,
    show_page,
)
from portal.core.policy import access
from portal.core.refusals import attempt, show_error
from portal.core.text import lazy_gettext as _l
from portal.htmx import render


@bp.route("/<int:contribution_id>/submit", methods=["POST"])
@access("partner")
def submit(contribution_id: int):
    """Send a draft to the target kecamatan (or to Dinsos); a second click changes nothing."""
    contribution = get_contribution_or_404(contribution_id)
    if contribution.status == "submitted" and rules.is_owner(current_user, contribution):
        flash(_l("This contribution has already been submitted."), "info")
        return redirect(url_for("contributions.show", contribution_id=contribution.id))
    return change(
        contribution,
        lambda: services.submit(current_user, contribution),
        _l("The contribution has been submitted."),
    )


@bp.route("/<int:contribution_id>/withdraw", methods=["POST"])
@access("partner")
def withdraw(contribution_id: int):
    """The partner takes the contribution back."""
    contribution = get_contribution_or_404(contribution_id)
    if refusal := rules.withdraw_refusal(current_user, contribution):
        return refused(contribution, refusal)
    form = decision_forms.WithdrawForm()
    if not form.validate_on_submit():
        return show_page(contribution, withdraw_form=form)
    return change(
        contribution,
        lambda: services.withdraw(current_user, contribution, form.reason.data),
        _l("The contribution has been withdrawn."),
    )


@bp.route("/<int:contribution_id>/accept", methods=["POST"])
@access(*REVIEWERS)
def accept(contribution_id: int):
    """Accept, confirming the aid category."""
    contribution = get_contribution_or_404(contribution_id)
    if refusal := rules.review_refusal(current_user, contribution):
        return refused(contribution, refusal)
    form = accept_form(contribution)
    if not form.validate_on_submit():
        return show_page(contribution, accept_form=form)
    with attempt(category=None) as outcome:
        services.accept(current_user, contribution, form.aid_category_id.data)
    if outcome.ok:
        flash(_l("The contribution has been accepted."), "success")
    elif outcome.refusal.field == "aid_category_id":
        show_error(form, outcome.refusal)
        return show_page(contribution, accept_form=form)
    else:
        flash(outcome.refusal.message, "danger")
    return redirect(url_for("contributions.show", contribution_id=contribution.id))


def _decide_with_reason(contribution_id: int, prefix: str, form_class, decide, message):
    contribution = get_contribution_or_404(contribution_id)
    if refusal := rules.review_refusal(current_user, contribution):
        return refused(contribution, refusal)
    form = form_class(prefix=prefix)
    if not form.validate_on_submit():
        return show_page(contribution, **{f"{prefix}_form": form})
    return change(
        contribution,
        lambda: decide(current_user, contribution, form.reason.data),
        message,
    )


@bp.route("/<int:contribution_id>/return", methods=["POST"])
@access(*REVIEWERS)
def return_to_partner(contribution_id: int):
    """Send back to the company as a draft, with the reason."""
    return _decide_with_reason(
        contribution_id,
        "return",
        decision_forms.ReturnForm,
        services.return_to_partner,
        _l("The contribution has been returned to the company."),
    )


@bp.route("/<int:contribution_id>/reject", methods=["POST"])
@access(*REVIEWERS)
def reject(contribution_id: int):
    """Refuse the contribution, with the reason."""
    return _decide_with_reason(
        contribution_id,
        "reject",
        decision_forms.RejectForm,
        services.reject,
        _l("The contribution has been rejected."),
    )


@bp.route("/<int:contribution_id>/route", methods=["POST"])
@access("admin")
def route(contribution_id: int):
    """Dinsos sends a "Dinsos decides" contribution to one kecamatan."""
    contribution = get_contribution_or_404(contribution_id)
    if refusal := rules.route_refusal(current_user, contribution):
        return refused(contribution, refusal)
    form = decision_forms.RouteForm()
    if not form.validate_on_submit():
        return show_page(contribution, route_form=form)
    return change(
        contribution,
        lambda: routing.route(current_user, contribution, form.kecamatan_id.data),
        _l("The contribution has been sent to the kecamatan."),
    )


@bp.route("/<int:contribution_id>/split", methods=["GET", "POST"])
@access("admin")
def split(contribution_id: int):
    """Dinsos divides a "Dinsos decides" contribution into one per kecamatan."""
    contribution = get_contribution_or_404(contribution_id)
    if refusal := rules.route_refusal(current_user, contribution):
        return refused(contribution, refusal)
    source = request.form if request.method == "POST" else request.args
    context = split_context(contribution, source, posted=request.method == "POST")
    if request.method == "POST" and not context["errors"]:
        shares, errors = parse_shares(contribution, context)
        if not errors:
            with attempt(category=None) as outcome:
                children = routing.split(current_user, contribution, shares)
            if outcome.ok:
                flash(
                    _l("The contribution has been divided into %(count)s.", count=len(children)),
                    "success",
                )
                return redirect(url_for("contributions.show", contribution_id=contribution.id))
            error = outcome.refusal
            context["errors"].setdefault(error.field or "form", []).append(error.message)
        else:
            context["errors"].update(errors)
    return render("contributions/split.html", contribution=contribution, **context)
