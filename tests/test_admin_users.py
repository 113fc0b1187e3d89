"""Dinsos admins manage accounts: role and scope, temporary passwords, deactivation."""

from __future__ import annotations

import re

import pytest
from flask_babel import gettext
from markupsafe import escape
from sqlalchemy import select

from portal.admin import services
from portal.core import audit
from portal.core.refusals import Refusal
from portal.models import AuditEvent, KecamatanOffice, User
from tests import factories
from tests.conftest import TEST_PASSWORD, redirect_of


def shown(app, message, **params) -> str:
    """A message as the default (Indonesian) page shows it, HTML-escaped."""
    with app.test_request_context():
        return str(escape(gettext(str(message), **params)))


ADMIN_GET_URLS = [
    "/admin/users",
    "/admin/users/new",
    "/admin/users/{user}",
    "/admin/users/{user}/edit",
    "/admin/companies",
    "/admin/companies/new",
    "/admin/companies/{company}",
    "/admin/companies/{company}/edit",
    "/admin/settings",
    "/admin/offices",
    "/admin/offices/{kecamatan}/edit",
]
ADMIN_POST_URLS = [
    "/admin/users/new",
    "/admin/users/{user}/edit",
    "/admin/users/{user}/deactivate",
    "/admin/users/{user}/reactivate",
    "/admin/users/{user}/password",
    "/admin/companies/new",
    "/admin/companies/{company}/edit",
    "/admin/companies/{company}/status",
    "/admin/settings",
    "/admin/settings/logo",
    "/admin/settings/logo/remove",
    "/admin/offices/{kecamatan}/edit",
]


@pytest.fixture()
def targets(make_user):
    """Ids to fill into the admin URLs."""
    partner = make_user("partner")
    return {
        "user": partner.id,
        "company": partner.company_id,
        "kecamatan": factories.kecamatan().id,
    }


def test_every_admin_url_is_listed_here(app):
    """A new admin view must be added to the access tests below."""
    listed = {re.sub(r"\{\w+\}", "x", url) for url in ADMIN_GET_URLS + ADMIN_POST_URLS}
    routed = {
        re.sub(r"<[^>]+>", "x", rule.rule)
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("admin.")
    }
    assert routed == listed


@pytest.mark.parametrize("role", ["partner", "village", "officer", "camat"])
@pytest.mark.parametrize(
    "method,url", [("get", u) for u in ADMIN_GET_URLS] + [("post", u) for u in ADMIN_POST_URLS]
)
def test_admin_pages_refuse_other_roles(client, login_as, targets, role, method, url):
    login_as(role)
    response = getattr(client, method)(url.format(**targets))
    assert response.status_code == 403


@pytest.mark.parametrize(
    "method,url", [("get", u) for u in ADMIN_GET_URLS] + [("post", u) for u in ADMIN_POST_URLS]
)
def test_admin_pages_send_anonymous_users_to_login(client, targets, method, url):
    response = getattr(client, method)(url.format(**targets))
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


@pytest.mark.parametrize("url", ADMIN_GET_URLS)
def test_admin_pages_open_for_admins(client, login_as, targets, url):
    login_as("admin")
    assert client.get(url.format(**targets)).status_code == 200


# --- creating accounts -------------------------------------------------------------


def user_form(**overrides) -> dict:
    data = {
        "email": "baru@kukar.example",
        "name": "Siti Rahmawati",
        "title": "Operator Puskesos",
        "nip": "",
        "phone": "0812 5555 1234",
        "role": "officer",
        "company_id": "",
        "kecamatan_id": "",
        "desa_id": "",
    }
    data.update(overrides)
    return data


def scope_for_role(role: str, company_id: int) -> dict:
    kec = factories.kecamatan()
    desa = factories.desa_of(kec)
    return {
        "partner": {"company_id": str(company_id)},
        "officer": {"kecamatan_id": str(kec.id)},
        "camat": {"kecamatan_id": str(kec.id)},
        "village": {"desa_id": str(desa.id)},
        "admin": {},
    }[role]


