"""Registry pages as a user meets them: absurd numbers in URLs and forms, the NIK lookup
logged like opening a record, long search results, and labels of the record's source."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from portal.models import AuditEvent
from portal.registry import views
from tests.conftest import redirect_of
from tests.factories import new_kk
from tests.support.pages import shown
from tests.support.registry import person

HX = {"HX-Request": "true"}
HUGE = "9" * 20  # more than 64 bits


def test_an_id_beyond_64_bits_in_a_url_is_not_found(client, login_as):
    login_as("officer")
    assert client.get(f"/registry/recipients/{HUGE}").status_code == 404
    assert client.post(f"/registry/recipients/{HUGE}/validate").status_code == 404


@pytest.mark.parametrize(
    "data", [{"ids": [HUGE]}, {"batch_id": HUGE}, {"ids": ["-1", "0"]}, {"ids": ["x"]}]
)
def test_bulk_validation_with_absurd_numbers_validates_nobody(client, login_as, db, data):
    resident = person(kk=new_kk())
    db.session.commit()
    login_as("officer")
    response = client.post("/registry/recipients/validate", data=data)
    assert redirect_of(response) == "/registry/recipients"
    db.session.refresh(resident)
    assert resident.validation_status == "pending"


def test_absurd_page_numbers_are_ignored(client, login_as, db):
    person(kk=new_kk(), name="Sari Halim")
    db.session.commit()
    login_as("officer")
    assert client.get(f"/registry/recipients?page={HUGE}").status_code == 200
    response = client.post("/registry/recipients", data={"q": "Sari", "page": HUGE}, headers=HX)
    assert response.status_code == 200 and "Sari Halim" in response.get_data(as_text=True)


def test_absurd_numbers_on_the_admin_pages_are_no_server_error(client, login_as):
    login_as("admin")
    assert client.get(f"/admin/duplicates?page={HUGE}").status_code == 200
    remove = {"first_id": HUGE, "second_id": "1"}
    assert client.post("/admin/categories/pairs/remove", data=remove).status_code == 400


def test_looking_up_a_registered_nik_is_logged_by_id_and_shown_on_the_record(
    app, client, login_as, db
):
    resident = person(kk=new_kk())
    db.session.commit()
    login_as("officer")
    response = client.post("/registry/lookup", data={"nik": resident.nik}, headers=HX)
    assert response.status_code == 200
    [event] = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "recipient_looked_up")
    ).all()
    assert event.object_id == resident.id
    assert resident.nik not in repr(event.details) and resident.name not in repr(event.details)
    page = client.get(f"/registry/recipients/{resident.id}").get_data(as_text=True)
    assert shown(app, "Looked up by NIK") in page


def test_looking_up_an_unknown_nik_logs_nothing(client, login_as, db):
    resident = person(kk=new_kk())
    nik = resident.nik
    db.session.delete(resident)
    db.session.commit()
    login_as("officer")
    assert client.post("/registry/lookup", data={"nik": nik}, headers=HX).status_code == 200
    assert (
        db.session.scalar(select(AuditEvent).where(AuditEvent.action.like("recipient_%"))) is None
    )


def test_long_search_results_say_more_than_and_still_page_on(
    app, client, login_as, db, monkeypatch
):
    monkeypatch.setattr(views, "SEARCH_COUNT_LIMIT", 25)
    for n in range(60):
        person(name=f"Sari {n:02d}")
    db.session.commit()
    login_as("officer")
    first = client.post("/registry/recipients", data={"q": "Sari"}, headers=HX)
    html = first.get_data(as_text=True)
    more = shown(
        app,
        "Page %(page)s · more than %(total)s rows: type more to narrow the search",
        page=1,
        total=50,
    )
    assert more in html and 'name="page" value="2"' in html
    last = client.post("/registry/recipients", data={"q": "Sari", "page": 3}, headers=HX)
    html = last.get_data(as_text=True)
    assert shown(app, "Page %(page)s of %(pages)s · %(total)s rows", page=3, pages=3, total=60) in (
        html
    )
    assert 'name="page" value="4"' not in html
    assert len(re.findall(r">Sari \d\d<", html)) == 10


def test_no_search_match_says_page_one_of_one(app, client, login_as):
    login_as("officer")
    html = client.post("/registry/recipients", data={"q": "Zzyzx"}, headers=HX).get_data(
        as_text=True
    )
    assert shown(app, "Page %(page)s of %(pages)s · %(total)s rows", page=1, pages=1, total=0) in (
        html
    )


def test_the_record_names_its_source_in_words(app, client, login_as, db):
    resident = person(kk=new_kk())
    db.session.commit()
    login_as("officer")
    page = client.get(f"/registry/recipients/{resident.id}").get_data(as_text=True)
    assert shown(app, "Entered in the portal") in page and "MANUAL" not in page


def test_a_forged_sector_is_refused_beside_the_checkboxes(client, login_as, db):
    login_as("officer")
    response = client.post(
        "/registry/recipients/new", data={"nik": "x", "name": "Y", "sectors": ["bogus"]}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    sectors = html.split('id="sectors"', 1)[1].split("</fieldset>", 1)[0]
    assert "field-error" in sectors
