"""Corrections a village operator proposes to a record, the officer's decision on them,
and the lists of proposals (new people and corrections) each side reads."""

from __future__ import annotations

from dataclasses import fields
from datetime import date

from sqlalchemy import select

from portal.core.audit import record
from portal.core.dates import utcnow
from portal.core.notify import kecamatan_officers, notify, path_for
from portal.core.refusals import Refusal
from portal.core.text import N_
from portal.core.text import lazy_gettext as _l
from portal.extensions import db
from portal.models import Recipient, RecipientCorrection, User
from portal.registry.access import (
    check_correction,
    check_officer,
    desa_for,
    visible,
)
from portal.registry.recipients import (
    RecipientData,
    apply_data,
    check_identity,
    clean_number,
    data_of,
    refuse_taken_nik,
)

# Fields a village operator may propose to change, in form order.
CORRECTABLE = (
    "nik",
    "kk",
    "name",
    "sex",
    "birth_place",
    "birth_date",
    "address",
    "phone",
    "target_groups",
    "sectors",
)


def as_json(value):
    """A field's value as a correction stores it (dates as ISO text, codes sorted)."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return sorted(set(value))
    return value


def propose_correction(
    actor: User, recipient: Recipient, data: RecipientData, reason: str
) -> RecipientCorrection:
    """Store the fields the village operator wants changed, for the officer to decide."""
    check_correction(actor, recipient)
    if not reason.strip():
        raise Refusal(_l("Say why the record should change."), "reason")
    data.nik, data.kk = clean_number(data.nik), clean_number(data.kk)
    check_identity(data)
    current = data_of(recipient)
    changes = {
        name: as_json(getattr(data, name))
        for name in CORRECTABLE
        if as_json(getattr(data, name)) != as_json(getattr(current, name))
    }
    if not changes:
        raise Refusal(_l("Nothing differs from the record yet."))
    if "nik" in changes:
        refuse_taken_nik(data.nik, actor, except_id=recipient.id)
    correction = RecipientCorrection(
        recipient_id=recipient.id,
        changes=changes,
        reason=reason.strip(),
        proposed_by_id=actor.id,
        status="pending",
    )
    db.session.add(correction)
    db.session.flush()
    record(actor, "correction_proposed", correction, None, "pending", fields=sorted(changes))
    record(actor, "correction_proposed", recipient, fields=sorted(changes))
    notify(
        kecamatan_officers(recipient.kecamatan_id),
        N_("%(operator)s proposed a correction to a recipient's record."),
        path_for("registry.proposals"),
        operator=actor.name,
    )
    return correction


def _decidable(actor: User, correction: RecipientCorrection) -> None:
    check_officer(actor, correction.recipient)
    if correction.status != "pending":
        raise Refusal(_l("This correction has already been decided."))


def accept_correction(actor: User, correction: RecipientCorrection) -> list:
    """Apply a proposed correction to the record; returns the NIK/KK warnings."""
    _decidable(actor, correction)
    recipient = correction.recipient
    data = data_of(recipient)
    names = {f.name for f in fields(RecipientData)}
    for name, value in correction.changes.items():
        if name in names:
            setattr(
                data, name, date.fromisoformat(value) if name == "birth_date" and value else value
            )
    warnings = check_identity(data)
    refuse_taken_nik(data.nik, actor, except_id=recipient.id)
    changed = apply_data(recipient, data, desa_for(actor, data.desa_id))
    _decide(actor, correction, "accepted", "")
    if changed:
        record(actor, "recipient_updated", recipient, changed=changed, correction=correction.id)
    return warnings


def reject_correction(actor: User, correction: RecipientCorrection, reason: str) -> None:
    """Refuse a proposed correction, with the reason the village operator will read."""
    _decidable(actor, correction)
    if not reason.strip():
        raise Refusal(_l("Say why this correction is rejected."), "reason")
    _decide(actor, correction, "rejected", reason.strip())


def _decide(actor: User, correction: RecipientCorrection, status: str, reason: str) -> None:
    correction.status = status
    correction.decided_by_id = actor.id
    correction.decided_at = utcnow()
    correction.decision_reason = reason
    record(actor, f"correction_{status}", correction, "pending", status, reason=reason)
    proposer = correction.proposed_by
    if proposer is not None and proposer.active:
        message = (
            N_("Your correction to the record of %(name)s was accepted.")
            if status == "accepted"
            else N_("Your correction to the record of %(name)s was rejected: %(reason)s")
        )
        notify(
            [proposer],
            message,
            path_for("registry.show", recipient_id=correction.recipient_id),
            name=correction.recipient.name,
            reason=reason,
        )


def pending_proposals(user: User) -> tuple[list[Recipient], list[RecipientCorrection]]:
    """For the officer: new people proposed by village operators, and open corrections."""
    proposed = visible(user).where(
        Recipient.validation_status == "pending",
        Recipient.created_by_id.in_(select(User.id).where(User.role == "village")),
    )
    corrections = (
        select(RecipientCorrection)
        .join(Recipient, RecipientCorrection.recipient_id == Recipient.id)
        .where(RecipientCorrection.status == "pending")
        .order_by(RecipientCorrection.proposed_at)
    )
    corrections = visible(user, corrections)
    return (
        list(db.session.scalars(proposed.order_by(Recipient.created_at))),
        list(db.session.scalars(corrections)),
    )


def proposals_of(user: User) -> tuple[list[Recipient], list[RecipientCorrection]]:
    """For the village operator: what they sent and how it was decided, newest first."""
    people = select(Recipient).where(Recipient.created_by_id == user.id)
    corrections = select(RecipientCorrection).where(RecipientCorrection.proposed_by_id == user.id)
    return (
        list(db.session.scalars(people.order_by(Recipient.created_at.desc()).limit(100))),
        list(
            db.session.scalars(
                corrections.order_by(RecipientCorrection.proposed_at.desc()).limit(100)
            )
        ),
    )
