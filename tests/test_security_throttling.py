"""Throttled logins, password-reset requests, registrations and invitation acceptances:
per account and per address, in a storage every process shares, with a clear message."""

from __future__ import annotations

import os
import uuid

import pytest
from flask_babel import ngettext
from markupsafe import escape
from sqlalchemy import func, select, update

from portal import create_app
from portal.core import throttle
from portal.core.dates import utcnow
from portal.extensions import db as _db
from portal.models import Company, ThrottleCounter
from portal.partners import services as partners
from tests import factories
from tests.conftest import TEST_PASSWORD, OwnContextClient, app_config

WRONG = "salah-sekali-999"


def browser(app, address: str = "127.0.0.1") -> OwnContextClient:
    client = OwnContextClient(app, app.response_class, use_cookies=True)
    client.environ_base["REMOTE_ADDR"] = address
    return client


def attempt(client, email: str, password: str = WRONG):
    return client.post("/login", data={"email": email, "password": password})


def wait_text(app, minutes: int) -> str:
    with app.test_request_context():
        return str(
            escape(
                ngettext(
                    "Too many attempts. Please wait %(num)s minute and try again.",
                    "Too many attempts. Please wait %(num)s minutes and try again.",
                    minutes,
                )
            )
        )


def is_logged_in(client) -> bool:
    return client.get("/").status_code == 200


@pytest.fixture()
def make_app(database_url, db):
    """Another app on the test database (another worker); its counters and
    connections are dropped afterwards."""
    apps = []

    def make(**config):
        app = create_app(app_config(database_url, **config))
        apps.append(app)
        return app

    yield make
    for app in apps:
        throttle.reset(app)
        with app.app_context():
            _db.engine.dispose()


# --- logins -------------------------------------------------------------------------------


def test_thirty_wrong_passwords_then_the_right_one_is_refused(app, make_user):
    admin = make_user("admin")
    client = browser(app)
    statuses = [attempt(client, admin.email).status_code for _ in range(30)]
    assert statuses[:10] == [200] * 10, "the first failures are answered as usual"
    assert set(statuses[10:]) == {429}
    response = attempt(client, admin.email, TEST_PASSWORD)
    assert response.status_code == 429
    assert not is_logged_in(client)


def test_the_refusal_is_the_login_form_with_the_typed_email_and_a_clear_message(app, make_user):
    user = make_user("officer")
    client = browser(app)
    for _ in range(10):
        attempt(client, user.email)
    response = attempt(client, f"  {user.email.upper()} ")
    assert response.status_code == 429
    page = response.get_data(as_text=True)
    assert wait_text(app, 15) in page
    assert "Terlalu banyak percobaan" in page
    assert f'value="  {user.email.upper()} "' in page, "the typed e-mail is kept"
    assert 'action="/login"' in page
    assert 0 < int(response.headers["Retry-After"]) <= 15 * 60


def test_the_account_limit_holds_across_addresses(app, make_user):
    user = make_user("camat")
    for n in range(10):
        attempt(browser(app, f"10.0.0.{n + 1}"), user.email)
    fresh = browser(app, "10.0.1.1")
    assert attempt(fresh, user.email, TEST_PASSWORD).status_code == 429
    other = make_user("camat")
    assert attempt(fresh, other.email, TEST_PASSWORD).status_code == 302, "other accounts are free"


def test_the_address_limit_holds_across_accounts(app, make_user):
    client = browser(app, "10.2.0.1")
    for n in range(30):
        assert attempt(client, f"tebak{n}@uji.example").status_code == 200
    user = make_user("village")
    assert attempt(client, user.email, TEST_PASSWORD).status_code == 429
    assert not is_logged_in(client)
    elsewhere = browser(app, "10.2.0.2")
    assert attempt(elsewhere, user.email, TEST_PASSWORD).status_code == 302


