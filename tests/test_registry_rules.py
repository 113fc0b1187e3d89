"""Registry rules without a request: scope, validation and expiry, deactivation,
one person one record, corrections, the list's search and filters."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from portal.core import settings
from portal.core.codes import codes_of, set_codes
from portal.core.dates import add_months
from portal.core.refusals import Refusal
from portal.models import AuditEvent, Notification, Recipient
from portal.registry import corrections, recipients, search, validation, validity
from portal.registry.recipients import RecipientData
from portal.registry.search import RecipientFilters
from tests import factories
from tests.factories import TENGGARONG, new_kk, new_nik
from tests.support.registry import OTHER, aid, person, validated

NOW = datetime(2025, 6, 1, 8, 0, tzinfo=UTC)


def events(db, obj, action=None) -> list[AuditEvent]:
    query = select(AuditEvent).where(
        AuditEvent.object_type == type(obj).__name__.lower(), AuditEvent.object_id == obj.id
    )
    if action:
        query = query.where(AuditEvent.action == action)
    return list(db.session.scalars(query))


def data_for(desa_id, **overrides) -> RecipientData:
    values = dict(
        nik=new_nik(),
        kk=new_kk(),
        name="Siti Aminah",
        sex="P",
        birth_date=date(1980, 5, 14),
        desa_id=desa_id,
        target_groups=["wrse"],
        sectors=["food"],
    )
    values.update(overrides)
    return RecipientData(**values)


def names(db, user, **filters) -> list[str]:
    query = search.recipient_query(user, RecipientFilters(**filters), now=NOW)
    return [r.name for r in db.session.scalars(query)]


# --- months and expiry ----------------------------------------------------------------


def test_add_months_clamps_to_the_last_day_of_the_month():
    assert add_months(date(2025, 1, 31), 1) == date(2025, 2, 28)
    assert add_months(date(2025, 3, 15), -12) == date(2024, 3, 15)
    assert add_months(date(2024, 2, 29), 12) == date(2025, 2, 28)


def test_validation_expires_after_the_configured_period(db, make_user):
    fresh = validated(at=NOW - timedelta(days=100))
    expiring = validated(at=add_months(NOW, -12) + timedelta(days=10))
    expired = validated(at=add_months(NOW, -12) - timedelta(days=1))
    assert validity.validation_state(fresh, NOW) == "validated"
    assert validity.validation_state(expiring, NOW) == "expiring"
    assert validity.validation_state(expired, NOW) == "expired"
    settings.put("validation_months", "3", make_user("admin"))
    assert validity.validation_state(fresh, NOW) == "expired"


def test_expiring_and_expired_filters_follow_the_setting(db, make_user):
    officer = make_user("officer")
    validated(name="Fresh", at=NOW - timedelta(days=100))
    validated(name="Soon", at=add_months(NOW, -12) + timedelta(days=10))
    validated(name="Old", at=add_months(NOW, -13))
    person(name="Waiting")
    assert names(db, officer, state="expiring") == ["Soon"]
    assert names(db, officer, state="expired") == ["Old"]
    assert names(db, officer, state="renew") == ["Old", "Soon"]
    assert names(db, officer, state="validated") == ["Fresh", "Soon"]
    assert names(db, officer, state="pending") == ["Waiting"]


# --- scope and search -----------------------------------------------------------------


def test_each_role_sees_only_its_area(db, make_user):
    kec = factories.kecamatan(TENGGARONG)
    desas = kec.desas
    person(name="Here", desa=desas[0])
    person(name="Next desa", desa=desas[1])
    person(OTHER, name="Elsewhere")
    assert names(db, make_user("officer")) == ["Here", "Next desa"]
    assert names(db, make_user("camat")) == ["Here", "Next desa"]
    assert names(db, make_user("village", desa=desas[0], kecamatan=kec)) == ["Here"]
    assert names(db, make_user("admin")) == ["Elsewhere", "Here", "Next desa"]
    assert names(db, make_user("partner")) == []


def test_admin_filters_by_kecamatan(db, make_user):
    person(name="Here")
    person(OTHER, name="Elsewhere")
    other = factories.kecamatan(OTHER)
    assert names(db, make_user("admin"), kecamatan_id=other.id) == ["Elsewhere"]


def test_search_by_name_nik_kk_and_desa(db, make_user):
    officer = make_user("officer")
    kec = factories.kecamatan(TENGGARONG)
    siti = person(name="Siti Aminah", kk=new_kk(), desa=kec.desas[0])
    budi = person(name="Budi Santoso", sex="L", desa=kec.desas[1])
    assert names(db, officer, q="amin") == ["Siti Aminah"]
    assert names(db, officer, q="AMINAH") == ["Siti Aminah"]
    assert names(db, officer, q=budi.nik) == ["Budi Santoso"]
    assert names(db, officer, q=budi.nik[:10]) == ["Budi Santoso"]
    assert names(db, officer, q="'" + siti.kk) == ["Siti Aminah"]
    assert names(db, officer, q=kec.desas[1].name) == ["Budi Santoso"]
    assert names(db, officer, q="100%_") == []


def test_deactivated_people_are_hidden_unless_asked_for(db, make_user):
    officer = make_user("officer")
    person(name="Active")
    person(name="Gone", active=False, deactivation_reason="moved")
    assert names(db, officer) == ["Active"]
    assert names(db, officer, inactive=True) == ["Active", "Gone"]


def test_filters_by_target_group_sector_and_desa(db, make_user):
    officer = make_user("officer")
    kec = factories.kecamatan(TENGGARONG)
    baker = person(name="Baker", desa=kec.desas[0])
    person(name="Other", desa=kec.desas[1])
    set_codes(baker, ["wrse"], ["food"])
    assert names(db, officer, target_group="wrse") == ["Baker"]
    assert names(db, officer, sector="food") == ["Baker"]
    assert names(db, officer, sector="fishing") == []
    assert names(db, officer, desa_id=kec.desas[1].id) == ["Other"]


def test_received_aid_filter_reads_the_aid_history(db, make_user):
    officer = make_user("officer")
    recent = person(name="Recent")
    old = person(name="Old")
    person(name="Never")
    aid("PKH", date(2025, 3, 1), nik=recent.nik)
    aid("BPNT", date(2023, 1, 1), recipient=old)
    assert names(db, officer, aid_months=6) == ["Recent"]
    assert names(db, officer, aid_months=36) == ["Old", "Recent"]


# --- one person, one record -----------------------------------------------------------


def test_officer_adds_a_person_pending_with_an_audit_event(db, make_user):
    officer = make_user("officer")
    desa = factories.desa_of(officer.kecamatan)
    recipient, warnings = recipients.create_recipient(officer, data_for(desa.id))
    assert recipient.validation_status == "pending"
    assert recipient.kecamatan_id == officer.kecamatan_id
    assert codes_of(recipient) == (["wrse"], ["food"])
    assert warnings == []
    [event] = events(db, recipient, "recipient_created")
    assert event.actor_id == officer.id
    assert recipient.nik not in str(event.details) and recipient.name not in str(event.details)


def test_a_nik_already_in_the_kecamatan_is_refused_with_the_record(db, make_user):
    officer = make_user("officer")
    existing = person()
    desa = factories.desa_of(officer.kecamatan)
    with pytest.raises(Refusal) as refused:
        recipients.create_recipient(officer, data_for(desa.id, nik=existing.nik))
    assert refused.value.field == "nik"
    assert refused.value.existing is existing


def test_a_nik_of_another_kecamatan_is_refused_without_a_link(db, make_user):
    officer = make_user("officer")
    elsewhere = person(OTHER)
    desa = factories.desa_of(officer.kecamatan)
    with pytest.raises(Refusal) as refused:
        recipients.create_recipient(officer, data_for(desa.id, nik=elsewhere.nik))
    assert refused.value.existing is None
    assert "Loa Kulu" in str(refused.value.message)


def test_bad_nik_and_kk_are_refused_beside_their_field(db, make_user):
    officer = make_user("officer")
    desa = factories.desa_of(officer.kecamatan)
    with pytest.raises(Refusal) as refused:
        recipients.create_recipient(officer, data_for(desa.id, nik="64020654058"))
    assert refused.value.field == "nik"
    with pytest.raises(Refusal) as refused:
        recipients.create_recipient(officer, data_for(desa.id, kk="12345"))
    assert refused.value.field == "kk"


def test_sex_mismatch_and_outside_kukar_are_warnings_not_refusals(db, make_user):
    officer = make_user("officer")
    desa = factories.desa_of(officer.kecamatan)
    outside = new_nik("64.01.01", date(1980, 5, 14), "P")
    recipient, warnings = recipients.create_recipient(
        officer, data_for(desa.id, nik=outside, sex="L")
    )
    assert recipient.id
    assert len(warnings) == 2


def test_a_desa_outside_the_officers_kecamatan_is_refused(db, make_user):
    officer = make_user("officer")
    other_desa = factories.desa_of(factories.kecamatan(OTHER))
    with pytest.raises(Refusal) as refused:
        recipients.create_recipient(officer, data_for(other_desa.id))
    assert refused.value.field == "desa_id"


def test_update_records_the_changed_fields(db, make_user):
    officer = make_user("officer")
    recipient = person()
    data = recipients.data_of(recipient)
    data.name, data.phone = "Siti Aminah Binti Ali", "0812"
    changed, _ = recipients.update_recipient(officer, recipient, data)
    assert changed == ["name", "phone"]
    [event] = events(db, recipient, "recipient_updated")
    assert event.details == {"changed": ["name", "phone"]}


def test_camat_cannot_change_a_record(db, make_user):
    with pytest.raises(Refusal):
        recipients.update_recipient(make_user("camat"), person(), recipients.data_of(person()))


# --- validation, rejection, deactivation ----------------------------------------------


def test_validate_sets_validator_and_date(db, make_user):
    officer = make_user("officer")
    recipient = person()
    validation.validate_recipient(officer, recipient, NOW)
    assert recipient.validation_status == "validated"
    assert recipient.validated_by_id == officer.id
    assert [e.to_state for e in events(db, recipient)] == ["validated"]


def test_revalidation_renews_an_expired_validation(db, make_user):
    officer = make_user("officer")
    recipient = validated(at=NOW - timedelta(days=800))
    validation.validate_recipient(officer, recipient)
    assert validity.validation_state(recipient) == "validated"
    assert events(db, recipient, "recipient_revalidated")


def test_officer_of_another_kecamatan_cannot_validate(db, make_user):
    officer = make_user("officer")
    with pytest.raises(Refusal):
        validation.validate_recipient(officer, person(OTHER))


def test_rejection_needs_a_reason_and_is_audited(db, make_user):
    officer = make_user("officer")
    recipient = person()
    with pytest.raises(Refusal) as refused:
        validation.reject_recipient(officer, recipient, "  ")
    assert refused.value.field == "reason"
    assert recipient.validation_status == "pending"
    validation.reject_recipient(officer, recipient, "Mampu secara ekonomi")
    assert recipient.validation_status == "rejected"
    [event] = events(db, recipient, "recipient_rejected")
    assert event.reason == "Mampu secara ekonomi"
    with pytest.raises(Refusal):
        validation.reject_recipient(officer, recipient, "again")


def test_bulk_validation_of_an_import_batch_takes_only_its_pending_people(db, make_user):
    from portal.models import ImportBatch

    officer = make_user("officer")
    batch = ImportBatch(kind="recipients", source="DTKS", filename="dtks.csv")
    db.session.add(batch)
    db.session.flush()
    waiting = [person(import_batch_id=batch.id) for _ in range(3)]
    rejected = person(import_batch_id=batch.id, validation_status="rejected")
    elsewhere = person(OTHER, import_batch_id=batch.id)
    people = validation.pending_of_batch(officer, batch.id)
    assert sorted(p.id for p in people) == sorted(p.id for p in waiting)
    assert validation.validate_many(officer, people) == (3, 0)
    assert rejected.validation_status == "rejected"
    assert elsewhere.validation_status == "pending"
    assert all(len(events(db, p, "recipient_validated")) == 1 for p in waiting)


def test_deactivation_needs_a_known_reason_and_reactivation_restores(db, make_user):
    officer = make_user("officer")
    recipient = validated()
    with pytest.raises(Refusal):
        recipients.deactivate_recipient(officer, recipient, "bored")
    recipients.deactivate_recipient(officer, recipient, "deceased", "Meninggal 2 Mei")
    assert not recipient.active and recipient.deactivation_reason == "deceased"
    with pytest.raises(Refusal):
        recipients.deactivate_recipient(officer, recipient, "moved")
    with pytest.raises(Refusal):
        validation.validate_recipient(officer, recipient)
    recipients.reactivate_recipient(officer, recipient)
    assert recipient.active and recipient.deactivation_reason is None
    assert recipient.validation_status == "validated"
    actions = [e.action for e in events(db, recipient)]
    assert actions == ["recipient_deactivated", "recipient_reactivated"]


def test_deactivated_people_keep_their_aid_history(db, make_user):
    officer = make_user("officer")
    recipient = validated()
    aid("PKH", date(2025, 1, 1), recipient=recipient, nik=recipient.nik)
    recipients.deactivate_recipient(officer, recipient, "moved")
    from portal.registry.lookup import aid_history

    _, records = aid_history(recipient)
    assert len(records) == 1


# --- village proposals and corrections ------------------------------------------------


def test_village_proposal_waits_for_the_officer_who_is_notified(db, make_user):
    officer = make_user("officer")
    village = make_user("village")
    recipient, _ = recipients.create_recipient(village, data_for(village.desa_id))
    assert recipient.validation_status == "pending"
    assert recipient.created_by_id == village.id
    assert events(db, recipient, "recipient_proposed")
    assert db.session.scalar(select(Notification).where(Notification.user_id == officer.id))
    people, _ = corrections.pending_proposals(officer)
    assert people == [recipient]


def test_village_cannot_propose_outside_their_desa(db, make_user):
    village = make_user("village")
    other = factories.kecamatan(TENGGARONG).desas[1]
    with pytest.raises(Refusal) as refused:
        recipients.create_recipient(village, data_for(other.id))
    assert refused.value.field == "desa_id"


def test_proposer_hears_the_outcome(db, make_user):
    officer = make_user("officer")
    village = make_user("village")
    recipient, _ = recipients.create_recipient(village, data_for(village.desa_id))
    validation.reject_recipient(officer, recipient, "Sudah pindah")
    note = db.session.scalar(select(Notification).where(Notification.user_id == village.id))
    assert note.params["reason"] == "Sudah pindah"
    people, _ = corrections.proposals_of(village)
    assert people[0].rejection_reason == "Sudah pindah"


def test_correction_flow_accept_applies_the_changes(db, make_user):
    officer = make_user("officer")
    village = make_user("village")
    recipient = person(desa=village.desa)
    data = recipients.data_of(recipient)
    data.address, data.target_groups = "RT 05, Jl. Mulawarman", ["elderly"]
    correction = corrections.propose_correction(village, recipient, data, "Pindah RT")
    assert correction.changes == {"address": "RT 05, Jl. Mulawarman", "target_groups": ["elderly"]}
    assert recipient.address == ""
    _, pending = corrections.pending_proposals(officer)
    assert pending == [correction]
    corrections.accept_correction(officer, correction)
    assert recipient.address == "RT 05, Jl. Mulawarman"
    assert codes_of(recipient)[0] == ["elderly"]
    assert correction.status == "accepted" and correction.decided_by_id == officer.id
    assert events(db, recipient, "recipient_updated")[0].details["correction"] == correction.id
    assert db.session.scalar(select(Notification).where(Notification.user_id == village.id))
    with pytest.raises(Refusal):
        corrections.reject_correction(officer, correction, "late")


def test_correction_rejected_with_reason_leaves_the_record(db, make_user):
    officer = make_user("officer")
    village = make_user("village")
    recipient = person(desa=village.desa)
    data = recipients.data_of(recipient)
    data.name = "Nama Lain"
    correction = corrections.propose_correction(village, recipient, data, "Salah ketik")
    with pytest.raises(Refusal):
        corrections.reject_correction(officer, correction, "")
    corrections.reject_correction(officer, correction, "Sesuai KTP")
    assert recipient.name == "Siti Aminah"
    assert correction.status == "rejected" and correction.decision_reason == "Sesuai KTP"


def test_a_correction_must_change_something_and_give_a_reason(db, make_user):
    village = make_user("village")
    recipient = person(desa=village.desa)
    with pytest.raises(Refusal):
        corrections.propose_correction(village, recipient, recipients.data_of(recipient), "x")
    data = recipients.data_of(recipient)
    data.name = "Baru"
    with pytest.raises(Refusal) as refused:
        corrections.propose_correction(village, recipient, data, " ")
    assert refused.value.field == "reason"


def test_village_operator_of_another_desa_cannot_propose_corrections(db, make_user):
    village = make_user("village")
    recipient = person(desa=factories.kecamatan(TENGGARONG).desas[1])
    data = recipients.data_of(recipient)
    data.name = "Baru"
    with pytest.raises(Refusal):
        corrections.propose_correction(village, recipient, data, "x")


def test_opening_a_record_is_logged_by_id_only(db, make_user):
    officer = make_user("officer")
    recipient = person()
    recipients.record_view(officer, recipient)
    [event] = events(db, recipient, "recipient_viewed")
    assert event.actor_id == officer.id and event.details == {}


def test_recipients_are_never_deleted_by_these_services(db, make_user):
    """Every way a person leaves the list (rejected, deactivated, a correction decided
    either way) keeps their row, their aid and their history; no DELETE reaches it."""
    from sqlalchemy import event

    from portal.models import AidRecord

    officer = make_user("officer")
    village = make_user("village")
    deletes = []

    def watch(session, flush_context, instances):
        deletes.extend(obj for obj in session.deleted if isinstance(obj, Recipient))

    def watch_statements(state):
        table = getattr(state.statement, "table", None)
        if state.is_delete and getattr(table, "name", None) == "recipient":
            deletes.append(state.statement)

    event.listen(db.session, "before_flush", watch)
    event.listen(db.session, "do_orm_execute", watch_statements)
    try:
        recipient = person(desa=village.desa)
        aid("PKH", date(2025, 1, 10), recipient=recipient, nik=recipient.nik)
        for decide in (corrections.accept_correction, corrections.reject_correction):
            data = recipients.data_of(recipient)
            data.name = f"{recipient.name} X"
            correction = corrections.propose_correction(village, recipient, data, "Salah ketik")
            if decide is corrections.accept_correction:
                decide(officer, correction)
            else:
                decide(officer, correction, "Sesuai KTP")
        validation.reject_recipient(officer, recipient, "Tidak memenuhi syarat")
        recipients.deactivate_recipient(officer, recipient, "deceased", "Meninggal 2025")
        recipients.reactivate_recipient(officer, recipient)
        recipients.deactivate_recipient(officer, recipient, "moved")
        db.session.commit()
    finally:
        event.remove(db.session, "before_flush", watch)
        event.remove(db.session, "do_orm_execute", watch_statements)
    assert deletes == []
    db.session.expire_all()
    kept = db.session.get(Recipient, recipient.id)
    assert kept is not None and not kept.active and kept.validation_status == "rejected"
    assert db.session.scalars(select(AidRecord).where(AidRecord.recipient_id == kept.id)).all()
    assert len(events(db, kept)) >= 6


def test_recipient_model_has_unique_nik(db):
    nik = new_nik()
    person(nik=nik)
    with pytest.raises(Exception):  # noqa: B017 - the database refuses, whatever the driver
        person(nik=nik)
    db.session.rollback()
    assert db.session.scalar(select(Recipient).where(Recipient.nik == nik)) is None


def test_candidate_lists_hold_only_active_validated_unexpired_people(db):
    kec = factories.kecamatan(TENGGARONG)
    validated(name="Ready", at=NOW - timedelta(days=30))
    validated(name="Moved", at=NOW - timedelta(days=30), active=False, deactivation_reason="moved")
    validated(name="Expired", at=add_months(NOW, -13))
    person(name="Waiting")
    validated(OTHER, name="Elsewhere", at=NOW - timedelta(days=30))
    query = search.candidates_query(kec.id, now=NOW)
    assert [r.name for r in db.session.scalars(query)] == ["Ready"]
