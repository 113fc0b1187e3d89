"""Registry pages through the test client: access and scope for every URL and role,
NIKs kept out of URLs, active search with and without HTMX, and the actions."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import select

from portal.models import AuditEvent, Recipient, RecipientCorrection
from tests import factories
from tests.conftest import redirect_of
from tests.factories import new_kk, new_nik
from tests.support.registry import OTHER, aid, categories, person

HX = {"HX-Request": "true"}
ROLES = ("partner", "village", "officer", "camat", "admin")
SIXTEEN_DIGITS = re.compile(r"(?<!\d)\d{16}(?!\d)")

# (path template, roles that may open it); {id} is a recipient of the user's area.
PAGES = [
    ("/registry/recipients", {"village", "officer", "camat", "admin"}),
    ("/registry/recipients/{id}", {"village", "officer", "camat", "admin"}),
    ("/registry/recipients/new", {"village", "officer"}),
    ("/registry/recipients/{id}/edit", {"officer"}),
    ("/registry/recipients/{id}/reject", {"officer"}),
    ("/registry/recipients/{id}/deactivate", {"officer"}),
    ("/registry/recipients/{id}/correct", {"village"}),
    ("/registry/proposals", {"village", "officer"}),
    ("/registry/lookup", {"officer", "camat", "admin"}),
    ("/admin/duplicates", {"admin"}),
    ("/admin/categories", {"admin"}),
    ("/admin/categories/new", {"admin"}),
]
ACTIONS = [
    ("/registry/recipients/{id}/validate", {"officer"}),
    ("/registry/recipients/{id}/reactivate", {"officer"}),
    ("/registry/recipients/validate", {"officer"}),
    ("/registry/corrections/{correction}/accept", {"officer"}),
    ("/admin/categories/pairs", {"admin"}),
]


@pytest.fixture()
def resident(db):
    """A person in the first desa of Tenggarong, where the role fixtures work."""
    recipient = person(kk=new_kk())
    db.session.commit()
    return recipient


def expand(path: str, recipient, correction_id: int = 0) -> str:
    return path.format(id=recipient.id, correction=correction_id)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("path", "allowed"), PAGES)
def test_pages_admit_exactly_their_roles(client, login_as, resident, role, path, allowed):
    login_as(role)
    response = client.get(expand(path, resident))
    assert response.status_code == (200 if role in allowed else 403)


@pytest.mark.parametrize(("path", "allowed"), PAGES + ACTIONS)
def test_anonymous_users_are_sent_to_login(client, resident, path, allowed):
    method = client.post if (path, allowed) in ACTIONS else client.get
    response = method(expand(path, resident))
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


@pytest.mark.parametrize(
    ("path", "role"),
    [(path, role) for path, allowed in ACTIONS for role in ROLES if role not in allowed],
)
def test_actions_refuse_other_roles(client, login_as, resident, path, role):
    login_as(role)
    assert client.post(expand(path, resident)).status_code == 403


@pytest.mark.parametrize(
    "path",
    [
        "/registry/recipients/{id}",
        "/registry/recipients/{id}/edit",
        "/registry/recipients/{id}/deactivate",
    ],
)
def test_officer_of_another_kecamatan_gets_404(client, login_as, db, path):
    elsewhere = person(OTHER)
    db.session.commit()
    login_as("officer")
    assert client.get(expand(path, elsewhere)).status_code == 404
    assert client.post(f"/registry/recipients/{elsewhere.id}/validate").status_code == 404


def test_village_operator_of_another_desa_gets_404(client, login_as, db):
    next_desa = factories.kecamatan().desas[1]
    neighbour = person(desa=next_desa)
    db.session.commit()
    login_as("village")
    assert client.get(f"/registry/recipients/{neighbour.id}").status_code == 404
    assert client.get(f"/registry/recipients/{neighbour.id}/correct").status_code == 404


def test_camat_reads_but_has_no_actions(client, login_as, resident):
    login_as("camat")
    page = client.get(f"/registry/recipients/{resident.id}").get_data(as_text=True)
    assert resident.nik in page
    assert "/validate" not in page and "/edit" not in page


# --- NIKs stay out of URLs ------------------------------------------------------------


def urls_in(html: str) -> list[str]:
    return re.findall(r'(?:href|action|hx-get|hx-post|hx-push-url)="([^"]*)"', html)


@pytest.mark.parametrize("role", ["officer", "admin", "village", "camat"])
def test_no_page_puts_a_nik_in_a_url(client, login_as, db, role):
    kk = new_kk()
    mother = person(kk=kk)
    person(kk=kk, name="Rahmat", sex="L", born=date(2004, 4, 4))
    aid("PKH", date(2025, 1, 1), nik=mother.nik, kk=kk)
    db.session.commit()
    login_as(role)
    pages = [
        client.get("/registry/recipients").get_data(as_text=True),
        client.post("/registry/recipients", data={"q": mother.nik}).get_data(as_text=True),
        client.get(f"/registry/recipients/{mother.id}").get_data(as_text=True),
    ]
    if role != "village":
        pages.append(
            client.post("/registry/lookup", data={"nik": mother.nik}).get_data(as_text=True)
        )
    for html in pages:
        assert mother.nik in html  # shown in full to these roles...
        assert not [u for u in urls_in(html) if SIXTEEN_DIGITS.search(u)]  # ...never in a URL


def test_search_by_nik_never_pushes_a_url(client, login_as, resident):
    login_as("officer")
    response = client.post("/registry/recipients", data={"q": resident.nik}, headers=HX)
    assert "HX-Push-Url" not in response.headers
    assert "Location" not in response.headers


# --- active search --------------------------------------------------------------------


def test_htmx_search_returns_only_the_results(client, login_as, db):
    person(name="Siti Aminah")
    person(name="Budi Santoso", sex="L")
    db.session.commit()
    login_as("officer")
    response = client.post("/registry/recipients", data={"q": "amin"}, headers=HX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<html" not in html and 'id="recipient-results"' in html
    assert "Siti Aminah" in html and "Budi Santoso" not in html
    assert "HX-Request" in response.headers["Vary"]


def test_search_without_javascript_renders_the_whole_page(client, login_as, db):
    person(name="Siti Aminah")
    db.session.commit()
    login_as("officer")
    response = client.post("/registry/recipients", data={"q": "amin"})
    html = response.get_data(as_text=True)
    assert "<html" in html and "Siti Aminah" in html
    assert 'value="amin"' in html  # what was typed is kept


def test_filters_without_search_text_redirect_to_a_bookmarkable_url(client, login_as, resident):
    login_as("officer")
    response = client.post("/registry/recipients", data={"q": "", "state": "pending"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/registry/recipients?state=pending")
    htmx = client.post("/registry/recipients", data={"state": "pending"}, headers=HX)
    assert htmx.headers["HX-Push-Url"] == "/registry/recipients?state=pending"
    page = client.get("/registry/recipients?state=pending")
    assert resident.name in page.get_data(as_text=True)


def test_bad_filter_values_are_ignored_not_a_server_error(client, login_as, resident):
    login_as("officer")
    response = client.get("/registry/recipients?desa=abc&state=zzz&aid=-4&page=x")
    assert response.status_code == 200
    assert resident.name in response.get_data(as_text=True)


def test_search_pages_are_posts_carrying_the_text(client, login_as, db):
    for n in range(30):
        person(name=f"Warga {n:02d}")
    db.session.commit()
    login_as("officer")
    html = client.post("/registry/recipients", data={"q": "warga"}).get_data(as_text=True)
    assert 'name="page" value="2"' in html
    second = client.post("/registry/recipients", data={"q": "warga", "page": "2"})
    assert "Warga 29" in second.get_data(as_text=True)


# --- recipient page -------------------------------------------------------------------


def test_opening_a_record_is_logged(client, login_as, db, resident):
    officer = login_as("officer")
    client.get(f"/registry/recipients/{resident.id}")
    event = db.session.scalar(
        select(AuditEvent).where(
            AuditEvent.action == "recipient_viewed", AuditEvent.object_id == resident.id
        )
    )
    assert event.actor_id == officer.id


def test_record_page_shows_family_and_aid(client, login_as, db):
    kk = new_kk()
    mother = person(kk=kk)
    person(kk=kk, name="Rahmat", sex="L", born=date(2004, 4, 4))
    aid("BPNT", date(2025, 1, 1), kk=kk, programme="BPNT Tahap 1")
    db.session.commit()
    login_as("officer")
    html = client.get(f"/registry/recipients/{mother.id}").get_data(as_text=True)
    assert "Rahmat" in html and "BPNT Tahap 1" in html


# --- actions --------------------------------------------------------------------------


def test_officer_creates_a_person_and_sees_warnings(client, login_as, db):
    officer = login_as("officer", locale="en")
    desa = factories.desa_of(officer.kecamatan)
    nik = new_nik("64.01.01")
    response = client.post(
        "/registry/recipients/new",
        data={"nik": nik, "name": "Siti Aminah", "sex": "P", "desa_id": desa.id},
        follow_redirects=True,
    )
    html = response.get_data(as_text=True)
    assert "outside Kutai Kartanegara" in html
    assert db.session.scalar(select(Recipient).where(Recipient.nik == nik))


def test_a_taken_nik_is_refused_beside_the_field_with_a_link(client, login_as, resident):
    officer = login_as("officer", locale="en")
    desa = factories.desa_of(officer.kecamatan)
    response = client.post(
        "/registry/recipients/new",
        data={"nik": resident.nik, "name": "Orang Lain", "desa_id": desa.id},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "already in the registry" in html
    assert f'href="/registry/recipients/{resident.id}"' in html
    assert 'value="Orang Lain"' in html


def test_a_bad_nik_keeps_what_was_typed(client, login_as, db):
    officer = login_as("officer")
    desa = factories.desa_of(officer.kecamatan)
    response = client.post(
        "/registry/recipients/new",
        data={"nik": "6.40216E+15", "name": "Siti", "desa_id": desa.id},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "field-error" in html and 'value="6.40216E+15"' in html


def test_validate_reject_deactivate_reactivate_through_the_pages(client, login_as, resident, db):
    login_as("officer")
    base = f"/registry/recipients/{resident.id}"
    assert redirect_of(client.post(f"{base}/validate")) == base
    db.session.refresh(resident)
    assert resident.validation_status == "validated"
    response = client.post(f"{base}/reject", data={"reason": ""})
    assert response.status_code == 200 and "field-error" in response.get_data(as_text=True)
    db.session.refresh(resident)
    assert resident.validation_status == "validated"
    client.post(f"{base}/reject", data={"reason": "Tidak memenuhi syarat"})
    db.session.refresh(resident)
    assert resident.validation_status == "rejected"
    client.post(f"{base}/deactivate", data={"reason": "moved", "note": "Ke Samarinda"})
    db.session.refresh(resident)
    assert not resident.active
    client.post(f"{base}/reactivate")
    db.session.refresh(resident)
    assert resident.active


def test_bulk_validation_of_selected_rows(client, login_as, db):
    people = [person(name=f"Warga {n}") for n in range(3)]
    elsewhere = person(OTHER)
    db.session.commit()
    login_as("officer")
    ids = [people[0].id, people[1].id, elsewhere.id]
    response = client.post("/registry/recipients/validate", data={"ids": ids})
    assert redirect_of(response) == "/registry/recipients"
    for recipient in [*people, elsewhere]:
        db.session.refresh(recipient)
    assert [p.validation_status for p in people] == ["validated", "validated", "pending"]
    assert elsewhere.validation_status == "pending"


def test_village_proposes_and_corrects_then_officer_decides(client, auth, make_user, db):
    officer = make_user("officer")
    village = make_user("village")
    neighbour = person(desa=village.desa)
    db.session.commit()
    auth.login(village)
    response = client.post(
        "/registry/recipients/new",
        data={"nik": new_nik(), "name": "Warga Baru", "sex": "P", "desa_id": village.desa_id},
    )
    assert response.status_code == 302
    created = db.session.scalar(select(Recipient).where(Recipient.name == "Warga Baru"))
    assert response.headers["Location"] == f"/registry/recipients/{created.id}"
    client.post(
        f"/registry/recipients/{neighbour.id}/correct",
        data={
            "nik": neighbour.nik,
            "name": "Siti Aminah",
            "sex": "P",
            "birth_date": "14/05/1980",
            "address": "RT 3",
            "desa_id": village.desa_id,
            "reason": "Alamat baru",
        },
    )
    correction = db.session.scalar(select(RecipientCorrection))
    assert correction.changes == {"address": "RT 3"}
    auth.logout()
    auth.login(officer)
    inbox = client.get("/registry/proposals").get_data(as_text=True)
    assert "Warga Baru" in inbox and "Alamat baru" in inbox
    client.post(f"/registry/corrections/{correction.id}/accept")
    db.session.refresh(neighbour)
    assert neighbour.address == "RT 3"
    auth.logout()
    auth.login(village)
    mine = client.get("/registry/proposals").get_data(as_text=True)
    assert "Warga Baru" in mine and "badge-accepted" in mine


# --- lookup ---------------------------------------------------------------------------


def test_lookup_box_is_in_the_header_for_officers_only(client, auth, make_user):
    auth.login(make_user("officer"))
    assert 'class="nik-lookup' in client.get("/").get_data(as_text=True)
    auth.logout()
    auth.login(make_user("village"))
    assert 'class="nik-lookup' not in client.get("/").get_data(as_text=True)


def test_lookup_with_htmx_returns_the_fragment(client, login_as, db):
    kk = new_kk()
    mother = person(kk=kk)
    aid("PKH", date(2025, 1, 1), nik=mother.nik, kk=kk, programme="PKH 2025")
    db.session.commit()
    login_as("camat")
    fragment = client.post("/registry/lookup", data={"nik": mother.nik}, headers=HX)
    html = fragment.get_data(as_text=True)
    assert "<html" not in html and "PKH 2025" in html and mother.name in html
    page = client.post("/registry/lookup", data={"nik": mother.nik}).get_data(as_text=True)
    assert "<html" in page and "PKH 2025" in page
    assert fragment.headers["Cache-Control"] == "no-store"


def test_lookup_of_a_person_elsewhere_shows_where_without_a_link(client, login_as, db):
    elsewhere = person(OTHER)
    db.session.commit()
    login_as("officer")
    html = client.post("/registry/lookup", data={"nik": elsewhere.nik}).get_data(as_text=True)
    assert "Loa Kulu" in html
    assert f"/registry/recipients/{elsewhere.id}" not in html


def test_lookup_explains_a_nik_in_scientific_notation(client, login_as):
    login_as("officer")
    html = client.post("/registry/lookup", data={"nik": "6.40216E+15"}).get_data(as_text=True)
    assert "field-error" in html


# --- admin pages ----------------------------------------------------------------------


def test_duplicates_page_lists_groups(client, login_as, db):
    born = date(1975, 8, 17)
    person(name="Siti Aminah", born=born)
    person(OTHER, name="Siti Aminah", born=born)
    db.session.commit()
    login_as("admin")
    html = client.get("/admin/duplicates").get_data(as_text=True)
    assert html.count("Siti Aminah") >= 2
    fragment = client.get("/admin/duplicates?kind=kk", headers=HX).get_data(as_text=True)
    assert "<html" not in fragment


def test_admin_edits_categories_and_pairs(client, login_as, db):
    ids = categories()
    db.session.commit()
    login_as("admin", locale="en")
    response = client.post(
        "/admin/categories/new", data={"code": "SEMBAKO-KAB", "name": "Sembako Pemkab"}
    )
    assert redirect_of(response) == "/admin/categories"
    same = client.post(
        "/admin/categories/pairs", data={"first_id": ids["FOOD"], "second_id": ids["FOOD"]}
    )
    assert same.status_code == 400 and "different" in same.get_data(as_text=True)
    client.post(
        "/admin/categories/pairs", data={"first_id": ids["FOOD"], "second_id": ids["OTHER"]}
    )
    client.post(
        "/admin/categories/pairs/remove", data={"first_id": ids["PKH"], "second_id": ids["BPNT"]}
    )
    html = client.get("/admin/categories").get_data(as_text=True)
    assert "Sembako Pemkab" in html
    client.post(f"/admin/categories/{ids['OTHER']}/active", data={"active": "0"})
    assert "badge-inactive" in client.get("/admin/categories").get_data(as_text=True)


def test_search_post_needs_the_csrf_token(app, client, login_as):
    login_as("officer")
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = client.post("/registry/recipients", data={"q": "x"}, headers=HX)
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert response.status_code == 400


def test_bulk_validation_of_a_whole_import_batch(client, login_as, db):
    from portal.models import ImportBatch

    batch = ImportBatch(kind="recipients", source="DTKS", filename="dtks.csv")
    db.session.add(batch)
    db.session.flush()
    people = [person(import_batch_id=batch.id) for _ in range(2)]
    other = person()
    db.session.commit()
    login_as("officer")
    client.post("/registry/recipients/validate", data={"batch_id": batch.id})
    for recipient in [*people, other]:
        db.session.refresh(recipient)
    assert [p.validation_status for p in people] == ["validated", "validated"]
    assert other.validation_status == "pending"


def test_expiring_or_expired_filter_in_the_url(client, login_as, db):
    from datetime import UTC, datetime

    person(
        name="Warga Lama",
        validation_status="validated",
        validated_at=datetime(2020, 1, 1, tzinfo=UTC),
    )
    person(name="Warga Terkini", validation_status="validated", validated_at=datetime.now(UTC))
    db.session.commit()
    login_as("officer")
    html = client.get("/registry/recipients?state=renew").get_data(as_text=True)
    assert "Warga Lama" in html and "Warga Terkini" not in html
