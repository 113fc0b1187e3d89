"""Fixtures: one migrated database per session (SQLite, or PostgreSQL with
TEST_DATABASE_URL), emptied of everything but the regions after each test.

Under ``CI=true`` a skipped test of a group this run must exercise fails instead (see
``required_groups``), so CI cannot pass with the browser, PostgreSQL or Redis tests
silently skipped."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

# Tests never touch the developer's instance/ or Huey file: set before portal is imported,
# since the instance folder is read when portal.config loads.
os.environ["SINERGI_INSTANCE"] = tempfile.mkdtemp(prefix="sinergi-instance-")
os.environ["HUEY_SQLITE_PATH"] = os.path.join(os.environ["SINERGI_INSTANCE"], "huey.db")

import pytest  # noqa: E402
from flask.testing import FlaskClient  # noqa: E402
from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import delete, update  # noqa: E402

from portal import create_app  # noqa: E402
from portal.core import throttle  # noqa: E402
from portal.core.reference import load_aid_categories  # noqa: E402
from portal.core.regions import load_regions  # noqa: E402
from portal.extensions import db as _db  # noqa: E402
from portal.models import KecamatanOffice  # noqa: E402
from portal.signing.authority import ensure_authority  # noqa: E402
from tests import factories  # noqa: E402
from tests.dbutil import temporary_database  # noqa: E402
from tests.support.mail import smtp  # noqa: E402, F401 - the local SMTP server fixture

# Test groups that need something outside Python, by marker; a skip without the marker
# still counts when its reason names the missing server.
SERVER_GROUPS = {
    "browser": ("chromium",),
    "postgres": ("TEST_DATABASE_URL", "PostgreSQL"),
    "redis": ("TEST_REDIS_URL", "Redis"),
}


def required_groups(environ=os.environ) -> set[str]:
    """The groups that must not be skipped in this run: none outside CI. In CI (.ci/run)
    the first run is `make test` on SQLite with no servers configured, the second the
    whole suite on PostgreSQL with Redis; so the browser is required in every CI run, and
    PostgreSQL and Redis in the run that names a PostgreSQL server (Redis also wherever
    TEST_REDIS_URL names one)."""
    if environ.get("CI", "").strip().lower() not in ("1", "true", "yes"):
        return set()
    groups = {"browser"}
    if environ.get("TEST_DATABASE_URL"):
        groups |= {"postgres", "redis"}
    if environ.get("TEST_REDIS_URL"):
        groups.add("redis")
    return groups


def _skip_reason(report) -> str:
    if isinstance(report.longrepr, tuple):
        return str(report.longrepr[2])
    return str(report.longrepr)


def groups_of(item, reason: str) -> set[str]:
    """The server groups a skipped test belongs to: its markers, or its skip reason."""
    marked = {mark.name for mark in item.iter_markers()} & set(SERVER_GROUPS)
    named = {
        group
        for group, words in SERVER_GROUPS.items()
        if any(word.lower() in reason.lower() for word in words)
    }
    return marked | named


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """In CI, turn the skip of a required group's test into a failure, with the reason."""
    outcome = yield
    report = outcome.get_result()
    if not report.skipped or hasattr(report, "wasxfail"):
        return
    required = required_groups()
    if not required:
        return
    reason = _skip_reason(report)
    missing = sorted(groups_of(item, reason) & required)
    if missing:
        report.outcome = "failed"
        report.longrepr = (
            f"CI=true: this run must run the {', '.join(missing)} tests, "
            f"but this one was skipped: {reason}"
        )


KEEP_TABLES = {"kecamatan", "desa", "kecamatan_office", "alembic_version"}
TEST_PASSWORD = "rahasia-uji-123"
PUBLIC_ADDRESS = "http://sinergi.uji.example"
# One certificate authority for every app a test run makes (approval signs letters), made
# on first use by ``signing_authority``; never a developer's instance/.
SIGNING_DIR = Path(tempfile.mkdtemp(prefix="sinergi-test-ca-"))


def app_config(database_url: str, **overrides) -> dict:
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "WTF_CSRF_ENABLED": False,
        "HUEY_IMMEDIATE": True,
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        "MAIL_SERVER": None,
        "SERVER_NAME": None,
        # Each app counts in its own memory; tests of the shared storages ask for theirs.
        "THROTTLE_STORAGE": "memory",
        # Never the address a developer's instance/ recorded: the tests' own (the QR
        # code of every letter an approval issues is built from it).
        "PUBLIC_BASE_URL": PUBLIC_ADDRESS,
        "SIGNING_CA_CERT": str(SIGNING_DIR / "ca-cert.pem"),
        "SIGNING_CA_KEY": str(SIGNING_DIR / "ca-key.pem"),
    }
    config.update(overrides)
    return config


