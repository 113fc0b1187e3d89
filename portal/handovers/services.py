"""Recording a handover and reversing a mistaken one (DESIGN section 3, issue 11).

``record`` is the officer's entry after the handover of an approved match: date, place,
notes, who was absent (their items go back to the contribution) and who collected for
whom. In one transaction it moves the match to ``handed_over``, writes the record and its
lines, a PORTAL aid record for each person who received something (so the double-aid rule
sees it), the monitoring schedule, completes the contribution when nothing of it remains
to hand over, and notifies the partner and the camat.

``reverse`` corrects a mistaken handover with a second record that names the first: the
match is approved again, absent people's items are held again, the aid records the
handover wrote are removed (kept in the reversal's details) and its unstarted visits
dropped. Nothing already written is edited. The caller commits (views use ``attempt``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import delete, func, select, update

from portal.contributions.access import company_staff
from portal.core import audit
from portal.core.dates import local_today
from portal.core.notify import notify
from portal.core.refusals import Refusal
from portal.core.text import N_
from portal.core.text import lazy_gettext as _l
from portal.extensions import db
from portal.handovers import access
from portal.matching.transitions import (
    AlreadyDone,
    camats_of,
    link_to,
    message_params,
    move,
)
from portal.models import (
    AidRecord,
    Contribution,
    ContributionItem,
    HandoverLine,
    HandoverRecord,
    Match,
    MatchMember,
    User,
)
from portal.models.handovers import ABSENT_REASONS
from portal.models.matching import RESERVING_STATES
from portal.monitoring import schedule

PLACE_MAX = 200


@dataclass(frozen=True)
class Absence:
    """Why one member did not receive their items."""

    reason: str = "absent"
    note: str = ""


def record(
    match: Match,
    actor: User,
    *,
    handed_over_on: date,
    place: str,
    notes: str = "",
    absent: Mapping[int, Absence] | None = None,
    proxies: Mapping[int, str] | None = None,
) -> HandoverRecord:
    """approved → handed_over: what was handed over, to whom, when and where."""
    if match.status == "handed_over" and access.is_recorder(actor, match):
        raise AlreadyDone(_l("The handover of this plan has already been recorded."))
    access.check_record(actor, match)
    absent, proxies = dict(absent or {}), dict(proxies or {})
    place = _checked_place(place)
    _check_date(match, handed_over_on)
    members = match.active_members
    _check_people(members, absent, proxies)
    if not move(match, "approved", "handed_over"):
        raise AlreadyDone(_l("The handover of this plan has already been recorded."))
    entry = HandoverRecord(
        match=match,
        kind="handover",
        handed_over_on=handed_over_on,
        place=place,
        notes=(notes or "").strip(),
        recorded_by_id=actor.id,
    )
    entry.lines = [_line(m, absent.get(m.id), proxies.get(m.id)) for m in members]
    db.session.add(entry)
    db.session.flush()
    _release(match, [m for m in members if m.id in absent])
    aid_ids = _write_aid(entry, [m for m in members if m.id not in absent])
    entry.details = {"aid_record_ids": aid_ids, "received": len(aid_ids), "absent": len(absent)}
    schedule.schedule_visits(entry)
    audit.record(
        actor,
        "match_handed_over",
        match,
        "approved",
        "handed_over",
        handed_over_on=handed_over_on.isoformat(),
        place=place,
        received=len(aid_ids),
        absent=len(absent),
    )
    complete_if_done(match.contribution, actor)
    notify(
        [*company_staff(match.contribution.company_id), *camats_of(match.kecamatan_id)],
        N_('The aid of "%(label)s" was handed over on %(day)s to %(count)s recipients.'),
        link_to(match),
        **message_params(match, day=handed_over_on.isoformat(), count=len(aid_ids)),
    )
    return entry


def reverse(match: Match, actor: User, reason: str) -> HandoverRecord:
    """handed_over → approved, by a reversing entry that names the mistaken handover."""
    access.check_reverse(actor, match)
    reason = (reason or "").strip()
    if not reason:
        raise Refusal(_l("Please give a reason."), field="reason")
    original = current_handover(match)
    if original is None:
        raise Refusal(_l("This plan has no handover to reverse."))
    if schedule.started_visits(original):
        raise Refusal(
            _l("Monitoring visits of this handover were already recorded; it cannot be reversed.")
        )
    absent = [line.member for line in original.lines if not line.received]
    _hold_again(match, absent)
    removed = _remove_aid(original)
    schedule.drop_schedule(original)
    if not move(match, "handed_over", "approved"):
        raise AlreadyDone(_l("This handover has already been reversed."))
    reversal = HandoverRecord(
        match=match,
        kind="reversal",
        reverses_id=original.id,
        handed_over_on=original.handed_over_on,
        place=original.place,
        reason=reason,
        details={"removed_aid_records": removed},
        recorded_by_id=actor.id,
    )
    db.session.add(reversal)
    db.session.flush()
    _reopen_contribution(match.contribution, actor)
    audit.record(actor, "handover_reversed", match, "handed_over", "approved", reason)
    notify(
        [*company_staff(match.contribution.company_id), *camats_of(match.kecamatan_id)],
        N_('The handover of "%(label)s" was reversed: %(reason)s'),
        link_to(match),
        **message_params(match, reason=reason),
    )
    return reversal


def current_handover(match: Match) -> HandoverRecord | None:
    """The match's handover that no reversal names, if any."""
    reversed_ids = select(HandoverRecord.reverses_id).where(
        HandoverRecord.match_id == match.id, HandoverRecord.reverses_id.is_not(None)
    )
    query = (
        select(HandoverRecord)
        .where(
            HandoverRecord.match_id == match.id,
            HandoverRecord.kind == "handover",
            HandoverRecord.id.not_in(reversed_ids),
        )
        .order_by(HandoverRecord.id.desc())
        .limit(1)
    )
    return db.session.scalar(query)


