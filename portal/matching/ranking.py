"""How candidates for a match are ranked, in SQL, so that every candidate is ranked before
the list is paged (the database sorts them all, the page is a LIMIT of that order).

The order, first key first (DESIGN section 4 and issue 10):

1. fit: how many of the contribution's target groups, then of its sectors, they have;
2. the admin's priority order of target groups (``target_group_priority`` setting);
3. the match's desa before the others (when the match names one);
4. time since their last aid: never first, then the longest ago;
5. family (KK) not already served: nobody else on their KK received aid within the
   look-back window or is on one of this contribution's plans;
6. no NIK warnings before warnings;
7. name, then id, so the order is stable.

Each key is a column of the query (``RankKeys``), so the page can say why in words.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Select, and_, case, exists, func, literal, or_, select
from sqlalchemy.orm import aliased

from portal.core import settings
from portal.models import AidRecord, Match, MatchMember, Recipient
from portal.models.registry import recipient_sector, recipient_target_group
from portal.registry.search import candidates_query, contains

groups_table, sectors_table = recipient_target_group, recipient_sector


@dataclass
class CandidateFilters:
    """What the officer narrowed the candidates to (a name, never a NIK, may be in a URL)."""

    desa_id: int | None = None
    target_group: str | None = None
    sector: str | None = None
    name: str = ""


@dataclass(frozen=True)
class RankContext:
    """What the ranking compares against: the contribution's codes, the priority order,
    the match's desa and the start of the look-back window."""

    match: Match
    groups: tuple[str, ...]
    sectors: tuple[str, ...]
    priority: tuple[str, ...]
    since: date


def rank_context(match: Match, groups, sectors, since: date) -> RankContext:
    return RankContext(
        match=match,
        groups=tuple(groups),
        sectors=tuple(sectors),
        priority=tuple(settings.get("target_group_priority")),
        since=since,
    )


def _count_codes(table, codes: tuple[str, ...]):
    if not codes:
        return literal(0)
    return (
        select(func.count())
        .where(table.c.recipient_id == Recipient.id, table.c.code.in_(codes))
        .scalar_subquery()
    )


def _priority(codes: tuple[str, ...]):
    """The place of the person's first priority group (len(codes) when in none)."""
    if not codes:
        return literal(0)
    place = case({code: n for n, code in enumerate(codes)}, value=groups_table.c.code)
    first = (
        select(func.min(place))
        .where(groups_table.c.recipient_id == Recipient.id, groups_table.c.code.in_(codes))
        .scalar_subquery()
    )
    return func.coalesce(first, len(codes))


def _last_aid():
    return (
        select(func.max(AidRecord.received_on))
        .where(or_(AidRecord.nik == Recipient.nik, AidRecord.recipient_id == Recipient.id))
        .scalar_subquery()
    )


def _family_served(ctx: RankContext):
    """Someone else on the KK received aid in the window or is on one of this
    contribution's plans."""
    other = aliased(Recipient)
    family_aid = exists().where(
        AidRecord.kk == Recipient.kk,
        or_(AidRecord.nik.is_(None), AidRecord.nik != Recipient.nik),
        AidRecord.received_on >= ctx.since,
    )
    on_plans = (
        exists()
        .where(
            other.kk == Recipient.kk,
            other.id != Recipient.id,
            MatchMember.recipient_id == other.id,
            MatchMember.status == "active",
            MatchMember.match_id == Match.id,
            Match.contribution_id == ctx.match.contribution_id,
        )
        .correlate(Recipient)
    )
    served = and_(Recipient.kk.is_not(None), or_(family_aid, on_plans))
    return case((served, 1), else_=0)


def ranked_query(ctx: RankContext, filters: CandidateFilters, now: datetime) -> Select:
    """Every candidate of the match's kecamatan with their rank keys, best first."""
    match = ctx.match
    keys = {
        "group_fit": _count_codes(groups_table, ctx.groups),
        "sector_fit": _count_codes(sectors_table, ctx.sectors),
        "priority": _priority(ctx.priority),
        "other_desa": case((Recipient.desa_id == match.desa_id, 0), else_=1)
        if match.desa_id
        else literal(0),
        "last_aid": _last_aid(),
        "family_served": _family_served(ctx),
        "warned": case((Recipient.warnings != "", 1), else_=0),
    }
    columns = {name: expression.label(name) for name, expression in keys.items()}
    query = filtered(candidates_query(match.kecamatan_id, now), match, filters)
    query = query.order_by(None).add_columns(*columns.values())
    return query.order_by(
        columns["group_fit"].desc(),
        columns["sector_fit"].desc(),
        columns["priority"],
        columns["other_desa"],
        columns["last_aid"].is_not(None),
        columns["last_aid"],
        columns["family_served"],
        columns["warned"],
        Recipient.name,
        Recipient.id,
    )


def filtered(query: Select, match: Match, filters: CandidateFilters) -> Select:
    """The candidates narrowed by the filters, without anyone already on this match."""
    on_match = select(MatchMember.recipient_id).where(MatchMember.match_id == match.id)
    query = query.where(Recipient.id.not_in(on_match))
    if filters.desa_id:
        query = query.where(Recipient.desa_id == filters.desa_id)
    if filters.target_group:
        query = query.where(
            exists().where(
                groups_table.c.recipient_id == Recipient.id,
                groups_table.c.code == filters.target_group,
            )
        )
    if filters.sector:
        query = query.where(
            exists().where(
                sectors_table.c.recipient_id == Recipient.id,
                sectors_table.c.code == filters.sector,
            )
        )
    if filters.name.strip():
        query = query.where(contains(Recipient.name, filters.name.strip()))
    return query
