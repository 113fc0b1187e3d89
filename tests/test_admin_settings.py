"""Dinsos admins edit the business rules and the kecamatan offices."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from portal.admin import services
from portal.core import settings
from portal.core.refusals import Refusal
from portal.models import AuditEvent, KecamatanOffice
from tests import factories
from tests.conftest import redirect_of

VALID = {
    "lookback_months": "18",
    "validation_months": "12",
    "monitoring_schedule": "6, 1,3, 12",
    "approval_wait_days": "7",
    "target_group_priority": "wrse,disability,elderly,neglected_children",
}


def test_settings_page_shows_the_current_values(client, login_as, db):
    login_as("admin")
    page = client.get("/admin/settings").get_data(as_text=True)
    assert 'value="12"' in page and 'value="1, 3, 6"' in page


def test_valid_settings_are_saved_and_recorded(client, login_as, db):
    admin = login_as("admin")
    response = client.post("/admin/settings", data=VALID)
    assert redirect_of(response) == "/admin/settings"
    db.session.expire_all()
    assert settings.get("lookback_months") == 18
    assert settings.get("monitoring_schedule") == [1, 3, 6, 12]
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.object_type == "setting")).all()
    assert {e.details["key"] for e in events} == {"lookback_months", "monitoring_schedule"}
    assert all(e.actor_id == admin.id for e in events)
    page = client.get("/admin/settings").get_data(as_text=True)
    assert input_value(page, "lookback_months") == "18"
    assert input_value(page, "monitoring_schedule") == "1, 3, 6, 12"


def input_value(page: str, field_id: str) -> str | None:
    tag = re.search(rf'<input[^>]*\bid="{field_id}"[^>]*>', page)
    value = re.search(r'\bvalue="([^"]*)"', tag.group(0)) if tag else None
    return value.group(1) if value else None


@pytest.mark.parametrize(
    "key,value",
    [
        ("lookback_months", "dua belas"),
        ("lookback_months", "0"),
        ("validation_months", "500"),
        ("validation_months", ""),
        ("monitoring_schedule", "1, tiga, 6"),
        ("monitoring_schedule", ""),
        ("approval_wait_days", "-3"),
    ],
)
def test_invalid_settings_get_a_message_and_keep_what_was_typed(client, login_as, db, key, value):
    login_as("admin")
    response = client.post("/admin/settings", data=VALID | {key: value})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert f'id="{key}-error"' in page
    assert f'value="{value}"' in page
    other = next(k for k in VALID if k != key)
    assert f'value="{VALID[other]}"' in page  # the other fields keep what was typed too
    db.session.expire_all()
    assert settings.get("lookback_months") == 12, "nothing is saved while one value is wrong"


def test_service_checks_every_value_before_storing_any(db, make_user):
    admin = make_user("admin")
    with pytest.raises(Refusal) as refused:
        services.save_settings(admin, VALID | {"approval_wait_days": "x"})
    assert refused.value.field == "approval_wait_days"
    assert settings.get("lookback_months") == 12


# --- kecamatan offices -------------------------------------------------------------


def office_form(**overrides) -> dict:
    data = {
        "address": "Jl. Jend. Sudirman 1, Tenggarong",
        "phone": "0541 661000",
        "email": "",
        "camat_user_id": "",
        "class_code": "400.9.1",
        "letter_pattern": "{class_code}/{seq:03d}/CSR-{kecamatan_code}/{month_roman}/{year}",
    }
    data.update(overrides)
    return data


def test_offices_list_shows_all_twenty(client, login_as, db):
    login_as("admin")
    page = client.get("/admin/offices").get_data(as_text=True)
    assert page.count("/edit") == 20


def test_admin_names_the_camat_in_office(client, login_as, make_user, db):
    login_as("admin")
    camat = make_user("camat", name="Drs. Camat Uji")
    kec_id = camat.kecamatan_id
    response = client.post(
        f"/admin/offices/{kec_id}/edit", data=office_form(camat_user_id=str(camat.id))
    )
    assert redirect_of(response) == "/admin/offices"
    office = db.session.get(KecamatanOffice, kec_id)
    db.session.refresh(office)
    assert office.camat_user_id == camat.id and office.class_code == "400.9.1"


def test_camat_of_another_kecamatan_cannot_be_named(client, login_as, make_user, db):
    login_as("admin")
    camat = make_user("camat", kecamatan=factories.kecamatan("64.02.01"))
    kec_id = factories.kecamatan().id
    response = client.post(
        f"/admin/offices/{kec_id}/edit", data=office_form(camat_user_id=str(camat.id))
    )
    assert response.status_code == 200
    assert 'id="camat_user_id-error"' in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "pattern", ["{class_code}/{nomor}/{year}", "{class_code}/{year}", "{seq:03d}/{year", "{seq:zz}"]
)
def test_bad_letter_pattern_is_refused(client, login_as, db, pattern):
    login_as("admin")
    kec_id = factories.kecamatan().id
    response = client.post(
        f"/admin/offices/{kec_id}/edit", data=office_form(letter_pattern=pattern)
    )
    assert response.status_code == 200
    assert 'id="letter_pattern-error"' in response.get_data(as_text=True)
