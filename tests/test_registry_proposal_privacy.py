"""A village operator proposing a NIK registered elsewhere gets a neutral answer that
names no other kecamatan or desa; the officer and the admin still see where it is."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.extensions import db as _db
from portal.models import Desa
from tests import factories
from tests.factories import new_nik
from tests.support.imports import csv_of, run, village_batch
from tests.support.imports import people as import_people
from tests.support.registry import OTHER, person

OTHER_NAME = "Loa Kulu"
NEUTRAL = "petugas kecamatan"


def second_desa(village):
    """Another desa of the operator's own kecamatan."""
    return _db.session.scalar(
        select(Desa)
        .where(Desa.kecamatan_id == village.kecamatan_id, Desa.id != village.desa_id)
        .order_by(Desa.code)
    )


@pytest.fixture()
def village(make_user):
    make_user("officer")
    return make_user("village")


def test_proposing_a_nik_of_another_kecamatan_names_no_kecamatan(client, auth, village, db):
    elsewhere = person(OTHER, name="Warga Loa Kulu")
    db.session.commit()
    auth.login(village)
    response = client.post(
        "/registry/recipients/new",
        data={"nik": elsewhere.nik, "name": "Warga Baru", "desa_id": village.desa_id},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "field-error" in html
    assert OTHER_NAME not in html and "Warga Loa Kulu" not in html
    assert NEUTRAL in html
    assert f'value="{elsewhere.nik}"' in html  # what was typed stays


def test_proposing_a_nik_of_another_desa_names_no_desa(client, auth, village, db):
    desa = second_desa(village)
    neighbour = person(desa=desa, name="Warga Tetangga")
    db.session.commit()
    auth.login(village)
    html = client.post(
        "/registry/recipients/new",
        data={"nik": neighbour.nik, "name": "Warga Baru", "desa_id": village.desa_id},
    ).get_data(as_text=True)
    assert "field-error" in html and NEUTRAL in html
    assert desa.name not in html and "Warga Tetangga" not in html


def test_a_correction_to_a_nik_of_another_kecamatan_names_no_kecamatan(client, auth, village, db):
    elsewhere = person(OTHER)
    mine = person(desa=village.desa, name="Warga Saya")
    db.session.commit()
    auth.login(village)
    html = client.post(
        f"/registry/recipients/{mine.id}/correct",
        data={
            "nik": elsewhere.nik,
            "name": "Warga Saya",
            "desa_id": village.desa_id,
            "reason": "NIK salah",
        },
    ).get_data(as_text=True)
    assert "field-error" in html and NEUTRAL in html and OTHER_NAME not in html


def test_an_officer_still_learns_where_the_nik_is(client, login_as, db):
    officer = login_as("officer")
    elsewhere = person(OTHER)
    db.session.commit()
    html = client.post(
        "/registry/recipients/new",
        data={
            "nik": elsewhere.nik,
            "name": "Warga Baru",
            "desa_id": factories.desa_of(officer.kecamatan).id,
        },
    ).get_data(as_text=True)
    assert OTHER_NAME in html


def test_a_village_file_names_no_other_kecamatan_but_the_officer_and_admin_see_it(
    client, auth, make_user, db
):
    officer = make_user("officer")
    village = make_user("village")
    admin = make_user("admin")
    rows = import_people(2)
    person(OTHER, nik=rows[0]["nik"])
    db.session.commit()
    batch = run(village_batch(db, village, csv_of(rows)), village)
    assert batch.refused == 1
    auth.login(village)
    page = client.get(f"/registry/imports/{batch.id}").get_data(as_text=True)
    refused = client.get(f"/registry/imports/{batch.id}/refused.csv").get_data(as_text=True)
    assert OTHER_NAME not in page and OTHER_NAME not in refused
    assert NEUTRAL in page and NEUTRAL in refused
    auth.logout()
    auth.login(officer)
    assert OTHER_NAME in client.get(f"/registry/imports/{batch.id}").get_data(as_text=True)
    auth.logout()
    auth.login(admin)
    assert OTHER_NAME in client.get("/registry/imports/conflicts").get_data(as_text=True)


def test_the_neutral_answer_still_lets_a_new_person_through(client, auth, village, db):
    auth.login(village)
    response = client.post(
        "/registry/recipients/new",
        data={"nik": new_nik(), "name": "Warga Baru", "desa_id": village.desa_id},
    )
    assert response.status_code == 302
