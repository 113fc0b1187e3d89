"""The monthly evaluation's figures (issue 12, "evaluasi bulanan"), each one GROUP BY in
SQL and limited by the areas' own rules (``contributions.access``, ``matching.access``,
``registry.access``) as well as to the kecamatan asked for:

- contributions sent in during the month, by kind, with their estimated value;
- plans submitted and plans approved in the month (people on them, value allocated);
- handovers recorded for the month (people who received, who were absent, value handed
  over), reversed ones left out;
- monitoring: visits recorded in the month by schedule point (aid in use, business
  running), visits closed, visits due in the month still open, plans that became monitored;
- double-aid flags the officer kept with a written reason, on plans submitted or approved
  in the month;
- households (by KK) with more than one aid record in the month, from any programme.

``evaluation(user, kecamatan, period)`` gathers them into plain data the page, the print
view and the export share. People appear with masked NIK and KK only.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Select, case, distinct, func, select

from portal.contributions import access as contribution_access
from portal.contributions.queries import received
from portal.extensions import db
from portal.models import (
    AuditEvent,
    Contribution,
    ContributionItem,
    HandoverLine,
    HandoverRecord,
    Kecamatan,
    Match,
    MatchAllocation,
    MatchMember,
    MonitoringVisit,
    User,
)
from portal.reports.fairness import Household, KeptFlag, households, kept_flags
from portal.reports.periods import Period
from portal.reports.scope import matches_in_area


@dataclass(frozen=True)
class KindRow:
    kind: str
    count: int
    value: int


@dataclass(frozen=True)
class Plans:
    plans: int = 0
    people: int = 0
    value: int = 0


@dataclass(frozen=True)
class Handovers:
    handovers: int = 0
    received: int = 0
    absent: int = 0
    value: int = 0


@dataclass(frozen=True)
class VisitRow:
    months: int
    recorded: int
    in_use: int
    running: int


@dataclass(frozen=True)
class Monitoring:
    visits: tuple[VisitRow, ...] = ()
    closed: int = 0
    due_open: int = 0
    plans_monitored: int = 0

    @property
    def recorded(self) -> int:
        return sum(row.recorded for row in self.visits)


@dataclass(frozen=True)
class Evaluation:
    kecamatan: str | None  # None: the whole regency
    period: Period
    contributions: tuple[KindRow, ...]
    submitted: Plans
    approved: Plans
    handed_over: Handovers
    monitoring: Monitoring
    flags: tuple[KeptFlag, ...]
    households: tuple[Household, ...] = field(default=())

    @property
    def received(self) -> int:
        return sum(row.count for row in self.contributions)

    @property
    def received_value(self) -> int:
        return sum(row.value for row in self.contributions)


def evaluation(user: User, kecamatan: Kecamatan | None, period: Period) -> Evaluation:
    """Every figure of the month for ``kecamatan`` (None: the regency) as ``user`` may see it."""
    kec_id = kecamatan.id if kecamatan else None
    return Evaluation(
        kecamatan=kecamatan.name if kecamatan else None,
        period=period,
        contributions=contributions_by_kind(user, kec_id, period),
        submitted=plans(user, kec_id, Match.submitted_at, period),
        approved=plans(user, kec_id, Match.approved_at, period),
        handed_over=handovers(user, kec_id, period),
        monitoring=monitoring(user, kec_id, period),
        flags=kept_flags(user, kec_id, period),
        households=households(user, kecamatan, period),
    )


# --- contributions and plans ----------------------------------------------------------


def item_values():
    """Each contribution's estimated value (quantity × unit value of its items)."""
    return (
        select(
            ContributionItem.contribution_id.label("id"),
            func.sum(ContributionItem.quantity * ContributionItem.unit_value).label("value"),
        )
        .group_by(ContributionItem.contribution_id)
        .subquery()
    )


def contributions_by_kind(user: User, kec_id: int | None, period: Period) -> tuple[KindRow, ...]:
    values = item_values()
    query = (
        contribution_access.visible(user)
        .with_only_columns(
            Contribution.kind,
            func.count(Contribution.id),
            func.coalesce(func.sum(values.c.value), 0),
            maintain_column_froms=True,
        )
        .outerjoin(values, values.c.id == Contribution.id)
        .where(
            received(),
            Contribution.submitted_at >= period.starts_at,
            Contribution.submitted_at < period.ends_at,
        )
        .group_by(Contribution.kind)
        .order_by(Contribution.kind)
    )
    if kec_id is not None:
        query = query.where(Contribution.kecamatan_id == kec_id)
    return tuple(KindRow(kind, n, int(value or 0)) for kind, n, value in db.session.execute(query))


