"""Links in e-mail are built from PUBLIC_BASE_URL only, never from the request's Host
header; a portal that sends mail without knowing its public address does not start."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest

from portal import create_app
from portal.auth.mail import reset_url
from portal.extensions import db as _db
from portal.partners.mail import invitation_url
from tests import factories
from tests.conftest import app_config

PUBLIC = "https://sinergi.kukarkab.go.id"
FORGED = {"Host": "evil.example"}


@pytest.fixture()
def mail_app(database_url, db, sent):
    app = create_app(
        app_config(database_url, MAIL_SERVER="smtp.contoh.example", PUBLIC_BASE_URL=PUBLIC + "/")
    )
    yield app
    with app.app_context():
        _db.engine.dispose()


def links_in(body: str) -> list[str]:
    return re.findall(r"https?://\S+", body)


def test_mail_without_a_public_address_refuses_to_start(database_url):
    with pytest.raises(RuntimeError, match="PUBLIC_BASE_URL"):
        create_app(
            app_config(database_url, MAIL_SERVER="smtp.contoh.example", PUBLIC_BASE_URL=None)
        )


def test_without_mail_no_public_address_is_needed(database_url):
    app = create_app(app_config(database_url, MAIL_SERVER=None, PUBLIC_BASE_URL=None))
    assert app.config["PUBLIC_BASE_URL"] is None
    with app.app_context():
        _db.engine.dispose()


def test_a_reset_request_with_a_forged_host_mails_the_configured_address(mail_app, sent, db):
    user = factories.user_for_role("officer")
    db.session.commit()
    client = mail_app.test_client()
    response = client.post("/password/forgot", data={"email": user.email}, headers=FORGED)
    assert response.status_code == 302
    [(to, _, body)] = sent
    assert to == user.email
    assert "evil.example" not in body
    [link] = links_in(body)
    assert link.startswith(PUBLIC + "/password/reset/")


def test_an_invitation_with_a_forged_host_mails_the_configured_address(mail_app, sent, db):
    inviter = factories.user_for_role("partner", company=factories.CompanyFactory())
    db.session.commit()
    client = mail_app.test_client()
    login = {"email": inviter.email, "password": "rahasia-uji-123"}
    client.post("/login", data=login, headers=FORGED)  # the cookie is kept for that host
    client.post(
        "/partners/company/invitations", data={"email": "budi@contoh.example"}, headers=FORGED
    )
    [(to, _, body)] = sent
    assert to == "budi@contoh.example"
    assert "evil.example" not in body
    [link] = links_in(body)
    assert link.startswith(PUBLIC + "/partners/invitations/")


def test_notification_mail_links_use_the_configured_address(mail_app, sent, db):
    from portal.core.notify import notify, path_for

    user = factories.user_for_role("officer")
    db.session.commit()
    recipient = SimpleNamespace(id=user.id, email=user.email, locale=None)
    with mail_app.test_request_context(headers=FORGED):
        notify([recipient], "You have logged out.", path_for("main.home"))
        _db.session.commit()
    [(_, _, body)] = sent
    assert links_in(body) == [PUBLIC + "/"]


@pytest.mark.parametrize("build", [reset_url, invitation_url], ids=["reset", "invitation"])
def test_a_mailed_link_is_never_built_from_the_request(app, monkeypatch, build):
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", None)
    with app.test_request_context(base_url="http://evil.example"), pytest.raises(RuntimeError):
        build("abc")


@pytest.mark.parametrize("build", [reset_url, invitation_url], ids=["reset", "invitation"])
def test_a_mailed_link_works_outside_a_request(app, monkeypatch, build):
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", PUBLIC)
    with app.app_context():
        assert build("abc").startswith(PUBLIC + "/")
        assert build("abc").endswith("/abc")