def history(match: Match) -> list[HandoverRecord]:
    """The match's handovers and reversals, oldest first."""
    query = select(HandoverRecord).where(HandoverRecord.match_id == match.id)
    return list(db.session.scalars(query.order_by(HandoverRecord.id)))


# --- checks --------------------------------------------------------------------------


def _checked_place(place: str) -> str:
    place = (place or "").strip()
    if not place:
        raise Refusal(_l("Please say where the handover took place."), field="place")
    if len(place) > PLACE_MAX:
        raise Refusal(_l("At most %(count)s characters.", count=PLACE_MAX), field="place")
    return place


def _check_date(match: Match, handed_over_on: date | None) -> None:
    if handed_over_on is None:
        raise Refusal(_l("Please give the date of the handover."), field="handed_over_on")
    if handed_over_on > local_today():
        raise Refusal(_l("The handover date cannot be in the future."), field="handed_over_on")
    approved = match.approved_at.date() if match.approved_at else None
    if approved and handed_over_on < approved:
        raise Refusal(
            _l("The handover cannot be before the plan was approved."), field="handed_over_on"
        )


def _check_people(members: list[MatchMember], absent: dict, proxies: dict) -> None:
    ids = {member.id for member in members}
    if not set(absent) <= ids or not set(proxies) <= ids:
        raise Refusal(_l("Someone named is not on this plan."))
    if not members or set(absent) == ids:
        raise Refusal(_l("Nobody received anything: mark at least one recipient as present."))
    for absence in absent.values():
        if absence.reason not in ABSENT_REASONS:
            raise Refusal(_l("Choose why the recipient did not receive their aid."))
        if absence.reason == "other" and not absence.note.strip():
            raise Refusal(_l("Please say why the recipient did not receive their aid."))
    if any(len((name or "").strip()) > PLACE_MAX for name in proxies.values()):
        raise Refusal(_l("At most %(count)s characters.", count=PLACE_MAX))


def _line(member: MatchMember, absence: Absence | None, proxy: str | None) -> HandoverLine:
    return HandoverLine(
        member_id=member.id,
        recipient_id=member.recipient_id,
        received=absence is None,
        collected_by="" if absence else (proxy or "").strip(),
        absent_reason=absence.reason if absence else None,
        absent_note=absence.note.strip() if absence else "",
    )


# --- quantities ----------------------------------------------------------------------


def _quantities(members: list[MatchMember]) -> dict[int, Decimal]:
    totals: dict[int, Decimal] = {}
    for member in members:
        for allocation in member.allocations:
            totals[allocation.item_id] = totals.get(allocation.item_id, Decimal(0)) + Decimal(
                allocation.quantity
            )
    return totals


def _release(match: Match, members: list[MatchMember]) -> None:
    """Give absent people's items (or seats) back to the contribution."""
    _change_held(match.contribution, members, -1)


def _hold_again(match: Match, members: list[MatchMember]) -> None:
    """Hold absent people's items again (a reversal), refusing if others took them."""
    if not _change_held(match.contribution, members, +1):
        raise Refusal(
            _l(
                "The items of the absent recipients were planned for others meanwhile; "
                "the handover cannot be reversed."
            )
        )


