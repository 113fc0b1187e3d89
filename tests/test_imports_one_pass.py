"""The import's one pass: the check keeps the rows it cleaned, the confirm only writes
them (the file is not read again) and still decides against the database as it is then;
small files are checked in the request, larger ones wait for the queue."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from portal.core.queue import huey
from portal.models import ImportBatch, ImportRowError, ImportRows, Recipient
from portal.registry.imports import importing
from portal.registry.imports import tasks as import_tasks
from tests.support.imports import csv_of, new_batch, people, run, upload


def _checked(db, rows, code="64.02.06"):
    batch = new_batch(db, csv_of(rows), code)
    import_tasks.start(batch, "analyse", None)
    return batch


def test_the_check_keeps_the_rows_and_the_confirm_does_not_read_the_file(db, monkeypatch):
    rows = people(5)
    rows[1]["nik"] = "6.40216E+15"
    batch = _checked(db, rows)
    assert db.session.scalar(select(func.count()).select_from(ImportRows)) == 1

    def no_second_pass(data):
        raise AssertionError("the confirm read the file again")

    monkeypatch.setattr(importing, "read_table", no_second_pass)
    import_tasks.start(batch, "commit", None)
    assert (batch.status, batch.added, batch.refused) == ("completed", 4, 1)
    issue = db.session.scalar(select(ImportRowError).where(ImportRowError.batch_id == batch.id))
    assert issue.row_number == 3 and "scientific notation" in issue.reason
    # Written once: nothing of the check is left behind.
    assert db.session.scalar(select(func.count()).select_from(ImportRows)) == 0


def test_a_nik_registered_elsewhere_after_the_check_is_refused_at_the_confirm(db):
    rows = [dict(row, desa="") for row in people(2)]
    batch = _checked(db, rows, "64.02.02")
    assert batch.summary["counts"] == {"added": 2}
    run(new_batch(db, csv_of(rows[:1]), "64.02.06"))  # meanwhile, Tenggarong imports one
    import_tasks.start(batch, "commit", None)
    assert (batch.added, batch.refused) == (1, 1)
    issue = db.session.scalar(select(ImportRowError).where(ImportRowError.batch_id == batch.id))
    assert issue.kind == "conflict" and issue.params == {"kecamatan": "Tenggarong"}
    assert rows[0]["nik"] in issue.raw  # the refused-rows file still has the row's cells
    person = db.session.scalar(select(Recipient).where(Recipient.nik == rows[0]["nik"]))
    assert person.kecamatan.code == "64.02.06"


def test_a_person_changed_after_the_check_is_compared_as_they_are_at_the_confirm(db):
    rows = people(1)
    run(new_batch(db, csv_of(rows)))
    rows[0]["address"] = "Jl. Baru"
    batch = _checked(db, rows)
    assert batch.summary["counts"] == {"updated": 1}
    person = db.session.scalar(select(Recipient))
    person.address = "Jl. Baru"
    db.session.commit()
    import_tasks.start(batch, "commit", None)
    assert (batch.updated, batch.unchanged) == (0, 1)


def test_a_rolled_back_check_leaves_no_rows_behind(db):
    batch = _checked(db, people(3))
    importing.rollback(batch, None)
    assert db.session.scalar(select(func.count()).select_from(ImportRows)) == 0


def test_a_second_check_replaces_the_first_ones_rows(db):
    batch = _checked(db, people(3))
    batch.status = "uploaded"
    db.session.commit()
    import_tasks.start(batch, "analyse", None)
    assert db.session.scalar(select(func.count()).select_from(ImportRows)) == 1
    import_tasks.start(batch, "commit", None)
    assert batch.added == 3


def test_a_batch_checked_before_rows_were_kept_is_checked_at_the_confirm(db):
    batch = _checked(db, people(3))
    db.session.execute(ImportRows.__table__.delete())
    db.session.commit()
    import_tasks.start(batch, "commit", None)
    assert (batch.status, batch.added) == ("completed", 3)


@pytest.fixture()
def queued(monkeypatch):
    """Tasks go to the queue, as under a real consumer (emptied afterwards)."""
    monkeypatch.setattr(huey, "immediate", False)
    yield
    huey.flush()


def _upload_and_check(client, db) -> ImportBatch:
    upload(client, csv_of(people(8)))
    batch = db.session.scalar(select(ImportBatch))
    mapping = {name: str(index) for name, index in batch.mapping.items()}
    client.post(f"/registry/imports/{batch.id}/mapping", data=mapping)
    db.session.refresh(batch)
    return batch


def test_a_small_file_is_checked_in_the_request(login_as, client, db, queued):
    login_as("officer")
    batch = _upload_and_check(client, db)
    assert batch.status == "previewed" and batch.summary["counts"] == {"added": 8}
    assert len(huey) == 0


def test_a_larger_file_waits_for_the_queue(login_as, client, db, queued, monkeypatch):
    monkeypatch.setattr(import_tasks, "INLINE_CHECK_BYTES", 100)
    login_as("officer")
    batch = _upload_and_check(client, db)
    assert batch.status == "analysing" and len(huey) == 1


def test_the_confirm_always_goes_to_the_queue(login_as, client, db, queued):
    login_as("officer")
    batch = _upload_and_check(client, db)
    client.post(f"/registry/imports/{batch.id}/confirm")
    db.session.refresh(batch)
    assert batch.status == "running" and len(huey) == 1
