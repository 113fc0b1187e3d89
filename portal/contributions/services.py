"""Contribution rules: who may see and change a contribution, and one function per
transition (DESIGN section 3). Each transition checks the current state and the
actor's right, writes the audit event and notifies the other side; a refusal raises
``ContributionError`` before anything is changed. The caller commits.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, delete, func, insert, select

from portal.core import audit
from portal.core.notify import N_, notify
from portal.extensions import db
from portal.models import (
    AidCategory,
    Attachment,
    Company,
    Contribution,
    ContributionItem,
    Kecamatan,
    User,
)
from portal.models.contributions import contribution_sector, contribution_target_group

OWNER_TYPE = "contribution"
WITHDRAWABLE = ("draft", "submitted", "accepted", "allocating")
REVIEWABLE = ("submitted",)


class ContributionError(Exception):
    """A refused change; ``field`` names the form field the message belongs to."""

    def __init__(self, message, field: str | None = None):
        super().__init__(str(message))
        self.message = message
        self.field = field


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


def _now() -> datetime:
    return datetime.now(UTC)


# --- who may do what -----------------------------------------------------------------


def company_can_submit(user: User) -> bool:
    """Whether a partner's company may propose and change contributions (active only)."""
    try:
        from portal.partners.services import company_can_submit as partners_rule
    except ImportError:
        return user.company is not None and user.company.status == "active"
    return partners_rule(user)


def visible_query(user: User) -> Select:
    """Contributions this user may see: own company, own kecamatan (once sent), or all."""
    query = select(Contribution)
    if user.role == "admin":
        return query
    if user.role == "partner":
        return query.where(Contribution.company_id == user.company_id)
    if user.role in ("officer", "camat"):
        return query.where(
            Contribution.kecamatan_id == user.kecamatan_id,
            Contribution.submitted_at.is_not(None),
        )
    return query.where(Contribution.id.is_(None))


def find_visible(user: User, contribution_id: int) -> Contribution | None:
    """The contribution if this user may see it, else None (the view answers 404)."""
    query = visible_query(user).where(Contribution.id == contribution_id)
    return db.session.scalar(query)


def is_owner(user: User, contribution: Contribution) -> bool:
    return user.role == "partner" and user.company_id == contribution.company_id


def is_reviewer(user: User, contribution: Contribution) -> bool:
    """Admins review everything; an officer reviews what is sent to their kecamatan."""
    if user.role == "admin":
        return True
    return (
        user.role == "officer"
        and contribution.kecamatan_id is not None
        and contribution.kecamatan_id == user.kecamatan_id
    )


def can_edit(user: User, contribution: Contribution) -> bool:
    return edit_refusal(user, contribution) is None


def can_withdraw(user: User, contribution: Contribution) -> bool:
    return withdraw_refusal(user, contribution) is None


def can_review(user: User, contribution: Contribution) -> bool:
    return review_refusal(user, contribution) is None


def can_route(user: User, contribution: Contribution) -> bool:
    return route_refusal(user, contribution) is None


def _refusal(check, *args) -> ContributionError | None:
    try:
        check(*args)
    except ContributionError as error:
        return error
    return None


def review_refusal(actor: User, contribution: Contribution) -> ContributionError | None:
    """Why this user may not accept, return or reject now (None when they may)."""
    return _refusal(_check_review, actor, contribution)


def route_refusal(actor: User, contribution: Contribution) -> ContributionError | None:
    """Why this user may not route or split now (None when they may)."""
    return _refusal(_require_unrouted, actor, contribution)


def withdraw_refusal(actor: User, contribution: Contribution) -> ContributionError | None:
    return _refusal(_check_withdraw, actor, contribution)


def edit_refusal(actor: User, contribution: Contribution) -> ContributionError | None:
    """Why this user may not change the draft or its files (None when they may)."""
    return _refusal(_check_edit, actor, contribution)


def _check_review(actor: User, contribution: Contribution) -> None:
    _require_reviewer(actor, contribution)
    _require_state(contribution, *REVIEWABLE)


def _check_withdraw(actor: User, contribution: Contribution) -> None:
    _require_owner(actor, contribution)
    _require_state(contribution, *WITHDRAWABLE)


