"""Amending a letter (issue 11): the officer starts it with a reason, corrects the plan and
submits it again; the camat's approval issues a new letter with the next number that names
the one it replaces, which only then becomes replaced. Quantities stay held meanwhile and
never exceed what was offered; a handed-over letter is amended only after a reversal."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import select

from portal.core.refusals import Refusal
from portal.extensions import db
from portal.handovers import services as handovers
from portal.letters import amendments
from portal.letters.queries import letter_of
from portal.matching import allocation, replacement, transitions
from portal.matching.transitions import AlreadyDone
from portal.models import AuditEvent, Letter, LetterCounter, Notification
from tests.conftest import TEST_PASSWORD
from tests.factories import user_for_role
from tests.support.handover import handed_over
from tests.support.letters import pdf_text
from tests.support.matching import cast_for, offered, planned
from tests.support.registry import categories

pytestmark = pytest.mark.usefixtures("public_address")
REASON = "Penerima nomor 2 pindah domisili; diganti"


def _approved(contribution=None, people=3, each=1, quantity=10):
    contribution = contribution or offered(quantity=quantity)
    cast = cast_for(contribution)
    match = planned(contribution, people=people, each=each)
    transitions.submit(match, cast.officer)
    transitions.approve(match, cast.camat, TEST_PASSWORD)
    db.session.commit()
    return match, cast, letter_of(match)


def _reserved(match):
    db.session.expire(match.contribution.items[0], ["reserved"])
    return match.contribution.items[0].reserved


def _actions(obj) -> list[str]:
    query = select(AuditEvent.action).where(
        AuditEvent.object_type == type(obj).__name__.lower(), AuditEvent.object_id == obj.id
    )
    return list(db.session.scalars(query.order_by(AuditEvent.id)))


def _notified(user) -> list[Notification]:
    query = select(Notification).where(Notification.user_id == user.id)
    return list(db.session.scalars(query.order_by(Notification.id)))


def _amend_and_approve(match, cast, letter):
    amendments.start(letter, cast.officer, REASON)
    transitions.submit(match, cast.officer)
    transitions.approve(match, cast.camat, TEST_PASSWORD)
    db.session.commit()
    return letter_of(match)


def test_an_amendment_is_a_new_letter_with_the_next_number_naming_the_old(ctx, tmp_path):
    match, cast, old = _approved()
    _approved(match.contribution)  # another letter takes number 2 meanwhile
    old_bytes = hashlib.sha256(old.pdf).hexdigest()
    new = _amend_and_approve(match, cast, old)
    assert new.id != old.id and new.replaces_id == old.id
    assert (old.status, new.status) == ("replaced", "valid")
    assert match.letter_seq == 3 and match.letter_number == new.number
    counter = db.session.scalar(
        select(LetterCounter.last_seq).where(LetterCounter.kecamatan_id == match.kecamatan_id)
    )
    assert counter == 3  # gap-free: 1, 2, then the amended letter 3
    assert hashlib.sha256(old.pdf).hexdigest() == old_bytes == old.sha256
    text = pdf_text(new.pdf, tmp_path)
    assert f"menggantikan BAST Nomor {old.number}" in text
    assert "tidak berlaku lagi" in text
    assert "menggantikan" not in pdf_text(old.pdf, tmp_path)


def test_the_old_letter_stays_valid_until_the_new_one_and_a_return_goes_to_the_officer(ctx):
    match, cast, old = _approved()
    amendment = amendments.start(old, cast.officer, REASON)
    assert match.status == "draft" and old.status == "valid"
    assert letter_of(match).id == old.id
    transitions.submit(match, cast.officer)
    transitions.return_(match, cast.camat, "Lengkapi alasan penggantian")
    db.session.commit()
    assert match.status == "draft" and match.is_returned
    assert amendment.status == "open" and old.status == "valid"
    assert "Lengkapi alasan penggantian" in _notified(cast.officer)[-1].params["reason"]
    transitions.submit(match, cast.officer)
    transitions.approve(match, cast.camat, TEST_PASSWORD)
    db.session.commit()
    assert amendment.status == "approved" and amendment.new_letter.replaces_id == old.id
    assert old.status == "replaced"


def test_quantities_stay_held_while_amending_and_never_exceed_the_offer(ctx):
    match, cast, old = _approved(people=3, quantity=5)
    assert _reserved(match) == 3
    amendments.start(old, cast.officer, REASON)
    db.session.commit()
    assert _reserved(match) == 3  # the valid letter's quantities are still promised
    # Another plan sees only what is left beside the held quantities.
    other = planned(match.contribution, people=3)
    with pytest.raises(Refusal, match="2"):
        transitions.submit(other, cast.officer)
    db.session.rollback()
    # The amended plan counts what it holds as its own: one more unit is allowed ...
    (left,) = allocation.left_of(match)
    assert left.available == 5
    first = match.active_members[0]
    item = match.contribution.items[0]
    assert allocation.set_shares(cast.officer, match, {(first.id, item.id): "2"}, {}) == {}
    # ... but not more than was offered.
    errors = allocation.set_shares(cast.officer, match, {(first.id, item.id): "4"}, {})
    assert list(errors) == [f"q-{first.id}-{item.id}"]
    transitions.submit(match, cast.officer)
    assert _reserved(match) == 4
    transitions.return_(match, cast.camat, "Kembalikan ke satu unit")
    db.session.commit()
    assert _reserved(match) == 4  # held again for the returned amendment
    allocation.set_shares(cast.officer, match, {(first.id, item.id): "1"}, {})
    transitions.submit(match, cast.officer)
    transitions.approve(match, cast.camat, TEST_PASSWORD)
    db.session.commit()
    assert _reserved(match) == 3


def test_a_submission_past_the_offer_is_refused_and_changes_nothing(ctx):
    match, cast, old = _approved(people=2, quantity=3)
    _approved(match.contribution, people=1)  # all 3 reserved now
    amendments.start(old, cast.officer, REASON)
    db.session.commit()
    match.active_members[0].allocations[0].quantity = 2  # past the builder's check
    with pytest.raises(Refusal, match="hanya 2"):
        transitions.submit(match, cast.officer)
    db.session.rollback()
    assert _reserved(match) == 3 and match.status == "draft"


def test_a_replaced_recipient_is_on_the_new_letter(ctx, tmp_path):
    from tests.support.matching import candidate

    match, cast, old = _approved(people=2)
    amendments.start(old, cast.officer, REASON)
    leaving = match.active_members[1]
    newcomer = candidate(name="Rahmawati Pengganti", kecamatan=match.kecamatan)
    replacement.replace_member(cast.officer, match, leaving.id, newcomer.id, "moved")
    new = _amend_and_approve_submitted(match, cast)
    text = pdf_text(new.pdf, tmp_path)
    assert "Rahmawati Pengganti" in text and leaving.status == "replaced"
    assert new.recipient_count == 2


def _amend_and_approve_submitted(match, cast):
    transitions.submit(match, cast.officer)
    transitions.approve(match, cast.camat, TEST_PASSWORD)
    db.session.commit()
    return letter_of(match)


@pytest.mark.parametrize("role", ["camat", "admin", "partner", "village"])
def test_only_the_kecamatan_officer_amends(ctx, role):
    match, cast, letter = _approved()
    actor = {"camat": cast.camat, "admin": cast.admin, "partner": cast.partner}.get(role)
    actor = actor or user_for_role(role, kecamatan=match.kecamatan)
    with pytest.raises(Refusal, match="petugas kecamatan"):
        amendments.start(letter, actor, REASON)
    other = user_for_role("officer")  # another kecamatan's
    if other.kecamatan_id != match.kecamatan_id:
        with pytest.raises(Refusal):
            amendments.start(letter, other, REASON)
    assert match.status == "approved"


def test_a_reason_is_required(ctx):
    match, cast, letter = _approved()
    with pytest.raises(Refusal) as refused:
        amendments.start(letter, cast.officer, "   ")
    assert refused.value.field == "reason"


def test_a_handed_over_letter_is_amended_only_after_a_reversal(ctx):
    contribution = offered(quantity=10, aid_category_id=categories()["EQUIPMENT"])
    match, cast, letter = _approved(contribution)
    handed_over(match, cast)
    with pytest.raises(Refusal, match="Batalkan dahulu pencatatan serah terima"):
        amendments.start(letter, cast.officer, REASON)
    handovers.reverse(match, cast.officer, "Tanggal serah terima salah")
    amendments.start(letter, cast.officer, REASON)
    assert match.status == "draft"


def test_a_second_start_is_already_done_and_a_replaced_letter_is_not_amended(ctx):
    match, cast, old = _approved()
    amendments.start(old, cast.officer, REASON)
    with pytest.raises(AlreadyDone):
        amendments.start(old, cast.officer, REASON)
    transitions.submit(match, cast.officer)
    transitions.approve(match, cast.camat, TEST_PASSWORD)
    db.session.commit()
    with pytest.raises(Refusal, match="sudah digantikan"):
        amendments.start(old, cast.officer, REASON)
    new = letter_of(match)
    amendments.start(new, cast.officer, "Koreksi kedua")  # the letter in force may be
    assert match.status == "draft"


def test_a_closed_remainder_neither_blocks_the_amendment_nor_completes_it(ctx):
    match, cast, letter = _approved()
    amendments.start(letter, cast.officer, REASON)
    transitions.close_remaining(match.contribution, cast.officer, "Sisa dialihkan")
    assert match.contribution.status == "allocating"  # the amendment still holds
    transitions.submit(match, cast.officer)
    transitions.return_(match, cast.camat, "Perbaiki")
    assert match.contribution.status == "allocating"
    transitions.submit(match, cast.officer)
    transitions.approve(match, cast.camat, TEST_PASSWORD)
    assert letter.status == "replaced"


def test_each_step_is_audited_and_the_other_side_told(ctx):
    match, cast, old = _approved()
    amendments.start(old, cast.officer, REASON)
    assert _notified(cast.camat)[-1].params["reason"] == REASON
    told = _notified(cast.partner)[-1]
    assert told.params == {"number": old.number}  # not the officer's words
    transitions.submit(match, cast.officer)
    assert "amended" in _notified(cast.camat)[-1].message
    assert _notified(cast.camat)[-1].params["number"] == old.number
    transitions.approve(match, cast.camat, TEST_PASSWORD)
    db.session.commit()
    new = letter_of(match)
    assert _notified(cast.partner)[-1].params == {"old": old.number, "number": new.number}
    assert _actions(old) == ["letter_amendment_started", "letter_replaced"]
    assert _actions(match)[-3:] == ["match_amendment_started", "match_submitted", "match_approved"]
    event = db.session.scalar(
        select(AuditEvent).where(AuditEvent.action == "match_amendment_started")
    )
    assert (event.from_state, event.to_state, event.reason) == ("approved", "draft", REASON)


def test_the_old_letter_is_never_changed_by_the_amendment(ctx):
    match, cast, old = _approved()
    stored = (old.pdf, old.number, old.verification_code)
    _amend_and_approve(match, cast, old)
    db.session.expire_all()
    again = db.session.get(Letter, old.id)
    assert (again.pdf, again.number, again.verification_code) == stored


def test_a_training_letters_seats_stay_held_while_amending(ctx):
    from tests.support.matching import training

    contribution = training(seats=3)
    match, cast, old = _approved(contribution, people=2)
    assert old.kind == "training"
    amendments.start(old, cast.officer, REASON)
    db.session.commit()
    assert contribution.seats_reserved == 2
    other = planned(contribution, people=2)
    with pytest.raises(Refusal, match="1"):
        transitions.submit(other, cast.officer)
    db.session.rollback()
    (left,) = allocation.left_of(match)
    assert left.available == 3
    transitions.submit(match, cast.officer)
    transitions.approve(match, cast.camat, TEST_PASSWORD)
    db.session.commit()
    assert contribution.seats_reserved == 2 and old.status == "replaced"
    assert letter_of(match).kind == "training"


def test_people_of_a_plan_under_amendment_stay_planned_aid(ctx):
    """The old letter stays valid while the officer corrects the plan: its people are
    still planned, so another plan sees them under the double-aid rule."""
    from portal.registry.planned import planned_for

    match, cast, letter = _approved(people=2)
    ids = [m.recipient_id for m in match.active_members]
    amendments.start(letter, cast.officer, REASON)
    db.session.commit()
    assert match.status == "draft"
    assert {p.recipient_id for p in planned_for(ids=ids)} == set(ids)
