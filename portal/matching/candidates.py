"""The candidates for a match: validated, unexpired, active recipients of its kecamatan,
every one ranked in SQL (``ranking``) before the list is paged, each on the page with
the reasons for their rank in words and their double-aid flags.

A page costs the same few queries however many candidates there are: the ranked page,
a count, the page's target groups and sectors, and the double-aid rule for the page's
people (``flags.flags_of``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select, text

from portal.core.codes import codes_of
from portal.core.dates import as_utc, utcnow
from portal.core.formatting import long_date
from portal.core.labels import SECTOR_LABELS, TARGET_GROUP_LABELS, label, registry_label
from portal.core.paging import Page
from portal.core.text import lazy_gettext as _l
from portal.extensions import db
from portal.matching.flags import flags_of
from portal.matching.ranking import (
    CandidateFilters,
    RankContext,
    filtered,
    groups_table,
    rank_context,
    ranked_page,
    sectors_table,
)
from portal.models import Desa, Match, Recipient
from portal.registry.double_aid import window_start
from portal.registry.search import candidates_query

PER_PAGE = 25


@dataclass
class Candidate:
    """One ranked candidate: their place in the whole ranking, why, and their flags."""

    recipient: Recipient
    place: int
    reasons: list[str]
    flags: list[dict] = field(default_factory=list)

    @property
    def flagged(self) -> bool:
        return bool(self.flags)


def context_for(match: Match) -> RankContext:
    groups, sectors = codes_of(match.contribution)
    return rank_context(match, groups, sectors, window_start())


def ranked(
    match: Match,
    filters: CandidateFilters,
    offset: int = 0,
    limit: int = PER_PAGE,
    now: datetime | None = None,
    ctx: RankContext | None = None,
) -> list[Candidate]:
    """The candidates from place ``offset + 1`` on, at most ``limit``, with reasons and
    flags."""
    ctx = ctx or context_for(match)
    now = as_utc(now or utcnow())
    if db.session.get_bind().dialect.name == "postgresql":
        # Ranking thousands of rows looks costly enough for PostgreSQL to compile it
        # (JIT), which takes longer than the query itself; for this transaction, no JIT.
        db.session.execute(text("SET LOCAL jit = off"))
    rows = db.session.execute(ranked_page(ctx, filters, now, offset, limit)).all()
    people = [row[0] for row in rows]
    _load_desas(people)
    groups, sectors = _codes([p.id for p in people])
    found = flags_of(match, people)
    return [
        Candidate(
            recipient=person,
            place=offset + n,
            reasons=reasons(
                ctx, person, row._mapping, groups.get(person.id, []), sectors.get(person.id, [])
            ),
            flags=found.get(person.id, []),
        )
        for n, (person, row) in enumerate(zip(people, rows, strict=True), start=1)
    ]


def candidates_page(
    match: Match, filters: CandidateFilters, number: int = 1, now: datetime | None = None
) -> Page:
    """One page of the ranking (every candidate ranked first), and how many there are."""
    now = as_utc(now or utcnow())
    total = count(match, filters, now)
    pages = max(1, math.ceil(total / PER_PAGE))
    number = min(max(number, 1), pages)
    items = ranked(match, filters, (number - 1) * PER_PAGE, PER_PAGE, now)
    return Page(items=items, page=number, per_page=PER_PAGE, total=total)


def _load_desas(people: list[Recipient]) -> None:
    """The page's desas in one query (after the ranking, which so sorts narrower rows);
    each ``person.desa`` then comes from the session without a query."""
    ids = {p.desa_id for p in people if p.desa_id}
    if ids:
        db.session.scalars(select(Desa).where(Desa.id.in_(ids))).all()


def count(match: Match, filters: CandidateFilters, now: datetime) -> int:
    query = filtered(candidates_query(match.kecamatan_id, now), match, filters)
    ids = query.order_by(None).with_only_columns(Recipient.id).subquery()
    return db.session.scalar(select(func.count()).select_from(ids)) or 0


def _codes(ids: list[int]) -> tuple[dict[int, list[str]], dict[int, list[str]]]:
    """The target groups and sectors of these people, in two queries."""
    result = ({}, {})
    if not ids:
        return result
    for table, found in zip((groups_table, sectors_table), result, strict=True):
        query = select(table.c.recipient_id, table.c.code).where(table.c.recipient_id.in_(ids))
        for recipient_id, code in db.session.execute(query):
            found.setdefault(recipient_id, []).append(code)
    return result


def reasons(
    ctx: RankContext, person: Recipient, keys, groups: list[str], sectors: list[str]
) -> list[str]:
    """Why a candidate ranks where they do, in words, one reason per rank key that
    speaks for or against them (``keys``: the rank keys of their row)."""
    words = _fit_words(ctx, groups, sectors)
    result = [", ".join(words)] if words else []
    if not words and (ctx.groups or ctx.sectors):
        result.append(str(_l("outside the contribution's target groups and sectors")))
    if ctx.match.desa_id and person.desa_id == ctx.match.desa_id and person.desa:
        result.append(str(_l("lives in %(desa)s", desa=person.desa.name)))
    if keys["last_aid"] is None:
        result.append(str(_l("never received aid")))
    else:
        result.append(str(_l("last aid %(date)s", date=long_date(keys["last_aid"]))))
    if keys["family_served"]:
        result.append(str(_l("same KK as another recipient")))
    if person.warning_codes:
        codes = ", ".join(registry_label("warning", code) for code in person.warning_codes)
        result.append(str(_l("NIK to check: %(warnings)s", warnings=codes)))
    return result


def _fit_words(ctx: RankContext, groups: list[str], sectors: list[str]) -> list[str]:
    """The person's groups the contribution or the priority order asks for (the
    contribution's first), and the sectors the contribution asks for."""
    wanted = [g for g in ctx.groups if g in groups]
    wanted += [g for g in ctx.priority if g in groups and g not in wanted]
    words = [label(TARGET_GROUP_LABELS, g) for g in wanted]
    words += [label(SECTOR_LABELS, s) for s in ctx.sectors if s in sectors]
    return words