def _change_held(contribution: Contribution, members: list[MatchMember], sign: int) -> bool:
    if not members:
        return True
    if contribution.kind == "training":
        total = Contribution.seats_reserved + sign * len(members)
        done = db.session.execute(
            update(Contribution)
            .where(Contribution.id == contribution.id, total >= 0, total <= Contribution.seats)
            .values(seats_reserved=total)
            .execution_options(synchronize_session=False)
        ).rowcount
        ok = done == 1
    else:
        ok = True
        for item_id, held in sorted(_quantities(members).items()):
            after = ContributionItem.reserved + sign * held
            done = db.session.execute(
                update(ContributionItem)
                .where(
                    ContributionItem.id == item_id, after >= 0, after <= ContributionItem.quantity
                )
                .values(reserved=after)
                .execution_options(synchronize_session=False)
            ).rowcount
            ok = ok and done == 1
    _forget_held(contribution)
    return ok


def _forget_held(contribution: Contribution) -> None:
    """The session's copies of what is held are stale after the UPDATEs."""
    db.session.expire(contribution, ["seats_reserved"])
    for item in contribution.items:
        db.session.expire(item, ["reserved"])


# --- aid records ---------------------------------------------------------------------


def _write_aid(entry: HandoverRecord, received: list[MatchMember]) -> list[int]:
    """One PORTAL aid record per person who received something; their ids."""
    match = entry.match
    contribution = match.contribution
    if contribution.aid_category_id is None:
        raise Refusal(_l("The contribution has no aid category; ask Dinsos to set one."))
    records = [
        AidRecord(
            nik=member.recipient.nik,
            kk=member.recipient.kk,
            recipient_id=member.recipient_id,
            category_id=contribution.aid_category_id,
            source="PORTAL",
            programme=f"{contribution.title} · {contribution.company.name}"[:120],
            contribution_id=contribution.id,
            received_on=entry.handed_over_on,
            description=match.letter_number or match.label,
            value=sum(int(a.quantity * a.item.unit_value) for a in member.allocations) or None,
        )
        for member in received
    ]
    db.session.add_all(records)
    db.session.flush()
    return [aid.id for aid in records]


def _remove_aid(original: HandoverRecord) -> list[dict]:
    """Delete the aid records the handover wrote; what they said, for the reversal."""
    ids = list((original.details or {}).get("aid_record_ids", []))
    if not ids:
        return []
    rows = db.session.scalars(select(AidRecord).where(AidRecord.id.in_(ids))).all()
    removed = [
        {
            "id": aid.id,
            "nik": aid.nik,
            "recipient_id": aid.recipient_id,
            "received_on": aid.received_on.isoformat(),
            "value": aid.value,
        }
        for aid in rows
    ]
    db.session.execute(
        delete(AidRecord).where(AidRecord.id.in_(ids)).execution_options(synchronize_session=False)
    )
    for aid in rows:
        db.session.expunge(aid)
    return removed


# --- the contribution ----------------------------------------------------------------


def complete_if_done(contribution: Contribution, actor: User) -> bool:
    """A contribution is completed once no match of it waits for approval or handover and
    either everything offered was handed over or the officer closed what remains."""
    if contribution.status == "completed" or _pending(contribution):
        return False
    if contribution.remaining_closed_at is None and not _all_taken(contribution):
        return False
    before = contribution.status
    contribution.status = "completed"
    audit.record(actor, "contribution_completed", contribution, before, "completed")
    return True


def _pending(contribution: Contribution) -> bool:
    query = select(func.count(Match.id)).where(
        Match.contribution_id == contribution.id, Match.status.in_(RESERVING_STATES)
    )
    return bool(db.session.scalar(query))


def _all_taken(contribution: Contribution) -> bool:
    """Everything offered is held by handed-over matches (none is pending)."""
    db.session.refresh(contribution, ["seats_reserved", "seats"])
    if contribution.kind == "training":
        return bool(contribution.seats) and contribution.seats_reserved >= contribution.seats
    items = db.session.execute(
        select(ContributionItem.reserved, ContributionItem.quantity).where(
            ContributionItem.contribution_id == contribution.id
        )
    ).all()
    return bool(items) and all(reserved >= quantity for reserved, quantity in items)


def _reopen_contribution(contribution: Contribution, actor: User) -> None:
    """A reversal makes a contribution completed by that handover allocating again."""
    if contribution.status != "completed":
        return
    contribution.status = "allocating"
    audit.record(actor, "contribution_reopened", contribution, "completed", "allocating")
