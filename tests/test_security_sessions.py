"""Server-side login sessions: logging out ends the copied cookie too, every device can
be logged out at once, and login starts a fresh session (no fixed session or CSRF token)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from portal.core.dates import utcnow
from portal.models import LoginSession, User
from portal.partners import services as partners
from tests import factories
from tests.conftest import TEST_PASSWORD, OwnContextClient

NEW_PASSWORD = "kata-sandi-baru-456"


def browser(app) -> OwnContextClient:
    return OwnContextClient(app, app.response_class, use_cookies=True)


def log_in(app, user, **environ) -> OwnContextClient:
    client = browser(app)
    response = client.post(
        "/login",
        data={"email": user.email, "password": TEST_PASSWORD},
        environ_base=environ,
    )
    assert response.status_code == 302, "login failed"
    return client


def session_cookie(client) -> str:
    return client.get_cookie("session").value


def with_cookie(app, value: str) -> OwnContextClient:
    """Another browser that was handed a copy of the session cookie."""
    thief = browser(app)
    thief.set_cookie("session", value)
    return thief


def is_logged_in(client) -> bool:
    response = client.get("/")
    if response.status_code == 200:
        return True
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    return False


def live_sessions(db, user) -> list[LoginSession]:
    db.session.expire_all()
    query = select(LoginSession).where(
        LoginSession.user_id == user.id, LoginSession.revoked_at.is_(None)
    )
    return list(db.session.scalars(query))


# --- logout ---------------------------------------------------------------------------


def test_a_cookie_copied_before_logout_opens_nothing_afterwards(app, make_user):
    user = make_user("admin")
    laptop = log_in(app, user)
    copied = session_cookie(laptop)
    assert is_logged_in(with_cookie(app, copied))
    laptop.post("/logout")
    assert not is_logged_in(with_cookie(app, copied))
    assert with_cookie(app, copied).get("/admin/users").headers["Location"].startswith("/login")


def test_a_copied_cookie_cannot_post_after_logout(app, make_user, db):
    user = make_user("officer")
    laptop = log_in(app, user)
    copied = session_cookie(laptop)
    laptop.post("/logout")
    response = with_cookie(app, copied).post("/locale", data={"locale": "en"})
    db.session.refresh(user)
    assert user.locale != "en"
    assert response.status_code in (302, 400)


def test_logout_ends_only_this_device(app, make_user, db):
    user = make_user("camat")
    laptop, phone = log_in(app, user), log_in(app, user)
    laptop.post("/logout")
    assert not is_logged_in(laptop)
    assert is_logged_in(phone), "the user's other devices stay logged in"
    assert len(live_sessions(db, user)) == 1


def test_logout_everywhere_ends_every_device(app, make_user, db):
    user = make_user("village")
    laptop, phone = log_in(app, user), log_in(app, user)
    copied = session_cookie(phone)
    response = laptop.post("/logout/all")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login"
    for client in (laptop, phone, with_cookie(app, copied)):
        assert not is_logged_in(client)
    assert live_sessions(db, user) == []


def test_logout_everywhere_leaves_other_users_alone(app, make_user):
    user, colleague = make_user("officer"), make_user("officer")
    mine, theirs = log_in(app, user), log_in(app, colleague)
    mine.post("/logout/all")
    assert is_logged_in(theirs)


def test_logout_everywhere_is_post_only(app, make_user):
    user = make_user("partner")
    client = log_in(app, user)
    assert client.get("/logout/all").status_code == 405
    assert is_logged_in(client)


def test_the_account_page_offers_logout_everywhere(app, make_user):
    client = log_in(app, make_user("officer"))
    page = client.get("/account/password").get_data(as_text=True)
    assert 'action="/logout/all"' in page
    assert "Keluar dari semua perangkat" in page


def test_the_account_page_lists_the_logged_in_devices(app, make_user):
    user = make_user("officer")
    log_in(app, user, HTTP_USER_AGENT="Ponsel-Uji/1.0")
    client = log_in(app, user, HTTP_USER_AGENT="Laptop-Uji/2.0")
    page = client.get("/account/password").get_data(as_text=True)
    assert "Ponsel-Uji/1.0" in page and "Laptop-Uji/2.0" in page


# --- login starts a fresh session -------------------------------------------------------


def test_login_renews_the_session_and_its_csrf_token(app, make_user):
    user = make_user("admin")
    client = browser(app)
    client.get("/login")
    with client.session_transaction() as planted:
        planted["csrf_token"] = "planted-by-an-attacker"
        planted["planted"] = "x"
    client.post("/login", data={"email": user.email, "password": TEST_PASSWORD})
    client.get("/")  # renders a page, so a CSRF token exists again
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session.get("csrf_token") != "planted-by-an-attacker"


def test_accepting_an_invitation_starts_a_fresh_session(app, db):
    """Registration logs nobody in (it answers neutrally); invitation acceptance does."""
    client = browser(app)
    with client.session_transaction() as planted:
        planted["csrf_token"] = "planted-by-an-attacker"
        planted["planted"] = "x"
    company = factories.CompanyFactory(status="active")
    inviter = factories.user_for_role("partner", company=company)
    db.session.commit()
    with app.test_request_context():
        _, token = partners.invite_colleague(inviter, "budi@contoh.example")
        db.session.commit()
    password = "kata-sandi-panjang"
    response = client.post(
        f"/partners/invitations/{token}",
        data={"name": "Budi", "password": password, "confirm": password},
    )
    assert response.status_code == 302
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session.get("csrf_token") != "planted-by-an-attacker"
    assert is_logged_in(client)


def test_login_keeps_the_chosen_language(app, make_user):
    user = make_user("officer")
    client = browser(app)
    client.post("/locale", data={"locale": "en"})
    client.post("/login", data={"email": user.email, "password": TEST_PASSWORD})
    assert 'lang="en"' in client.get("/").get_data(as_text=True)


def test_login_records_the_device(app, make_user, db):
    user = make_user("camat")
    log_in(app, user, HTTP_USER_AGENT="Peramban-Uji/3.0", REMOTE_ADDR="10.1.2.3")
    (login,) = live_sessions(db, user)
    assert login.user_agent == "Peramban-Uji/3.0"
    assert login.ip_address == "10.1.2.3"
    assert login.token_hash and len(login.token_hash) == 64


def test_a_user_key_without_a_login_session_opens_nothing(app, make_user, db):
    """An old-style ``id:session_token`` key opens nothing: only live sessions count."""
    user = make_user("admin")
    client = browser(app)
    with client.session_transaction() as session:
        session["_user_id"] = f"{user.id}:{user.session_token}"
        session["_fresh"] = True
    assert not is_logged_in(client)


def test_no_remember_me_cookie_outlives_the_session(app, make_user):
    client = log_in(app, make_user("officer"))
    assert client.get_cookie("remember_token") is None


def test_a_session_idle_longer_than_its_lifetime_has_ended(app, make_user, db):
    user = make_user("officer")
    client = log_in(app, user)
    lifetime = app.config["PERMANENT_SESSION_LIFETIME"]
    db.session.execute(
        update(LoginSession)
        .where(LoginSession.user_id == user.id)
        .values(last_seen_at=utcnow() - lifetime - timedelta(minutes=1))
    )
    db.session.commit()
    assert not is_logged_in(client)


def test_using_a_session_keeps_it_alive(app, make_user, db):
    user = make_user("officer")
    client = log_in(app, user)
    old = utcnow() - timedelta(hours=1)
    db.session.execute(
        update(LoginSession).where(LoginSession.user_id == user.id).values(last_seen_at=old)
    )
    db.session.commit()
    assert is_logged_in(client)
    (login,) = live_sessions(db, user)
    seen = login.last_seen_at.replace(tzinfo=None)
    assert seen > old.replace(tzinfo=None) + timedelta(minutes=30)


# --- password changes, resets and deactivation -----------------------------------------


def test_a_password_change_ends_the_other_sessions_only(app, make_user, db):
    user = make_user("officer")
    laptop, phone = log_in(app, user), log_in(app, user)
    copied = session_cookie(laptop)
    response = laptop.post(
        "/account/password",
        data={
            "current_password": TEST_PASSWORD,
            "new_password": NEW_PASSWORD,
            "confirm": NEW_PASSWORD,
        },
    )
    assert response.headers["Location"] == "/"
    assert is_logged_in(laptop)
    assert is_logged_in(with_cookie(app, copied)), "this device keeps its session"
    assert not is_logged_in(phone)
    assert len(live_sessions(db, user)) == 1


@pytest.mark.parametrize("action", ["deactivate", "password"])
def test_an_admin_action_ends_every_session_of_the_user(app, make_user, db, action):
    user = make_user("village")
    phone = log_in(app, user)
    copied = session_cookie(phone)
    admin = log_in(app, make_user("admin"))
    response = admin.post(f"/admin/users/{user.id}/{action}")
    assert response.status_code == 302
    assert not is_logged_in(phone)
    assert live_sessions(db, user) == []
    if action == "deactivate":
        admin.post(f"/admin/users/{user.id}/reactivate")
        db.session.refresh(user)
        assert user.active
    assert not is_logged_in(with_cookie(app, copied)), "a reactivation revives no old session"


def test_a_deleted_session_row_ends_the_login(app, make_user, db):
    user = make_user("partner")
    client = log_in(app, user)
    db.session.execute(
        update(LoginSession).where(LoginSession.user_id == user.id).values(revoked_at=utcnow())
    )
    db.session.commit()
    assert not is_logged_in(client)
    assert db.session.get(User, user.id).active
