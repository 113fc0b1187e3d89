"""Contribution transitions (DESIGN section 3): one function each, which checks the
current state and the actor's right (``rules``), writes the audit event and notifies
the other side; a refusal raises ``Refusal`` before anything is changed.
Routing and splitting by Dinsos live in ``routing``. The caller commits.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from portal.contributions.access import (
    check_edit,
    check_review,
    check_withdraw,
    company_can_submit,
    company_staff,
    link_to,
    message_params,
    require_reason,
    reviewers_of,
)
from portal.core import audit
from portal.core.codes import set_codes
from portal.core.dates import utcnow
from portal.core.notify import notify
from portal.core.refusals import Refusal
from portal.core.text import N_
from portal.core.text import lazy_gettext as _l
from portal.extensions import db
from portal.models import AidCategory, Attachment, Contribution, ContributionItem, User

OWNER_TYPE = "contribution"


@dataclass
class ItemData:
    name: str
    quantity: Decimal
    unit: str
    unit_value: int


@dataclass
class ContributionData:
    """What the partner's form says, already parsed."""

    title: str
    kind: str
    kecamatan_id: int | None
    target_groups: list[str] = field(default_factory=list)
    sectors: list[str] = field(default_factory=list)
    planned_date: date | None = None
    description: str = ""
    notes: str = ""
    topic: str = ""
    sessions: int | None = None
    seats: int | None = None
    trainer: str = ""
    place: str = ""
    items: list[ItemData] = field(default_factory=list)


# --- drafts --------------------------------------------------------------------------


def _check_items(items: list[ItemData]) -> None:
    for item in items:
        if item.quantity is None or item.quantity <= 0:
            raise Refusal(_l("Quantities must be more than zero."))
        if item.unit_value is None or item.unit_value <= 0:
            raise Refusal(_l("Values must be more than zero."))


def _apply(contribution: Contribution, data: ContributionData) -> None:
    """Copy the form's data onto the contribution; training keeps no items and
    other kinds keep no training details."""
    _check_items(data.items)
    for name in ("title", "kind", "kecamatan_id", "planned_date", "description", "notes"):
        setattr(contribution, name, getattr(data, name))
    training = data.kind == "training"
    contribution.topic = data.topic if training else ""
    contribution.sessions = data.sessions if training else None
    contribution.seats = data.seats if training else None
    contribution.trainer = data.trainer if training else ""
    contribution.place = data.place if training else ""
    contribution.items.clear()
    db.session.flush()
    if not training:
        for position, item in enumerate(data.items):
            contribution.items.append(
                ContributionItem(
                    position=position,
                    name=item.name,
                    quantity=item.quantity,
                    unit=item.unit,
                    unit_value=item.unit_value,
                )
            )


def find_by_token(company_id: int, token: str | None) -> Contribution | None:
    if not token:
        return None
    query = select(Contribution).where(
        Contribution.client_token == token, Contribution.company_id == company_id
    )
    return db.session.scalar(query)


def create(actor: User, data: ContributionData, client_token: str | None = None) -> Contribution:
    """Save a new draft for the actor's company."""
    if actor.role != "partner" or actor.company_id is None:
        raise Refusal(_l("Only a company's staff can propose a contribution."))
    if not company_can_submit(actor):
        raise Refusal(
            _l("Your company is not active, so it cannot propose or change contributions.")
        )
    contribution = Contribution(
        company_id=actor.company_id,
        status="draft",
        created_by_id=actor.id,
        client_token=client_token or None,
    )
    _apply(contribution, data)
    db.session.add(contribution)
    db.session.flush()
    set_codes(contribution, data.target_groups, data.sectors)
    audit.record(actor, "contribution_created", contribution, None, "draft")
    return contribution


def update(actor: User, contribution: Contribution, data: ContributionData) -> None:
    """Change a draft; once submitted it cannot be edited unless it is returned."""
    check_edit(actor, contribution)
    _apply(contribution, data)
    set_codes(contribution, data.target_groups, data.sectors)
    audit.record(actor, "contribution_updated", contribution, "draft", "draft")


def submission_problems(contribution: Contribution) -> list:
    """What is missing before a draft can be submitted (empty when it is ready)."""
    problems = []
    if contribution.kind == "training":
        if not contribution.topic.strip():
            problems.append(_l("The training needs a topic."))
        if not contribution.sessions:
            problems.append(_l("The training needs the number of sessions."))
        if not contribution.seats:
            problems.append(_l("The training needs the number of seats."))
        if not contribution.trainer.strip():
            problems.append(_l("The training needs a trainer or institution."))
    elif not contribution.items:
        problems.append(_l("Add at least one item before submitting."))
    return problems


