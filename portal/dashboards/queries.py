"""The regency's figures for Dinsos, each one GROUP BY in SQL (never rows loaded into
Python): contributions sent in by kecamatan, company, sector, target group, status and
month, with their estimated value; and coverage, people served against people validated,
per kecamatan. Every figure has a list behind it with as many rows (the links are built in
``views``); ``received()`` is the set the contributions list's "sent in" filter shows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import distinct, func, select

from portal.contributions.queries import received, submitted_month
from portal.core.dates import add_months, utcnow
from portal.dashboards.lists import served_ids
from portal.extensions import db
from portal.models import (
    Company,
    Contribution,
    ContributionItem,
    Kecamatan,
    Recipient,
    User,
)
from portal.models.contributions import contribution_sector, contribution_target_group
from portal.registry.validity import state_condition

MONTHS = 12


@dataclass(frozen=True)
class Row:
    key: object  # what the list behind the figure filters on (an id or a code)
    label: str
    count: int
    value: int = 0  # Rupiah


def _value():
    """The estimated value of the contributions in a group: the sum of quantity × unit
    value of their items, joined directly (one pass, no per-contribution subquery)."""
    return func.coalesce(func.sum(ContributionItem.quantity * ContributionItem.unit_value), 0)


def _grouped(key, label, *joins) -> list[Row]:
    count = func.count(distinct(Contribution.id))
    query = select(key, label, count, _value()).select_from(Contribution)
    for target, condition in joins:
        query = query.join(target, condition)
    query = (
        query.outerjoin(ContributionItem, ContributionItem.contribution_id == Contribution.id)
        .where(received())
        .group_by(key, label)
        .order_by(count.desc(), label)
    )
    return [Row(k, str(lbl), n, int(v or 0)) for k, lbl, n, v in db.session.execute(query)]


def by_kecamatan() -> list[Row]:
    return _grouped(
        Kecamatan.id, Kecamatan.name, (Kecamatan, Kecamatan.id == Contribution.kecamatan_id)
    )


def by_company(limit: int = 10) -> list[Row]:
    rows = _grouped(Company.id, Company.name, (Company, Company.id == Contribution.company_id))
    return rows[:limit]


def by_status() -> list[Row]:
    return _grouped(Contribution.status, Contribution.status)


def by_sector() -> list[Row]:
    table = contribution_sector
    return _grouped(table.c.code, table.c.code, (table, table.c.contribution_id == Contribution.id))


def by_target_group() -> list[Row]:
    table = contribution_target_group
    return _grouped(table.c.code, table.c.code, (table, table.c.contribution_id == Contribution.id))


def by_month(today: date | None = None) -> list[Row]:
    """Contributions sent in per month over the last twelve months, empty months too."""
    today = today or utcnow().date()
    first = add_months(today.replace(day=1), -(MONTHS - 1))
    month = submitted_month()
    query = (
        select(month, func.count(distinct(Contribution.id)), _value())
        .outerjoin(ContributionItem, ContributionItem.contribution_id == Contribution.id)
        .where(received(), month >= first.strftime("%Y-%m"))
        .group_by(month)
    )
    found = {m: (n, int(v or 0)) for m, n, v in db.session.execute(query)}
    rows = []
    for n in range(MONTHS):
        key = add_months(first, n).strftime("%Y-%m")
        count, value = found.get(key, (0, 0))
        rows.append(Row(key, key, count, value))
    return rows


@dataclass(frozen=True)
class Coverage:
    kecamatan_id: int
    name: str
    validated: int
    served: int

    @property
    def percent(self) -> int:
        return round(100 * self.served / self.validated) if self.validated else 0


def coverage(user: User, validated: dict[int, int] | None = None) -> list[Coverage]:
    """Per kecamatan: validated, unexpired, active people, and how many of all its
    people ever received aid through this portal (a handover writes a PORTAL aid record;
    ``access.served``, the condition of the list of people served). ``validated`` per
    kecamatan may be given when the caller counted it already."""
    if validated is None:
        validated = dict(
            db.session.execute(
                select(Recipient.kecamatan_id, func.count())
                .where(state_condition("validated", utcnow()), Recipient.active.is_(True))
                .group_by(Recipient.kecamatan_id)
            ).all()
        )
    # One row per person (a semi-join on the ids served, no DISTINCT to sort), read
    # from ix_recipient_id_places by a few thousand probes, not the 100,000 people.
    served = dict(
        db.session.execute(
            select(Recipient.kecamatan_id, func.count())
            .where(Recipient.id.in_(served_ids(user)))
            .group_by(Recipient.kecamatan_id)
        ).all()
    )
    kecamatan = db.session.execute(select(Kecamatan.id, Kecamatan.name).order_by(Kecamatan.name))
    return [
        Coverage(kid, name, validated.get(kid, 0), served.get(kid, 0))
        for kid, name in kecamatan
        if validated.get(kid) or served.get(kid)
    ]
