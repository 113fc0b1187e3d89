"""The officer submits a draft handover plan; the camat opens it from the queue, confirms
with their password and sees the letter number."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from portal.extensions import db
from tests.browser.conftest import BROWSER
from tests.conftest import TEST_PASSWORD
from tests.support.browser import log_in
from tests.support.matching import cast_for, offered, planned

pytestmark = BROWSER


def test_officer_submits_and_camat_approves_with_password(page: Page, browser, live_server):
    contribution = offered(quantity=5)
    cast = cast_for(contribution)
    match = planned(contribution, people=2)
    db.session.commit()
    page.set_default_timeout(15_000)  # the approval writes more than a page view; a busy CI

    log_in(page, cast.officer.email, TEST_PASSWORD)
    expect(page).to_have_url(re.compile(r"/$"))
    page.goto(f"/penyaluran/{match.id}")
    page.locator(f'form[action="/penyaluran/{match.id}/submit"] button').click()
    expect(page.locator("main .badge-submitted")).to_be_visible()

    # The camat on their own computer: a browser context of its own.
    context = browser.new_context(base_url=live_server.url, locale="id-ID")
    context.set_default_timeout(15_000)
    page = context.new_page()
    log_in(page, cast.camat.email, TEST_PASSWORD)
    page.locator("#waiting-approvals a").click()
    expect(page).to_have_url(re.compile(r"/penyaluran/queue$"))
    page.locator(f'#queue a[href="/penyaluran/{match.id}"]').click()
    approve = page.locator(f'form[action="/penyaluran/{match.id}/approve"]')
    approve.locator('input[name="password"]').fill("bukan-sandi-ini")
    approve.locator("button").click()
    expect(page.locator(".field-error")).to_be_visible()
    approve = page.locator(f'form[action="/penyaluran/{match.id}/approve"]')
    approve.locator('input[name="password"]').fill(TEST_PASSWORD)
    approve.locator("button").click()
    expect(page.locator("main .badge-approved")).to_be_visible()
    expect(page.locator("#letter-number")).to_have_text(
        re.compile(r"^[\d.]+/001/CSR-64\.02\.06/[IVX]+/\d{4}$")
    )
    context.close()
