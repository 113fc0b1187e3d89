"""The import pages, through the HTTP interface."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from portal.models import Desa, ImportBatch, Recipient
from tests.conftest import redirect_of
from tests.factories import kecamatan
from tests.support.imports import csv_of, people, upload


@pytest.mark.parametrize("role", ["partner", "camat"])
def test_only_officers_admins_and_village_operators_import(login_as, client, role):
    login_as(role)
    assert client.get("/registry/imports/").status_code == 403
    assert client.get("/registry/imports/new").status_code == 403


def test_anonymous_is_sent_to_login(client):
    response = client.get("/registry/imports/new")
    assert redirect_of(response) == "/login?next=/registry/imports/new"


def test_officer_uploads_maps_checks_and_confirms(login_as, client, db):
    officer = login_as("officer")
    rows = people(3)
    rows[2]["nik"] = "6.40216E+15"
    response = upload(client, csv_of(rows))
    assert response.status_code == 302
    batch = db.session.scalar(select(ImportBatch))
    assert response.headers["Location"] == f"/registry/imports/{batch.id}/mapping"
    assert batch.kecamatan_id == officer.kecamatan_id
    page = client.get(f"/registry/imports/{batch.id}/mapping").get_data(as_text=True)
    assert "Warga 0" in page  # the preview of the first rows
    mapping = {name: str(index) for name, index in batch.mapping.items()}
    client.post(f"/registry/imports/{batch.id}/mapping", data=mapping)
    page = client.get(f"/registry/imports/{batch.id}").get_data(as_text=True)
    db.session.refresh(batch)
    assert batch.status == "previewed"
    assert "notasi ilmiah" in page or "scientific notation" in page
    assert db.session.scalar(select(func.count()).select_from(Recipient)) == 0
    client.post(f"/registry/imports/{batch.id}/confirm")
    db.session.refresh(batch)
    assert (batch.status, batch.added, batch.refused) == ("completed", 2, 1)
    csv_text = client.get(f"/registry/imports/{batch.id}/refused.csv").get_data(as_text=True)
    assert "6.40216E+15" in csv_text and csv_text.count("\n") == 2


def test_missing_required_column_is_shown_beside_the_field(login_as, client, db):
    login_as("officer")
    upload(client, csv_of(people(1)))
    batch = db.session.scalar(select(ImportBatch))
    mapping = {name: str(index) for name, index in batch.mapping.items()}
    mapping["name"] = "-1"
    response = client.post(f"/registry/imports/{batch.id}/mapping", data=mapping)
    assert response.status_code == 200
    db.session.refresh(batch)
    assert batch.status == "uploaded"
    assert 'aria-invalid="true"' in response.get_data(as_text=True)


def test_unreadable_file_is_refused_beside_the_field(login_as, client, db):
    login_as("officer")
    response = upload(client, b"PK\x03\x04garbage")
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(ImportBatch)) == 0


def test_officer_of_another_kecamatan_gets_404(login_as, make_user, client, db):
    login_as("officer", kecamatan=kecamatan("64.02.02"))
    other = make_user("officer")
    from portal.registry.imports import importing

    batch = importing.create_batch(
        other, "recipients", "DTKS", "x.csv", csv_of(people(1)), other.kecamatan_id
    )
    db.session.commit()
    assert client.get(f"/registry/imports/{batch.id}").status_code == 404
    assert client.get(f"/registry/imports/{batch.id}/refused.csv").status_code == 404
    assert client.post(f"/registry/imports/{batch.id}/confirm").status_code == 404


def test_status_is_a_fragment_for_htmx_and_a_page_without(login_as, client, db):
    login_as("officer")
    upload(client, csv_of(people(1)))
    batch = db.session.scalar(select(ImportBatch))
    page = client.get(f"/registry/imports/{batch.id}")
    fragment = client.get(f"/registry/imports/{batch.id}", headers={"HX-Request": "true"})
    assert "<html" in page.get_data(as_text=True)
    assert "<html" not in fragment.get_data(as_text=True)
    assert 'id="import-status"' in fragment.get_data(as_text=True)
    assert "HX-Request" in fragment.headers["Vary"]


def test_village_operator_sends_a_file_of_proposals_for_their_desa(login_as, client, db):
    village = login_as("village")
    response = upload(client, csv_of(people(2)), kind="aid_records", source="PUSKESOS")
    assert response.status_code == 200  # a village sends people only
    response = upload(client, csv_of(people(2)), source="PUSKESOS")
    assert response.status_code == 302
    batch = db.session.scalar(select(ImportBatch))
    assert response.headers["Location"] == f"/registry/imports/{batch.id}/mapping"
    assert (batch.desa_id, batch.kecamatan_id) == (village.desa_id, village.kecamatan_id)
    page = client.get("/registry/imports/new").get_data(as_text=True)
    assert "Jahab" in page


def test_village_operator_of_another_desa_gets_404(login_as, make_user, client, db):
    from portal.registry.imports import importing

    other = make_user("village")
    batch = importing.create_batch(
        other,
        "recipients",
        "PUSKESOS",
        "x.csv",
        csv_of(people(1)),
        other.kecamatan_id,
        desa_id=other.desa_id,
    )
    db.session.commit()
    desa = db.session.scalars(
        select(Desa).where(Desa.kecamatan_id == other.kecamatan_id).order_by(Desa.code)
    ).all()[1]
    login_as("village", desa=desa, kecamatan_id=desa.kecamatan_id)
    assert client.get(f"/registry/imports/{batch.id}").status_code == 404


def test_admin_sees_nik_conflicts_between_kecamatan(login_as, make_user, client, db):
    from tests.support.imports import new_batch, run

    rows = people(1)
    run(new_batch(db, csv_of(rows), "64.02.06"))
    rows[0]["desa"] = ""
    run(new_batch(db, csv_of(rows), "64.02.02"))
    login_as("admin")
    page = client.get("/registry/imports/conflicts").get_data(as_text=True)
    assert rows[0]["nik"] in page and "Loa Kulu" in page


@pytest.mark.parametrize("role", ["officer", "camat", "village", "partner"])
def test_only_the_admin_sees_the_conflicts(login_as, client, role):
    login_as(role)
    assert client.get("/registry/imports/conflicts").status_code == 403


def test_officer_validates_a_whole_import_from_its_page(login_as, client, db):
    login_as("officer")
    upload(client, csv_of(people(2)))
    batch = db.session.scalar(select(ImportBatch))
    client.post(
        f"/registry/imports/{batch.id}/mapping",
        data={name: str(index) for name, index in batch.mapping.items()},
    )
    client.post(f"/registry/imports/{batch.id}/confirm")
    page = client.get(f"/registry/imports/{batch.id}").get_data(as_text=True)
    assert 'name="batch_id"' in page
    client.post("/registry/recipients/validate", data={"batch_id": str(batch.id)})
    states = db.session.scalars(select(Recipient.validation_status)).all()
    assert states == ["validated", "validated"]
