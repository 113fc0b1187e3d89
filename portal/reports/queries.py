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

from sqlalchemy import Select, and_, case, distinct, func, or_, select

from portal.contributions import access as contribution_access
from portal.contributions.queries import received
from portal.core.nik import mask_nik
from portal.extensions import db
from portal.matching import access as matching_access
from portal.matching.flag_text import flag_lines
from portal.models import (
    AidCategory,
    AidRecord,
    AuditEvent,
    Contribution,
    ContributionItem,
    Desa,
    HandoverLine,
    HandoverRecord,
    Kecamatan,
    Match,
    MatchAllocation,
    MatchMember,
    MonitoringVisit,
    Recipient,
    User,
)
from portal.registry import access as registry_access
from portal.reports.periods import Period


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
class KeptFlag:
    match_id: int
    plan: str
    contribution: str
    status: str
    name: str
    masked_nik: str
    desa: str
    flags: tuple[str, ...]
    reason: str


@dataclass(frozen=True)
class AidLine:
    name: str
    masked_nik: str
    received_on: object
    source: str
    programme: str
    category: str


@dataclass(frozen=True)
class Household:
    masked_kk: str
    desa: str
    records: int
    sources: int
    lines: tuple[AidLine, ...] = ()


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


def _matches(user: User, kec_id: int | None) -> Select:
    """The ids of the matches of the area ``user`` may see."""
    query = matching_access.visible(user, select(Match.id))
    return query if kec_id is None else query.where(Match.kecamatan_id == kec_id)


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
            Match.id.in_(_matches(user, kec_id)),
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
    records = current_handovers(_matches(user, kec_id), period.first, period.after)
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
    matches = _matches(user, kec_id)
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


# --- flags kept and households served more than once -----------------------------------


def kept_flags(user: User, kec_id: int | None, period: Period) -> tuple[KeptFlag, ...]:
    """Flagged people the officer kept with a reason, on plans submitted or approved in
    the period (the flags as the camat saw them)."""
    in_period = or_(
        and_(Match.submitted_at >= period.starts_at, Match.submitted_at < period.ends_at),
        and_(Match.approved_at >= period.starts_at, Match.approved_at < period.ends_at),
    )
    query = (
        select(MatchMember, Match, Contribution.title, Recipient.name, Recipient.nik, Desa.name)
        .join(Match, Match.id == MatchMember.match_id)
        .join(Contribution, Contribution.id == Match.contribution_id)
        .join(Recipient, Recipient.id == MatchMember.recipient_id)
        .outerjoin(Desa, Desa.id == Recipient.desa_id)
        .where(
            Match.id.in_(_matches(user, kec_id)),
            Match.status != "draft",
            in_period,
            MatchMember.status == "active",
            MatchMember.flag_reason != "",
        )
        .order_by(Match.id, MatchMember.position)
    )
    return tuple(
        KeptFlag(
            match_id=match.id,
            plan=match.label or f"#{match.id}",
            contribution=title,
            status=match.status,
            name=name,
            masked_nik=mask_nik(nik),
            desa=desa or "",
            flags=tuple(flag_lines(member.flags)),
            reason=member.flag_reason,
        )
        for member, match, title, name, nik, desa in db.session.execute(query)
        if member.flags
    )


def _aid_in_area(user: User, kecamatan: Kecamatan | None):
    """Aid records of the area: those of people on the registry of the area the user may
    see, and those of people not on it whose KK was issued in the kecamatan."""
    people = registry_access.visible(user, select(Recipient.id))
    if kecamatan is None:
        if user.role == "admin":
            return True
        return AidRecord.recipient_id.in_(people)
    people = people.where(Recipient.kecamatan_id == kecamatan.id)
    prefix = kecamatan.code.replace(".", "")
    return or_(
        AidRecord.recipient_id.in_(people),
        and_(AidRecord.recipient_id.is_(None), func.substr(AidRecord.kk, 1, 6) == prefix),
    )


def households(user: User, kecamatan: Kecamatan | None, period: Period) -> tuple[Household, ...]:
    """Families (by KK) with more than one aid record in the period, any programme, most
    records first; each with its records."""
    in_area = and_(
        _aid_in_area(user, kecamatan),
        AidRecord.kk.is_not(None),
        AidRecord.kk != "",
        AidRecord.received_on >= period.first,
        AidRecord.received_on < period.after,
    )
    count = func.count(AidRecord.id)
    grouped = db.session.execute(
        select(AidRecord.kk, count, func.count(distinct(AidRecord.source)))
        .where(in_area)
        .group_by(AidRecord.kk)
        .having(count > 1)
        .order_by(count.desc(), AidRecord.kk)
    ).all()
    if not grouped:
        return ()
    lines, desas = _aid_lines([kk for kk, _, _ in grouped], in_area)
    return tuple(
        Household(mask_nik(kk), desas.get(kk, ""), n, sources, tuple(lines.get(kk, ())))
        for kk, n, sources in grouped
    )


def _aid_lines(kks: list[str], in_area) -> tuple[dict[str, list[AidLine]], dict[str, str]]:
    lines: dict[str, list[AidLine]] = {}
    desas: dict[str, str] = {}
    for start in range(0, len(kks), 500):  # bounded IN lists
        query = (
            select(AidRecord, Recipient.name, AidCategory.name, Desa.name)
            .outerjoin(Recipient, Recipient.id == AidRecord.recipient_id)
            .outerjoin(Desa, Desa.id == Recipient.desa_id)
            .join(AidCategory, AidCategory.id == AidRecord.category_id)
            .where(in_area, AidRecord.kk.in_(kks[start : start + 500]))
            .order_by(AidRecord.kk, AidRecord.received_on, AidRecord.id)
        )
        for record, name, category, desa in db.session.execute(query):
            lines.setdefault(record.kk, []).append(
                AidLine(
                    name=name or "",
                    masked_nik=mask_nik(record.nik),
                    received_on=record.received_on,
                    source=record.source,
                    programme=record.programme or "",
                    category=category,
                )
            )
            if desa and record.kk not in desas:
                desas[record.kk] = desa
    return lines, desas
