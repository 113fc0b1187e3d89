"""The lists behind the dashboards' figures: the people served, the monitoring visits and
the flags kept with a reason. Each figure in ``figures`` counts with the same conditions
these lists filter on, so a number and the list it opens always agree."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Select, func, select
from sqlalchemy.orm import joinedload, selectinload

from portal.core.dates import month_bounds
from portal.dashboards.access import served, visible_members, visible_visits
from portal.models import AidRecord, Match, MatchMember, MonitoringVisit, Recipient, User
from portal.models.registry import recipient_target_group
from portal.registry.search import carries

# "Due soon": due within this many days from today.
SOON_DAYS = 30
VISIT_WHEN = ("overdue", "soon", "recorded")


# --- people served -------------------------------------------------------------------


@dataclass
class PeopleFilters:
    kecamatan: int | None = None
    desa: int | None = None
    group: str | None = None
    month: str | None = None  # "YYYY-MM": served in that month


def served_ids(user: User, month: str | None = None) -> Select:
    """The ids of the people the user's handovers served (in ``month`` if given)."""
    query = select(AidRecord.recipient_id).where(served(user))
    if month and (bounds := month_bounds(month)):
        query = query.where(AidRecord.received_on >= bounds[0], AidRecord.received_on < bounds[1])
    return query


def people_query(user: User, f: PeopleFilters) -> Select:
    """The people served in the user's scope, filtered, by name."""
    query = select(Recipient).where(Recipient.id.in_(served_ids(user, f.month)))
    if f.kecamatan:
        query = query.where(Recipient.kecamatan_id == f.kecamatan)
    if f.desa:
        query = query.where(Recipient.desa_id == f.desa)
    if f.group:
        query = query.where(carries(recipient_target_group, f.group))
    return query.options(joinedload(Recipient.desa), joinedload(Recipient.kecamatan)).order_by(
        Recipient.name, Recipient.id
    )


# --- monitoring visits ---------------------------------------------------------------


@dataclass
class VisitFilters:
    when: str | None = None  # overdue, soon or recorded
    months: int | None = None
    in_use: bool = False
    running: bool = False
    desa: int | None = None


def overdue(today: date):
    return (MonitoringVisit.status == "due") & (MonitoringVisit.due_on < today)


def due_soon(today: date):
    return (
        (MonitoringVisit.status == "due")
        & (MonitoringVisit.due_on >= today)
        & (MonitoringVisit.due_on <= today + timedelta(days=SOON_DAYS))
    )


def recorded():
    return MonitoringVisit.status == "recorded"


def visit_query(user: User, f: VisitFilters, today: date) -> Select:
    """The monitoring visits of the user's matches, filtered, by due date."""
    query = visible_visits(user, select(MonitoringVisit))
    condition = {"overdue": overdue(today), "soon": due_soon(today), "recorded": recorded()}
    if f.when in condition:
        query = query.where(condition[f.when])
    if f.months:
        query = query.where(MonitoringVisit.months == f.months)
    if f.in_use:
        query = query.where(MonitoringVisit.aid_in_use.is_(True))
    if f.running:
        query = query.where(MonitoringVisit.business_running.is_(True))
    if f.desa:
        query = query.where(MonitoringVisit.desa_id == f.desa)
    return query.options(
        joinedload(MonitoringVisit.recipient), joinedload(MonitoringVisit.desa)
    ).order_by(MonitoringVisit.due_on, MonitoringVisit.id)


# --- flags kept with a reason ---------------------------------------------------------


def kept_flag():
    """An active member with double-aid flags whom the officer kept with a reason."""
    return (
        (MatchMember.status == "active")
        & (MatchMember.flag_reason != "")
        & (func.json_array_length(MatchMember.flags) > 0)
    )


def override_query(user: User, desa: int | None = None) -> Select:
    """The people kept on the user's matches despite a flag, the newest matches first."""
    query = visible_members(user, select(MatchMember)).where(kept_flag())
    if desa:
        query = query.join(Recipient, Recipient.id == MatchMember.recipient_id).where(
            Recipient.desa_id == desa
        )
    return query.options(
        selectinload(MatchMember.recipient).selectinload(Recipient.desa),
        selectinload(MatchMember.match).selectinload(Match.contribution),
    ).order_by(MatchMember.match_id.desc(), MatchMember.position, MatchMember.id)
