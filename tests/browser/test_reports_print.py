"""The officer chooses a month of the evaluation (the results swap in and the URL follows),
and the page prints without the navigation, the forms or the buttons."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from portal.extensions import db
from tests import factories
from tests.browser.conftest import BROWSER
from tests.conftest import TEST_PASSWORD
from tests.support.browser import log_in

pytestmark = BROWSER


def test_the_evaluation_prints_without_navigation(page: Page):
    officer = factories.user_for_role("officer")
    db.session.commit()
    log_in(page, officer.email, TEST_PASSWORD)
    expect(page).to_have_url(re.compile(r"/$"))
    page.goto("/laporan/evaluasi")
    page.locator('form.report-choice select[name="month"]').select_option("5")
    page.locator('form.report-choice input[name="year"]').fill("2025")
    page.get_by_role("button", name="Tampilkan").click()
    expect(page.locator("#evaluation-results h2")).to_contain_text("Mei 2025")
    expect(page).to_have_url(re.compile(r"month=5&year=2025"))
    expect(page.locator(".site-header")).to_be_visible()
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator("form.report-choice")).to_be_hidden()
    expect(page.locator("[data-print]")).to_be_hidden()
    expect(page.locator("#evaluation-results h2")).to_be_visible()
    expect(page.locator("#evaluation-results table").first).to_be_visible()
