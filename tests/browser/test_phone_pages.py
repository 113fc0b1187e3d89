"""At 360 × 740, as every demo account on the demo data, every kind of page within two clicks
of home fits the screen: the document is at most 360 px wide (nothing hides overflow), no
visible element runs past the right edge, the title starts within 240 px of the top and the
console stays free of errors. Each account's home is saved at phone and office size into
the git-ignored artifacts/ folder.

The demo data is seeded once for this module (these tests share no ``db`` fixture, which
would empty the tables after each test) and removed afterwards."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from portal.demo.accounts import DEMO_ACCOUNTS
from portal.demo.seed import seed_demo
from portal.extensions import db as _db
from tests.browser.conftest import BROWSER
from tests.conftest import empty_tables
from tests.support.browser import log_in
from tests.support.phone import DESKTOP, PHONE, layout_problems, screenshot, within_two_clicks

pytestmark = BROWSER


@pytest.fixture(scope="module")
def demo_data(app):
    with app.app_context():
        empty_tables()
        seed_demo()
    yield
    with app.app_context():
        _db.session.rollback()
        empty_tables()


def new_page(browser, live_server, viewport):
    context = browser.new_context(
        base_url=live_server.url, viewport=viewport, locale="id-ID", is_mobile=viewport is PHONE
    )
    context.set_default_timeout(10000)
    page = context.new_page()
    errors = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    page.on("pageerror", lambda error: errors.append(str(error)))
    return context, page, errors


def account_name(account) -> str:
    return re.sub(r"[^a-z0-9]+", "-", f"{account.role}-{account.email}")


@pytest.mark.parametrize("account", DEMO_ACCOUNTS, ids=lambda a: a.email)
def test_every_page_within_two_clicks_fits_a_phone(browser, live_server, demo_data, account):
    context, page, errors = new_page(browser, live_server, PHONE)
    try:
        log_in(page, account.email, account.password)
        expect(page).to_have_url(re.compile(r"/$"))
        screenshot(page, f"{account_name(account)}-phone")
        problems = {}
        paths = within_two_clicks(page)
        assert len(paths) >= 4, paths  # home, its list pages and what they link to
        for path in paths:
            errors.clear()
            response = page.goto(path)
            if response is None or "text/html" not in response.headers.get("content-type", ""):
                continue
            found = layout_problems(page) + [f"console: {e}" for e in errors]
            if response.status >= 400:
                found.append(f"answered {response.status}")
            if found:
                problems[path] = found
        assert not problems, problems
    finally:
        context.close()


@pytest.mark.parametrize("account", DEMO_ACCOUNTS, ids=lambda a: a.email)
def test_home_at_office_size_has_the_navigation_open(browser, live_server, demo_data, account):
    context, page, errors = new_page(browser, live_server, DESKTOP)
    try:
        log_in(page, account.email, account.password)
        expect(page).to_have_url(re.compile(r"/$"))
        # no menu button at office size: the navigation itself is shown
        expect(page.locator("details.nav-menu > summary")).to_be_hidden()
        expect(page.locator('.nav-links a[href="/"]')).to_be_visible()
        screenshot(page, f"{account_name(account)}-desktop")
        assert not errors
    finally:
        context.close()
