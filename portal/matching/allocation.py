"""The officer's building of a match: creating a draft, adding people (one by one or the N
best), their quantities and removing them; replacing someone who drops out is
``replacement`` (DESIGN sections 3 and 4).

Quantities: what remains of an item for a draft is its quantity, less what submitted and
approved matches reserve (``ContributionItem.reserved``, changed only by submission and
return), less what this draft already allocates (summed in SQL). A draft never allocates
more than that; submission reserves it again by a conditional UPDATE, so drafts racing
each other are caught there. A training contribution allocates seats: one per member.

Each function takes the acting user, checks the rule in ``access`` and raises ``Refusal``
for the whole form; refusals of single rows come back as ``{row key: message}``, the
functions having changed nothing when any row is refused (the view rolls back).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from sqlalchemy import func, select

from portal.core import audit
from portal.core.refusals import Refusal
from portal.core.text import lazy_gettext as _l
from portal.extensions import db
from portal.matching import access, holds
from portal.matching.candidates import context_for, ranked
from portal.matching.flags import flags_of
from portal.matching.members import (
    ONE,
    add_member,
    find_member,
    flag_reason_needed,
    on_match,
    recipients_by_id,
    refusal_for,
)
from portal.models import (
    Contribution,
    ContributionItem,
    Desa,
    Match,
    MatchAllocation,
    MatchMember,
    Recipient,
    User,
)

MAX_QUANTITY = Decimal("99999999999")


@dataclass
class MatchData:
    label: str
    desa_id: int | None = None
    delivery_date: date | None = None


@dataclass
class ItemLeft:
    """One item of the contribution as a draft sees it."""

    item: ContributionItem | None  # None for a training's seats
    offered: Decimal
    reserved: Decimal
    planned: Decimal  # by this match's active members

    @property
    def left(self) -> Decimal:
        return self.offered - self.reserved - self.planned

    @property
    def available(self) -> Decimal:
        """What this match may allocate in all: what submitted and approved matches left."""
        return self.offered - self.reserved


# --- a new draft ----------------------------------------------------------------------


def find_by_token(contribution_id: int, token: str | None) -> Match | None:
    if not token:
        return None
    query = select(Match).where(Match.contribution_id == contribution_id)
    return db.session.scalar(query.where(Match.client_token == token))


def create_match(
    actor: User, contribution: Contribution, data: MatchData, client_token: str | None = None
) -> Match:
    """A new draft for the contribution (the caller commits)."""
    access.check_plan(actor, contribution)
    if data.desa_id is not None:
        desa = db.session.get(Desa, data.desa_id)
        if desa is None or desa.kecamatan_id != contribution.kecamatan_id:
            raise Refusal(_l("Choose a desa of the contribution's kecamatan."), "desa_id")
    match = Match(
        contribution=contribution,
        kecamatan_id=contribution.kecamatan_id,
        label=data.label.strip() or contribution.title,
        desa_id=data.desa_id,
        delivery_date=data.delivery_date,
        status="draft",
        created_by_id=actor.id,
        client_token=client_token,
    )
    db.session.add(match)
    db.session.flush()
    audit.record(actor, "match_created", match, to_state="draft")
    return match


# --- what remains ---------------------------------------------------------------------


def _planned(match: Match) -> dict[int, Decimal]:
    """This match's active allocations per item, summed in SQL."""
    query = (
        select(MatchAllocation.item_id, func.sum(MatchAllocation.quantity))
        .join(MatchMember, MatchAllocation.member_id == MatchMember.id)
        .where(MatchMember.match_id == match.id, MatchMember.status == "active")
        .group_by(MatchAllocation.item_id)
    )
    return {item_id: Decimal(total or 0) for item_id, total in db.session.execute(query)}


def _active_count(match: Match) -> int:
    query = select(func.count()).where(
        MatchMember.match_id == match.id, MatchMember.status == "active"
    )
    return db.session.scalar(query) or 0