def _member_totals():
    """Per match: its active members, and the value allocated to them."""
    people = (
        select(MatchMember.match_id.label("id"), func.count(MatchMember.id).label("people"))
        .where(MatchMember.status == "active")
        .group_by(MatchMember.match_id)
        .subquery()
    )
    values = (
        select(
            MatchMember.match_id.label("id"),
            func.sum(MatchAllocation.quantity * ContributionItem.unit_value).label("value"),
        )
        .join(MatchAllocation, MatchAllocation.member_id == MatchMember.id)
        .join(ContributionItem, ContributionItem.id == MatchAllocation.item_id)
        .where(MatchMember.status == "active")
        .group_by(MatchMember.match_id)
        .subquery()
    )
    return people, values


def plans(user: User, kec_id: int | None, moment, period: Period) -> Plans:
    """Plans whose ``moment`` (submitted or approved) fell in the period."""
    people, values = _member_totals()
    query = (
        select(
            func.count(Match.id),
            func.coalesce(func.sum(people.c.people), 0),
            func.coalesce(func.sum(values.c.value), 0),
        )
        .outerjoin(people, people.c.id == Match.id)
        .outerjoin(values, values.c.id == Match.id)
        .where(
            Match.id.in_(matches_in_area(user, kec_id)),
            moment >= period.starts_at,
            moment < period.ends_at,
        )
    )
    count, members, value = db.session.execute(query).one()
    return Plans(count, int(members or 0), int(value or 0))


# --- handovers and monitoring ---------------------------------------------------------


def current_handovers(matches: Select, first, after) -> Select:
    """Ids of the handovers of ``matches`` dated ``first`` ≤ day < ``after`` that no
    reversal names."""
    reversed_ids = select(HandoverRecord.reverses_id).where(HandoverRecord.reverses_id.is_not(None))
    return select(HandoverRecord.id).where(
        HandoverRecord.kind == "handover",
        HandoverRecord.id.not_in(reversed_ids),
        HandoverRecord.match_id.in_(matches),
        HandoverRecord.handed_over_on >= first,
        HandoverRecord.handed_over_on < after,
    )


def handed_over_value(records: Select):
    """The value of what was received at ``records`` (allocations × unit values)."""
    return (
        select(func.coalesce(func.sum(MatchAllocation.quantity * ContributionItem.unit_value), 0))
        .select_from(HandoverLine)
        .join(MatchAllocation, MatchAllocation.member_id == HandoverLine.member_id)
        .join(ContributionItem, ContributionItem.id == MatchAllocation.item_id)
        .where(HandoverLine.record_id.in_(records), HandoverLine.received.is_(True))
        .scalar_subquery()
    )


def handovers(user: User, kec_id: int | None, period: Period) -> Handovers:
    records = current_handovers(matches_in_area(user, kec_id), period.first, period.after)
    query = select(
        func.count(distinct(HandoverLine.record_id)),
        func.coalesce(func.sum(case((HandoverLine.received.is_(True), 1), else_=0)), 0),
        func.coalesce(func.sum(case((HandoverLine.received.is_(False), 1), else_=0)), 0),
        handed_over_value(records),
    ).where(HandoverLine.record_id.in_(records))
    count, got, absent, value = db.session.execute(query).one()
    # A handover with no lines (nobody active) still counts as one.
    count = max(count, db.session.scalar(select(func.count()).select_from(records.subquery())))
    return Handovers(count, int(got), int(absent), int(value or 0))


def _yes(column):
    return func.coalesce(func.sum(case((column.is_(True), 1), else_=0)), 0)


def monitoring(user: User, kec_id: int | None, period: Period) -> Monitoring:
    matches = matches_in_area(user, kec_id)
    in_area = MonitoringVisit.match_id.in_(matches)
    rows = db.session.execute(
        select(
            MonitoringVisit.months,
            func.count(MonitoringVisit.id),
            _yes(MonitoringVisit.aid_in_use),
            _yes(MonitoringVisit.business_running),
        )
        .where(
            in_area,
            MonitoringVisit.status == "recorded",
            MonitoringVisit.visited_on >= period.first,
            MonitoringVisit.visited_on < period.after,
        )
        .group_by(MonitoringVisit.months)
        .order_by(MonitoringVisit.months)
    )
    closed = select(func.count(MonitoringVisit.id)).where(
        in_area,
        MonitoringVisit.status == "closed",
        MonitoringVisit.recorded_at >= period.starts_at,
        MonitoringVisit.recorded_at < period.ends_at,
    )
    due_open = select(func.count(MonitoringVisit.id)).where(
        in_area,
        MonitoringVisit.status == "due",
        MonitoringVisit.due_on >= period.first,
        MonitoringVisit.due_on < period.after,
    )
    monitored = select(func.count(distinct(AuditEvent.object_id))).where(
        AuditEvent.action == "match_monitored",
        AuditEvent.object_type == "match",
        AuditEvent.object_id.in_(matches),
        AuditEvent.at >= period.starts_at,
        AuditEvent.at < period.ends_at,
    )
    return Monitoring(
        visits=tuple(VisitRow(m, n, int(use), int(run)) for m, n, use, run in rows),
        closed=db.session.scalar(closed) or 0,
        due_open=db.session.scalar(due_open) or 0,
        plans_monitored=db.session.scalar(monitored) or 0,
    )
