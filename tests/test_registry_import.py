"""Imports through the same functions the upload page, the task and the CLI use."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from portal.models import AidCategory, AidRecord, ImportRowError, Recipient
from portal.registry.imports import importing
from portal.registry.imports import tasks as import_tasks
from tests.support.imports import csv_of, new_batch, people, run, village_batch


def test_headers_are_mapped_and_rows_imported(db):
    rows = people(5)
    batch = run(new_batch(db, csv_of(rows)))
    assert batch.mapping["nik"] == 0 and batch.mapping["desa"] == 6
    assert (batch.status, batch.added, batch.refused) == ("completed", 5, 0)
    person = db.session.scalar(select(Recipient).where(Recipient.nik == rows[0]["nik"]))
    assert person.name == "Warga 0" and person.desa.name == "Jahab"
    assert person.validation_status == "pending"
    assert person.import_batch_id == batch.id


def test_analysis_counts_without_writing(db):
    batch = new_batch(db, csv_of(people(3)))
    import_tasks.start(batch, "analyse", None)
    assert batch.status == "previewed"
    assert batch.summary["counts"] == {"added": 3}
    assert db.session.scalar(select(func.count()).select_from(Recipient)) == 0


def test_reimport_is_idempotent_and_says_so(db):
    rows = people(4)
    run(new_batch(db, csv_of(rows)))
    again = run(new_batch(db, csv_of(rows)))
    assert (again.added, again.updated, again.unchanged) == (0, 0, 4)
    assert db.session.scalar(select(func.count()).select_from(Recipient)) == 4


def test_changed_values_update_the_existing_person(db):
    rows = people(2)
    first = run(new_batch(db, csv_of(rows)))
    rows[1]["address"] = "Jl. Baru RT 09"
    second = run(new_batch(db, csv_of(rows)))
    assert (second.updated, second.unchanged) == (1, 1)
    person = db.session.scalar(select(Recipient).where(Recipient.nik == rows[1]["nik"]))
    assert person.address == "Jl. Baru RT 09"
    assert person.import_batch_id == second.id != first.id


def test_nik_of_another_kecamatan_is_reported_not_moved(db):
    rows = people(1)
    run(new_batch(db, csv_of(rows), "64.02.06"))
    rows[0]["desa"] = ""
    other = run(new_batch(db, csv_of(rows), "64.02.02"))
    assert other.refused == 1
    issue = db.session.scalar(select(ImportRowError).where(ImportRowError.batch_id == other.id))
    assert issue.kind == "conflict" and issue.params == {"kecamatan": "Tenggarong"}
    person = db.session.scalar(select(Recipient).where(Recipient.nik == rows[0]["nik"]))
    assert person.kecamatan.code == "64.02.06"


def test_bad_rows_are_refused_and_good_rows_kept(db):
    rows = people(4)
    rows[1]["nik"] = "6.40216E+15"
    rows[2]["born"] = "31/02/1980"
    rows[3]["desa"] = "Atlantis"
    batch = run(new_batch(db, csv_of(rows)))
    assert (batch.added, batch.refused) == (1, 3)
    issues = {i.row_number: i for i in db.session.scalars(select(ImportRowError))}
    assert "scientific notation" in issues[3].reason
    assert issues[3].column == "NIK"
    assert issues[4].column == "Tanggal Lahir"
    assert issues[5].params["name"] == "Atlantis"


def test_a_nik_twice_in_one_file_is_refused_the_second_time(db):
    rows = people(2)
    rows.append(dict(rows[0], name="Kembar"))
    batch = run(new_batch(db, csv_of(rows)))
    assert (batch.added, batch.refused) == (2, 1)
    issue = db.session.scalar(select(ImportRowError))
    assert issue.row_number == 4 and issue.params == {"row": 2}


def test_an_interrupted_import_resumes_where_it_stopped(db, monkeypatch):
    monkeypatch.setattr(importing, "CHUNK_SIZE", 3)
    rows = people(8)
    batch = new_batch(db, csv_of(rows))
    import_tasks.start(batch, "analyse", None)
    calls = {"n": 0}
    original = importing._commit_chunk

    def crash_after_first_chunk(*args):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("worker killed")
        return original(*args)

    monkeypatch.setattr(importing, "_commit_chunk", crash_after_first_chunk)
    import_tasks.start(batch, "commit", None)
    db.session.refresh(batch)
    assert (batch.status, batch.processed_rows, batch.added) == ("failed", 3, 3)
    monkeypatch.setattr(importing, "_commit_chunk", original)
    importing.prepare_resume(batch, None)
    import_tasks.start(batch, "commit", None)
    assert (batch.status, batch.processed_rows, batch.added) == ("completed", 8, 8)
    assert db.session.scalar(select(func.count()).select_from(Recipient)) == 8


def test_a_stopped_import_rolls_back(db, monkeypatch):
    monkeypatch.setattr(importing, "CHUNK_SIZE", 2)
    rows = people(2)
    run(new_batch(db, csv_of(rows)))
    rows[0]["address"] = "Alamat baru"
    rows.extend(people(4, seed=99)[2:])
    batch = new_batch(db, csv_of(rows))
    import_tasks.start(batch, "analyse", None)
    original = importing._commit_chunk
    calls = {"n": 0}

    def crash(*args):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("power cut")
        return original(*args)

    monkeypatch.setattr(importing, "_commit_chunk", crash)
    import_tasks.start(batch, "commit", None)
    result = importing.rollback(batch, None)
    assert result == {"restored": 1, "removed": 0}
    assert batch.status == "rolled_back"
    person = db.session.scalar(select(Recipient).where(Recipient.nik == rows[0]["nik"]))
    assert person.address == "RT 00"
    assert db.session.scalar(select(func.count()).select_from(Recipient)) == 2


def test_a_second_confirm_queues_nothing(db):
    batch = new_batch(db, csv_of(people(2)))
    import_tasks.start(batch, "analyse", None)
    assert import_tasks.start(batch, "commit", None) is not None
    assert import_tasks.start(batch, "commit", None) is None
    assert batch.added == 2


@pytest.fixture()
def categories(db):
    from portal.core.reference import load_aid_categories

    load_aid_categories()
    return {c.code: c for c in db.session.scalars(select(AidCategory))}


def test_aid_history_import_links_people_and_is_idempotent(db, categories):
    rows = people(2)
    run(new_batch(db, csv_of(rows)))
    pkh = next(c for c in categories.values() if c.code.upper() == "PKH")
    data = (
        "NIK,No KK,Jenis Bantuan,Tanggal Terima,Nilai\r\n"
        f'\'{rows[0]["nik"]},{rows[0]["kk"]},{pkh.code},14/05/2025,"Rp 750.000"\r\n'
        f",{rows[1]['kk']},{pkh.name},2025-05-14,\r\n"
        f"'{rows[0]['nik']},,Tidak Ada,14/05/2025,\r\n"
    ).encode()
    batch = run(new_batch(db, data, kind="aid_records", source="PKH"))
    assert (batch.added, batch.refused) == (2, 1)
    record = db.session.scalar(select(AidRecord).where(AidRecord.nik == rows[0]["nik"]))
    assert record.recipient_id is not None and record.value == 750_000
    again = run(new_batch(db, data, kind="aid_records", source="PKH"))
    assert (again.added, again.unchanged) == (0, 2)


def test_cli_prints_the_same_summary_and_dry_run_writes_nothing(app, db, tmp_path):
    rows = people(3)
    rows[2]["born"] = "99/99/1999"
    path = tmp_path / "dtks.csv"
    path.write_bytes(csv_of(rows))
    runner = app.test_cli_runner()
    dry = runner.invoke(
        args=["import-recipients", str(path), "--kecamatan", "64.02.06", "--dry-run"]
    )
    assert dry.exit_code == 0, dry.output
    assert "2 added, 0 updated, 0 unchanged, 1 refused" in dry.output
    assert db.session.scalar(select(func.count()).select_from(Recipient)) == 0
    real = runner.invoke(args=["import-recipients", str(path), "--kecamatan", "64.02.06"])
    assert real.exit_code == 0, real.output
    assert db.session.scalar(select(func.count()).select_from(Recipient)) == 2


def test_cli_refuses_an_unknown_kecamatan(app, db, tmp_path):
    path = tmp_path / "dtks.csv"
    path.write_bytes(csv_of(people(1)))
    result = app.test_cli_runner().invoke(
        args=["import-recipients", str(path), "--kecamatan", "99.99.99"]
    )
    assert result.exit_code != 0 and "no kecamatan" in result.output


def test_a_village_file_proposes_people_and_corrections_for_its_desa_only(db, make_user):
    from portal.models import Notification
    from portal.models.registry import RecipientCorrection

    officer = make_user("officer")
    village = make_user("village")  # the first desa of Tenggarong (Jahab)
    rows = people(3)
    run(new_batch(db, csv_of(rows[:1])))  # the officer's list already holds the first
    rows[0]["address"] = "Pindah ke RT 07"
    rows[2]["desa"] = "Panji"
    batch = run(village_batch(db, village, csv_of(rows)), village)
    assert (batch.added, batch.updated, batch.refused) == (1, 1, 1)
    proposed = db.session.scalar(select(Recipient).where(Recipient.nik == rows[1]["nik"]))
    assert proposed.validation_status == "pending" and proposed.created_by_id == village.id
    first = db.session.scalar(select(Recipient).where(Recipient.nik == rows[0]["nik"]))
    assert first.address == "RT 00"  # unchanged until the officer accepts
    correction = db.session.scalar(select(RecipientCorrection))
    assert correction.changes == {"address": "Pindah ke RT 07"}
    assert correction.status == "pending" and correction.import_batch_id == batch.id
    issue = db.session.scalar(select(ImportRowError).where(ImportRowError.batch_id == batch.id))
    assert issue.params["name"] == "Panji"
    note = db.session.scalar(select(Notification).where(Notification.user_id == officer.id))
    assert note.params["added"] == 1 and note.params["corrections"] == 1


def test_reimporting_a_village_file_proposes_nothing_twice(db, make_user):
    village = make_user("village")
    rows = people(2)
    run(new_batch(db, csv_of(rows)))
    rows[0]["address"] = "RT 09"
    run(village_batch(db, village, csv_of(rows)), village)
    again = run(village_batch(db, village, csv_of(rows)), village)
    assert (again.added, again.updated, again.unchanged) == (0, 0, 2)


def test_rolling_back_a_village_file_removes_its_proposals(db, make_user, monkeypatch):
    from portal.models.registry import RecipientCorrection

    monkeypatch.setattr(importing, "CHUNK_SIZE", 2)
    village = make_user("village")
    rows = people(4)
    run(new_batch(db, csv_of(rows[:1])))
    rows[0]["address"] = "RT 09"
    batch = village_batch(db, village, csv_of(rows))
    import_tasks.start(batch, "analyse", village)
    original = importing._commit_chunk
    calls = {"n": 0}

    def crash(*args):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("listrik padam")
        return original(*args)

    monkeypatch.setattr(importing, "_commit_chunk", crash)
    import_tasks.start(batch, "commit", village)
    importing.rollback(batch, village)
    assert db.session.scalar(select(func.count()).select_from(RecipientCorrection)) == 0
    assert db.session.scalar(select(func.count()).select_from(Recipient)) == 1
