"""Registry decisions: the officer validates (one person or many), rejects, deactivates
and reactivates; village operators propose corrections and read what became of their
proposals; the officer accepts or rejects them. Routes on the registry blueprint.
"""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_login import current_user

from portal.core.policy import access
from portal.core.refusals import attempt
from portal.core.text import lazy_gettext as _l
from portal.extensions import db
from portal.htmx import render
from portal.models import Recipient
from portal.registry import corrections as correction_rules
from portal.registry import forms, validation
from portal.registry.access import visible
from portal.registry.blueprint import (
    bp,
    flash_warnings,
    get_correction_or_404,
    get_recipient_or_404,
)
from portal.registry.recipients import data_of, deactivate_recipient, reactivate_recipient


@bp.route("/registry/recipients/validate", methods=["POST"])
@access("officer")
def validate_bulk():
    """Validate the selected people, or every pending person of an import batch."""
    form = forms.BulkValidateForm()
    if not form.validate():
        flash(_l("Choose people to validate, or give an import batch number."), "danger")
        return redirect(url_for("registry.recipients"))
    if form.batch_id.data:
        people = validation.pending_of_batch(current_user, form.batch_id.data)
    else:
        ids = form.chosen_ids()
        query = visible(current_user).where(Recipient.id.in_(ids))
        people = list(db.session.scalars(query))
    if not people:
        flash(_l("Nobody to validate: choose people in the list first."), "warning")
        return redirect(url_for("registry.recipients"))
    done, skipped = validation.validate_many(current_user, people)
    db.session.commit()
    flash(_l("%(done)s people validated.", done=done), "success")
    if skipped:
        flash(_l("%(skipped)s could not be validated (deactivated).", skipped=skipped), "warning")
    return redirect(url_for("registry.recipients"))


def _back(recipient: Recipient):
    """Back to where the officer decided: the proposals list (``back=proposals``, the only
    other place allowed) or the person's page."""
    if request.values.get("back") == "proposals":
        return redirect(url_for("registry.proposals"))
    return redirect(url_for("registry.show", recipient_id=recipient.id))


def _transition(recipient: Recipient, action, success):
    with attempt() as outcome:
        action()
    if outcome.ok:
        flash(success, "success")
    return _back(recipient)


@bp.route("/registry/recipients/<int:recipient_id>/validate", methods=["POST"])
@access("officer")
def validate(recipient_id: int):
    """Validate or re-validate one person."""
    recipient = get_recipient_or_404(recipient_id)
    return _transition(
        recipient,
        lambda: validation.validate_recipient(current_user, recipient),
        _l("%(name)s is validated.", name=recipient.name),
    )


@bp.route("/registry/recipients/<int:recipient_id>/reactivate", methods=["POST"])
@access("officer")
def reactivate(recipient_id: int):
    """Put a deactivated person back on the list."""
    recipient = get_recipient_or_404(recipient_id)
    return _transition(
        recipient,
        lambda: reactivate_recipient(current_user, recipient),
        _l("%(name)s is active again.", name=recipient.name),
    )


@bp.route("/registry/recipients/<int:recipient_id>/reject", methods=["GET", "POST"])
@access("officer")
def reject(recipient_id: int):
    """Reject a person, with the reason."""
    recipient = get_recipient_or_404(recipient_id)
    form = forms.ReasonForm()
    if form.validate_on_submit():
        with attempt(form) as outcome:
            validation.reject_recipient(current_user, recipient, form.reason.data)
        if outcome.ok:
            flash(_l("%(name)s is rejected.", name=recipient.name), "success")
            return _back(recipient)
    return render("registry/reason.html", form=form, recipient=recipient, what="reject")


@bp.route("/registry/recipients/<int:recipient_id>/deactivate", methods=["GET", "POST"])
@access("officer")
def deactivate(recipient_id: int):
    """Take a person off the candidate lists, with the reason; history stays."""
    recipient = get_recipient_or_404(recipient_id)
    form = forms.DeactivateForm()
    if form.validate_on_submit():
        with attempt(form) as outcome:
            deactivate_recipient(current_user, recipient, form.reason.data, form.note.data or "")
        if outcome.ok:
            flash(_l("%(name)s is deactivated.", name=recipient.name), "success")
            return redirect(url_for("registry.show", recipient_id=recipient.id))
    return render("registry/reason.html", form=form, recipient=recipient, what="deactivate")


# --- village proposals and corrections ------------------------------------------------


@bp.route("/registry/recipients/<int:recipient_id>/correct", methods=["GET", "POST"])
@access("village")
def correct(recipient_id: int):
    """Propose a correction to a person of the operator's desa."""
    recipient = get_recipient_or_404(recipient_id)
    form = forms.CorrectionForm(current_user, data=vars(data_of(recipient)))
    if form.validate_on_submit():
        with attempt(form) as outcome:
            correction_rules.propose_correction(
                current_user, recipient, form.to_data(), form.reason.data
            )
        if outcome.ok:
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
        people, corrections = correction_rules.proposals_of(current_user)
    else:
        people, corrections = correction_rules.pending_proposals(current_user)
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
    with attempt() as outcome:
        warnings = correction_rules.accept_correction(current_user, correction)
    if outcome.ok:
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
        with attempt(form) as outcome:
            correction_rules.reject_correction(current_user, correction, form.reason.data)
        if outcome.ok:
            flash(_l("The correction has been rejected."), "success")
            return redirect(url_for("registry.proposals"))
    return render(
        "registry/reason.html",
        form=form,
        recipient=correction.recipient,
        what="correction",
        correction=correction,
    )
