"""A company's CSR impact over a period, as plain data for the PDF and the XLSX: every
figure GROUP BY in SQL over the handovers of the company's plans dated in the period
(reversed ones left out), limited by ``matching.access`` as well.

- reach: people who received and their households (by KK), by kecamatan and desa; how
  many came from the DTKS/DTSEN or PKH lists; women, and each target group;
- value and kind per contribution (GRI 203-1: size, kind and duration): what was offered,
  what was handed over, per item, the first and last handover day; training sessions;
- use after 1, 3 and 6 months: the visits recorded, equipment in use, business running,
  and how many businesses were running at each person's latest visit;
- handover photos the officer marked shareable, and the signed letters (BAST) with their
  verification codes.

No person appears by name or number: only counts (DESIGN section 4, what partners see).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import Select, String, case, cast, distinct, func, literal, select

from portal.core.dates import local_today
from portal.extensions import db
from portal.matching import access as matching_access
from portal.models import (
    AidCategory,
    Company,
    Contribution,
    ContributionItem,
    Desa,
    HandoverLine,
    HandoverRecord,
    Kecamatan,
    Match,
    MatchAllocation,
    MonitoringVisit,
    Recipient,
    User,
)
from portal.models.registry import recipient_target_group
from portal.models.vocabulary import TARGET_GROUPS
from portal.reports import evidence
from portal.reports.evidence import LetterRef, Photo
from portal.reports.periods import Period
from portal.reports.queries import current_handovers, item_values

LIST_SOURCES = ("DTKS", "PKH")  # the integrated registry and the family-hope programme


@dataclass(frozen=True)
class Count:
    code: str
    count: int


@dataclass(frozen=True)
class Area:
    kecamatan: str
    desa: str
    people: int
    households: int


@dataclass(frozen=True)
class Item:
    name: str
    unit: str
    offered: Decimal
    handed_over: Decimal
    value: int


@dataclass(frozen=True)
class Given:
    """One contribution's part in the period."""

    id: int
    title: str
    kind: str
    category: str
    kecamatan: str
    offered_value: int
    value: int
    people: int
    handovers: int
    first_day: date
    last_day: date
    items: tuple[Item, ...] = ()
    topic: str = ""
    sessions: int | None = None
    seats: int | None = None


@dataclass(frozen=True)
class Use:
    months: int
    scheduled: int
    recorded: int
    in_use: int
    running: int
    closed: int
    overdue: int


@dataclass(frozen=True)
class Impact:
    company: str
    period: Period
    made_on: date
    people: int
    households: int
    women: int
    areas: tuple[Area, ...]  # by desa
    kecamatan: tuple[Area, ...]  # by kecamatan (desa "")
    sources: tuple[Count, ...]
    groups: tuple[Count, ...]
    given: tuple[Given, ...]
    use: tuple[Use, ...]
    running_now: int  # businesses running at each person's latest recorded visit
    visited: int  # people with a recorded visit
    photos: tuple[Photo, ...]
    photos_more: int  # shareable photos left out of the PDF for its size
    letters: tuple[LetterRef, ...]

    @property
    def value(self) -> int:
        return sum(g.value for g in self.given)

    @property
    def offered_value(self) -> int:
        return sum(g.offered_value for g in self.given)

    @property
    def from_lists(self) -> int:
        return sum(s.count for s in self.sources if s.code in LIST_SOURCES)

    def share(self, count: int) -> int:
        """``count`` as a whole percentage of the people reached."""
        return round(100 * count / self.people) if self.people else 0

    def desa_of(self, kecamatan: str) -> tuple[Area, ...]:
        return tuple(area for area in self.areas if area.kecamatan == kecamatan)

    def group(self, code: str) -> int:
        return next((g.count for g in self.groups if g.code == code), 0)


