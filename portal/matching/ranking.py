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

Each key is a column of the query, so the page can say why in words. The query ranks
ids only (the sort then carries a few narrow columns, not whole rows); the page loads
its own people afterwards.

How the keys are computed depends on the engine (the values are the same, the tests
prove it on both). SQLite joins only by nested loops, so each key is a correlated
look-up by an index per candidate, which is the cheapest it can do. PostgreSQL runs a
correlated subquery as a SubPlan per row, several times dearer; there the keys come
from grouped derived tables over the candidates joined back to them, which
it answers with hash joins (or index nested loops where the statistics say so).
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


def _fit_rows(ctx: RankContext) -> list[tuple[Select, object]]:
    """The rows keys 1 and 2 are summed from, with the table each comes from: one per
    wanted target group or sector a person has, each with its weight and its place in
    the priority order."""
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
        rows = select(groups_table.c.recipient_id.label("rid"), weight.label("weight"))
        rows = rows.add_columns(place.label("place")).where(code.in_(group_codes))
        parts.append((rows, groups_table))
    if sectors:
        rows = select(
            sectors_table.c.recipient_id.label("rid"),
            literal(width).label("weight"),
            literal(len(priority)).label("place"),
        ).where(sectors_table.c.code.in_(sectors))
        parts.append((rows, sectors_table))
    return parts


def _score(ctx: RankContext, rows):
    """Keys 1 and 2 as one number: ``group fit × (S + 1)(P + 1) + sector fit × (P + 1) +
    (P − place)``, where S and P are how many sectors and priority groups there are and
    ``place`` the position of the person's first priority group (P when in none);
    higher ranks first."""
    return func.sum(rows.c.weight) + len(ctx.priority) - func.min(rows.c.place)


def _fit_score(ctx: RankContext):
    """Keys 1 and 2 from one correlated look at the person's groups and sectors."""
    parts = [
        rows.where(table.c.recipient_id == Recipient.id).correlate(Recipient)
        for rows, table in _fit_rows(ctx)
    ]
    if not parts:
        return literal(0)
    rows = (parts[0] if len(parts) == 1 else union_all(*parts)).subquery()
    return func.coalesce(select(_score(ctx, rows)).scalar_subquery(), 0)


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


def _family_aid(ctx: RankContext):
    """Someone else on the person's KK received aid in the window (correlated)."""
    return (
        select(AidRecord.id)  # the rowid: answered from the (kk, received_on, nik) index
        .where(
            AidRecord.kk == Recipient.kk,
            AidRecord.received_on >= ctx.since,
            or_(AidRecord.nik.is_(None), AidRecord.nik != Recipient.nik),
        )
        .exists()
    )


def _correlated_keys(ctx: RankContext, query: Select, people=None) -> tuple[Select, dict]:
    """The fit, last aid and family aid as correlated look-ups per candidate (SQLite)."""
    keys = {"fit": _fit_score(ctx), "last_aid": _last_aid(), "family_aid": _family_aid(ctx)}
    return query, keys


def _joined_keys(ctx: RankContext, query: Select, people) -> tuple[Select, dict]:
    """The same keys from grouped derived tables over the candidates (``people``: their
    ids, NIKs and KKs), joined to them (PostgreSQL)."""
    people = people.cte("people")  # referenced four times: computed once
    by_nik = select(people.c.id.label("rid"), AidRecord.received_on.label("day")).join(
        AidRecord, AidRecord.nik == people.c.nik
    )
    by_link = select(AidRecord.recipient_id.label("rid"), AidRecord.received_on.label("day")).join(
        people, people.c.id == AidRecord.recipient_id
    )
    days = union_all(by_nik, by_link).subquery()
    last = select(days.c.rid, func.max(days.c.day).label("day")).group_by(days.c.rid)
    last = last.subquery("last_aid_of")
    family = (
        select(people.c.id.label("rid"))
        .join(AidRecord, AidRecord.kk == people.c.kk)
        .where(
            AidRecord.received_on >= ctx.since,
            or_(AidRecord.nik.is_(None), AidRecord.nik != people.c.nik),
        )
        .distinct()
        .subquery("family_aid_of")
    )
    query = query.outerjoin(last, last.c.rid == Recipient.id)
    query = query.outerjoin(family, family.c.rid == Recipient.id)
    keys = {"fit": literal(0), "last_aid": last.c.day, "family_aid": family.c.rid.is_not(None)}
    parts = [
        rows.join_from(table, people, people.c.id == table.c.recipient_id)
        for rows, table in _fit_rows(ctx)
    ]
    if parts:
        rows = (parts[0] if len(parts) == 1 else union_all(*parts)).subquery()
        fit = select(rows.c.rid, _score(ctx, rows).label("score")).group_by(rows.c.rid)
        fit = fit.subquery("fit_of")
        query = query.outerjoin(fit, fit.c.rid == Recipient.id)
        keys["fit"] = func.coalesce(fit.c.score, 0)
    return query, keys


def _family_served(family_aid, planned_kks: dict[str, set[int]]):
    """Someone else on the KK received aid in the window (``family_aid``) or is on one
    of this contribution's plans (``planned_kks``: each planned KK with its members' ids)."""
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
    """The id of every candidate of the match's kecamatan with their rank keys, best
    first."""
    match = ctx.match
    query = filtered(candidates_query(match.kecamatan_id, now), match, filters)
    query = query.order_by(None).with_only_columns(Recipient.id)
    joined = db.session.get_bind().dialect.name == "postgresql"
    people = query.with_only_columns(Recipient.id, Recipient.nik, Recipient.kk)
    query, aid_keys = (_joined_keys if joined else _correlated_keys)(ctx, query, people)
    keys = {
        "fit": aid_keys["fit"],
        "other_desa": case((Recipient.desa_id == match.desa_id, 0), else_=1)
        if match.desa_id
        else literal(0),
        "last_aid": aid_keys["last_aid"],
        "family_served": _family_served(aid_keys["family_aid"], planned_kks(match)),
        "warned": case((Recipient.warnings != "", 1), else_=0),
    }
    columns = {name: expression.label(name) for name, expression in keys.items()}
    return query.add_columns(*columns.values()).order_by(*_order(columns, Recipient))


def ranked_page(
    ctx: RankContext, filters: CandidateFilters, now: datetime, offset: int, limit: int
) -> Select:
    """The candidates from place ``offset + 1`` on, at most ``limit``, best first: each
    person with their rank keys. The ranking sorts ids only; the page's whole rows are
    joined to the few it keeps."""
    page = ranked_query(ctx, filters, now).offset(offset).limit(limit).subquery("ranked")
    keys = {name: page.c[name] for name in RANK_KEYS}
    query = select(Recipient, *keys.values()).join(page, page.c.id == Recipient.id)
    return query.order_by(*_order(keys, Recipient))


RANK_KEYS = ("fit", "other_desa", "last_aid", "family_served", "warned")


def _order(columns: dict, person) -> list:
    return [
        columns["fit"].desc(),
        columns["other_desa"],
        # A bare column name, so SQLite sorts by the computed column (an expression over
        # it would compute the subquery again).
        columns["last_aid"].asc().nulls_first(),
        columns["family_served"],
        columns["warned"],
        person.name,
        person.id,
    ]


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