def _check_edit(actor: User, contribution: Contribution) -> None:
    _require_owner(actor, contribution)
    _require_state(contribution, "draft")


def _require_owner(actor: User, contribution: Contribution) -> None:
    if not is_owner(actor, contribution):
        raise ContributionError(_l("Only the company's own staff can do this."))
    if not company_can_submit(actor):
        raise ContributionError(
            _l("Your company is not active, so it cannot propose or change contributions.")
        )


def _require_state(contribution: Contribution, *states: str) -> None:
    if contribution.status not in states:
        raise ContributionError(
            _l(
                "This cannot be done while the contribution is %(state)s.",
                state=_state_label(contribution.status),
            )
        )


def _state_label(code: str) -> str:
    from portal.core.labels import CONTRIBUTION_STATE_LABELS, label

    return label(CONTRIBUTION_STATE_LABELS, code).lower()


def _require_reviewer(actor: User, contribution: Contribution) -> None:
    if not is_reviewer(actor, contribution):
        raise ContributionError(
            _l("Only the officer of the target kecamatan or Dinsos can review this.")
        )


def _require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ContributionError(_l("Please give a reason."), field="reason")
    return reason


# --- who hears about it --------------------------------------------------------------


def company_staff(company_id: int) -> list[User]:
    query = select(User).where(
        User.company_id == company_id, User.role == "partner", User.active.is_(True)
    )
    return list(db.session.scalars(query))


def kecamatan_officers(kecamatan_id: int) -> list[User]:
    query = select(User).where(
        User.kecamatan_id == kecamatan_id, User.role == "officer", User.active.is_(True)
    )
    return list(db.session.scalars(query))


def admins() -> list[User]:
    return list(db.session.scalars(select(User).where(User.role == "admin", User.active)))


def reviewers_of(contribution: Contribution) -> list[User]:
    if contribution.kecamatan_id is None:
        return admins()
    return kecamatan_officers(contribution.kecamatan_id)


def _link(contribution: Contribution) -> str:
    return url_for("contributions.show", contribution_id=contribution.id)


def _params(contribution: Contribution, **extra) -> dict:
    return {"title": contribution.title, "company": contribution.company.name, **extra}


# --- drafts --------------------------------------------------------------------------


def _check_items(items: list[ItemData]) -> None:
    for item in items:
        if item.quantity is None or item.quantity <= 0:
            raise ContributionError(_l("Quantities must be more than zero."))
        if item.unit_value is None or item.unit_value < 0:
            raise ContributionError(_l("Values cannot be negative."))


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


def _set_codes(contribution: Contribution, target_groups, sectors) -> None:
    for table, codes in (
        (contribution_target_group, target_groups),
        (contribution_sector, sectors),
    ):
        db.session.execute(delete(table).where(table.c.contribution_id == contribution.id))
        rows = [{"contribution_id": contribution.id, "code": code} for code in dict.fromkeys(codes)]
        if rows:
            db.session.execute(insert(table), rows)


def codes_of(contribution: Contribution) -> tuple[list[str], list[str]]:
    """The contribution's target groups and sectors."""
    result = []
    for table in (contribution_target_group, contribution_sector):
        query = select(table.c.code).where(table.c.contribution_id == contribution.id)
        result.append(sorted(db.session.scalars(query)))
    return result[0], result[1]


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
        raise ContributionError(_l("Only a company's staff can propose a contribution."))
    if not company_can_submit(actor):
        raise ContributionError(
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
    _set_codes(contribution, data.target_groups, data.sectors)
    audit.record(actor, "contribution_created", contribution, None, "draft")
    return contribution


def update(actor: User, contribution: Contribution, data: ContributionData) -> None:
    """Change a draft; once submitted it cannot be edited unless it is returned."""
    _check_edit(actor, contribution)
    _apply(contribution, data)
    _set_codes(contribution, data.target_groups, data.sectors)
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
    _require_owner(actor, contribution)
    _require_state(contribution, "draft")
    problems = submission_problems(contribution)
    if problems:
        raise ContributionError(problems[0])
    contribution.status = "submitted"
    contribution.submitted_at = _now()
    contribution.status_reason = ""
    audit.record(actor, "contribution_submitted", contribution, "draft", "submitted")
    notify(
        reviewers_of(contribution),
        N_('%(company)s submitted the contribution "%(title)s".'),
        _link(contribution),
        **_params(contribution),
    )


def withdraw(actor: User, contribution: Contribution, reason: str = "") -> None:
    """→ withdrawn, by the partner, while no match of it is approved."""
    _check_withdraw(actor, contribution)
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
            _link(contribution),
            **_params(contribution),
        )