def submit(actor: User, contribution: Contribution) -> None:
    """draft → submitted: to the target kecamatan's officers, or to Dinsos to route."""
    check_edit(actor, contribution)
    problems = submission_problems(contribution)
    if problems:
        raise Refusal(problems[0])
    contribution.status = "submitted"
    contribution.submitted_at = utcnow()
    contribution.status_reason = ""
    audit.record(actor, "contribution_submitted", contribution, "draft", "submitted")
    notify(
        reviewers_of(contribution),
        N_('%(company)s submitted the contribution "%(title)s".'),
        link_to(contribution),
        **message_params(contribution),
    )


def withdraw(actor: User, contribution: Contribution, reason: str = "") -> None:
    """→ withdrawn, by the partner, while no match of it is approved."""
    check_withdraw(actor, contribution)
    before = contribution.status
    contribution.status = "withdrawn"
    contribution.status_reason = (reason or "").strip()
    audit.record(
        actor,
        "contribution_withdrawn",
        contribution,
        before,
        "withdrawn",
        contribution.status_reason,
    )
    if before != "draft":
        notify(
            reviewers_of(contribution),
            N_('%(company)s withdrew the contribution "%(title)s".'),
            link_to(contribution),
            **message_params(contribution),
        )


# --- review by the kecamatan (or Dinsos) ---------------------------------------------


def active_categories() -> list[AidCategory]:
    query = select(AidCategory).where(AidCategory.active.is_(True)).order_by(AidCategory.name)
    return list(db.session.scalars(query))


def accept(actor: User, contribution: Contribution, aid_category_id: int | None) -> None:
    """submitted → accepted, confirming the aid category the double-aid rule uses."""
    check_review(actor, contribution)
    if contribution.kecamatan_id is None:
        raise Refusal(
            _l("Route this contribution to a kecamatan before accepting it."),
            field="kecamatan_id",
        )
    category = db.session.get(AidCategory, aid_category_id) if aid_category_id else None
    if category is None or not category.active:
        raise Refusal(_l("Choose the aid category."), field="aid_category_id")
    contribution.aid_category_id = category.id
    contribution.status = "accepted"
    contribution.status_reason = ""
    audit.record(
        actor,
        "contribution_accepted",
        contribution,
        "submitted",
        "accepted",
        category=category.code,
    )
    notify(
        company_staff(contribution.company_id),
        N_('Your contribution "%(title)s" was accepted.'),
        link_to(contribution),
        **message_params(contribution),
    )


def return_to_partner(actor: User, contribution: Contribution, reason: str) -> None:
    """submitted → draft with the reason kept, so the partner can correct it."""
    _answer_with_reason(
        actor,
        contribution,
        reason,
        "draft",
        "contribution_returned",
        N_('Your contribution "%(title)s" was returned: %(reason)s'),
    )


def reject(actor: User, contribution: Contribution, reason: str) -> None:
    """submitted → rejected, with the reason."""
    _answer_with_reason(
        actor,
        contribution,
        reason,
        "rejected",
        "contribution_rejected",
        N_('Your contribution "%(title)s" was rejected: %(reason)s'),
    )


def _answer_with_reason(
    actor: User, contribution: Contribution, reason: str, to: str, action: str, message: str
) -> None:
    """submitted → ``to`` with the reviewer's reason kept, audited and told to the partner."""
    check_review(actor, contribution)
    reason = require_reason(reason)
    contribution.status = to
    contribution.status_reason = reason
    audit.record(actor, action, contribution, "submitted", to, reason)
    notify(
        company_staff(contribution.company_id),
        message,
        link_to(contribution),
        **message_params(contribution, reason=reason),
    )


# --- attachments ---------------------------------------------------------------------


def attachments_of(contribution: Contribution) -> list[Attachment]:
    """Files of the contribution, and of the proposal it was split from."""
    owners = [contribution.id] + ([contribution.parent_id] if contribution.parent_id else [])
    query = (
        select(Attachment)
        .where(Attachment.owner_type == OWNER_TYPE, Attachment.owner_id.in_(owners))
        .order_by(Attachment.created_at, Attachment.id)
    )
    return list(db.session.scalars(query))


def find_attachment(contribution: Contribution, attachment_id: int) -> Attachment | None:
    return next((a for a in attachments_of(contribution) if a.id == attachment_id), None)


def add_attachment(actor: User, contribution: Contribution, checked, kind: str) -> Attachment:
    """Store a checked upload (see ``uploads.check_upload``) on a draft."""
    check_edit(actor, contribution)
    attachment = checked.stored(OWNER_TYPE, contribution.id, kind, actor)
    db.session.flush()
    audit.record(actor, "attachment_added", contribution, attachment=attachment.id, kind=kind)
    return attachment


def remove_attachment(actor: User, contribution: Contribution, attachment: Attachment) -> None:
    check_edit(actor, contribution)
    if attachment.owner_type != OWNER_TYPE or attachment.owner_id != contribution.id:
        raise Refusal(_l("This file belongs to another contribution."))
    audit.record(actor, "attachment_removed", contribution, attachment=attachment.id)
    db.session.delete(attachment)