@pytest.mark.parametrize("role", ["partner", "village", "officer", "camat", "admin"])
def test_admin_creates_an_account_with_the_scope_its_role_needs(client, login_as, db, role):
    admin = login_as("admin")
    company = factories.CompanyFactory()
    db.session.commit()
    # Every scope select filled in: only the one the role needs is kept.
    kec, desa = factories.kecamatan("64.02.01"), factories.desa_of(factories.kecamatan("64.02.02"))
    noise = {"company_id": str(company.id), "kecamatan_id": str(kec.id), "desa_id": str(desa.id)}
    form = user_form(role=role, **noise) | scope_for_role(role, company.id)

    response = client.post("/admin/users/new", data=form)

    assert response.status_code == 302
    user = db.session.scalar(select(User).where(User.email == "baru@kukar.example"))
    assert response.headers["Location"] == f"/admin/users/{user.id}"
    assert user.role == role and user.active and user.must_change_password
    expected = {
        "partner": (company.id, None, None),
        "officer": (None, factories.kecamatan().id, None),
        "camat": (None, factories.kecamatan().id, None),
        "village": (None, factories.kecamatan().id, factories.desa_of(factories.kecamatan()).id),
        "admin": (None, None, None),
    }[role]
    assert (user.company_id, user.kecamatan_id, user.desa_id) == expected
    actions = [e.action for e in audit.history(user)]
    assert actions == ["user_created", "password_reset"]
    assert all(e.actor_id == admin.id for e in audit.history(user))


@pytest.mark.parametrize(
    "role,field",
    [
        ("partner", "company_id"),
        ("officer", "kecamatan_id"),
        ("camat", "kecamatan_id"),
        ("village", "desa_id"),
    ],
)
def test_missing_scope_is_a_message_beside_its_field(client, login_as, db, role, field):
    login_as("admin")
    response = client.post("/admin/users/new", data=user_form(role=role))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert f'id="{field}-error"' in page
    assert 'value="baru@kukar.example"' in page  # what was typed is kept
    assert db.session.scalar(select(User).where(User.email == "baru@kukar.example")) is None


def test_nonsense_scope_values_are_refused_without_a_server_error(client, login_as, db):
    login_as("admin")
    response = client.post(
        "/admin/users/new", data=user_form(role="village", desa_id="abc", kecamatan_id="999999")
    )
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'id="desa_id-error"' in page and 'id="kecamatan_id-error"' in page


def test_service_refuses_a_role_without_its_scope(db, make_user):
    admin = make_user("admin")
    data = services.UserData(email="x@kukar.example", name="X", role="camat")
    with pytest.raises(Refusal) as refused:
        services.create_user(admin, data)
    assert refused.value.field == "kecamatan_id"


def test_duplicate_email_is_refused_whatever_its_case(client, login_as, make_user, db):
    login_as("admin")
    make_user("officer", email="ada@kukar.example")
    response = client.post(
        "/admin/users/new",
        data=user_form(email="ADA@Kukar.Example", kecamatan_id=str(factories.kecamatan().id)),
    )
    assert response.status_code == 200
    assert 'id="email-error"' in response.get_data(as_text=True)
    assert db.session.scalar(select(User).where(User.name == "Siti Rahmawati")) is None


def test_email_is_stored_in_lower_case(client, login_as, db):
    login_as("admin")
    client.post("/admin/users/new", data=user_form(email=" Budi@Kukar.Example ", role="admin"))
    assert db.session.scalar(select(User).where(User.email == "budi@kukar.example")) is not None


@pytest.mark.parametrize("nip", ["12345", "19700101199003100A", "1970010119900310021"])
def test_a_nip_must_have_18_digits(client, login_as, db, nip):
    login_as("admin")
    response = client.post("/admin/users/new", data=user_form(role="admin", nip=nip))
    assert 'id="nip-error"' in response.get_data(as_text=True)


def test_a_nip_typed_with_spaces_is_stored_as_digits(client, login_as, db):
    login_as("admin")
    client.post("/admin/users/new", data=user_form(role="admin", nip="19700101 199003 1 002"))
    user = db.session.scalar(select(User).where(User.email == "baru@kukar.example"))
    assert user.nip == "197001011990031002"


def test_temporary_password_is_shown_once_and_must_be_changed(client, login_as, auth, db):
    login_as("admin")
    response = client.post("/admin/users/new", data=user_form(role="admin"))
    first = client.get(response.headers["Location"])
    match = re.search(r'<code id="temporary-password">([^<]+)</code>', first.get_data(as_text=True))
    assert match, "the temporary password is shown after creating the account"
    assert "no-store" in first.headers["Cache-Control"]
    password = match.group(1)
    second = client.get(response.headers["Location"])
    assert password not in second.get_data(as_text=True)

    auth.logout()
    user = db.session.scalar(select(User).where(User.email == "baru@kukar.example"))
    assert redirect_of(auth.login(user, password)) == "/"
    home = client.get("/")
    assert home.status_code == 302 and "/account/password" in home.headers["Location"]


