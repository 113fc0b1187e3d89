"""What a match under amendment still holds on its contribution (issue 11).

An amendment (``portal.letters.amendments``) sends an approved match back to a draft while
its letter stays valid, so the letter's quantities stay reserved: the open
``LetterAmendment`` records them in ``held``. The builder counts them as this match's own
(``available``), submission gives them back just before it reserves the corrected ones
(one transaction, so what was offered is never exceeded), and the camat's return keeps the
submitted quantities reserved as the new ``held``. Matching reads only the model here; the
letters area owns the amendment's moves.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from sqlalchemy import select, update

from portal.extensions import db
from portal.models import Contribution, ContributionItem, LetterAmendment, Match


def open_amendment(match: Match) -> LetterAmendment | None:
    """The amendment in progress on this match, if any."""
    if match.id is None:
        return None
    query = select(LetterAmendment).where(
        LetterAmendment.match_id == match.id, LetterAmendment.status == "open"
    )
    return db.session.scalar(query)


def open_amendments(matches: Iterable[Match]) -> dict[int, LetterAmendment]:
    """The amendments in progress on these matches, by match id (one query)."""
    ids = [match.id for match in matches]
    if not ids:
        return {}
    query = select(LetterAmendment).where(
        LetterAmendment.match_id.in_(ids), LetterAmendment.status == "open"
    )
    return {amendment.match_id: amendment for amendment in db.session.scalars(query)}


def amending_match_ids():
    """A subquery of the matches with an amendment in progress."""
    return select(LetterAmendment.match_id).where(LetterAmendment.status == "open")


def snapshot(match: Match) -> dict:
    """What the match reserves now, in the form ``held`` stores it."""
    if match.contribution.kind == "training":
        return {"items": {}, "seats": len(match.active_members)}
    totals: dict[int, Decimal] = {}
    for member in match.active_members:
        for allocation in member.allocations:
            totals[allocation.item_id] = totals.get(allocation.item_id, 0) + allocation.quantity
    return {"items": {str(k): str(v) for k, v in sorted(totals.items())}, "seats": 0}


def held_items(match: Match) -> dict[int, Decimal]:
    """The quantities held for this draft under amendment, by item id (empty otherwise)."""
    amendment = open_amendment(match) if match.status == "draft" else None
    held = (amendment.held or {}) if amendment else {}
    return {int(k): Decimal(v) for k, v in (held.get("items") or {}).items()}


def held_seats(match: Match) -> int:
    amendment = open_amendment(match) if match.status == "draft" else None
    return int(((amendment.held or {}) if amendment else {}).get("seats") or 0)


def hold(match: Match) -> bool:
    """The camat returned a match under amendment: what it reserved stays reserved, held
    for the draft. False (nothing done) for a match that is not under amendment."""
    amendment = open_amendment(match)
    if amendment is None:
        return False
    amendment.held = snapshot(match)
    return True


def release_held(match: Match) -> None:
    """Submission of a match under amendment: give back what the draft held, just before
    its corrected quantities are reserved in the same transaction."""
    amendment = open_amendment(match)
    if amendment is None:
        return
    held = amendment.held or {}
    for item_id, text in sorted((held.get("items") or {}).items()):
        quantity = Decimal(text)
        db.session.execute(
            update(ContributionItem)
            .where(ContributionItem.id == int(item_id), ContributionItem.reserved >= quantity)
            .values(reserved=ContributionItem.reserved - quantity)
            .execution_options(synchronize_session=False)
        )
    seats = int(held.get("seats") or 0)
    if seats:
        db.session.execute(
            update(Contribution)
            .where(Contribution.id == match.contribution_id, Contribution.seats_reserved >= seats)
            .values(seats_reserved=Contribution.seats_reserved - seats)
            .execution_options(synchronize_session=False)
        )
        db.session.expire(match.contribution, ["seats_reserved"])
    for item in match.contribution.items:
        db.session.expire(item, ["reserved"])
    amendment.held = {}
