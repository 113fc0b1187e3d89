"""A match's moves: the officer submits (reserving quantities), the camat returns with a
note or approves with their password, nobody else decides; withdrawal stops at approval;
the officer closes what remains."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from portal.contributions import access as contribution_access
from portal.core.refusals import Refusal
from portal.extensions import db
from portal.matching import access, transitions
from portal.models import AuditEvent, LetterCounter, Notification
from tests.conftest import TEST_PASSWORD
from tests.factories import kecamatan, user_for_role
from tests.support.matching import cast_for, offered, planned, training


def _actions(obj) -> list[str]:
    query = select(AuditEvent.action).where(
        AuditEvent.object_type == type(obj).__name__.lower(), AuditEvent.object_id == obj.id
    )
    return list(db.session.scalars(query.order_by(AuditEvent.id)))


def _notified(user) -> list[Notification]:
    return list(db.session.scalars(select(Notification).where(Notification.user_id == user.id)))


def _submitted(contribution=None, people=2, each=1):
    contribution = contribution or offered()
    cast = cast_for(contribution)
    match = planned(contribution, people=people, each=each)
    transitions.submit(match, cast.officer)
    db.session.commit()
    return match, cast


def test_submit_reserves_starts_allocating_and_tells_the_camat(ctx):
    match, cast = _submitted(people=3, each=2)
    item = match.contribution.items[0]
    assert match.status == "submitted" and match.submitted_by_id == cast.officer.id
    assert item.reserved == Decimal(6)
    assert match.contribution.status == "allocating"
    assert _actions(match) == ["match_submitted"]
    assert "contribution_allocation_started" in _actions(match.contribution)
    assert len(_notified(cast.camat)) == 1
    # a second match does not start allocating again
    second = planned(match.contribution, people=1)
    transitions.submit(second, cast.officer)
    assert _actions(match.contribution).count("contribution_allocation_started") == 1
    assert item.reserved == Decimal(7)


def test_submit_never_goes_past_what_was_offered(ctx):
    contribution = offered(quantity=10)
    first, cast = _submitted(contribution, people=4, each=2)
    second = planned(contribution, people=1, each=3)
    db.session.commit()
    with pytest.raises(Refusal) as refused:
        transitions.submit(second, cast.officer)
    assert "2" in str(refused.value) and "Oven gas" in str(refused.value)
    db.session.rollback()
    assert contribution.items[0].reserved == Decimal(8)
    assert second.status == "draft"


def test_a_second_submit_reserves_nothing_more(ctx):
    match, cast = _submitted(people=2)
    with pytest.raises(transitions.AlreadyDone):
        transitions.submit(match, cast.officer)
    assert match.contribution.items[0].reserved == Decimal(2)


def test_only_the_kecamatan_officer_submits(ctx):
    contribution = offered()
    cast = cast_for(contribution)
    match = planned(contribution)
    other = user_for_role("officer", kecamatan=kecamatan("64.02.10"))
    for actor in (cast.camat, cast.admin, cast.partner, other):
        with pytest.raises(Refusal):
            transitions.submit(match, actor)
    assert match.status == "draft" and contribution.items[0].reserved == 0


def test_everyone_on_an_item_match_must_receive_something(ctx):
    from tests.factories import MatchMemberFactory

    contribution = offered()
    cast = cast_for(contribution)
    match = planned(contribution, people=1)
    MatchMemberFactory(match=match, position=5)
    db.session.refresh(match)
    with pytest.raises(Refusal, match="Siti Aminah"):
        transitions.submit(match, cast.officer)


def test_training_reserves_seats(ctx):
    contribution = training(seats=3)
    cast = cast_for(contribution)
    first = planned(contribution, people=2)
    transitions.submit(first, cast.officer)
    assert contribution.seats_reserved == 2
    second = planned(contribution, people=2)
    db.session.commit()
    with pytest.raises(Refusal, match="1"):
        transitions.submit(second, cast.officer)
    db.session.rollback()
    assert contribution.seats_reserved == 2
    transitions.return_(first, cast.camat, "Ganti peserta")
    assert contribution.seats_reserved == 0


def test_return_needs_a_note_and_gives_the_quantities_back(ctx):
    match, cast = _submitted(people=2)
    with pytest.raises(Refusal) as refused:
        transitions.return_(match, cast.camat, "  ")
    assert refused.value.field == "note"
    transitions.return_(match, cast.camat, "Periksa ulang desa penerima")
    assert match.status == "draft" and match.is_returned
    assert match.contribution.items[0].reserved == 0
    assert _notified(cast.officer)[-1].params["reason"] == "Periksa ulang desa penerima"
    assert _actions(match)[-1] == "match_returned"
    # resubmitting clears the note and reserves again
    transitions.submit(match, cast.officer)
    assert match.status_reason == "" and match.contribution.items[0].reserved == 2


def test_only_the_camat_of_the_kecamatan_decides(ctx):
    match, cast = _submitted()
    other_camat = user_for_role("camat", kecamatan=kecamatan("64.02.10"))
    for actor in (cast.admin, cast.officer, other_camat, cast.partner):
        with pytest.raises(Refusal):
            transitions.approve(match, actor, TEST_PASSWORD)
        with pytest.raises(Refusal):
            transitions.return_(match, actor, "Tidak")
    assert match.status == "submitted"


def test_a_camat_does_not_build(ctx):
    contribution = offered()
    cast = cast_for(contribution)
    assert not access.can_plan(cast.camat, contribution)
    assert not access.can_edit(cast.camat, planned(contribution))


def test_approve_asks_for_the_password_beside_its_field(ctx):
    match, cast = _submitted()
    with pytest.raises(Refusal) as refused:
        transitions.approve(match, cast.camat, "salah-sandi")
    assert refused.value.field == "password"
    assert match.status == "submitted" and match.letter_number is None


def test_approve_numbers_the_letter_records_who_and_tells_both_sides(ctx):
    match, cast = _submitted()
    number = transitions.approve(match, cast.camat, TEST_PASSWORD)
    assert match.status == "approved"
    assert match.approved_by_id == cast.camat.id and match.approved_at is not None
    assert match.letter_number == number.text
    assert number.text.startswith("400.9/001/CSR-64.02.06/")
    assert _actions(match)[-1] == "match_approved"
    assert _notified(cast.officer)[-1].params["number"] == number.text
    assert _notified(cast.partner)[-1].params["number"] == number.text


def test_approving_twice_gives_one_approval_and_one_number(ctx):
    match, cast = _submitted()
    first = transitions.approve(match, cast.camat, TEST_PASSWORD)
    with pytest.raises(transitions.AlreadyDone, match=first.text):
        transitions.approve(match, cast.camat, TEST_PASSWORD)
    counter = db.session.scalar(select(LetterCounter))
    assert counter.last_seq == 1
    assert _actions(match).count("match_approved") == 1


def test_withdrawal_is_refused_once_a_match_is_approved(ctx):
    match, cast = _submitted()
    contribution = match.contribution
    assert contribution_access.can_withdraw(cast.partner, contribution)  # only submitted
    transitions.approve(match, cast.camat, TEST_PASSWORD)
    refusal = contribution_access.withdraw_refusal(cast.partner, contribution)
    assert refusal is not None
    assert refusal.message._args[0] == (
        "A handover plan of this contribution has been approved, so it can no longer be withdrawn."
    )


def test_closing_what_remains_with_nothing_planned_completes_it(ctx):
    contribution = offered()
    cast = cast_for(contribution)
    with pytest.raises(Refusal) as refused:
        transitions.close_remaining(contribution, cast.officer, "")
    assert refused.value.field == "reason"
    for actor in (cast.camat, cast.admin, cast.partner):
        with pytest.raises(Refusal):
            transitions.close_remaining(contribution, actor, "Sisa tidak dibagikan")
    transitions.close_remaining(contribution, cast.officer, "Sisa tidak dibagikan")
    assert contribution.status == "completed"
    assert contribution.remaining_closed_reason == "Sisa tidak dibagikan"
    assert "contribution_remaining_closed" in _actions(contribution)
    assert not access.can_plan(cast.officer, contribution)


def test_closing_what_remains_keeps_planned_matches_and_stops_new_ones(ctx):
    match, cast = _submitted()
    contribution = match.contribution
    draft = planned(contribution, people=1)
    transitions.close_remaining(contribution, cast.officer, "Sisa dikembalikan ke perusahaan")
    assert contribution.status == "allocating"
    assert not access.can_plan(cast.officer, contribution)
    with pytest.raises(Refusal) as refused:
        transitions.submit(draft, cast.officer)
    assert refused.value.message == access.plan_refusal(cast.officer, contribution).message
    # what was submitted before can still be approved
    transitions.approve(match, cast.camat, TEST_PASSWORD)
    assert match.status == "approved"
    with pytest.raises(Refusal):
        transitions.close_remaining(contribution, cast.officer, "Lagi")


def test_returning_the_last_plan_after_closing_completes_the_contribution(ctx):
    match, cast = _submitted()
    contribution = match.contribution
    transitions.close_remaining(contribution, cast.officer, "Sisa ditarik perusahaan")
    assert contribution.status == "allocating"
    transitions.return_(match, cast.camat, "Penerima belum lengkap")
    assert contribution.status == "completed"
    assert _actions(contribution)[-1] == "contribution_completed"