# --- editing -----------------------------------------------------------------------


def test_admin_changes_role_and_scope(client, login_as, make_user, db):
    login_as("admin")
    user = make_user("officer")
    desa = factories.desa_of(factories.kecamatan("64.02.01"))
    response = client.post(
        f"/admin/users/{user.id}/edit",
        data=user_form(email=user.email, name=user.name, role="village", desa_id=str(desa.id)),
    )
    assert redirect_of(response) == f"/admin/users/{user.id}"
    db.session.refresh(user)
    assert (user.role, user.desa_id, user.kecamatan_id) == ("village", desa.id, desa.kecamatan_id)
    event = audit.history(user)[-1]
    assert (event.action, event.from_state, event.to_state) == (
        "user_updated",
        "officer",
        "village",
    )


def test_editing_keeps_own_email_but_refuses_another_accounts(client, login_as, make_user, db):
    login_as("admin")
    make_user("admin", email="taken@kukar.example")
    user = make_user("admin", email="mine@kukar.example")
    same = client.post(
        f"/admin/users/{user.id}/edit", data=user_form(email="MINE@kukar.example", role="admin")
    )
    assert redirect_of(same) == f"/admin/users/{user.id}"
    other = client.post(
        f"/admin/users/{user.id}/edit", data=user_form(email="taken@kukar.example", role="admin")
    )
    assert 'id="email-error"' in other.get_data(as_text=True)


def test_admin_cannot_change_own_role(client, login_as, db):
    admin = login_as("admin")
    response = client.post(
        f"/admin/users/{admin.id}/edit",
        data=user_form(
            email=admin.email, role="officer", kecamatan_id=str(factories.kecamatan().id)
        ),
    )
    assert 'id="role-error"' in response.get_data(as_text=True)
    db.session.refresh(admin)
    assert admin.role == "admin"


def test_unknown_user_is_404(client, login_as):
    login_as("admin")
    assert client.get("/admin/users/999999").status_code == 404


# --- deactivation and passwords ----------------------------------------------------


def test_deactivation_ends_sessions_and_logins_and_reactivation_restores(
    app, client, login_as, make_user, db
):
    login_as("admin")
    officer = make_user("officer")
    other = app.test_client()
    other.post("/login", data={"email": officer.email, "password": TEST_PASSWORD})
    assert other.get("/").status_code == 200

    response = client.post(f"/admin/users/{officer.id}/deactivate")
    assert redirect_of(response) == f"/admin/users/{officer.id}"
    db.session.refresh(officer)
    assert not officer.active
    assert redirect_of(other.get("/")) == "/login?next=/"  # their open session ended
    refused = other.post("/login", data={"email": officer.email, "password": TEST_PASSWORD})
    assert refused.status_code == 200

    client.post(f"/admin/users/{officer.id}/reactivate")
    db.session.refresh(officer)
    assert officer.active
    assert (
        other.post("/login", data={"email": officer.email, "password": TEST_PASSWORD}).status_code
        == 302
    )
    events = [(e.action, e.from_state, e.to_state) for e in audit.history(officer)]
    assert ("user_deactivated", "active", "inactive") in events
    assert ("user_reactivated", "inactive", "active") in events


def test_admin_cannot_deactivate_themselves(app, client, login_as, db):
    admin = login_as("admin")
    response = client.post(f"/admin/users/{admin.id}/deactivate", follow_redirects=True)
    assert shown(app, "You cannot deactivate your own account.") in response.get_data(as_text=True)
    db.session.refresh(admin)
    assert admin.active


def test_deactivating_the_camat_in_office_keeps_the_office_and_says_so(
    client, login_as, make_user, db
):
    login_as("admin")
    camat = make_user("camat")
    office = db.session.get(KecamatanOffice, camat.kecamatan_id)
    office.camat_user_id = camat.id
    db.session.commit()
    response = client.post(f"/admin/users/{camat.id}/deactivate", follow_redirects=True)
    warning = re.search(
        r'class="flash flash-warning"[^>]*>([^<]*)<', response.get_data(as_text=True)
    )
    assert warning and camat.name in warning.group(1) and "Kecamatan" in warning.group(1)
    db.session.refresh(office)
    assert office.camat_user_id == camat.id


