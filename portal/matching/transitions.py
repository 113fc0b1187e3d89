"""A match's moves (DESIGN sections 3 and 4): the officer submits it to the camat, the
camat returns it with a note or approves it (which numbers the letter), and the officer
closes what remains of a contribution. Each function checks the actor's right and the
state first (``access``), raises ``Refusal`` before changing anything, writes the audit
event and notifies the other side. The caller commits (views use ``attempt``).

Quantities and concurrency. A submitted or approved match reserves what it allocates on
the contribution, and every move is a conditional UPDATE that only succeeds while its
condition still holds in the database, whatever this session read before:

- the match moves ``UPDATE match_plan SET status = :to WHERE id = :id AND status = :from``,
  so a double click or a second tab finds no row and is told it was already done;
- each item is reserved by ``UPDATE contribution_item SET reserved = reserved + :q WHERE
  id = :id AND reserved + :q <= quantity`` (seats likewise against ``seats``): two
  officers submitting for the last unit at once both run it, the database serialises the
  two writes on the row (PostgreSQL re-checks the condition on the committed row, SQLite
  holds one writer at a time), and the second matches no row and is refused with what
  remains; the whole submission rolls back, so nothing is half reserved;
- the letter number is taken the same way (``numbering.claim``), in the approving
  transaction, so a failed approval takes no number.
"""

from __future__ import annotations

import importlib.util
from collections import defaultdict
from datetime import datetime
from decimal import Decimal

from sqlalchemy import func, select, update
from sqlalchemy.orm.attributes import set_committed_value
from werkzeug.security import check_password_hash

from portal.contributions.access import APPROVED_MATCH_STATES, company_staff
from portal.core import audit
from portal.core.dates import utcnow
from portal.core.formatting import quantity
from portal.core.notify import kecamatan_officers, notify, path_for
from portal.core.refusals import Refusal
from portal.core.text import N_
from portal.core.text import lazy_gettext as _l
from portal.extensions import db
from portal.matching import access, checks, holds, numbering
from portal.models import Contribution, ContributionItem, Match, User
from portal.models.matching import RESERVING_STATES

# Once approved, a match stays approved (handed over and monitored come after).
APPROVED_STATES = APPROVED_MATCH_STATES
# How often approval takes the next number when other approvals keep taking it first.
NUMBER_TRIES = 20


class AlreadyDone(Refusal):
    """The move was already made (a double click, a retry, a second tab): the page says
    so as information, not as an error."""


# --- submit --------------------------------------------------------------------------


def submit(match: Match, actor: User) -> None:
    """draft → submitted: the match reserves its quantities and goes to the camat."""
    if match.status == "submitted" and access.is_builder(actor, match.kecamatan_id):
        raise AlreadyDone(_l("This plan has already been submitted to the camat."))
    access.check_edit(actor, match)
    _refresh_flags(match)
    checks.check_ready(match)
    _check_allocations(match)
    moved = move(
        match,
        "draft",
        "submitted",
        submitted_at=utcnow(),
        submitted_by_id=actor.id,
        status_reason="",
    )
    if not moved:
        raise AlreadyDone(_l("This plan has already been submitted to the camat."))
    amendment = holds.open_amendment(match)
    holds.release_held(match)  # an amended letter's quantities, swapped for the corrected
    reserve(match)
    _start_allocating(match.contribution, actor)
    audit.record(actor, "match_submitted", match, "draft", "submitted")
    message = N_('The handover plan "%(label)s" of %(company)s waits for your approval.')
    if amendment is not None:
        message = N_(
            'The amended handover plan "%(label)s" of %(company)s, replacing letter '
            "%(number)s, waits for your approval."
        )
    number = amendment.letter.number if amendment is not None else ""
    notify(
        camats_of(match.kecamatan_id),
        message,
        link_to(match),
        **message_params(match, number=number),
    )


def _refresh_flags(match: Match) -> None:
    """Check every member against the double-aid rule again, when the builder's module is
    there (``portal.matching.flags``); submission then refuses a new flag without reason."""
    if importlib.util.find_spec("portal.matching.flags") is None:
        return
    from portal.matching.flags import refresh_flags

    refresh_flags(match)


def _check_allocations(match: Match) -> None:
    """Everyone on an item match receives something (training allocates seats)."""
    if match.contribution.kind == "training":
        return
    for member in match.active_members:
        if not any(a.quantity and a.quantity > 0 for a in member.allocations):
            raise Refusal(
                _l(
                    "%(name)s receives nothing yet: set what they receive.",
                    name=member.recipient.name,
                )
            )


def _start_allocating(contribution: Contribution, actor: User) -> None:
    """The first submitted match moves its contribution accepted → allocating (once, even
    when two are submitted at the same moment)."""
    result = db.session.execute(
        update(Contribution)
        .where(Contribution.id == contribution.id, Contribution.status == "accepted")
        .values(status="allocating")
        .execution_options(synchronize_session=False)
    )
    if result.rowcount == 1:
        set_committed_value(contribution, "status", "allocating")
        audit.record(
            actor, "contribution_allocation_started", contribution, "accepted", "allocating"
        )


