"""The forced password change: a user whose password was reset reaches nothing but the
password page, whether the request is a plain one or comes from HTMX."""

from __future__ import annotations

import pytest
from flask_babel import gettext
from markupsafe import escape
from sqlalchemy import select

from portal.models import Notification
from tests.conftest import TEST_PASSWORD

CHANGE_PAGE = "/account/password"
HTMX = {"HX-Request": "true"}

# Pages and fragments each role uses every day, read and write, plain and HTMX.
GATED = [
    ("officer", "get", "/"),
    ("officer", "get", "/jobs/"),
    ("officer", "get", "/notifications"),
    ("officer", "get", "/notifications/badge"),
    ("officer", "post", "/notifications/read-all"),
    ("officer", "get", "/registry/recipients"),
    ("officer", "post", "/registry/recipients"),
    ("officer", "post", "/registry/lookup"),
    ("village", "get", "/registry/proposals"),
    ("admin", "get", "/admin/users"),
    ("admin", "post", "/admin/users/new"),
    ("admin", "get", "/admin/companies/pending"),
    ("partner", "get", "/partners/company"),
    ("partner", "post", "/partners/company/invitations"),
]


def shown(app, message) -> str:
    with app.test_request_context():
        return str(escape(gettext(message)))


@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
@pytest.mark.parametrize(("role", "method", "path"), GATED)
def test_a_user_who_must_change_the_password_is_sent_to_the_change_page(
    client, login_as, role, method, path, htmx
):
    login_as(role, must_change_password=True)
    response = getattr(client, method)(path, headers=HTMX if htmx else {})
    if htmx:
        assert response.status_code == 204
        assert response.headers["HX-Redirect"] == CHANGE_PAGE
    else:
        assert response.status_code == 302
        assert response.headers["Location"] == CHANGE_PAGE


@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
def test_the_gate_shows_why_on_the_change_page(app, client, login_as, htmx):
    login_as("camat", must_change_password=True)
    client.get("/jobs/", headers=HTMX if htmx else {})
    page = client.get(CHANGE_PAGE).get_data(as_text=True)
    assert shown(app, "Please choose a new password before you continue.") in page


def test_an_htmx_post_through_the_gate_changes_nothing(client, login_as, db):
    user = login_as("officer", must_change_password=True)
    db.session.add(Notification(user_id=user.id, message="Uji", link="/"))
    db.session.commit()
    response = client.post("/notifications/read-all", headers=HTMX)
    assert response.headers["HX-Redirect"] == CHANGE_PAGE
    db.session.expire_all()
    notes = db.session.scalars(select(Notification).where(Notification.user_id == user.id))
    assert all(note.read_at is None for note in notes)


@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
@pytest.mark.parametrize(
    ("method", "path", "data"),
    [
        ("get", CHANGE_PAGE, None),
        ("post", "/locale", {"locale": "en"}),
    ],
)
def test_the_change_page_and_the_language_switch_stay_open(
    client, login_as, method, path, data, htmx
):
    login_as("village", must_change_password=True)
    response = getattr(client, method)(path, data=data, headers=HTMX if htmx else {})
    assert response.headers.get("HX-Redirect") != CHANGE_PAGE
    assert response.headers.get("Location") != CHANGE_PAGE
    assert response.status_code in (200, 302)


@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
def test_logging_out_stays_open_through_the_gate(client, login_as, htmx):
    login_as("partner", must_change_password=True)
    response = client.post("/logout", headers=HTMX if htmx else {})
    assert response.headers["Location"] == "/login"
    assert client.get("/").headers["Location"].startswith("/login")


def test_the_gate_lifts_once_the_password_is_changed(client, login_as):
    login_as("officer", must_change_password=True)
    new = "kata-sandi-baru-456"
    client.post(
        CHANGE_PAGE,
        data={"current_password": TEST_PASSWORD, "new_password": new, "confirm": new},
    )
    response = client.get("/notifications/badge", headers=HTMX)
    assert response.status_code == 200
    assert "HX-Redirect" not in response.headers
