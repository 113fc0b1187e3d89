"""A contribution's plans as its page shows them: each match (label, desa, date, status,
how many people) and, per item, what was offered, planned in drafts, approved and what
remains. A partner sees only plans sent to the camat or approved, in outline: how many
people in which desa, and names with masked NIK once approved (``access.sees_people``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from portal.extensions import db
from portal.matching import access
from portal.models import Contribution, Match, MatchAllocation, MatchMember, Recipient, User

APPROVED_STATES = ("approved", "handed_over", "monitored")


@dataclass
class PlanRow:
    match: Match
    people: int
    desas: list[str] = field(default_factory=list)  # where its people live
    names: list[tuple[str, str]] = field(default_factory=list)  # (name, NIK) when shown


@dataclass
class ItemRow:
    name: str
    unit: str
    offered: Decimal
    planned: Decimal
    approved: Decimal
    remaining: Decimal


@dataclass
class Plans:
    may_plan: bool
    rows: list[PlanRow]
    items: list[ItemRow]
    detailed: bool  # the officer's, camat's and admin's view (the partner's is an outline)


def plans_of(contribution: Contribution, user: User) -> Plans:
    """What the contribution page's "Handover plans" section shows this user."""
    partner = user.role == "partner"
    query = (
        access.visible(user)
        .where(Match.contribution_id == contribution.id)
        .options(
            joinedload(Match.desa),
            selectinload(Match.members)
            .joinedload(MatchMember.recipient)
            .joinedload(Recipient.desa),
        )
        .order_by(Match.id)
    )
    if partner:
        query = query.where(Match.status != "draft")
    rows = [_row(match, user, partner) for match in db.session.scalars(query)]
    return Plans(
        may_plan=access.can_plan(user, contribution),
        rows=rows,
        items=[] if partner else _items(contribution),
        detailed=not partner,
    )


def _row(match: Match, user: User, partner: bool) -> PlanRow:
    members = match.active_members
    names = []
    if access.sees_people(user, match):
        names = [(m.recipient.name, m.recipient.nik or "") for m in members]
    desas = sorted({m.recipient.desa.name for m in members if m.recipient.desa})
    return PlanRow(match=match, people=len(members), desas=desas, names=names if partner else [])


def _sums(contribution: Contribution, states) -> dict[int, Decimal]:
    query = (
        select(MatchAllocation.item_id, func.sum(MatchAllocation.quantity))
        .join(MatchMember, MatchAllocation.member_id == MatchMember.id)
        .join(Match, MatchMember.match_id == Match.id)
        .where(
            Match.contribution_id == contribution.id,
            Match.status.in_(states),
            MatchMember.status == "active",
        )
        .group_by(MatchAllocation.item_id)
    )
    return {item_id: Decimal(total or 0) for item_id, total in db.session.execute(query)}


def _seats(contribution: Contribution, states) -> Decimal:
    query = (
        select(func.count())
        .select_from(MatchMember)
        .join(Match, MatchMember.match_id == Match.id)
        .where(
            Match.contribution_id == contribution.id,
            Match.status.in_(states),
            MatchMember.status == "active",
        )
    )
    return Decimal(db.session.scalar(query) or 0)


def _items(contribution: Contribution) -> list[ItemRow]:
    if contribution.kind == "training":
        seats = Decimal(contribution.seats or 0)
        return [
            ItemRow(
                name="",
                unit="",
                offered=seats,
                planned=_seats(contribution, ("draft",)),
                approved=_seats(contribution, APPROVED_STATES),
                remaining=seats - Decimal(contribution.seats_reserved or 0),
            )
        ]
    planned, approved = _sums(contribution, ("draft",)), _sums(contribution, APPROVED_STATES)
    return [
        ItemRow(
            name=item.name,
            unit=item.unit,
            offered=Decimal(item.quantity),
            planned=planned.get(item.id, Decimal(0)),
            approved=approved.get(item.id, Decimal(0)),
            remaining=Decimal(item.quantity) - Decimal(item.reserved or 0),
        )
        for item in contribution.items
    ]