# --- quantities ----------------------------------------------------------------------


def planned_quantities(match: Match) -> dict[int, Decimal]:
    """What the match's active members receive, by contribution item id."""
    totals: dict[int, Decimal] = defaultdict(Decimal)
    for member in match.active_members:
        for allocation in member.allocations:
            totals[allocation.item_id] += Decimal(allocation.quantity)
    return dict(totals)


def reserve(match: Match) -> None:
    """Hold the match's quantities (or seats) on its contribution, refusing what would go
    past what was offered; see the module's docstring for why this is safe."""
    contribution = match.contribution
    if contribution.kind == "training":
        _reserve_seats(contribution, len(match.active_members))
        return
    for item_id, needed in sorted(planned_quantities(match).items()):
        result = db.session.execute(
            update(ContributionItem)
            .where(
                ContributionItem.id == item_id,
                ContributionItem.contribution_id == contribution.id,
                ContributionItem.reserved + needed <= ContributionItem.quantity,
            )
            .values(reserved=ContributionItem.reserved + needed)
            .execution_options(synchronize_session=False)
        )
        if result.rowcount != 1:
            raise _not_enough(item_id, needed)
    _forget_reserved(contribution)


def release(match: Match) -> None:
    """Give the match's quantities (or seats) back to its contribution."""
    contribution = match.contribution
    if contribution.kind == "training":
        _change_seats(contribution, -len(match.active_members))
        return
    for item_id, held in sorted(planned_quantities(match).items()):
        db.session.execute(
            update(ContributionItem)
            .where(ContributionItem.id == item_id, ContributionItem.reserved >= held)
            .values(reserved=ContributionItem.reserved - held)
            .execution_options(synchronize_session=False)
        )
    _forget_reserved(contribution)


def _reserve_seats(contribution: Contribution, seats: int) -> None:
    if not _change_seats(contribution, seats):
        remaining = db.session.execute(
            select(func.coalesce(Contribution.seats, 0) - Contribution.seats_reserved).where(
                Contribution.id == contribution.id
            )
        ).scalar()
        raise Refusal(
            _l(
                "Only %(remaining)s seats remain; this plan needs %(needed)s.",
                remaining=max(remaining or 0, 0),
                needed=seats,
            )
        )


def _change_seats(contribution: Contribution, seats: int) -> bool:
    total = Contribution.seats_reserved + seats
    result = db.session.execute(
        update(Contribution)
        .where(Contribution.id == contribution.id, total >= 0, total <= Contribution.seats)
        .values(seats_reserved=total)
        .execution_options(synchronize_session=False)
    )
    db.session.expire(contribution, ["seats_reserved"])
    return result.rowcount == 1


def _not_enough(item_id: int, needed: Decimal) -> Refusal:
    item = db.session.get(ContributionItem, item_id)
    remaining = db.session.execute(
        select(ContributionItem.quantity - ContributionItem.reserved).where(
            ContributionItem.id == item_id
        )
    ).scalar()
    return Refusal(
        _l(
            "Only %(remaining)s %(unit)s of %(item)s remain; this plan needs %(needed)s.",
            remaining=quantity(remaining),
            unit=item.unit,
            item=item.name,
            needed=quantity(needed),
        )
    )


def _forget_reserved(contribution: Contribution) -> None:
    """The conditional updates bypassed the session: read ``reserved`` again when asked."""
    for item in contribution.items:
        db.session.expire(item, ["reserved"])


# --- the camat's decision ------------------------------------------------------------


def return_(match: Match, actor: User, note: str) -> None:
    """submitted → draft with the camat's note; the quantities go back to the contribution."""
    access.check_decide(actor, match)
    note = (note or "").strip()
    if not note:
        raise Refusal(_l("Write what the officer should change."), field="note")
    if not move(match, "submitted", "draft", status_reason=note):
        raise AlreadyDone(_l("This plan has already been decided."))
    if not holds.hold(match):  # an amended letter's plan keeps its quantities held
        release(match)
    audit.record(actor, "match_returned", match, "submitted", "draft", note)
    _complete_if_closed(match.contribution, actor)
    notify(
        kecamatan_officers(match.kecamatan_id),
        N_('The camat returned the handover plan "%(label)s": %(reason)s'),
        link_to(match),
        **message_params(match, reason=note),
    )


