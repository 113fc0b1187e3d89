"""Clearing abandoned imports: files checked or uploaded over a week ago and never
imported are cancelled (audited) and their stored files dropped; recent ones, finished
ones and other kecamatan's stay."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from portal.core.dates import utcnow
from portal.extensions import db
from portal.models import Attachment, AuditEvent, ImportBatch
from tests.support.imports import csv_of, new_batch, people


def _batch(officer, days_old: int, kec="64.02.06", status="previewed"):
    batch = new_batch(db, csv_of(people(2, code=kec)), kec_code=kec, actor=officer)
    batch.status = status
    batch.created_at = utcnow() - timedelta(days=days_old)
    db.session.commit()
    return batch


def test_an_officer_clears_only_their_abandoned_imports(client, login_as):
    officer = login_as("officer")
    old = _batch(officer, 10)
    old_upload = _batch(officer, 9, status="uploaded")
    recent = _batch(officer, 2)
    done = _batch(officer, 30, status="completed")
    elsewhere = _batch(officer, 30, kec="64.02.10")
    page = client.get("/registry/imports/").get_data(as_text=True)
    assert 'action="/registry/imports/clear-abandoned"' in page
    file_id = old.attachment_id

    response = client.post("/registry/imports/clear-abandoned")
    assert response.status_code == 303
    db.session.expire_all()
    status = {b.id: b.status for b in db.session.scalars(select(ImportBatch))}
    assert status[old.id] == status[old_upload.id] == "rolled_back"
    assert status[recent.id] == "previewed" and status[done.id] == "completed"
    assert status[elsewhere.id] == "previewed"
    assert file_id is not None and db.session.get(Attachment, file_id) is None
    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "import_rolled_back")
    ).all()
    assert {e.object_id for e in events} == {old.id, old_upload.id}
    assert all(e.actor_id == officer.id for e in events)


def test_with_nothing_abandoned_the_page_offers_nothing(client, login_as):
    officer = login_as("officer")
    _batch(officer, 1)
    page = client.get("/registry/imports/").get_data(as_text=True)
    assert "clear-abandoned" not in page
    client.post("/registry/imports/clear-abandoned")
    assert db.session.scalar(select(ImportBatch)).status == "previewed"