# --- review by the kecamatan (or Dinsos) ---------------------------------------------


def active_categories() -> list[AidCategory]:
    query = select(AidCategory).where(AidCategory.active.is_(True)).order_by(AidCategory.name)
    return list(db.session.scalars(query))


def accept(actor: User, contribution: Contribution, aid_category_id: int | None) -> None:
    """submitted → accepted, confirming the aid category the double-aid rule uses."""
    _check_review(actor, contribution)
    if contribution.kecamatan_id is None:
        raise ContributionError(
            _l("Route this contribution to a kecamatan before accepting it."),
            field="kecamatan_id",
        )
    category = db.session.get(AidCategory, aid_category_id) if aid_category_id else None
    if category is None or not category.active:
        raise ContributionError(_l("Choose the aid category."), field="aid_category_id")
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
        _link(contribution),
        **_params(contribution),
    )


def return_to_partner(actor: User, contribution: Contribution, reason: str) -> None:
    """submitted → draft with the reason kept, so the partner can correct it."""
    _check_review(actor, contribution)
    reason = _require_reason(reason)
    contribution.status = "draft"
    contribution.status_reason = reason
    audit.record(actor, "contribution_returned", contribution, "submitted", "draft", reason)
    notify(
        company_staff(contribution.company_id),
        N_('Your contribution "%(title)s" was returned: %(reason)s'),
        _link(contribution),
        **_params(contribution, reason=reason),
    )


def reject(actor: User, contribution: Contribution, reason: str) -> None:
    """submitted → rejected, with the reason."""
    _check_review(actor, contribution)
    reason = _require_reason(reason)
    contribution.status = "rejected"
    contribution.status_reason = reason
    audit.record(actor, "contribution_rejected", contribution, "submitted", "rejected", reason)
    notify(
        company_staff(contribution.company_id),
        N_('Your contribution "%(title)s" was rejected: %(reason)s'),
        _link(contribution),
        **_params(contribution, reason=reason),
    )


# --- routing by Dinsos ---------------------------------------------------------------


def _require_unrouted(actor: User, contribution: Contribution) -> None:
    if actor.role != "admin":
        raise ContributionError(_l("Only Dinsos can route contributions."))
    _require_state(contribution, "submitted")
    if contribution.kecamatan_id is not None:
        raise ContributionError(_l("This contribution already has a target kecamatan."))


def route(actor: User, contribution: Contribution, kecamatan_id: int | None) -> None:
    """A "Dinsos decides" contribution goes to one kecamatan; it stays submitted."""
    _require_unrouted(actor, contribution)
    kecamatan = db.session.get(Kecamatan, kecamatan_id) if kecamatan_id else None
    if kecamatan is None:
        raise ContributionError(_l("Choose a kecamatan."), field="kecamatan_id")
    contribution.kecamatan_id = kecamatan.id
    audit.record(
        actor,
        "contribution_routed",
        contribution,
        "submitted",
        "submitted",
        kecamatan=kecamatan.code,
    )
    params = _params(contribution, kecamatan=kecamatan.name)
    notify(
        kecamatan_officers(kecamatan.id),
        N_('Dinsos sent the contribution "%(title)s" of %(company)s to your kecamatan.'),
        _link(contribution),
        **params,
    )
    notify(
        company_staff(contribution.company_id),
        N_('Dinsos sent your contribution "%(title)s" to Kecamatan %(kecamatan)s.'),
        _link(contribution),
        **params,
    )


@dataclass
class Share:
    """One kecamatan's part of a split: quantity per parent item id, or seats."""

    kecamatan_id: int
    quantities: dict[int, Decimal] = field(default_factory=dict)
    seats: int | None = None