def approve(
    match: Match, actor: User, password: str, *, at: datetime | None = None
) -> numbering.LetterNumber:
    """submitted → approved: the camat confirms with their password, the letter gets the
    next number of the kecamatan and year, and the approval records who and when.

    The number is read, the letter issued with it (``numbering.issue_letter``), and only
    then taken by the conditional counter update; when another approval took it meanwhile,
    the next one is tried. A second approval of the same match (a double click, a retry,
    two tabs) finds it approved and is told so; it takes no number. ``at`` (by default
    now) is the moment of approval: the demo data approves its older plans in the past."""
    _refuse_if_approved(match, actor)
    access.check_decide(actor, match)
    if not check_password_hash(actor.password_hash, password or ""):
        raise Refusal(_l("The password is not correct."), field="password")
    if match.contribution.status not in access.BUILDABLE_CONTRIBUTION_STATES:
        raise Refusal(_l("The contribution is no longer open for handover."))
    checks.check_ready(match)
    moment = at or utcnow()
    on = numbering.letter_date(moment)
    # The letter names the moment and the signer; the conditional move below records them.
    match.approved_at, match.approved_by = moment, actor
    for _ in range(NUMBER_TRIES):
        number = numbering.next_number(match, on)
        letter = numbering.issue_letter(match, number, actor)
        with db.session.no_autoflush:  # the letter stays pending until its number is ours
            claimed = numbering.claim(number)
        if claimed:
            _record_approval(match, actor, number)
            numbering.letter_approved(match, letter, actor)
            return number
        db.session.expunge(letter)  # made with a number another approval took
        if _status_in_database(match) != "submitted":
            raise AlreadyDone(_l("This plan has already been approved."))
    raise Refusal(_l("Many approvals are being made at this moment; please try again."))


def _refuse_if_approved(match: Match, actor: User) -> None:
    if access.is_approver(actor, match) and match.status in APPROVED_STATES:
        raise AlreadyDone(
            _l(
                "This plan has already been approved as letter %(number)s.",
                number=match.letter_number,
            )
        )


def _record_approval(match: Match, actor: User, number: numbering.LetterNumber) -> None:
    moved = move(
        match,
        "submitted",
        "approved",
        approved_at=match.approved_at,
        approved_by_id=actor.id,
        letter_number=number.text,
        letter_year=number.year,
        letter_seq=number.seq,
    )
    if not moved:  # approved or returned meanwhile: the claimed number is rolled back
        raise AlreadyDone(_l("This plan has already been decided."))
    audit.record(actor, "match_approved", match, "submitted", "approved", number=number.text)
    notify(
        [*kecamatan_officers(match.kecamatan_id), *company_staff(match.contribution.company_id)],
        N_('The handover plan "%(label)s" was approved as letter %(number)s.'),
        link_to(match),
        **message_params(match, number=number.text),
    )


def _status_in_database(match: Match) -> str | None:
    return db.session.execute(select(Match.status).where(Match.id == match.id)).scalar()


# --- closing what remains ------------------------------------------------------------


def close_remaining(contribution: Contribution, actor: User, reason: str) -> None:
    """The officer closes what no match has taken: no new matches from then on. With
    nothing submitted or approved the contribution is completed at once; otherwise it is
    completed when those are handed over."""
    access.check_close(actor, contribution)
    reason = (reason or "").strip()
    if not reason:
        raise Refusal(_l("Please give a reason."), field="reason")
    contribution.remaining_closed_at = utcnow()
    contribution.remaining_closed_reason = reason
    contribution.remaining_closed_by_id = actor.id
    audit.record(
        actor,
        "contribution_remaining_closed",
        contribution,
        contribution.status,
        contribution.status,
        reason,
    )
    _complete_if_closed(contribution, actor)
    notify(
        company_staff(contribution.company_id),
        N_('What remains of your contribution "%(title)s" was closed: %(reason)s'),
        path_for("contributions.show", contribution_id=contribution.id),
        title=contribution.title,
        reason=reason,
    )


def _complete_if_closed(contribution: Contribution, actor: User) -> None:
    """A contribution whose rest is closed is completed once no match of it waits for
    approval or handover (a plan returned after the closing can no longer be submitted)."""
    if contribution.remaining_closed_at is None or contribution.status == "completed":
        return
    if not _has_pending_matches(contribution):
        before = contribution.status
        contribution.status = "completed"
        audit.record(actor, "contribution_completed", contribution, before, "completed")


def _has_pending_matches(contribution: Contribution) -> bool:
    # A draft under amendment still holds its letter's quantities: it is pending too.
    pending = Match.status.in_(RESERVING_STATES) | Match.id.in_(holds.amending_match_ids())
    query = select(func.count(Match.id)).where(Match.contribution_id == contribution.id, pending)
    return bool(db.session.scalar(query))


# --- shared --------------------------------------------------------------------------


def move(match: Match, before: str, after: str, **values) -> bool:
    """Move the match ``before`` → ``after`` (with ``values``) only if the database still
    has it ``before``; the session's copy follows. False when it had moved already."""
    result = db.session.execute(
        update(Match)
        .where(Match.id == match.id, Match.status == before)
        .values(status=after, **values)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        return False
    for name, value in {"status": after, **values}.items():
        set_committed_value(match, name, value)
    return True


def camats_of(kecamatan_id: int) -> list[User]:
    """The kecamatan's active camat accounts (an acting head, Plt., is one too)."""
    query = select(User).where(
        User.kecamatan_id == kecamatan_id, User.role == "camat", User.active.is_(True)
    )
    return list(db.session.scalars(query))


def display_name(match: Match) -> str:
    """The officer's label of the match, or its contribution's title."""
    return match.label or match.contribution.title


def link_to(match: Match) -> str:
    return path_for("matching.show", match_id=match.id)


def message_params(match: Match, **extra) -> dict:
    return {
        "label": display_name(match),
        "title": match.contribution.title,
        "company": match.contribution.company.name,
        **extra,
    }
