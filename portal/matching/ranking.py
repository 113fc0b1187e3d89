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

Each key is a column of the query, so the page can say why in words. Each is one
correlated look-up by an index (or a short IN list) per candidate.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Select, and_, case, func, literal, or_, select, union_all

from portal.core import settings
from portal.extensions import db
from portal.models import AidRecord, Match, MatchMember, Recipient
from portal.models.registry import recipient_sector, recipient_target_group
from portal.registry.search import candidates_query, carries, contains

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


def _fit_score(ctx: RankContext):
    """Keys 1 and 2 as one number, from one look at the person's groups and sectors:
    ``group fit × (S + 1)(P + 1) + sector fit × (P + 1) + (P − place)``, where S and P
    are how many sectors and priority groups there are and ``place`` the position of the
    person's first priority group (P when in none); higher ranks first."""
    groups, sectors, priority = ctx.groups, ctx.sectors, ctx.priority
    width = len(priority) + 1
    group_weight = (len(sectors) + 1) * width
    parts = []
    group_codes = tuple(dict.fromkeys(groups + priority))
    if group_codes:
        code = groups_table.c.code
        weight = case((code.in_(groups), group_weight), else_=0) if groups else literal(0)
        place = (
            case({c: n for n, c in enumerate(priority)}, value=code, else_=len(priority))
            if priority
            else literal(0)
        )
        parts.append(
            select(weight.label("weight"), place.label("place"))
            .where(groups_table.c.recipient_id == Recipient.id, code.in_(group_codes))
            .correlate(Recipient)
        )
    if sectors:
        parts.append(
            select(literal(width).label("weight"), literal(len(priority)).label("place"))
            .where(sectors_table.c.recipient_id == Recipient.id, sectors_table.c.code.in_(sectors))
            .correlate(Recipient)
        )
    if not parts:
        return literal(0)
    rows = (parts[0] if len(parts) == 1 else union_all(*parts)).subquery()
    score = select(func.sum(rows.c.weight) + len(priority) - func.min(rows.c.place))
    return func.coalesce(score.scalar_subquery(), 0)


def _last_aid():
    """The person's latest aid, by NIK or by a link to their record: one correlated
    subquery of two index look-ups (an expression over two subqueries would be computed
    again wherever the ORDER BY uses it)."""
    by_nik = select(func.max(AidRecord.received_on).label("day")).where(
        AidRecord.nik == Recipient.nik
    )
    by_link = select(func.max(AidRecord.received_on).label("day")).where(
        AidRecord.recipient_id == Recipient.id
    )
    days = union_all(by_nik.correlate(Recipient), by_link.correlate(Recipient)).subquery()
    return select(func.max(days.c.day)).scalar_subquery()


def _family_served(ctx: RankContext, planned_kks: dict[str, set[int]]):
    """Someone else on the KK received aid in the window or is on one of this
    contribution's plans (``planned_kks``: each planned KK with its members' ids)."""
    family_aid = (
        select(AidRecord.id)  # the rowid: answered from the (kk, received_on, nik) index
        .where(
            AidRecord.kk == Recipient.kk,
            AidRecord.received_on >= ctx.since,
            or_(AidRecord.nik.is_(None), AidRecord.nik != Recipient.nik),
        )
        .exists()
    )
    conditions = [family_aid]
    shared = [kk for kk, ids in planned_kks.items() if len(ids) > 1]
    single = {kk: next(iter(ids)) for kk, ids in planned_kks.items() if len(ids) == 1}
    if shared:
        conditions.append(Recipient.kk.in_(shared))
    if single:
        conditions.append(
            and_(Recipient.kk.in_(list(single)), Recipient.id.not_in(list(single.values())))
        )
    served = and_(Recipient.kk.is_not(None), or_(*conditions))
    return case((served, 1), else_=0)


def planned_kks(match: Match) -> dict[str, set[int]]:
    """The KKs of everyone on this contribution's plans, with their members' ids."""
    query = (
        select(Recipient.kk, Recipient.id)
        .join(MatchMember, MatchMember.recipient_id == Recipient.id)
        .join(Match, MatchMember.match_id == Match.id)
        .where(
            Match.contribution_id == match.contribution_id,
            MatchMember.status == "active",
            Recipient.kk.is_not(None),
        )
    )
    found: dict[str, set[int]] = {}
    for kk, recipient_id in db.session.execute(query):
        found.setdefault(kk, set()).add(recipient_id)
    return found


def ranked_query(ctx: RankContext, filters: CandidateFilters, now: datetime) -> Select:
    """Every candidate of the match's kecamatan with their rank keys, best first."""
    match = ctx.match
    keys = {
        "fit": _fit_score(ctx),
        "other_desa": case((Recipient.desa_id == match.desa_id, 0), else_=1)
        if match.desa_id
        else literal(0),
        "last_aid": _last_aid(),
        "family_served": _family_served(ctx, planned_kks(match)),
        "warned": case((Recipient.warnings != "", 1), else_=0),
    }
    columns = {name: expression.label(name) for name, expression in keys.items()}
    query = filtered(candidates_query(match.kecamatan_id, now), match, filters)
    query = query.order_by(None).add_columns(*columns.values())
    return query.order_by(
        columns["fit"].desc(),
        columns["other_desa"],
        # A bare column name, so SQLite sorts by the computed column (an expression over
        # it would compute the subquery again).
        columns["last_aid"].asc().nulls_first(),
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
        query = query.where(carries(groups_table, filters.target_group))
    if filters.sector:
        query = query.where(carries(sectors_table, filters.sector))
    if filters.name.strip():
        query = query.where(contains(Recipient.name, filters.name.strip()))
    return query
