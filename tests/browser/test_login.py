"""Every demo account logs in through the real form, sees its home page and logs out;
the footer switches the language; a home page is usable on a phone."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from portal.demo.accounts import DEMO_ACCOUNTS, DEMO_COMPANIES
from tests.browser.conftest import BROWSER
from tests.support.browser import log_in

pytestmark = BROWSER
PHONE = {"width": 390, "height": 844}
SCREENSHOT = "/tmp/sinergi-home-phone.png"


def expected_heading(user) -> re.Pattern | str:
    if user.role in ("officer", "camat"):
        return re.compile(re.escape(user.kecamatan.name))
    if user.role == "village":
        return user.desa.label
    if user.role == "partner":
        return user.company.name
    return re.compile(r"\S")  # the admin dashboard's translated title


@pytest.mark.parametrize("account", DEMO_ACCOUNTS, ids=lambda a: a.email)
def test_demo_account_logs_in_sees_home_and_logs_out(page: Page, demo_accounts, account):
    user = demo_accounts[account.email]
    log_in(page, account.email, account.password)

    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.locator("main h1")).to_have_text(expected_heading(user))
    navigation = page.locator("header nav")
    expect(navigation.locator('.nav-links a[href="/"]')).to_be_visible()
    menu = navigation.locator("details.user-menu")
    expect(menu.locator("summary")).to_have_text(account.name)

    menu.locator("summary").click()
    menu.locator('form[action="/logout"] button').click()
    expect(page).to_have_url(re.compile(r"/login$"))
    expect(page.locator('form[action="/login"]')).to_be_visible()
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login\?next=/$"))


def test_wrong_password_keeps_the_email_and_says_so(page: Page, demo_accounts):
    account = DEMO_ACCOUNTS[0]
    log_in(page, account.email, "bukan-sandinya")
    expect(page.locator('input[name="email"]')).to_have_value(account.email)
    expect(page.locator("#password-error")).to_be_visible()
    expect(page.locator('input[name="password"]')).to_have_attribute("aria-invalid", "true")


def test_footer_switches_the_language(page: Page, db):
    page.goto("/login")
    html = page.locator("html")
    expect(html).to_have_attribute("lang", "id")
    page.locator('footer form[action="/locale"] button').click()
    expect(html).to_have_attribute("lang", "en")
    expect(page).to_have_url(re.compile(r"/login$"))
    page.locator('footer form[action="/locale"] button').click()
    expect(html).to_have_attribute("lang", "id")


def test_home_page_fits_a_phone(browser, live_server, demo_accounts):
    context = browser.new_context(base_url=live_server.url, viewport=PHONE, is_mobile=True)
    page = context.new_page()
    try:
        account = next(a for a in DEMO_ACCOUNTS if a.company_key == "mahakam")
        log_in(page, account.email, account.password)
        expect(page.locator("main h1")).to_have_text(DEMO_COMPANIES["mahakam"]["name"])
        page.screenshot(path=SCREENSHOT, full_page=True)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, "the page scrolls sideways on a phone"
        page.locator("details.nav-menu > summary").click()  # the phone's menu button
        page.locator("details.user-menu summary").click()
        expect(page.locator('form[action="/logout"] button')).to_be_in_viewport()
    finally:
        context.close()
