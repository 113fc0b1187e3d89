"""Lists and figures: a user's visible contributions filtered, a partner's overview by
status, the timeline of one contribution."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Select, func, select
from sqlalchemy.orm import selectinload

from portal.contributions.access import visible
from portal.core import audit
from portal.extensions import db
from portal.models import Company, Contribution, User
from portal.models.contributions import contribution_sector, contribution_target_group

# --- lists and figures ---------------------------------------------------------------


@dataclass
class ListFilters:
    q: str = ""
    status: str | None = None
    company: int | None = None
    kind: str | None = None
    sector: str | None = None
    target_group: str | None = None
    kecamatan: str | None = None  # an id, or "none" for "Dinsos decides"
    received: bool = False  # only proposals sent in (no drafts, no divided originals)
    month: str | None = None  # "YYYY-MM": sent in that month (WITA)


def received():
    """Proposals sent in: not drafts, and not the originals Dinsos divided (their parts
    count instead). The dashboards count these, and the list can show just these."""
    return Contribution.submitted_at.is_not(None) & (Contribution.status != "split")


def submitted_month():
    """'YYYY-MM' of when a proposal was sent in, in SQL, as the office reads the calendar
    (WITA, UTC+8)."""
    if db.engine.dialect.name == "sqlite":
        return func.strftime("%Y-%m", Contribution.submitted_at, "+8 hours")
    return func.to_char(func.timezone("Asia/Makassar", Contribution.submitted_at), "YYYY-MM")


def list_query(user: User, f: ListFilters) -> Select:
    """The user's visible contributions, filtered and newest first."""
    query = visible(user)
    if f.received:
        query = query.where(received())
    if f.month:
        query = query.where(submitted_month() == f.month)
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
    if f.target_group:
        query = query.where(
            Contribution.id.in_(
                select(contribution_target_group.c.contribution_id).where(
                    contribution_target_group.c.code == f.target_group
                )
            )
        )
    if f.kecamatan == "none":
        query = query.where(Contribution.kecamatan_id.is_(None))
    elif f.kecamatan:
        query = query.where(Contribution.kecamatan_id == int(f.kecamatan))
    # The list shows each one's company and total: loaded for the page at once, not per row.
    return query.order_by(Contribution.updated_at.desc(), Contribution.id.desc()).options(
        selectinload(Contribution.company), selectinload(Contribution.items)
    )


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
        .options(selectinload(Contribution.items))  # one query for every row's items
    )
    for contribution in db.session.scalars(query):
        group = groups[contribution.status]
        group.count += 1
        group.items += len(contribution.items)
        group.value += contribution.total_value
        group.seats += contribution.seats or 0
        group.contributions.append(contribution)
    return [group for group in groups.values() if group.count]


def companies_with_contributions(user: User) -> list[Company]:
    """The companies of the contributions this user may see (for the list's filter)."""
    shown = visible(user).with_only_columns(Contribution.company_id)
    query = select(Company).where(Company.id.in_(shown)).order_by(Company.name)
    return list(db.session.scalars(query))


def timeline(contribution: Contribution) -> list[tuple]:
    """(event, actor) pairs, oldest first, for the contribution's page."""
    return audit.history_with_actors(contribution)


def count_waiting(user: User) -> int:
    """Submitted contributions waiting for this reviewer."""
    query = visible(user).where(Contribution.status == "submitted")
    return db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