def impact(user: User, company: Company, period: Period) -> Impact:
    """The company's impact in ``period`` as ``user`` may see it."""
    matches = matching_access.visible(user, select(Match.id)).where(
        Match.contribution_id.in_(
            select(Contribution.id).where(Contribution.company_id == company.id)
        )
    )
    records = current_handovers(matches, period.first, period.after)
    people = _people(records)
    totals = db.session.execute(
        select(
            func.count(distinct(Recipient.id)),
            func.count(distinct(_household())),
            func.count(distinct(case((Recipient.sex == "P", Recipient.id)))),
        ).where(Recipient.id.in_(people))
    ).one()
    photos, more = evidence.photos(records)
    running, visited = _latest_running(records)
    return Impact(
        company=company.name,
        period=period,
        made_on=local_today(),
        people=totals[0],
        households=totals[1],
        women=totals[2],
        areas=_areas(people),
        kecamatan=_areas(people, by_desa=False),
        sources=_sources(people),
        groups=_groups(people),
        given=_given(records),
        use=_use(records),
        running_now=running,
        visited=visited,
        photos=photos,
        photos_more=more,
        letters=evidence.letters(records),
    )


def _people(records: Select) -> Select:
    """Ids of the people who received something at ``records``."""
    return select(HandoverLine.recipient_id).where(
        HandoverLine.record_id.in_(records), HandoverLine.received.is_(True)
    )


def _household():
    """A family: its KK, or the person alone when no KK is known."""
    return func.coalesce(Recipient.kk, literal("id:").concat(cast(Recipient.id, String)))


def _areas(people: Select, by_desa: bool = True) -> tuple[Area, ...]:
    """People and households per desa (or, ``by_desa`` false, per kecamatan: a family
    living in two desa of it counts once)."""
    desa = func.coalesce(Desa.name, "") if by_desa else literal("")
    query = (
        select(
            Kecamatan.name,
            desa,
            func.count(distinct(Recipient.id)),
            func.count(distinct(_household())),
        )
        .join(Kecamatan, Kecamatan.id == Recipient.kecamatan_id)
        .where(Recipient.id.in_(people))
        .group_by(Kecamatan.name, *((Desa.name,) if by_desa else ()))
        .order_by(Kecamatan.name, *((Desa.name,) if by_desa else ()))
    )
    if by_desa:
        query = query.outerjoin(Desa, Desa.id == Recipient.desa_id)
    return tuple(Area(*row) for row in db.session.execute(query))


def _sources(people: Select) -> tuple[Count, ...]:
    query = (
        select(Recipient.source, func.count(Recipient.id))
        .where(Recipient.id.in_(people))
        .group_by(Recipient.source)
        .order_by(func.count(Recipient.id).desc(), Recipient.source)
    )
    return tuple(Count(*row) for row in db.session.execute(query))


def _groups(people: Select) -> tuple[Count, ...]:
    table = recipient_target_group
    found = dict(
        db.session.execute(
            select(table.c.code, func.count(distinct(table.c.recipient_id)))
            .where(table.c.recipient_id.in_(people))
            .group_by(table.c.code)
        ).all()
    )
    return tuple(Count(code, found.get(code, 0)) for code in TARGET_GROUPS)