def even_shares(contribution: Contribution, kecamatan_ids: list[int]) -> list[Share]:
    """A first proposal for a split: whole units divided evenly, the rest to the first."""
    n = len(kecamatan_ids)
    shares = [Share(kecamatan_id=k) for k in kecamatan_ids]
    if not n:
        return shares
    for item in contribution.items:
        base, rest = divmod(item.quantity, n)
        for i, share in enumerate(shares):
            share.quantities[item.id] = base + (rest if i == 0 else 0)
    if contribution.seats:
        base, rest = divmod(contribution.seats, n)
        for i, share in enumerate(shares):
            share.seats = base + (rest if i == 0 else 0)
    return shares


def split(actor: User, parent: Contribution, shares: list[Share]) -> list[Contribution]:
    """Divide a "Dinsos decides" contribution into one submitted child per kecamatan.

    Each item's quantities over the children must add up to the parent's (seats
    likewise for training); the parent is then ``split`` and keeps its history.
    """
    _require_unrouted(actor, parent)
    kecamatan_ids = [share.kecamatan_id for share in shares]
    if len(kecamatan_ids) < 2 or len(set(kecamatan_ids)) != len(kecamatan_ids):
        raise ContributionError(_l("Choose at least two different kecamatan."), field="kecamatan")
    kecamatans = {
        k.id: k
        for k in db.session.scalars(select(Kecamatan).where(Kecamatan.id.in_(kecamatan_ids)))
    }
    if len(kecamatans) != len(kecamatan_ids):
        raise ContributionError(_l("Choose a kecamatan."), field="kecamatan")
    _check_split_sums(parent, shares)

    children = []
    target_groups, sectors = codes_of(parent)
    now = _now()
    for share in shares:
        child = Contribution(
            company_id=parent.company_id,
            parent_id=parent.id,
            kecamatan_id=share.kecamatan_id,
            status="submitted",
            submitted_at=now,
            created_by_id=parent.created_by_id,
            **{
                name: getattr(parent, name)
                for name in (
                    "title",
                    "kind",
                    "planned_date",
                    "description",
                    "notes",
                    "topic",
                    "sessions",
                    "trainer",
                    "place",
                )
            },
        )
        child.seats = share.seats if parent.kind == "training" else None
        for item in parent.items:
            quantity = share.quantities.get(item.id) or Decimal(0)
            if quantity > 0:
                child.items.append(
                    ContributionItem(
                        position=item.position,
                        name=item.name,
                        quantity=quantity,
                        unit=item.unit,
                        unit_value=item.unit_value,
                    )
                )
        db.session.add(child)
        db.session.flush()
        _set_codes(child, target_groups, sectors)
        audit.record(actor, "contribution_split_from", child, None, "submitted", parent=parent.id)
        children.append(child)

    parent.status = "split"
    audit.record(
        actor,
        "contribution_split",
        parent,
        "submitted",
        "split",
        children=[child.id for child in children],
    )
    for child in children:
        kecamatan = kecamatans[child.kecamatan_id]
        notify(
            kecamatan_officers(kecamatan.id),
            N_('Dinsos sent the contribution "%(title)s" of %(company)s to your kecamatan.'),
            _link(child),
            **_params(child, kecamatan=kecamatan.name),
        )
    notify(
        company_staff(parent.company_id),
        N_('Dinsos divided your contribution "%(title)s" among %(count)s kecamatan.'),
        _link(parent),
        **_params(parent, count=len(children)),
    )
    return children


def _check_split_sums(parent: Contribution, shares: list[Share]) -> None:
    for share in shares:
        if any(q is None or q < 0 for q in share.quantities.values()):
            raise ContributionError(_l("Quantities cannot be negative."), field="quantities")
        if share.seats is not None and share.seats < 0:
            raise ContributionError(_l("Quantities cannot be negative."), field="quantities")
        gets_something = (
            any((q or 0) > 0 for q in share.quantities.values()) or (share.seats or 0) > 0
        )
        if not gets_something:
            raise ContributionError(
                _l("Every chosen kecamatan must receive something."), field="quantities"
            )
    for item in parent.items:
        total = sum((share.quantities.get(item.id) or Decimal(0)) for share in shares)
        if total != item.quantity:
            raise ContributionError(
                _l(
                    "The parts of %(item)s add up to %(total)s, not %(quantity)s.",
                    item=item.name,
                    total=_plain(total),
                    quantity=_plain(item.quantity),
                ),
                field="quantities",
            )
    if parent.kind == "training":
        total = sum(share.seats or 0 for share in shares)
        if total != (parent.seats or 0):
            raise ContributionError(
                _l(
                    "The seats add up to %(total)s, not %(quantity)s.",
                    total=total,
                    quantity=parent.seats or 0,
                ),
                field="quantities",
            )


