"""Absurd numbers are no server error: a page beyond 64 bits on every list, and an id
beyond 64 bits (or negative, or not a number) in every form that carries one."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from portal.core.ids import MAX_ID, optional_id
from portal.core.paging import MAX_PAGE, page_number
from tests import factories
from tests.factories import new_kk, new_nik
from tests.support.contributions import make_contribution
from tests.support.registry import person

PORTAL = Path(__file__).resolve().parent.parent / "portal"
BEYOND = str(2**63)  # 9223372036854775808
HUGE = "9" * 20
ABSURD_PAGES = [BEYOND, HUGE, str(MAX_PAGE + 1), "-1", "0", "abc", "1e9", " 2", "٣"]

LISTS = [
    ("admin", "/admin/users"),
    ("admin", "/admin/companies"),
    ("admin", "/admin/companies/pending"),
    ("admin", "/admin/duplicates"),
    ("admin", "/registry/imports/conflicts"),
    ("admin", "/contributions/"),
    ("officer", "/contributions/"),
    ("partner", "/contributions/"),
    ("officer", "/notifications"),
    ("officer", "/registry/imports/"),
    ("officer", "/registry/recipients"),
    ("village", "/registry/recipients"),
    ("admin", "/jobs/"),
]


@pytest.mark.parametrize("page", ABSURD_PAGES)
@pytest.mark.parametrize(("role", "path"), LISTS)
def test_an_absurd_page_on_any_list_is_the_first_page(client, login_as, role, path, page):
    login_as(role)
    response = client.get(path, query_string={"page": page})
    assert response.status_code == 200
    response = client.get(path, query_string={"page": page}, headers={"HX-Request": "true"})
    assert response.status_code == 200


def test_marking_read_with_an_absurd_page_is_no_server_error(client, login_as):
    login_as("officer")
    response = client.post("/notifications/read-all", data={"page": BEYOND})
    assert response.status_code in (200, 302)


@pytest.mark.parametrize(
    ("value", "number"),
    [("2", 2), (3, 3), (BEYOND, 1), (HUGE, 1), ("-1", 1), ("x", 1), (None, 1), ("", 1)],
)
def test_one_reader_turns_any_page_argument_into_a_page(value, number):
    assert page_number(value) == number


@pytest.mark.parametrize("value", [BEYOND, HUGE, "-1", "0", "x", " ", "1.5", "٣", MAX_ID + 1])
def test_an_id_beyond_64_bits_is_refused_by_its_field(value):
    with pytest.raises(ValueError):
        optional_id(value)
    assert optional_id("") is None and optional_id(str(MAX_ID)) == MAX_ID


def test_every_list_paginates_through_the_one_helper():
    """A new list cannot read ``page`` on its own and reopen the 500."""
    offenders = []
    for path in PORTAL.rglob("*.py"):
        if path.name == "paging.py":
            continue
        source = path.read_text()
        if re.search(r"\bdb\.paginate\(|\bget\(\s*[\"']page[\"'][^)]*type=int", source):
            offenders.append(str(path.relative_to(PORTAL.parent)))
    assert offenders == []


# --- ids in forms ----------------------------------------------------------------------


@pytest.fixture()
def things(db):
    company = factories.CompanyFactory()
    contribution = make_contribution(company, kec=None)
    resident = person(kk=new_kk())
    db.session.commit()
    return {"contribution": contribution.id, "recipient": resident.id, "company": company.id}


USER = {"email": "baru@uji.example", "name": "Petugas Baru", "role": "officer"}
ID_FORMS = [
    ("admin", "POST", "/admin/users/new", dict(USER, kecamatan_id="{id}")),
    ("admin", "POST", "/admin/users/new", dict(USER, role="village", desa_id="{id}")),
    ("admin", "POST", "/admin/users/new", dict(USER, role="partner", company_id="{id}")),
    ("admin", "POST", "/admin/offices/{kecamatan}/edit", {"camat_user_id": "{id}"}),
    ("admin", "POST", "/contributions/{contribution}/route", {"kecamatan_id": "{id}"}),
    ("admin", "POST", "/contributions/{contribution}/accept", {"aid_category_id": "{id}"}),
    ("admin", "POST", "/contributions/{contribution}/split", {"kecamatan": ["{id}", "{id}"]}),
    ("admin", "POST", "/admin/categories/pairs", {"first_id": "{id}", "second_id": "{id}"}),
    ("admin", "POST", "/admin/categories/pairs/remove", {"first_id": "{id}", "second_id": "1"}),
    ("admin", "GET", "/admin/users?kecamatan={id}", None),
    ("admin", "GET", "/contributions/?company={id}&kecamatan={id}", None),
    ("officer", "POST", "/registry/recipients/validate", {"ids": ["{id}"]}),
    ("officer", "POST", "/registry/recipients/validate", {"batch_id": "{id}"}),
    ("officer", "GET", "/registry/recipients?desa={id}&aid={id}", None),
    ("admin", "POST", "/registry/recipients", {"kecamatan": "{id}", "desa": "{id}"}),
    ("officer", "POST", "/registry/recipients/new", {"nik": "", "name": "X", "desa_id": "{id}"}),
    ("officer", "POST", "/registry/recipients/{recipient}/edit", {"desa_id": "{id}"}),
]


def _fill(value, values):
    if isinstance(value, dict):
        return {k: _fill(v, values) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, values) for v in value]
    return value.format(**values) if isinstance(value, str) else value


@pytest.mark.parametrize("bad", [BEYOND, HUGE, "-5"])
@pytest.mark.parametrize(("role", "method", "path", "data"), ID_FORMS)
def test_an_id_beyond_64_bits_in_a_form_is_refused_not_a_500(
    client, login_as, things, role, method, path, data, bad
):
    login_as(role)
    values = dict(things, id=bad, kecamatan=factories.kecamatan().id)
    if data and "nik" in data:
        data = dict(data, nik=new_nik())
    response = client.open(_fill(path, values), method=method, data=_fill(data or {}, values))
    assert response.status_code in (200, 302, 303, 400, 404), response.status_code


def test_the_refused_id_reads_in_indonesian_beside_its_field(app, client, login_as):
    from tests.support.pages import field_error, shown

    login_as("admin")
    response = client.post("/admin/users/new", data=dict(USER, kecamatan_id=BEYOND))
    assert response.status_code == 200
    assert field_error(response.get_data(as_text=True), "kecamatan_id") == shown(
        app, "Choose from the list."
    )