def _given(records: Select) -> tuple[Given, ...]:
    """Per contribution: what it offered, what was handed over in the period and when."""
    values = item_values()
    per_contribution = (
        select(
            Contribution,
            AidCategory.name,
            Kecamatan.name,
            func.coalesce(values.c.value, 0),
            func.count(distinct(HandoverRecord.id)),
            func.min(HandoverRecord.handed_over_on),
            func.max(HandoverRecord.handed_over_on),
        )
        .join(Match, Match.contribution_id == Contribution.id)
        .join(HandoverRecord, HandoverRecord.match_id == Match.id)
        .outerjoin(AidCategory, AidCategory.id == Contribution.aid_category_id)
        .outerjoin(Kecamatan, Kecamatan.id == Contribution.kecamatan_id)
        .outerjoin(values, values.c.id == Contribution.id)
        .where(HandoverRecord.id.in_(records))
        .group_by(Contribution.id, AidCategory.name, Kecamatan.name, values.c.value)
        .order_by(func.min(HandoverRecord.handed_over_on), Contribution.id)
    )
    rows = db.session.execute(per_contribution).all()
    people = _received_per_contribution(records)
    items = _items(records)
    return tuple(
        Given(
            id=c.id,
            title=c.title,
            kind=c.kind,
            category=category or "",
            kecamatan=kecamatan or "",
            offered_value=int(offered or 0),
            value=sum(i.value for i in items.get(c.id, ())),
            people=people.get(c.id, 0),
            handovers=count,
            first_day=first,
            last_day=last,
            items=tuple(items.get(c.id, ())),
            topic=c.topic if c.kind == "training" else "",
            sessions=c.sessions if c.kind == "training" else None,
            seats=c.seats if c.kind == "training" else None,
        )
        for c, category, kecamatan, offered, count, first, last in rows
    )


def _received_per_contribution(records: Select) -> dict[int, int]:
    query = (
        select(Match.contribution_id, func.count(distinct(HandoverLine.recipient_id)))
        .join(HandoverRecord, HandoverRecord.id == HandoverLine.record_id)
        .join(Match, Match.id == HandoverRecord.match_id)
        .where(HandoverLine.record_id.in_(records), HandoverLine.received.is_(True))
        .group_by(Match.contribution_id)
    )
    return dict(db.session.execute(query).all())


def _items(records: Select) -> dict[int, list[Item]]:
    """Each item of the contributions: offered, and handed over at ``records``."""
    handed = (
        select(
            MatchAllocation.item_id.label("item_id"),
            func.sum(MatchAllocation.quantity).label("quantity"),
        )
        .join(HandoverLine, HandoverLine.member_id == MatchAllocation.member_id)
        .where(HandoverLine.record_id.in_(records), HandoverLine.received.is_(True))
        .group_by(MatchAllocation.item_id)
        .subquery()
    )
    query = (
        select(ContributionItem, handed.c.quantity)
        .join(handed, handed.c.item_id == ContributionItem.id)
        .order_by(ContributionItem.contribution_id, ContributionItem.position, ContributionItem.id)
    )
    found: dict[int, list[Item]] = {}
    for item, quantity in db.session.execute(query):
        quantity = Decimal(quantity or 0)
        found.setdefault(item.contribution_id, []).append(
            Item(item.name, item.unit, item.quantity, quantity, int(quantity * item.unit_value))
        )
    return found


def _yes(condition):
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _use(records: Select) -> tuple[Use, ...]:
    visit = MonitoringVisit
    recorded = visit.status == "recorded"
    query = (
        select(
            visit.months,
            func.count(visit.id),
            _yes(recorded),
            _yes(recorded & visit.aid_in_use.is_(True)),
            _yes(recorded & visit.business_running.is_(True)),
            _yes(visit.status == "closed"),
            _yes((visit.status == "due") & (visit.due_on < local_today())),
        )
        .where(visit.handover_id.in_(records))
        .group_by(visit.months)
        .order_by(visit.months)
    )
    return tuple(Use(*row) for row in db.session.execute(query))


def _latest_running(records: Select) -> tuple[int, int]:
    """(businesses running, people visited) at each person's latest recorded visit."""
    visit = MonitoringVisit
    latest = (
        select(visit.handover_id, visit.member_id, func.max(visit.months).label("months"))
        .where(visit.handover_id.in_(records), visit.status == "recorded")
        .group_by(visit.handover_id, visit.member_id)
        .subquery()
    )
    query = select(func.count(visit.id), _yes(visit.business_running.is_(True))).join(
        latest,
        (latest.c.handover_id == visit.handover_id)
        & (latest.c.member_id == visit.member_id)
        & (latest.c.months == visit.months),
    )
    visited, running = db.session.execute(query).one()
    return int(running), int(visited)