def _plain(value: Decimal) -> str:
    text = format(Decimal(value).normalize(), "f")
    return text


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
    _check_edit(actor, contribution)
    attachment = Attachment(
        owner_type=OWNER_TYPE,
        owner_id=contribution.id,
        kind=kind,
        filename=checked.filename,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        data=checked.data,
        uploaded_by_id=actor.id,
    )
    db.session.add(attachment)
    db.session.flush()
    audit.record(actor, "attachment_added", contribution, attachment=attachment.id, kind=kind)
    return attachment


def remove_attachment(actor: User, contribution: Contribution, attachment: Attachment) -> None:
    _check_edit(actor, contribution)
    if attachment.owner_id != contribution.id:
        raise ContributionError(_l("This file belongs to another contribution."))
    audit.record(actor, "attachment_removed", contribution, attachment=attachment.id)
    db.session.delete(attachment)


# --- lists and figures ---------------------------------------------------------------


@dataclass
class ListFilters:
    q: str = ""
    status: str | None = None
    company: int | None = None
    kind: str | None = None
    sector: str | None = None
    kecamatan: str | None = None  # an id, or "none" for "Dinsos decides"


def list_query(user: User, f: ListFilters) -> Select:
    """The user's visible contributions, filtered and newest first."""
    query = visible_query(user)
    if f.q:
        query = query.where(Contribution.title.ilike(f"%{_escape_like(f.q)}%", escape="\\"))
    if f.status:
        query = query.where(Contribution.status == f.status)
    if f.company:
        query = query.where(Contribution.company_id == f.company)
    if f.kind:
        query = query.where(Contribution.kind == f.kind)
    if f.sector:
        query = query.where(
            Contribution.id.in_(
                select(contribution_sector.c.contribution_id).where(
                    contribution_sector.c.code == f.sector
                )
            )
        )
    if f.kecamatan == "none":
        query = query.where(Contribution.kecamatan_id.is_(None))
    elif f.kecamatan:
        query = query.where(Contribution.kecamatan_id == int(f.kecamatan))
    return query.order_by(Contribution.updated_at.desc(), Contribution.id.desc())


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


@dataclass
class StatusTotals:
    status: str
    count: int = 0
    items: int = 0
    value: int = 0
    seats: int = 0
    contributions: list = field(default_factory=list)


def company_overview(company_id: int) -> list[StatusTotals]:
    """A partner's contributions grouped by status, with items, value and seats."""
    from portal.models import CONTRIBUTION_STATES

    groups = {status: StatusTotals(status) for status in CONTRIBUTION_STATES}
    query = (
        select(Contribution)
        .where(Contribution.company_id == company_id)
        .order_by(Contribution.updated_at.desc(), Contribution.id.desc())
    )
    for contribution in db.session.scalars(query):
        group = groups[contribution.status]
        group.count += 1
        group.items += len(contribution.items)
        group.value += contribution.total_value
        group.seats += contribution.seats or 0
        group.contributions.append(contribution)
    return [group for group in groups.values() if group.count]


def companies_with_contributions() -> list[Company]:
    query = (
        select(Company)
        .where(Company.id.in_(select(Contribution.company_id)))
        .order_by(Company.name)
    )
    return list(db.session.scalars(query))


def timeline(contribution: Contribution) -> list[tuple]:
    """(event, actor) pairs, oldest first, for the contribution's page."""
    events = audit.history(contribution)
    ids = {e.actor_id for e in events if e.actor_id}
    users = (
        {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(ids)))} if ids else {}
    )
    return [(event, users.get(event.actor_id)) for event in events]


def count_waiting(user: User) -> int:
    """Submitted contributions waiting for this reviewer."""
    query = visible_query(user).where(Contribution.status == "submitted")
    return db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