def left_of(match: Match) -> list[ItemLeft]:
    """Each item (or the training's seats) with what remains for this match."""
    contribution = match.contribution
    if contribution.kind == "training":
        seats = Decimal(contribution.seats or 0)
        used = Decimal(_active_count(match))
        reserved = Decimal(contribution.seats_reserved or 0) - holds.held_seats(match)
        return [ItemLeft(None, seats, reserved, used)]
    planned = _planned(match)
    # What this draft holds under an amendment of its letter is its own, not another's.
    held = holds.held_items(match)
    return [
        ItemLeft(
            item,
            Decimal(item.quantity),
            Decimal(item.reserved or 0) - held.get(item.id, 0),
            planned.get(item.id, 0),
        )
        for item in contribution.items
    ]


def room_for(match: Match) -> int:
    """How many more people fit at the default share (one of each item, or one seat)."""
    lefts = left_of(match)
    if not lefts:
        return 0
    return max(0, min(int(left.left // ONE) for left in lefts))


# --- adding people --------------------------------------------------------------------


def add_members(actor: User, match: Match, picks: dict[int, str]) -> dict[int, object]:
    """Add the people picked (recipient id → the reason for keeping them if flagged) with
    the default share each. Returns the refusals by recipient id; when there is any,
    nobody is added (the view shows each beside its row)."""
    access.check_edit(actor, match)
    if not picks:
        raise Refusal(_l("Tick at least one candidate."))
    people = recipients_by_id(picks)
    errors, found = _pick_refusals(match, picks, people)
    if errors:
        return errors
    for recipient_id, reason in picks.items():
        person = people[recipient_id]
        add_member(actor, match, person, found.get(person.id, []), reason.strip())
    db.session.flush()
    return {}


def _pick_refusals(match: Match, picks: dict[int, str], people: dict[int, Recipient]):
    """Why each picked person cannot be added (ineligible, flagged without a reason, no
    room left), and the flags of those who can."""
    present = on_match(match)
    errors: dict[int, object] = {}
    for recipient_id in picks:
        refusal = refusal_for(match, people.get(recipient_id), present)
        if refusal is not None:
            errors[recipient_id] = refusal
    eligible = [people[i] for i in picks if i not in errors]
    found = flags_of(match, eligible)
    for person in eligible:
        if found.get(person.id) and not picks[person.id].strip():
            errors[person.id] = flag_reason_needed(person)
    room = room_for(match)
    fitting = [p for p in eligible if p.id not in errors]
    for person in fitting[room:]:
        errors[person.id] = _no_room(match, room)
    return errors, found


def _no_room(match: Match, room: int):
    if match.contribution.kind == "training":
        return _l("No seats remain for this person (%(room)s left).", room=room)
    return _l(
        "What remains of the items is not enough for this person (room for %(room)s more).",
        room=room,
    )


def remove_member(actor: User, match: Match, member_id: int | None) -> Recipient:
    """Take a person off a draft (their shares return to what remains)."""
    access.check_edit(actor, match)
    member = find_member(match, member_id)
    person = member.recipient
    match.members.remove(member)
    db.session.flush()
    return person


# --- quantities and reasons -----------------------------------------------------------


def parse_quantity(raw: str | None) -> Decimal | None:
    """A quantity typed by the officer: 0 or more, at most three decimals; None if not."""
    text = (raw or "").strip().replace(",", ".")
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    if not value.is_finite() or value < 0 or value > MAX_QUANTITY:
        return None
    if value != value.quantize(Decimal("0.001")):
        return None
    return value


def set_shares(
    actor: User,
    match: Match,
    quantities: dict[tuple[int, int], str],
    reasons: dict[int, str],
) -> dict[str, object]:
    """Store the quantities typed ((member id, item id) → text) and the reasons for keeping
    flagged people (member id → text). Returns the refusals by row key (``q-<member>-
    <item>``); when there is any, nothing is changed."""
    access.check_edit(actor, match)
    members = {m.id: m for m in match.active_members}
    items = {item.id: item for item in match.contribution.items}
    wanted, errors = _typed(quantities, members, items)
    errors |= _over_what_remains(match, members, wanted)
    if errors:
        return errors
    for (member_id, item_id), value in wanted.items():
        _share(members[member_id], items[item_id], value)
    for member_id, reason in reasons.items():
        if member_id in members and members[member_id].is_flagged:
            members[member_id].flag_reason = reason.strip()
    db.session.flush()
    return {}


def _typed(quantities, members, items) -> tuple[dict[tuple[int, int], Decimal], dict]:
    """The quantities typed for people and items of the plan, and the refusals of those
    that are not quantities (rows of someone no longer on the plan are left out)."""
    wanted, errors = {}, {}
    for (member_id, item_id), raw in quantities.items():
        if member_id not in members or item_id not in items:
            continue
        value = parse_quantity(raw)
        if value is None:
            errors[f"q-{member_id}-{item_id}"] = _l("Enter a quantity of 0 or more.")
        else:
            wanted[(member_id, item_id)] = value
    return wanted, errors


def _over_what_remains(match: Match, members, wanted) -> dict[str, object]:
    """The rows whose increase takes an item past what submitted and approved matches
    left, each with how much that row could have."""
    current = {
        (m.id, a.item_id): Decimal(a.quantity) for m in members.values() for a in m.allocations
    }
    totals = current | wanted
    errors = {}
    for left in left_of(match):
        item = left.item
        if item is None:
            continue  # a training's seats: one per member, nothing typed
        total = sum((v for (_, i), v in totals.items() if i == item.id), Decimal(0))
        if total <= left.available:
            continue
        for (member_id, item_id), value in wanted.items():
            if item_id == item.id and value > current.get((member_id, item_id), Decimal(0)):
                errors[f"q-{member_id}-{item_id}"] = _l(
                    "Only %(left)s %(unit)s of %(item)s remain.",
                    left=_plain(left.available - (total - value)),
                    unit=item.unit,
                    item=item.name,
                )
    return errors


def _plain(value: Decimal) -> str:
    value = max(value, Decimal(0)).normalize()
    return f"{value:f}"


def _share(member: MatchMember, item: ContributionItem, value: Decimal) -> None:
    allocation = next((a for a in member.allocations if a.item_id == item.id), None)
    if value == 0:
        if allocation is not None:
            member.allocations.remove(allocation)
    elif allocation is None:
        member.allocations.append(MatchAllocation(item=item, quantity=value))
    else:
        allocation.quantity = value


# --- the N best -----------------------------------------------------------------------

PICK_BATCH = 200


def pick_best(actor: User, match: Match, count: int, filters) -> tuple[int, int]:
    """Add the ``count`` best-ranked candidates under ``filters`` who carry no flag (a
    flagged person needs a written reason, so they are added by hand). Returns how many
    were added and how many flagged candidates were passed over on the way."""
    access.check_edit(actor, match)
    room = room_for(match)
    if count > room:
        raise Refusal(_l("What remains is enough for %(room)s more people.", room=room), "count")
    ctx = context_for(match)
    chosen, skipped, offset = [], 0, 0
    while len(chosen) < count:
        batch = ranked(match, filters, offset, PICK_BATCH, ctx=ctx)
        for candidate in batch:
            if len(chosen) == count:
                break
            if candidate.flagged:
                skipped += 1
            else:
                chosen.append(candidate.recipient)
        if len(batch) < PICK_BATCH:
            break
        offset += PICK_BATCH
    if not chosen:
        raise Refusal(_l("No candidate without a flag is left to pick."), "count")
    for person in chosen:
        add_member(actor, match, person, [], "")
    db.session.flush()
    return len(chosen), skipped
