"""Planned aid: what a person is to receive from a submitted or approved match (rencana
penyaluran) that has not been handed over yet, or from an approved match sent back to
amend its letter (the letter stays valid until the amended one replaces it). The
double-aid rule counts it like aid received, so one person is not planned twice before
any handover; the NIK lookup and the person page list it beside the aid history, marked
as planned.

A planned aid reads like an ``AidRecord`` (the same attributes the aid table and the
double-aid rule use), with ``planned`` set and the match and contribution it comes from.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload, selectinload

from portal.extensions import db
from portal.models import (
    Contribution,
    LetterAmendment,
    Match,
    MatchAllocation,
    MatchMember,
    Recipient,
)
from portal.models.matching import RESERVING_STATES


def amending_match_ids():
    """Matches sent back to a draft to amend their letter, which stays valid meanwhile:
    their people are still planned (``portal.matching.holds`` keeps their quantities)."""
    return select(LetterAmendment.match_id).where(LetterAmendment.status == "open")


@dataclass(frozen=True)
class PlannedAid:
    """One active member's share of a submitted or approved match."""

    nik: str | None
    kk: str | None
    recipient_id: int
    recipient: Recipient
    category_id: int | None
    category: object
    received_on: date  # the planned delivery date
    source: str
    programme: str  # the contribution and its company
    description: str  # the match's label
    value: int | None
    match_id: int
    match_status: str
    company: str
    planned: bool = True


def planned_for(
    niks: Iterable[str] = (),
    kks: Iterable[str] = (),
    ids: Iterable[int] = (),
    exclude_match_id: int | None = None,
) -> list[PlannedAid]:
    """Planned aid of anyone with one of these NIKs, KKs or recipient ids, newest first,
    in a fixed number of queries however many people are asked about."""
    niks, kks, ids = set(niks), set(kks), set(ids)
    conditions = []
    if niks:
        conditions.append(Recipient.nik.in_(niks))
    if kks:
        conditions.append(Recipient.kk.in_(kks))
    if ids:
        conditions.append(Recipient.id.in_(ids))
    if not conditions:
        return []
    query = (
        select(MatchMember)
        .join(Recipient, MatchMember.recipient_id == Recipient.id)
        .join(Match, MatchMember.match_id == Match.id)
        .where(
            or_(*conditions),
            MatchMember.status == "active",
            or_(Match.status.in_(RESERVING_STATES), Match.id.in_(amending_match_ids())),
        )
        .options(
            joinedload(MatchMember.recipient),
            joinedload(MatchMember.match)
            .joinedload(Match.contribution)
            .options(joinedload(Contribution.company), joinedload(Contribution.aid_category)),
            selectinload(MatchMember.allocations).joinedload(MatchAllocation.item),
        )
    )
    if exclude_match_id is not None:
        query = query.where(Match.id != exclude_match_id)
    planned = [_planned(member) for member in db.session.scalars(query).unique()]
    return sorted(planned, key=lambda p: (p.received_on, p.match_id), reverse=True)


def _planned(member: MatchMember) -> PlannedAid:
    match = member.match
    contribution = match.contribution
    when = match.delivery_date or contribution.planned_date
    if when is None:
        moment = match.approved_at or match.submitted_at or match.created_at
        when = moment.date() if moment else date.today()
    value = sum(int(a.quantity * a.item.unit_value) for a in member.allocations)
    return PlannedAid(
        nik=member.recipient.nik,
        kk=member.recipient.kk,
        recipient_id=member.recipient_id,
        recipient=member.recipient,
        category_id=contribution.aid_category_id,
        category=contribution.aid_category,
        received_on=when,
        source="PORTAL",
        programme=f"{contribution.title} · {contribution.company.name}",
        description=match.label,
        value=value or None,
        match_id=match.id,
        match_status=match.status,
        company=contribution.company.name,
    )
