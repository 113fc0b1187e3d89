"""NIK-versus-record warnings are computed on every path that writes a recipient (form,
officer's import, village proposal by form and by file, accepted correction, demo data),
kept on the record, shown on the person's page and beside each person on the validation
screens, and filterable in the registry list."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime

from sqlalchemy import select

from portal.core import nik as nik_rules
from portal.demo import people as demo_people
from portal.models import Recipient, RecipientCorrection
from portal.registry import corrections, recipients
from tests import factories
from tests.factories import new_kk, new_nik
from tests.support.imports import HEADER, csv_of, new_batch, run, village_batch
from tests.support.imports import people as import_people
from tests.support.registry import person

BORN = date(1980, 5, 14)
OUTSIDE = "64.01.01"  # Paser: a valid NIK issued outside Kutai Kartanegara
OUTSIDE_TEXT = "NIK ini diterbitkan di luar Kutai Kartanegara"
SEX_TEXT = "Menurut NIK orang ini perempuan, tetapi data mencatatnya laki-laki."


def by_nik(db, nik: str) -> Recipient:
    return db.session.scalar(select(Recipient).where(Recipient.nik == nik))


# --- the one rule ---------------------------------------------------------------------


def test_warning_codes_name_each_disagreement():
    woman = new_nik(born=BORN, sex="P")
    assert nik_rules.record_warnings(woman, new_kk(), "P", BORN) == ()
    assert nik_rules.record_warnings(woman, None, "L", BORN) == ("sex",)
    assert nik_rules.record_warnings(woman, None, "P", date(1981, 5, 14)) == ("birth_date",)
    assert nik_rules.record_warnings(woman, woman, "P", BORN) == ("kk_is_nik",)
    assert nik_rules.record_warnings(woman, new_kk(OUTSIDE), None, None) == ("kk_region",)
    assert nik_rules.record_warnings(new_nik(OUTSIDE, BORN, "P"), None, "P", BORN) == (
        "nik_region",
    )
    assert nik_rules.record_warnings("12345", None, "L", BORN) == ()  # an invalid NIK is an error


# --- the form -------------------------------------------------------------------------


def test_a_manual_save_keeps_the_warnings_on_the_record(client, login_as, db):
    officer = login_as("officer")
    desa = factories.desa_of(officer.kecamatan)
    nik = new_nik(OUTSIDE, BORN, "P")
    client.post(
        "/registry/recipients/new",
        data={"nik": nik, "name": "Siti Aminah", "sex": "L", "desa_id": desa.id},
    )
    recipient = by_nik(db, nik)
    assert recipient.warning_codes == ("nik_region", "sex")
    # Shown on every later visit to the page, not only once after the save.
    client.get(f"/registry/recipients/{recipient.id}")
    html = client.get(f"/registry/recipients/{recipient.id}").get_data(as_text=True)
    assert OUTSIDE_TEXT in html and SEX_TEXT in html
    client.post(
        f"/registry/recipients/{recipient.id}/edit",
        data={"nik": nik, "name": "Siti Aminah", "sex": "P", "desa_id": desa.id},
    )
    db.session.refresh(recipient)
    assert recipient.warning_codes == ("nik_region",)
    client.get(f"/registry/recipients/{recipient.id}")
    html = client.get(f"/registry/recipients/{recipient.id}").get_data(as_text=True)
    assert OUTSIDE_TEXT in html and SEX_TEXT not in html


def test_a_village_proposal_by_form_keeps_its_warnings(client, login_as, db):
    village = login_as("village")
    nik = new_nik(born=BORN, sex="P")
    client.post(
        "/registry/recipients/new",
        data={"nik": nik, "kk": nik, "name": "Warga Baru", "sex": "P", "desa_id": village.desa_id},
    )
    assert by_nik(db, nik).warning_codes == ("kk_is_nik",)


def test_an_accepted_correction_recomputes_the_warnings(db, make_user):
    officer = make_user("officer")
    village = make_user("village")
    recipient = person(desa=village.desa, born=BORN, sex="P")
    recipient.warnings = ""
    db.session.commit()
    data = recipients.data_of(recipient)
    data.sex = "L"
    correction = corrections.propose_correction(village, recipient, data, "Salah ketik")
    db.session.commit()
    assert recipient.warning_codes == ()  # a proposal changes nothing yet
    corrections.accept_correction(officer, db.session.get(RecipientCorrection, correction.id))
    db.session.commit()
    assert recipient.sex == "L" and recipient.warning_codes == ("sex",)


# --- imports --------------------------------------------------------------------------


def test_the_officers_import_stores_the_warnings_of_each_row(db):
    rows = import_people(3)
    rows[0]["sex"] = "P" if rows[0]["sex"] == "L" else "L"
    rows[1]["kk"] = rows[1]["nik"]
    batch = run(new_batch(db, csv_of(rows)))
    assert batch.added == 3
    assert by_nik(db, rows[0]["nik"]).warning_codes == ("sex",)
    assert by_nik(db, rows[1]["nik"]).warning_codes == ("kk_is_nik",)
    assert by_nik(db, rows[2]["nik"]).warning_codes == ()


def test_an_import_that_changes_a_person_recomputes_the_warnings(db):
    rows = import_people(1)
    run(new_batch(db, csv_of(rows)))
    assert by_nik(db, rows[0]["nik"]).warning_codes == ()
    born = datetime.strptime(rows[0]["born"], "%d/%m/%Y").date()
    rows[0]["born"] = born.replace(year=born.year - 1).strftime("%d/%m/%Y")
    batch = run(new_batch(db, csv_of(rows)))
    assert batch.updated == 1
    db.session.expire_all()
    assert by_nik(db, rows[0]["nik"]).warning_codes == ("birth_date",)


def test_a_village_file_proposes_people_with_their_warnings(db, make_user):
    make_user("officer")
    village = make_user("village")  # Jahab, the first desa of Tenggarong
    rows = import_people(2)
    rows[0]["sex"] = "P" if rows[0]["sex"] == "L" else "L"
    batch = run(village_batch(db, village, csv_of(rows, HEADER)), village)
    assert batch.added == 2
    assert by_nik(db, rows[0]["nik"]).warning_codes == ("sex",)
    assert by_nik(db, rows[1]["nik"]).warning_codes == ()


def test_demo_people_carry_their_warnings():
    rng = random.Random(3)
    place = demo_people.Place(1, "Jahab", "desa", 1, "64.02.06", "Tenggarong")
    home = demo_people.Household(kk=new_kk(OUTSIDE), place=place, address="RT 01")
    someone = demo_people.Person(new_nik(born=BORN), "A", "P", BORN, "Tenggarong", "head")
    validators = demo_people.Validators(by_kecamatan={}, now=datetime.now(UTC))
    row = demo_people.recipient_row(rng, someone, home, validators, 1)
    assert row["warnings"] == "kk_region"


# --- the screens ----------------------------------------------------------------------


def test_the_validation_screens_show_the_warnings_beside_each_person(client, auth, make_user, db):
    officer = make_user("officer")
    village = make_user("village")
    auth.login(village)
    warned, clean = new_nik(born=BORN, sex="P"), new_nik(born=BORN, sex="P")
    for nik, sex, name in ((warned, "L", "Warga Janggal"), (clean, "P", "Warga Biasa")):
        client.post(
            "/registry/recipients/new",
            data={"nik": nik, "name": name, "sex": sex, "desa_id": village.desa_id},
        )
    auth.logout()
    auth.login(officer)
    for path in ("/registry/proposals", "/registry/recipients?state=pending"):
        html = client.get(path).get_data(as_text=True)
        rows = {
            name: row for row in html.split("<tr") for name in ("Janggal", "Biasa") if name in row
        }
        assert "Jenis kelamin tidak cocok dengan NIK" in rows["Janggal"], path
        assert "Jenis kelamin tidak cocok dengan NIK" not in rows["Biasa"], path


def test_the_registry_filters_people_with_warnings(client, login_as, db):
    login_as("officer")
    person(name="Warga Janggal", warnings="sex")
    person(name="Warga Biasa")
    db.session.commit()
    html = client.get("/registry/recipients?warned=y").get_data(as_text=True)
    assert "Warga Janggal" in html and "Warga Biasa" not in html
    assert "Ada peringatan" in html
    html = client.get("/registry/recipients").get_data(as_text=True)
    assert "Warga Janggal" in html and "Warga Biasa" in html


def test_undoing_an_import_restores_the_warnings_it_changed(db):
    from portal.registry.imports import importing

    rows = import_people(1)
    run(new_batch(db, csv_of(rows)))
    rows[0]["kk"] = rows[0]["nik"]
    batch = run(new_batch(db, csv_of(rows)))
    assert by_nik(db, rows[0]["nik"]).warning_codes == ("kk_is_nik",)
    importing.rows_handler(batch).undo()
    db.session.commit()
    db.session.expire_all()
    assert by_nik(db, rows[0]["nik"]).warning_codes == ()


def test_the_import_page_counts_the_warned_people_before_bulk_validation(client, login_as, db):
    officer = login_as("officer")
    rows = import_people(3)
    rows[0]["kk"] = rows[0]["nik"]
    batch = run(new_batch(db, csv_of(rows), actor=officer), officer)
    html = client.get(f"/registry/imports/{batch.id}").get_data(as_text=True)
    assert "1 di antaranya memiliki peringatan" in html
    assert "/registry/recipients?state=pending&amp;warned=y" in html


def test_the_migration_computes_the_warnings_of_existing_records():
    from flask_migrate import upgrade
    from sqlalchemy import text

    from portal import create_app
    from portal.core.regions import load_regions
    from portal.extensions import db
    from tests.conftest import app_config
    from tests.dbutil import temporary_sqlite

    woman = new_nik(born=BORN, sex="P")
    with temporary_sqlite() as url:
        app = create_app(app_config(url))
        with app.app_context():
            directory = app.extensions["migrate"].directory
            upgrade(directory=directory, revision="0008_recipient_name_trigrams")
            load_regions()
            kecamatan_id = factories.kecamatan().id
            for nik, sex in ((woman, "L"), (new_nik(born=BORN, sex="P"), "P")):
                db.session.execute(
                    text(
                        "INSERT INTO recipient (nik, name, sex, birth_date, birth_place, "
                        "address, phone, kecamatan_id, source, source_id, validation_status, "
                        "rejection_reason, active, created_at, updated_at) VALUES (:nik, 'A', "
                        ":sex, '1980-05-14', '', '', '', :kec, 'DTKS', '', 'pending', '', 1, "
                        "'2026-01-01 00:00:00', '2026-01-01 00:00:00')"
                    ),
                    {"nik": nik, "sex": sex, "kec": kecamatan_id},
                )
            db.session.commit()
            upgrade(directory=directory)
            found = dict(db.session.execute(text("SELECT nik, warnings FROM recipient")).all())
            db.engine.dispose()
    assert found.pop(woman) == "sex"
    assert list(found.values()) == [""]
