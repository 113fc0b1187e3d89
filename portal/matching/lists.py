"""What the matching pages read: the list of matches a user may see (filtered), the
camat's queue, a match's totals and outline, and the admin's regency-wide figures (flags
kept with reasons, approvals waiting longer than the limit). Every query starts from
``access.visible``, so a page shows exactly what its user may see."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import selectinload

from portal.core import settings
from portal.core.dates import as_utc, month_bounds, utcnow
from portal.extensions import db
from portal.handovers.queries import handed_over_between
from portal.matching.access import visible
from portal.models import (
    Company,
    Contribution,
    Desa,
    Kecamatan,
    Match,
    MatchMember,
    Recipient,
    User,
)


@dataclass
class ListFilters:
    q: str = ""
    status: str | None = None
    kecamatan: int | None = None
    desa: int | None = None
    handed: str | None = None  # "YYYY-MM": a standing handover in that month


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def list_query(user: User, f: ListFilters) -> Select:
    """The user's visible matches, filtered, the most recently changed first."""
    query = visible(user).join(Contribution, Contribution.id == Match.contribution_id)
    if f.q:
        pattern = f"%{_escape_like(f.q)}%"
        companies = select(Company.id).where(Company.name.ilike(pattern, escape="\\"))
        query = query.where(
            or_(
                Match.label.ilike(pattern, escape="\\"),
                Contribution.title.ilike(pattern, escape="\\"),
                Contribution.company_id.in_(companies),
            )
        )
    if f.status == "returned":
        query = query.where(Match.status == "draft", Match.status_reason != "")
    elif f.status:
        query = query.where(Match.status == f.status)
    if f.kecamatan:
        query = query.where(Match.kecamatan_id == f.kecamatan)
    if f.desa:
        query = query.where(Match.desa_id == f.desa)
    if f.handed and (bounds := month_bounds(f.handed)):
        query = query.where(Match.id.in_(handed_over_between(*bounds)))
    return query.options(
        selectinload(Match.contribution).selectinload(Contribution.company)
    ).order_by(Match.updated_at.desc(), Match.id.desc())


def desa_choices(user: User) -> list[Desa]:
    """The desa a user's matches may be filtered by: their kecamatan's (all for the admin)."""
    query = select(Desa).order_by(Desa.name)
    if user.role != "admin":
        query = query.where(Desa.kecamatan_id == (user.kecamatan_id or -1))
    return list(db.session.scalars(query))


# --- the camat's queue and the admin's view ------------------------------------------


def waiting(user: User) -> list[Match]:
    """Submitted matches the user may see, the longest waiting first."""
    query = (
        visible(user)
        .where(Match.status == "submitted")
        .options(selectinload(Match.contribution).selectinload(Contribution.company))
        .order_by(Match.submitted_at, Match.id)
    )
    return list(db.session.scalars(query))


def count_waiting(user: User) -> int:
    """How many submitted matches wait in the user's scope (the camat's home page)."""
    query = visible(user).where(Match.status == "submitted")
    return db.session.scalar(select(func.count()).select_from(query.subquery())) or 0


def days_waiting(match: Match, now: datetime | None = None) -> int:
    """Whole days since the match was submitted."""
    if match.submitted_at is None:
        return 0
    return max(((now or utcnow()) - as_utc(match.submitted_at)).days, 0)


@dataclass
class OverdueGroup:
    kecamatan: Kecamatan
    matches: list = field(default_factory=list)


def overdue_by_kecamatan(user: User) -> tuple[int, list[OverdueGroup]]:
    """The approval waiting limit (days) and, per kecamatan, the matches waiting longer."""
    limit = settings.get("approval_wait_days")
    cutoff = utcnow() - timedelta(days=limit)
    query = (
        visible(user)
        .where(Match.status == "submitted", Match.submitted_at < cutoff)
        .options(selectinload(Match.kecamatan), selectinload(Match.contribution))
        .order_by(Match.submitted_at)
    )
    groups: dict[int, OverdueGroup] = {}
    for match in db.session.scalars(query):
        groups.setdefault(match.kecamatan_id, OverdueGroup(match.kecamatan)).matches.append(match)
    return limit, sorted(groups.values(), key=lambda g: g.kecamatan.name)


def flagged_members(user: User, limit: int = 200) -> list[MatchMember]:
    """Flagged people kept on matches in the user's scope, with the officers' reasons,
    the newest matches first (the admin's regency-wide view of overrides)."""
    shown = visible(user).with_only_columns(Match.id)
    query = (
        select(MatchMember)
        .where(MatchMember.match_id.in_(shown), MatchMember.status == "active")
        .where(MatchMember.flag_reason != "")
        .options(selectinload(MatchMember.match).selectinload(Match.kecamatan))
        .options(selectinload(MatchMember.recipient))
        .order_by(MatchMember.match_id.desc(), MatchMember.position)
        .limit(limit * 2)
    )
    return [m for m in db.session.scalars(query) if m.is_flagged][:limit]


# --- one match -----------------------------------------------------------------------


@dataclass
class ItemTotal:
    name: str
    unit: str
    unit_value: int
    quantity: Decimal = Decimal(0)

    @property
    def value(self) -> int:
        return int(self.quantity * self.unit_value)


@dataclass
class MemberRow:
    member: MatchMember
    quantities: dict  # item id → quantity
    value: int


@dataclass
class MatchTotals:
    rows: list[MemberRow]
    items: dict  # item id → ItemTotal, in the contribution's order
    people: int
    flagged: int

    @property
    def value(self) -> int:
        return sum(total.value for total in self.items.values())


def totals(match: Match) -> MatchTotals:
    """Per member what they receive and its value, and the totals per item."""
    contribution = match.contribution
    items = {
        item.id: ItemTotal(item.name, item.unit, item.unit_value) for item in contribution.items
    }
    values = {item.id: item.unit_value for item in contribution.items}
    rows = []
    members = (
        db.session.scalars(
            select(MatchMember)
            .where(MatchMember.match_id == match.id, MatchMember.status == "active")
            .options(selectinload(MatchMember.allocations))
            .options(selectinload(MatchMember.recipient).selectinload(Recipient.desa))
            .order_by(MatchMember.position, MatchMember.id)
        )
    ).all()
    for member in members:
        quantities = {a.item_id: Decimal(a.quantity) for a in member.allocations}
        for item_id, amount in quantities.items():
            if item_id in items:
                items[item_id].quantity += amount
        value = int(sum(amount * values.get(item_id, 0) for item_id, amount in quantities.items()))
        rows.append(MemberRow(member, quantities, value))
    flagged = sum(1 for row in rows if row.member.is_flagged)
    return MatchTotals(rows, items, len(rows), flagged)


def outline(match: Match) -> list[tuple[str, int]]:
    """How many people per desa receive from the match (what a partner sees before
    approval), the largest first."""
    query = (
        select(Desa.name, func.count(MatchMember.id))
        .join(Recipient, Recipient.id == MatchMember.recipient_id)
        .join(Desa, Desa.id == Recipient.desa_id)
        .where(MatchMember.match_id == match.id, MatchMember.status == "active")
        .group_by(Desa.name)
    )
    counts = Counter(dict(db.session.execute(query).all()))
    return counts.most_common()


def of_contribution(user: User, contribution: Contribution) -> list[Match]:
    """The contribution's matches the user may see, oldest first."""
    query = visible(user).where(Match.contribution_id == contribution.id).order_by(Match.id)
    return list(db.session.scalars(query))