def test_behind_a_trusted_proxy_each_visitor_is_counted_apart(make_app, make_user):
    proxied = make_app(TRUSTED_PROXIES=1)
    client = browser(proxied, "127.0.0.1")  # every request comes from the proxy
    for n in range(30):
        forwarded = {"X-Forwarded-For": "203.0.113.7"}
        client.post("/login", data={"email": f"tebak{n}@uji.example"}, headers=forwarded)
    user = make_user("officer")
    data = {"email": user.email, "password": TEST_PASSWORD}
    refused = client.post("/login", data=data, headers={"X-Forwarded-For": "203.0.113.7"})
    assert refused.status_code == 429
    other = client.post("/login", data=data, headers={"X-Forwarded-For": "198.51.100.2"})
    assert other.status_code == 302


def test_successful_logins_are_not_counted(app, make_user):
    user = make_user("partner")
    client = browser(app)
    for _ in range(15):
        assert attempt(client, user.email, TEST_PASSWORD).status_code == 302
        client.post("/logout")


def test_a_get_of_the_login_page_is_never_refused(app, make_user):
    user = make_user("officer")
    client = browser(app)
    for _ in range(12):
        attempt(client, user.email)
    assert client.get("/login").status_code == 200


def test_limits_come_from_the_config(app, make_user, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_LIMIT_PER_ACCOUNT", "2 per minute")
    user = make_user("officer")
    client = browser(app)
    assert [attempt(client, user.email).status_code for _ in range(3)] == [200, 200, 429]
    response = attempt(client, user.email, TEST_PASSWORD)
    assert wait_text(app, 1) in response.get_data(as_text=True)


def test_one_test_exhausts_a_limit(app, make_user):
    client = browser(app, "10.3.0.1")
    for n in range(31):
        attempt(client, f"habis{n}@uji.example")
    assert attempt(client, "habis@uji.example").status_code == 429


def test_the_next_test_starts_with_fresh_limits(app, make_user):
    """Runs after the one above: the conftest resets the counters between tests."""
    user = make_user("officer")
    assert attempt(browser(app, "10.3.0.1"), user.email, TEST_PASSWORD).status_code == 302


def test_two_apps_never_share_memory_counters(app, make_app, make_user):
    user = make_user("officer")
    for _ in range(10):
        attempt(browser(app), user.email)
    other = make_app()
    assert attempt(browser(other), user.email, TEST_PASSWORD).status_code == 302
    assert attempt(browser(app), user.email, TEST_PASSWORD).status_code == 429


# --- the shared storages ---------------------------------------------------------------------


def test_the_storage_follows_the_config():
    assert isinstance(throttle.storage_for({}), throttle.DatabaseStorage)
    redis = throttle.storage_for({"REDIS_URL": "redis://127.0.0.1:6379/15"})
    assert type(redis).__name__ == "RedisStorage"
    memory = throttle.storage_for({"THROTTLE_STORAGE": "memory", "REDIS_URL": "redis://x"})
    assert type(memory).__name__ == "MemoryStorage"
    with pytest.raises(RuntimeError):
        throttle.storage_for({"THROTTLE_STORAGE": "memcached"})
    with pytest.raises(RuntimeError):
        throttle.storage_for({"THROTTLE_STORAGE": "redis"})


def test_database_counters_are_shared_by_every_worker(make_app, db, make_user):
    first, second = (make_app(THROTTLE_STORAGE="database") for _ in range(2))
    user = make_user("admin")
    for n in range(10):
        worker = first if n % 2 else second
        assert attempt(browser(worker), user.email).status_code == 200
    assert attempt(browser(first), user.email, TEST_PASSWORD).status_code == 429
    assert attempt(browser(second), user.email, TEST_PASSWORD).status_code == 429
    rows = db.session.scalar(select(func.count()).select_from(ThrottleCounter))
    assert rows == 2, "one window per account and one per address"
    # When the window is over, the account may try again.
    db.session.execute(update(ThrottleCounter).values(expires_at=utcnow()))
    db.session.commit()
    assert attempt(browser(second), user.email, TEST_PASSWORD).status_code == 302


def test_a_counted_attempt_survives_the_requests_rollback(make_app, db, make_user):
    worker = make_app(THROTTLE_STORAGE="database")
    user = make_user("officer")
    attempt(browser(worker), user.email)
    db.session.expire_all()
    counts = db.session.scalars(select(ThrottleCounter.count)).all()
    assert counts == [1, 1]


@pytest.mark.redis
@pytest.mark.skipif(not os.environ.get("TEST_REDIS_URL"), reason="TEST_REDIS_URL is not set")
def test_redis_counters_are_shared_by_every_worker(make_app, make_user):
    config = {
        "THROTTLE_STORAGE": "redis",
        "REDIS_URL": os.environ["TEST_REDIS_URL"],
        "THROTTLE_KEY_PREFIX": f"sinergi-test-{uuid.uuid4().hex}",
    }
    first, second = (make_app(**config) for _ in range(2))
    user = make_user("admin")
    for n in range(10):
        assert attempt(browser(first if n % 2 else second), user.email).status_code == 200
    assert attempt(browser(first), user.email, TEST_PASSWORD).status_code == 429
    assert attempt(browser(second), user.email, TEST_PASSWORD).status_code == 429


# --- the other public forms ------------------------------------------------------------------


@pytest.fixture()
def mail_app(make_app, monkeypatch):
    """An app with mail configured; the reset links are collected instead of sent."""
    sent = []
    monkeypatch.setattr("portal.auth.views.send_reset_link", sent.append)
    app = make_app(MAIL_SERVER="127.0.0.1", PUBLIC_BASE_URL="http://127.0.0.1:5000")
    app.sent = sent
    return app


def test_reset_requests_are_counted_per_account(mail_app, make_user):
    user = make_user("officer")
    statuses = [
        browser(mail_app, f"10.4.0.{n}").post("/password/forgot", data={"email": user.email})
        for n in range(1, 5)
    ]
    assert [r.status_code for r in statuses] == [302, 302, 302, 429]
    assert len(mail_app.sent) == 3, "no fourth mail"
    page = statuses[-1].get_data(as_text=True)
    assert "Terlalu banyak percobaan" in page
    assert f'value="{user.email}"' in page


def test_reset_requests_are_counted_per_address(mail_app, make_user):
    client = browser(mail_app, "10.5.0.1")
    for n in range(10):
        client.post("/password/forgot", data={"email": f"orang{n}@uji.example"})
    user = make_user("camat")
    response = client.post("/password/forgot", data={"email": user.email})
    assert response.status_code == 429
    assert mail_app.sent == []


def test_registrations_are_counted_per_address(app, client, db, monkeypatch):
    monkeypatch.setitem(app.config, "REGISTRATION_LIMIT_PER_ADDRESS", "2 per hour")
    form = {"company_name": "PT Banyak Coba", "sector": "mining", "email": "tidak-lengkap"}
    assert client.post("/partners/register", data=form).status_code == 200
    assert client.post("/partners/register", data=form).status_code == 200
    response = client.post("/partners/register", data=form)
    assert response.status_code == 429
    page = response.get_data(as_text=True)
    assert "Terlalu banyak percobaan" in page
    assert 'value="PT Banyak Coba"' in page, "what was typed is kept"
    assert db.session.scalar(select(func.count()).select_from(Company)) == 0


def test_invitation_acceptances_are_counted_per_address(app, client, db, monkeypatch):
    monkeypatch.setitem(app.config, "INVITATION_LIMIT_PER_ADDRESS", "2 per hour")
    company = factories.CompanyFactory(status="active")
    inviter = factories.user_for_role("partner", company=company)
    db.session.commit()
    with app.test_request_context():
        _, token = partners.invite_colleague(inviter, "budi@contoh.example")
        db.session.commit()
    path = f"/partners/invitations/{token}"
    bad = {"name": "Budi", "password": "pendek", "confirm": ""}
    assert [client.post(path, data=bad).status_code for _ in range(2)] == [200, 200]
    response = client.post(path, data={**bad, "name": "Budi Santoso"})
    assert response.status_code == 429
    page = response.get_data(as_text=True)
    assert "Terlalu banyak percobaan" in page
    assert 'value="Budi Santoso"' in page
    assert response.headers["Cache-Control"] == "no-store"