@pytest.fixture(scope="session")
def database_url():
    with temporary_database() as url:
        yield url


def pytest_sessionstart(session):
    """Make the run's certificate authority before any test app needs it."""
    app = create_app(app_config("sqlite://"))
    with app.app_context():
        ensure_authority()


def pytest_sessionfinish(session, exitstatus):
    shutil.rmtree(SIGNING_DIR, ignore_errors=True)


@pytest.fixture(scope="session")
def app(database_url):
    app = create_app(app_config(database_url))
    with app.app_context():
        upgrade(directory=app.extensions["migrate"].directory)
        load_regions()
        ensure_authority()
    yield app
    with app.app_context():
        _db.engine.dispose()


@pytest.fixture()
def db(app):
    """The database inside an app context, emptied (but for regions) afterwards."""
    with app.app_context():
        yield _db
        _db.session.rollback()
        empty_tables()
    throttle.reset(app)  # no test inherits another's failed logins


def empty_tables() -> None:
    _db.session.execute(update(KecamatanOffice).values(camat_user_id=None, logo_attachment_id=None))
    for table in reversed(_db.metadata.sorted_tables):
        if table.name not in KEEP_TABLES:
            _db.session.execute(delete(table))
    _db.session.commit()


MAX_REDIRECTS = 10


class OwnContextClient(FlaskClient):
    """Each request in its own app context, as in production. Under the ``db`` fixture's
    shared context Flask-Login would keep the user it loaded in ``g`` from one request to
    the next and never notice an ended session.

    Following redirects stops after ``MAX_REDIRECTS``: Werkzeug only notices a loop that
    repeats a URL exactly, and one that grows it (``?next=`` inside ``?next=``) would
    otherwise run until memory is gone."""

    _redirects = 0

    def open(self, *args, **kwargs):
        if kwargs.get("follow_redirects"):
            self._redirects = 0
        with self.application.app_context():
            return super().open(*args, **kwargs)

    def resolve_redirect(self, response, buffered=False):
        self._redirects += 1
        if self._redirects > MAX_REDIRECTS:
            raise AssertionError(
                f"more than {MAX_REDIRECTS} redirects in a row; the last to {response.location}"
            )
        return super().resolve_redirect(response, buffered=buffered)


@pytest.fixture()
def client(app, db):
    return OwnContextClient(app, app.response_class, use_cookies=True)


def redirect_of(response) -> str:
    """Where a redirect sends the browser; fails unless the response is a 302."""
    assert response.status_code == 302, f"expected a redirect, got {response.status_code}"
    return response.headers["Location"]


class AuthActions:
    def __init__(self, client):
        self.client = client

    def login(self, user, password: str = TEST_PASSWORD):
        return self.client.post("/login", data={"email": user.email, "password": password})

    def logout(self):
        return self.client.post("/logout")


@pytest.fixture()
def auth(client):
    return AuthActions(client)


@pytest.fixture()
def make_user(db):
    """Create a user of a role with a suitable scope: ``make_user("officer")``."""

    def make(role: str, **kwargs):
        user = factories.user_for_role(role, **kwargs)
        _db.session.commit()
        return user

    return make


@pytest.fixture()
def login_as(make_user, auth):
    """Create a user of that role and log the client in as them."""

    def login(role: str, **kwargs):
        user = make_user(role, **kwargs)
        response = auth.login(user)
        assert response.status_code == 302, "login failed in a fixture"
        return user

    return login


@pytest.fixture()
def public_address(app, monkeypatch):
    """PUBLIC_BASE_URL set, as letters' QR codes need (tests of letters and approval)."""
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", PUBLIC_ADDRESS)
    return PUBLIC_ADDRESS


@pytest.fixture()
def ctx(app, db):
    """A request context, so services can build links with url_for."""
    with app.test_request_context():
        yield db


@pytest.fixture()
def categories(db):
    """The default aid categories and their pairs, committed."""
    load_aid_categories()
    db.session.commit()


@pytest.fixture()
def english(client):
    """The client reads the pages in English (the source strings)."""
    client.post("/locale", data={"locale": "en"})


@pytest.fixture()
def sent(monkeypatch):
    """Every message the app hands to SMTP: (to, subject, body)."""
    messages = []
    monkeypatch.setattr("portal.core.mail.send_now", lambda *message: messages.append(message))
    return messages
