"""A company registers through the real form, logs in and waits, an admin activates it,
and the applicant comes back to the active home page with the notification badge counting."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from portal.demo.accounts import DEMO_ACCOUNTS
from tests.browser.conftest import BROWSER

pytestmark = BROWSER
COMPANY = "PT Uji Registrasi Peramban"
EMAIL = "csr@uji-peramban.example"
PASSWORD = "kata-sandi-panjang"


def log_in(page: Page, email: str, password: str) -> None:
    page.goto("/login")
    form = page.locator('form[action="/login"]')
    form.locator('input[name="email"]').fill(email)
    form.locator('input[name="password"]').fill(password)
    form.locator('button[type="submit"]').click()


def log_out(page: Page) -> None:
    page.locator("details.user-menu summary").click()
    page.locator('form[action="/logout"] button').click()
    expect(page).to_have_url(re.compile(r"/login$"))


def test_company_registers_is_activated_and_comes_back_active(page: Page, demo_accounts):
    page.goto("/login")
    page.locator('a[href="/partners/register"]').click()
    form = page.locator('form[action="/partners/register"]')
    form.locator('[name="company_name"]').fill(COMPANY)
    form.locator('[name="sector"]').select_option("oil_gas")
    form.locator('[name="address"]').fill("Jl. Panglima Batur No. 3, Samarinda Seberang")
    form.locator('[name="phone"]').fill("0541 555123")
    form.locator('[name="contact_name"]').fill("Dewi Lestari")
    form.locator('[name="representative_name"]').fill("Ir. Hendra Wijaya")
    form.locator('[name="representative_title"]').fill("General Manager")
    form.locator('[name="name"]').fill("Dewi Lestari")
    form.locator('[name="email"]').fill(EMAIL)
    form.locator('[name="password"]').fill(PASSWORD)
    # A mistyped repetition is refused beside the field, everything else kept.
    form.locator('[name="confirm"]').fill("bukan-sama")
    form.locator('button[type="submit"]').click()
    expect(page.locator("#confirm-error")).to_be_visible()
    expect(form.locator('[name="company_name"]')).to_have_value(COMPANY)
    form.locator('[name="password"]').fill(PASSWORD)
    form.locator('[name="confirm"]').fill(PASSWORD)
    form.locator('button[type="submit"]').click()

    # Every registration gets the same answer (an address with an account is not told so):
    # the applicant logs in to follow it.
    expect(page).to_have_url(re.compile(r"/partners/register/received$"))
    page.locator('main a[href="/login"]').click()
    log_in(page, EMAIL, PASSWORD)
    page.goto("/partners/waiting")
    expect(page).to_have_url(re.compile(r"/partners/waiting$"))
    expect(page.locator("main h1")).to_have_text(COMPANY)
    # Nothing but waiting: the company page sends the applicant back.
    page.goto("/partners/company")
    expect(page).to_have_url(re.compile(r"/partners/waiting$"))
    log_out(page)

    admin = next(a for a in DEMO_ACCOUNTS if a.role == "admin")
    log_in(page, admin.email, admin.password)
    page.goto("/admin/companies/pending")
    page.get_by_role("link", name=COMPANY).click()
    expect(page.locator("main h1")).to_have_text(COMPANY)
    page.locator('form[action$="/activate"] button').click()
    expect(page.locator(".badge-active")).to_be_visible()
    log_out(page)

    log_in(page, EMAIL, PASSWORD)
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.locator("main h1")).to_have_text(COMPANY)
    expect(page.locator("main .flash-warning")).to_have_count(0)
    badge = page.locator("a.notification-link .badge")
    expect(badge).to_contain_text("1")
    page.locator("a.notification-link").click()
    expect(page).to_have_url(re.compile(r"/notifications$"))
    page.locator('form[action$="/read"] button').click()
    expect(page.locator("a.notification-link .badge")).to_have_count(0)
