"""Logging in and out, sessions that end, and passwords (through the test client)."""

from __future__ import annotations

import pytest
from markupsafe import escape
from sqlalchemy import update

from portal.auth.passwords import MIN_LENGTH
from portal.auth.views import LOGIN_FAILED, safe_next
from portal.core.dates import utcnow
from portal.core.policy import PASSWORD_CHANGE_ENDPOINTS
from portal.models import AuditEvent, LoginSession, User
from tests.conftest import TEST_PASSWORD, OwnContextClient, redirect_of
from tests.support.pages import field_error, shown, without_tokens

NEW_PASSWORD = "kata-sandi-baru-456"


def test_login_lands_on_the_home_page(client, make_user, db):
    user = make_user("officer")
    response = client.post("/login", data={"email": user.email, "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    db.session.refresh(user)
    assert user.last_login_at is not None


def test_login_ignores_case_and_spaces_in_the_email(client, make_user):
    user = make_user("admin")
    email = f"  {user.email.upper()} "
    response = client.post("/login", data={"email": email, "password": TEST_PASSWORD})
    assert redirect_of(response) == "/"


def _home_heading(app, user) -> str:
    if user.role == "admin":
        return shown(app, "Dinsos Kukar dashboard")
    if user.role == "camat":
        return shown(app, "Camat of %(name)s", name=user.kecamatan.name)
    if user.role == "officer":
        return shown(app, "Kecamatan %(name)s", name=user.kecamatan.name)
    if user.role == "village":
        return str(escape(user.desa.label))
    return str(escape(user.company.name))


@pytest.mark.parametrize("role", ["admin", "officer", "camat", "village", "partner"])
def test_each_role_sees_its_own_home_page(app, client, login_as, role):
    user = login_as(role)
    response = client.get("/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert f"<h1>{_home_heading(app, user)}</h1>" in html
    assert str(escape(user.name)) in html  # the user menu


@pytest.fixture()
def refused_logins(client, make_user, db):
    """Responses to the three refused logins, with the e-mail typed in each."""
    known = make_user("officer")
    inactive = make_user("village", active=False)
    attempts = {
        "wrong password": (known.email, "salah-sekali-999"),
        "unknown user": ("tidak.ada@uji.example", TEST_PASSWORD),
        "deactivated": (inactive.email, TEST_PASSWORD),
    }
    return {
        case: (email, client.post("/login", data={"email": email, "password": password}))
        for case, (email, password) in attempts.items()
    }


def test_refused_logins_show_one_message_beside_the_password(app, refused_logins):
    for email, response in refused_logins.values():
        assert response.status_code == 200
        html = response.get_data(as_text=True)
        assert field_error(html, "password") == shown(app, LOGIN_FAILED)
        assert f'value="{email}"' in html  # the typed e-mail is kept
        assert "/logout" not in html


def test_refused_logins_do_not_reveal_whether_the_email_exists(refused_logins):
    pages = {
        case: without_tokens(response.get_data(as_text=True)).replace(email, "EMAIL")
        for case, (email, response) in refused_logins.items()
    }
    assert len(set(pages.values())) == 1, "the three refusals must look the same"


def test_login_with_an_empty_form_asks_for_both_fields(client, db):
    response = client.post("/login", data={"email": "", "password": ""})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert field_error(html, "email")
    assert field_error(html, "password")


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example",
        "https://evil.example",
        "http://evil.example/",
        "/\\evil.example",
        "\\\\evil.example",
        "/\t/evil.example",
        "javascript:alert(1)",
        "evil.example",
    ],
)
def test_next_never_leads_to_another_host(client, make_user, target):
    user = make_user("admin")
    response = client.post(
        "/login", data={"email": user.email, "password": TEST_PASSWORD, "next": target}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert safe_next(target) is None


def test_next_leads_back_to_the_page_asked_for(client, make_user):
    user = make_user("admin")
    assert client.get("/jobs/").headers["Location"] == "/login?next=/jobs/"
    page = client.get("/login?next=/jobs/").get_data(as_text=True)
    assert 'name="next" type="hidden" value="/jobs/"' in page
    response = client.post(
        "/login", data={"email": user.email, "password": TEST_PASSWORD, "next": "/jobs/"}
    )
    assert response.headers["Location"] == "/jobs/"


def test_a_logged_in_user_visiting_login_goes_home(client, login_as):
    login_as("partner")
    assert client.get("/login").headers["Location"] == "/"


def test_logout_is_post_only(client, login_as):
    login_as("officer")
    assert client.get("/logout").status_code == 405
    assert client.get("/").status_code == 200, "a GET must not log out"


def test_logout_ends_the_session(app, client, login_as):
    login_as("officer")
    response = client.post("/logout")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login"
    assert shown(app, "You have logged out.") in client.get("/login").get_data(as_text=True)
    assert client.get("/").headers["Location"].startswith("/login")


def test_a_changed_password_ends_other_sessions(app, make_user):
    user = make_user("camat")
    laptop, phone = (OwnContextClient(app, app.response_class) for _ in range(2))
    for browser in (laptop, phone):
        browser.post("/login", data={"email": user.email, "password": TEST_PASSWORD})
        assert browser.get("/").status_code == 200
    response = laptop.post(
        "/account/password",
        data={
            "current_password": TEST_PASSWORD,
            "new_password": NEW_PASSWORD,
            "confirm": NEW_PASSWORD,
        },
    )
    assert response.headers["Location"] == "/"
    assert laptop.get("/").status_code == 200, "the session that changed it stays in"
    assert phone.get("/").headers["Location"].startswith("/login")


def test_the_old_password_stops_working(client, make_user, auth):
    user = make_user("admin")
    auth.login(user)
    client.post(
        "/account/password",
        data={
            "current_password": TEST_PASSWORD,
            "new_password": NEW_PASSWORD,
            "confirm": NEW_PASSWORD,
        },
    )
    auth.logout()
    assert auth.login(user).status_code == 200
    assert redirect_of(auth.login(user, NEW_PASSWORD)) == "/"


def end_sessions_of(db, user) -> None:
    db.session.execute(
        update(LoginSession).where(LoginSession.user_id == user.id).values(revoked_at=utcnow())
    )


@pytest.mark.parametrize("ending", ["session revoked", "deactivated", "deleted"])
def test_an_ended_session_goes_to_login_with_a_message(app, client, login_as, db, ending):
    user = login_as("officer")
    if ending == "session revoked":
        end_sessions_of(db, user)
    elif ending == "deactivated":
        user.active = False
    else:
        db.session.query(AuditEvent).delete()
        db.session.delete(user)
    db.session.commit()
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login?next=/"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert shown(app, "Please log in to open this page. Your session may have ended.") in page


def test_an_ended_session_on_an_htmx_request_redirects_the_page(client, login_as, db):
    user = login_as("officer")
    end_sessions_of(db, user)
    db.session.commit()
    response = client.get("/", headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert response.headers["HX-Redirect"] == "/login"


@pytest.mark.parametrize("path", ["/", "/jobs/", "/jobs/abc"])
def test_must_change_password_forces_the_change_page(app, client, login_as, path):
    login_as("village", must_change_password=True)
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"] == "/account/password"
    page = client.get("/account/password").get_data(as_text=True)
    assert shown(app, "Please choose a new password before you continue.") in page


def test_must_change_password_still_allows_the_allowed_pages():
    assert {"auth.change_password", "auth.logout"} <= PASSWORD_CHANGE_ENDPOINTS


def test_must_change_password_is_lifted_by_a_new_password(client, login_as, db):
    user = login_as("officer", must_change_password=True)
    response = client.post(
        "/account/password",
        data={
            "current_password": TEST_PASSWORD,
            "new_password": NEW_PASSWORD,
            "confirm": NEW_PASSWORD,
        },
    )
    assert response.headers["Location"] == "/"
    assert client.get("/").status_code == 200
    db.session.refresh(user)
    assert user.must_change_password is False


def test_must_change_password_user_can_still_log_out(client, login_as):
    login_as("partner", must_change_password=True)
    assert client.post("/logout").headers["Location"] == "/login"


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"current_password": "salah-999999", "new_password": NEW_PASSWORD},
            "current_password",
            "The current password is wrong.",
        ),
        (
            {"current_password": TEST_PASSWORD, "new_password": NEW_PASSWORD, "confirm": "lain"},
            "confirm",
            "The two passwords are not the same.",
        ),
        (
            {"current_password": TEST_PASSWORD, "new_password": "pendek", "confirm": "pendek"},
            "new_password",
            "Use at least %(n)s characters.",
        ),
        (
            {"current_password": TEST_PASSWORD, "new_password": TEST_PASSWORD},
            "new_password",
            "Choose a password different from the current one.",
        ),
    ],
    ids=["wrong current", "mismatch", "too short", "unchanged"],
)
def test_change_password_errors_are_shown_beside_the_field(
    app, client, login_as, db, data, field, message
):
    user = login_as("officer")
    before = user.password_hash
    data = {"confirm": data.get("new_password"), **data}
    response = client.post("/account/password", data=data)
    assert response.status_code == 200
    expected = shown(app, message, n=MIN_LENGTH) if "%(n)s" in message else shown(app, message)
    assert field_error(response.get_data(as_text=True), field) == expected
    db.session.refresh(user)
    assert user.password_hash == before


def test_a_user_has_no_session_key_outside_a_login(make_user):
    user = make_user("admin")
    assert user.get_id() is None, "only a login session gives the cookie its key"
    assert isinstance(user, User)
