"""Password reset by e-mail, delivered to a real local SMTP server (aiosmtpd)."""

from __future__ import annotations

import re
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
from flask_babel import gettext

from portal import create_app
from portal.auth.mail import reset_url
from portal.extensions import db as _db
from tests.conftest import TEST_PASSWORD, app_config
from tests.support.pages import without_tokens

NEW_PASSWORD = "kata-sandi-baru-456"
LINK = re.compile(r"https?://\S+/password/reset/\S+")


@pytest.fixture()
def mail_app(database_url, db, smtp):
    """An app that sends e-mail to the local SMTP server, on the session database."""
    app = create_app(
        app_config(
            database_url,
            MAIL_SERVER="127.0.0.1",
            MAIL_PORT=smtp[1],
            PUBLIC_BASE_URL="http://sinergi.uji.example",
        )
    )
    yield app
    with app.app_context():
        _db.engine.dispose()


@pytest.fixture()
def inbox(smtp):
    return smtp[0]


def reset_path(message) -> str:
    """The path of the reset link in a delivered message."""
    match = LINK.search(message.get_content())
    assert match, "no reset link in the e-mail"
    return urlsplit(match.group(0)).path


def ask_for_reset(client, email: str):
    return client.post("/password/forgot", data={"email": email})


def test_reset_link_by_email_sets_a_new_password(mail_app, inbox, make_user):
    user = make_user("officer")
    client = mail_app.test_client()
    response = ask_for_reset(client, user.email)
    assert response.status_code == 302
    assert response.headers["Location"] == "/login"

    assert len(inbox.messages) == 1
    message = inbox.messages[0]
    assert message["To"] == user.email
    assert message["From"] == mail_app.config["MAIL_SENDER"]
    path = reset_path(message)

    assert client.get(path).status_code == 200
    response = client.post(path, data={"new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.headers["Location"] == "/login"
    login = {"email": user.email, "password": NEW_PASSWORD}
    assert client.post("/login", data=login).headers["Location"] == "/"
    client.post("/logout")
    old = {"email": user.email, "password": TEST_PASSWORD}
    assert client.post("/login", data=old).status_code == 200


def test_reset_link_works_once_only(mail_app, inbox, make_user):
    user = make_user("village")
    client = mail_app.test_client()
    ask_for_reset(client, user.email)
    path = reset_path(inbox.messages[0])
    client.post(path, data={"new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD})

    again = {"new_password": "sekali-lagi-7890", "confirm": "sekali-lagi-7890"}
    response = client.post(path, data=again)
    assert response.status_code == 302
    assert response.headers["Location"] == "/password/forgot"
    assert client.get(path).headers["Location"] == "/password/forgot"
    login = {"email": user.email, "password": NEW_PASSWORD}
    assert client.post("/login", data=login).headers["Location"] == "/"


def test_a_tampered_link_is_refused(mail_app, make_user):
    client = mail_app.test_client()
    response = client.get("/password/reset/not-a-real-token")
    assert response.headers["Location"] == "/password/forgot"


def test_unknown_email_gets_the_same_answer_and_no_mail(mail_app, inbox, make_user):
    user = make_user("partner")
    inactive = make_user("officer", active=False)
    client = mail_app.test_client()
    answers = []
    for email in (user.email, "tidak.ada@uji.example", inactive.email):
        response = ask_for_reset(client, email)
        answers.append((response.status_code, response.headers["Location"]))
        page = client.get("/login").get_data(as_text=True)
        answers.append(without_tokens(page))
    assert answers[0::2] == [(302, "/login")] * 3
    assert answers[1] == answers[3] == answers[5]
    assert [m["To"] for m in inbox.messages] == [user.email]


def test_the_mail_is_in_the_users_language(mail_app, inbox, make_user):
    user = make_user("admin", locale="en")
    ask_for_reset(mail_app.test_client(), user.email)
    assert inbox.messages[0]["Subject"] == "Sinergi: choose a new password"


def test_public_base_url_builds_the_link(mail_app):
    mail_app.config["PUBLIC_BASE_URL"] = "https://sinergi.kukarkab.go.id/"
    with mail_app.test_request_context(base_url="http://10.0.0.5:8000"):
        assert reset_url("abc") == "https://sinergi.kukarkab.go.id/password/reset/abc"


def test_without_mail_server_the_forgot_page_says_ask_the_admin(app, client):
    response = client.get("/password/forgot")
    assert response.status_code == 200
    with app.test_request_context():
        expected = gettext(
            "This portal does not send e-mail. Ask the Dinsos administrator to reset your password."
        )
    html = response.get_data(as_text=True)
    assert expected in html
    assert 'name="email"' not in html
    assert client.post("/password/forgot", data={"email": "a@b.example"}).status_code == 200


def test_notification_mail_waits_for_the_commit_and_is_dropped_on_rollback(
    mail_app, inbox, make_user
):
    from portal.core.notify import notify

    user = make_user("officer")
    recipient = SimpleNamespace(id=user.id, email=user.email, locale=None)
    with mail_app.test_request_context():
        notify([recipient], "You have logged out.")
        _db.session.rollback()
        assert inbox.messages == []
        notify([recipient], "You have logged out.")
        assert inbox.messages == []  # not before the commit
        _db.session.commit()
    assert len(inbox.messages) == 1