def test_password_reset_shows_a_temporary_password_and_ends_sessions(
    app, client, login_as, make_user, db
):
    login_as("admin")
    village = make_user("village")
    other = app.test_client()
    other.post("/login", data={"email": village.email, "password": TEST_PASSWORD})

    response = client.post(f"/admin/users/{village.id}/password", follow_redirects=True)
    match = re.search(
        r'<code id="temporary-password">([^<]+)</code>', response.get_data(as_text=True)
    )
    assert match
    db.session.refresh(village)
    assert village.must_change_password
    assert redirect_of(other.get("/")) == "/account/password"
    assert (
        other.post("/login", data={"email": village.email, "password": match.group(1)}).status_code
        == 302
    )
    assert "/account/password" in other.get("/").headers["Location"]
    assert audit.history(village)[-1].action == "password_reset"


def test_admin_cannot_reset_own_password_here(client, login_as, db):
    admin = login_as("admin")
    client.post(f"/admin/users/{admin.id}/password")
    db.session.refresh(admin)
    assert not admin.must_change_password


def test_user_page_shows_history(app, client, login_as, make_user, db):
    login_as("admin")
    officer = make_user("officer")
    client.post(f"/admin/users/{officer.id}/deactivate")
    page = client.get(f"/admin/users/{officer.id}").get_data(as_text=True)
    assert shown(app, "Account deactivated") in page


# --- the list ----------------------------------------------------------------------


def test_users_list_filters_and_searches(client, login_as, make_user, db):
    login_as("admin")
    make_user("officer", name="Rina Officer", email="rina@kukar.example")
    make_user("camat", name="Hasan Camat", email="hasan@kukar.example")
    make_user("partner", name="Dedi Partner", email="dedi@mitra.example", active=False)

    def names(query: str) -> str:
        return client.get(f"/admin/users?{query}").get_data(as_text=True)

    assert "Rina Officer" in names("q=rina") and "Hasan Camat" not in names("q=rina")
    assert "Hasan Camat" in names("q=HASAN@KUKAR")
    assert "Hasan Camat" in names("role=camat") and "Rina Officer" not in names("role=camat")
    assert "Dedi Partner" in names("status=inactive") and "Rina" not in names("status=inactive")
    kec = factories.kecamatan()
    assert "Rina Officer" in names(f"kecamatan={kec.id}")
    assert "Rina Officer" not in names(f"kecamatan={factories.kecamatan('64.02.01').id}")
    assert "Rina Officer" not in names("q=%25")  # a typed % is a character, not a wildcard


def test_users_list_ignores_bad_filter_values(client, login_as):
    login_as("admin")
    response = client.get("/admin/users?role=king&kecamatan=abc&status=x&page=zz")
    assert response.status_code == 200


def test_users_list_is_a_fragment_for_htmx_and_a_page_otherwise(client, login_as, make_user):
    login_as("admin")
    make_user("officer", name="Rina Officer")
    page = client.get("/admin/users?q=rina")
    fragment = client.get("/admin/users?q=rina", headers={"HX-Request": "true"})
    for response in (page, fragment):
        assert response.status_code == 200
        assert "HX-Request" in response.headers["Vary"]
        assert "Rina Officer" in response.get_data(as_text=True)
    assert "<html" in page.get_data(as_text=True)
    body = fragment.get_data(as_text=True)
    assert "<html" not in body and body.lstrip().startswith('<section id="user-results"')


def test_users_list_paginates_and_keeps_filters(client, login_as, make_user):
    login_as("admin")
    for n in range(30):
        make_user("officer", name=f"Officer {n:02d}")
    first = client.get("/admin/users?role=officer").get_data(as_text=True)
    assert "Officer 24" in first and "Officer 25" not in first
    assert "role=officer" in first and "page=2" in first
    second = client.get("/admin/users?role=officer&page=2").get_data(as_text=True)
    assert "Officer 25" in second and "Officer 24" not in second


def test_audit_events_do_not_name_the_user(client, login_as, db):
    login_as("admin")
    client.post("/admin/users/new", data=user_form(role="admin", name="Rahasia Nama"))
    for event in db.session.scalars(select(AuditEvent)):
        assert "Rahasia" not in str(event.details) and "baru@" not in str(event.details)
