"""What the monitoring pages read: the visits list (filtered by kecamatan, desa and state,
sorted by due date) with its counts per state, one recipient's visits and a match's visits
per member. Every query starts from ``access.visible`` or an object the page already
checked, so a page shows exactly what its user may see."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, and_, case, func, select
from sqlalchemy.orm import selectinload

from portal.core.dates import local_today
from portal.core.text import lazy_gettext as _l
from portal.extensions import db
from portal.models import Desa, Match, MonitoringVisit, Recipient, User
from portal.models.monitoring import VISIT_CLOSE_REASONS
from portal.monitoring.access import visible

# The states a visit shows as: a due visit is overdue once its due date has passed.
VISIT_STATE_LABELS = {
    "due": _l("Due"),
    "overdue": _l("Overdue"),
    "recorded": _l("Recorded"),
    "closed": _l("Closed"),
}
CLOSE_REASON_LABELS = dict(
    zip(VISIT_CLOSE_REASONS, (_l("Moved away"), _l("Died"), _l("Other reason")), strict=True)
)
SORTS = {"due": _l("Due date, earliest first"), "-due": _l("Due date, latest first")}


@dataclass
class VisitFilters:
    kecamatan: int | None = None
    desa: int | None = None
    state: str | None = None
    sort: str = "due"


def shown_state(visit: MonitoringVisit, today: date | None = None) -> str:
    """due, overdue, recorded or closed."""
    if visit.status != "due":
        return visit.status
    return "overdue" if visit.due_on < (today or local_today()) else "due"


def _state_condition(state: str, today: date):
    due = MonitoringVisit.status == "due"
    if state == "due":
        return and_(due, MonitoringVisit.due_on >= today)
    if state == "overdue":
        return and_(due, MonitoringVisit.due_on < today)
    return MonitoringVisit.status == state


def _scoped(user: User, f: VisitFilters, query: Select) -> Select:
    query = visible(user, query)
    if f.kecamatan:
        query = query.where(MonitoringVisit.kecamatan_id == f.kecamatan)
    if f.desa:
        query = query.where(MonitoringVisit.desa_id == f.desa)
    return query


def list_query(user: User, f: VisitFilters, today: date | None = None) -> Select:
    """The user's visible visits, filtered, by due date (then recipient)."""
    today = today or local_today()
    query = _scoped(user, f, select(MonitoringVisit))
    if f.state in VISIT_STATE_LABELS:
        query = query.where(_state_condition(f.state, today))
    order = MonitoringVisit.due_on.desc() if f.sort == "-due" else MonitoringVisit.due_on
    return query.options(
        selectinload(MonitoringVisit.recipient),
        selectinload(MonitoringVisit.desa),
        selectinload(MonitoringVisit.match).selectinload(Match.contribution),
    ).order_by(order, MonitoringVisit.recipient_id, MonitoringVisit.id)


def state_counts(user: User, f: VisitFilters, today: date | None = None) -> dict[str, int]:
    """How many visits of each shown state the other filters hold (one GROUP BY)."""
    today = today or local_today()
    state = case(
        (_state_condition("overdue", today), "overdue"),
        (_state_condition("due", today), "due"),
        else_=MonitoringVisit.status,
    ).label("state")
    query = _scoped(user, f, select(state, func.count(MonitoringVisit.id))).group_by(state)
    return {code: count for code, count in db.session.execute(query).all()}


def desa_choices(user: User, kecamatan_id: int | None = None) -> list[Desa]:
    """The desa the list may be filtered by: the user's kecamatan's, or (for the admin)
    the chosen kecamatan's, else every desa that has visits."""
    query = select(Desa).order_by(Desa.name)
    if user.role != "admin":
        return list(db.session.scalars(query.where(Desa.kecamatan_id == (user.kecamatan_id or -1))))
    if kecamatan_id:
        return list(db.session.scalars(query.where(Desa.kecamatan_id == kecamatan_id)))
    with_visits = select(MonitoringVisit.desa_id).distinct()
    return list(db.session.scalars(query.where(Desa.id.in_(with_visits))))


def of_recipient(recipient: Recipient) -> list[MonitoringVisit]:
    """A recipient's visits of every handover, the earliest due first."""
    query = (
        select(MonitoringVisit)
        .where(MonitoringVisit.recipient_id == recipient.id)
        .options(selectinload(MonitoringVisit.match))
        .order_by(MonitoringVisit.due_on, MonitoringVisit.id)
    )
    return list(db.session.scalars(query))


@dataclass
class MemberVisits:
    recipient: Recipient
    visits: list


def of_match(match: Match) -> list[MemberVisits]:
    """A match's visits grouped per member, in the members' order."""
    query = (
        select(MonitoringVisit)
        .where(MonitoringVisit.match_id == match.id)
        .options(selectinload(MonitoringVisit.recipient), selectinload(MonitoringVisit.member))
        .order_by(MonitoringVisit.due_on, MonitoringVisit.id)
    )
    groups: dict[int, MemberVisits] = {}
    for visit in db.session.scalars(query):
        groups.setdefault(visit.member_id, MemberVisits(visit.recipient, [])).visits.append(visit)
    return sorted(groups.values(), key=lambda g: g.visits[0].member.position)
