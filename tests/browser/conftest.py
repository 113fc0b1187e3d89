"""Browser tests: Debian's Chromium driven by Playwright against a live server on the
session database. Skipped, with the reason, where /usr/bin/chromium is missing."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from sqlalchemy import select
from werkzeug.serving import make_server

from portal import create_app
from portal.auth.services import hash_password, new_session_token
from portal.demo.accounts import DEMO_ACCOUNTS, DEMO_COMPANIES
from portal.extensions import db as _db
from portal.models import Company, Desa, Kecamatan, User
from tests.conftest import app_config

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


# Every browser test module starts with ``pytestmark = BROWSER``.
BROWSER = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason=f"{CHROMIUM} is missing: run `make chromium` as root"
    ),
]


def buffered(app):
    """The app's responses as bytes, each closed before the server writes it: Werkzeug's
    server skips closing a response when the browser drops the connection (its read in a
    ``finally`` raises first), and the open static file then fails a later test with a
    ResourceWarning."""

    def wsgi(environ, start_response):
        iterable = app(environ, start_response)
        try:
            return [b"".join(iterable)]
        finally:
            if hasattr(iterable, "close"):
                iterable.close()

    return wsgi


class LiveServer:
    """A WSGI server in a thread, serving its own app on a free port."""

    def __init__(self, app):
        self.app = app
        self.server = make_server("127.0.0.1", 0, buffered(app), threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


@pytest.fixture(scope="session")
def live_server(app, database_url):
    """The portal with CSRF on, as in production, on the session's migrated database."""
    live_app = create_app(app_config(database_url, WTF_CSRF_ENABLED=True))
    with LiveServer(live_app) as server:
        yield server
    with live_app.app_context():
        _db.engine.dispose()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        chromium.close()


@pytest.fixture()
def page(browser, live_server, db):
    context = browser.new_context(base_url=live_server.url, locale="id-ID")
    context.set_default_timeout(5000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture()
def demo_accounts(db) -> dict[str, User]:
    """The demo accounts of portal/demo/accounts.py, with their scopes, by e-mail.

    Made here rather than by the demo seed so these tests need nothing else.
    """
    companies = {}
    for key, fields in DEMO_COMPANIES.items():
        companies[key] = Company(status="active", **fields)
        db.session.add(companies[key])
    users = {}
    for account in DEMO_ACCOUNTS:
        kecamatan = desa = None
        if account.desa_code:
            desa = db.session.scalar(select(Desa).where(Desa.code == account.desa_code))
            kecamatan = desa.kecamatan
        elif account.kecamatan_code:
            code = account.kecamatan_code
            kecamatan = db.session.scalar(select(Kecamatan).where(Kecamatan.code == code))
        users[account.email] = User(
            email=account.email,
            password_hash=hash_password(account.password),
            session_token=new_session_token(),
            name=account.name,
            title=account.title,
            nip=account.nip,
            role=account.role,
            kecamatan=kecamatan,
            desa=desa,
            company=companies.get(account.company_key),
        )
        db.session.add(users[account.email])
    db.session.commit()
    return users
