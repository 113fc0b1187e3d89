"""The figures of the partner's and the kecamatan's dashboards, each one GROUP BY in SQL
with the very conditions of the list it links to (``lists``), scoped by the areas' own
``access``: people served by target group, desa and kecamatan, the value handed over,
what the visits found at each scheduled month, the visits due and overdue, the
handovers of a month and the flags kept with a reason."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import case, distinct, func, select

from portal.core.dates import add_months, local_today, month_bounds, recent_months
from portal.dashboards import lists
from portal.dashboards.access import served, visible_matches, visible_members, visible_visits
from portal.dashboards.queries import Row
from portal.extensions import db
from portal.handovers.queries import handed_over_between
from portal.models import (
    AidRecord,
    Desa,
    Kecamatan,
    Match,
    MatchMember,
    MonitoringVisit,
    Recipient,
    User,
)
from portal.models.registry import recipient_target_group


def reached(user: User) -> tuple[int, int]:
    """(people served, Rupiah handed over) in the user's scope."""
    query = select(func.count(distinct(AidRecord.recipient_id)), func.sum(AidRecord.value))
    people, value = db.session.execute(query.where(served(user))).one()
    return people or 0, int(value or 0)


def reached_by_group(user: User) -> list[Row]:
    """People served per target group: a semi-join of the target groups on the ids
    served; a person holds a code once (the primary key), so ``count(*)`` is the number
    of people, with no DISTINCT to sort."""
    table = recipient_target_group
    query = (
        select(table.c.code, func.count())
        .where(table.c.recipient_id.in_(lists.served_ids(user)))
        .group_by(table.c.code)
        .order_by(func.count().desc(), table.c.code)
    )
    return [Row(code, code, n) for code, n in db.session.execute(query)]


def _reached_by_place(user: User, model, column) -> list[Row]:
    """People served per desa or kecamatan: one row per person (a semi-join on the ids
    served), read from ``ix_recipient_id_places`` by a probe per person served."""
    query = (
        select(model.id, model.name, func.count())
        .join(Recipient, column == model.id)
        .where(Recipient.id.in_(lists.served_ids(user)))
        .group_by(model.id, model.name)
        .order_by(func.count().desc(), model.name)
    )
    return [Row(key, name, n) for key, name, n in db.session.execute(query)]


def reached_by_desa(user: User) -> list[Row]:
    return _reached_by_place(user, Desa, Recipient.desa_id)


def reached_by_kecamatan(user: User) -> list[Row]:
    return _reached_by_place(user, Kecamatan, Recipient.kecamatan_id)


@dataclass(frozen=True)
class VisitResult:
    """What the recorded visits at one scheduled month found."""

    months: int
    recorded: int
    in_use: int
    running: int

    def share(self, part: int) -> int:
        return round(100 * part / self.recorded) if self.recorded else 0


def visit_results(user: User) -> list[VisitResult]:
    """Per scheduled month: visits recorded, aid in use, business running."""
    v = MonitoringVisit
    query = visible_visits(
        user,
        select(
            v.months,
            func.count(v.id),
            func.sum(case((v.aid_in_use.is_(True), 1), else_=0)),
            func.sum(case((v.business_running.is_(True), 1), else_=0)),
        ),
    )
    query = query.where(lists.recorded()).group_by(v.months).order_by(v.months)
    return [VisitResult(m, n, int(u or 0), int(r or 0)) for m, n, u, r in db.session.execute(query)]


def visits_open(user: User, today: date) -> tuple[int, int]:
    """(overdue, due within ``lists.SOON_DAYS``) among the user's visits."""
    v = MonitoringVisit
    query = visible_visits(
        user,
        select(
            func.sum(case((lists.overdue(today), 1), else_=0)),
            func.sum(case((lists.due_soon(today), 1), else_=0)),
        ),
    ).where(v.status == "due")
    late, soon = db.session.execute(query).one()
    return int(late or 0), int(soon or 0)


def handovers_in_month(user: User, today: date) -> int:
    """Standing handovers of the user's matches in the month of ``today`` (a match has
    at most one standing handover, so these are the plans the list filters on)."""
    first = today.replace(day=1)
    matches = visible_matches(user).where(
        Match.id.in_(handed_over_between(first, add_months(first, 1)))
    )
    return db.session.scalar(select(func.count()).select_from(matches.subquery())) or 0


def kept_flags(user: User) -> int:
    """People kept on the user's matches despite a double-aid flag, with a reason."""
    query = visible_members(user, select(func.count(MatchMember.id))).where(lists.kept_flag())
    return db.session.scalar(query) or 0


def _month_of(day_column):
    """'YYYY-MM' of a date column, in SQL."""
    if db.engine.dialect.name == "sqlite":
        return func.strftime("%Y-%m", day_column)
    return func.to_char(day_column, "YYYY-MM")


def served_by_month(user: User, today: date | None = None, months: int = 12) -> list[Row]:
    """People served per month over the last ``months`` months, empty months too."""
    chosen = recent_months(today or local_today(), months)
    month = _month_of(AidRecord.received_on)
    query = (
        select(month, func.count(distinct(AidRecord.recipient_id)))
        .where(served(user), AidRecord.received_on >= month_bounds(chosen[-1])[0])
        .group_by(month)
    )
    found = dict(db.session.execute(query).all())
    return [Row(m, m, found.get(m, 0)) for m in reversed(chosen)]
