"""The people on a match: finding them, why someone cannot join, and adding one with
their shares. The builder (``allocation``) and the replacement of someone who drops out
(``replacement``) both add people this way."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from sqlalchemy import select

from portal.core.refusals import Refusal
from portal.core.text import lazy_gettext as _l
from portal.extensions import db
from portal.matching.checks import recipient_refusal
from portal.models import ContributionItem, Match, MatchAllocation, MatchMember, Recipient, User

ONE = Decimal(1)


def recipients_by_id(ids: Iterable[int]) -> dict[int, Recipient]:
    """The recipients with these ids, in one query."""
    ids = set(ids)
    if not ids:
        return {}
    return {r.id: r for r in db.session.scalars(select(Recipient).where(Recipient.id.in_(ids)))}


def on_match(match: Match) -> set[int]:
    """The recipient ids on the match in any state (nobody joins twice)."""
    query = select(MatchMember.recipient_id).where(MatchMember.match_id == match.id)
    return set(db.session.scalars(query))


def refusal_for(match: Match, recipient: Recipient | None, present: set[int]):
    """Why ``recipient`` cannot join the match (``present``: who is on it already)."""
    if recipient is None:
        return _l("This person is not in the registry.")
    if recipient.id in present:
        return _l("%(name)s is already on this plan.", name=recipient.name)
    refusal = recipient_refusal(recipient, match)
    return refusal.message if refusal is not None else None


def flag_reason_needed(recipient: Recipient):
    """The refusal of a flagged person added without a written reason."""
    return _l(
        "%(name)s already received similar aid: write why they are kept.", name=recipient.name
    )


def add_member(
    actor: User,
    match: Match,
    person: Recipient,
    flags: list[dict],
    reason: str,
    shares: list[tuple[ContributionItem, Decimal]] | None = None,
) -> MatchMember:
    """A new active member with ``shares`` (by default one of each item; none for a
    training, whose members take a seat each)."""
    position = max((m.position for m in match.members), default=0) + 1
    member = MatchMember(
        match=match,
        recipient=person,
        position=position,
        status="active",
        flags=flags,
        flag_reason=reason if flags else "",
        added_by_id=actor.id,
    )
    if shares is None and match.contribution.kind != "training":
        shares = [(item, ONE) for item in match.contribution.items]
    member.allocations = [MatchAllocation(item=item, quantity=q) for item, q in shares or ()]
    db.session.add(member)
    return member


def find_member(match: Match, member_id: int | None) -> MatchMember:
    """The match's active member with this id, refusing any other (a forged id)."""
    member = db.session.get(MatchMember, member_id) if member_id else None
    if member is None or member.match_id != match.id or member.status != "active":
        raise Refusal(_l("This person is not on the plan."))
    return member
