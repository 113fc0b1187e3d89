"""An officer's decision on a person: validate (one, many, or an import batch's pending
people) or reject; the village operator who proposed them hears of it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select

from portal.core.audit import record
from portal.core.dates import utcnow
from portal.core.notify import notify, path_for
from portal.core.refusals import Refusal
from portal.core.text import N_
from portal.core.text import lazy_gettext as _l
from portal.extensions import db
from portal.models import Recipient, User
from portal.registry.access import check_officer, visible


def validate_recipient(actor: User, recipient: Recipient, now: datetime | None = None) -> None:
    """Validate (or re-validate) a person: the validation runs for the configured period."""
    check_officer(actor, recipient)
    if not recipient.active:
        raise Refusal(_l("Reactivate this person before validating them."))
    before = recipient.validation_status
    recipient.validation_status = "validated"
    recipient.validated_by_id = actor.id
    recipient.validated_at = now or utcnow()
    recipient.rejection_reason = ""
    action = "recipient_revalidated" if before == "validated" else "recipient_validated"
    record(actor, action, recipient, before, "validated")
    _tell_proposer(recipient, N_("%(name)s, whom you proposed, has been validated."))


def validate_many(actor: User, recipients: list[Recipient]) -> tuple[int, int]:
    """Validate each person the actor may; returns (validated, skipped)."""
    done = skipped = 0
    moment = utcnow()
    for recipient in recipients:
        try:
            validate_recipient(actor, recipient, moment)
        except Refusal:
            skipped += 1
        else:
            done += 1
    return done, skipped


def pending_of_batch(actor: User, batch_id: int) -> list[Recipient]:
    """The people of an import batch still waiting for validation, in the actor's scope."""
    query = visible(actor).where(
        Recipient.import_batch_id == batch_id,
        Recipient.validation_status == "pending",
        Recipient.active.is_(True),
    )
    return list(db.session.scalars(query))


def warned_pending_of_batch(actor: User, batch_id: int) -> int:
    """How many of an import batch's people waiting for validation have warnings."""
    query = visible(actor, select(func.count(Recipient.id))).where(
        Recipient.import_batch_id == batch_id,
        Recipient.validation_status == "pending",
        Recipient.active.is_(True),
        Recipient.warnings != "",
    )
    return db.session.scalar(query) or 0


def reject_recipient(actor: User, recipient: Recipient, reason: str) -> None:
    """Refuse a person's place on the list, with the reason the proposer will read."""
    check_officer(actor, recipient)
    if not reason.strip():
        raise Refusal(_l("Say why this person is rejected."), "reason")
    if recipient.validation_status == "rejected":
        raise Refusal(_l("This person is already rejected."))
    before = recipient.validation_status
    recipient.validation_status = "rejected"
    recipient.validated_by_id = actor.id
    recipient.validated_at = utcnow()
    recipient.rejection_reason = reason.strip()
    record(actor, "recipient_rejected", recipient, before, "rejected", reason=reason.strip())
    _tell_proposer(
        recipient, N_("%(name)s, whom you proposed, was rejected: %(reason)s"), reason=reason
    )


def _tell_proposer(recipient: Recipient, message: str, **params) -> None:
    proposer = db.session.get(User, recipient.created_by_id) if recipient.created_by_id else None
    if proposer is not None and proposer.role == "village" and proposer.active:
        notify(
            [proposer],
            message,
            path_for("registry.show", recipient_id=recipient.id),
            name=recipient.name,
            **params,
        )
