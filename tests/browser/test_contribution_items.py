"""A partner adds and removes item rows in place, sees the totals follow the typing,
saves the draft and submits it; the kecamatan officer sees it arrive."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.browser.conftest import BROWSER
from tests.conftest import TEST_PASSWORD
from tests.factories import kecamatan

pytestmark = BROWSER


def log_in(page: Page, email: str) -> None:
    page.goto("/login")
    form = page.locator('form[action="/login"]')
    form.locator('input[name="email"]').fill(email)
    form.locator('input[name="password"]').fill(TEST_PASSWORD)
    form.locator('button[type="submit"]').click()
    expect(page).to_have_url(re.compile(r"/$"))


def fill_row(page: Page, index: int, name: str, quantity: str, unit: str, value: str) -> None:
    page.locator(f'[name="items-{index}-name"]').fill(name)
    page.locator(f'[name="items-{index}-quantity"]').fill(quantity)
    page.locator(f'[name="items-{index}-unit"]').fill(unit)
    page.locator(f'[name="items-{index}-unit_value"]').fill(value)


def test_partner_adds_and_removes_rows_sees_totals_and_submits(page: Page, make_user):
    partner = make_user("partner")
    kec = kecamatan()
    make_user("officer", kecamatan=kec)
    log_in(page, partner.email)

    page.goto("/contributions/new")
    form = page.locator("#contribution-form")
    form.locator('[name="title"]').fill("Oven dan loyang untuk usaha kue")
    form.locator('[name="target"]').select_option(str(kec.id))
    form.locator('input[name="sectors"][value="food"]').check()

    fill_row(page, 0, "Oven gas", "2", "unit", "1500000")
    expect(page.locator("#items-total")).to_contain_text("Rp 3.000.000")
    expect(page.locator("#items-0-total")).to_have_text("Rp 3.000.000")

    page.get_by_role("button", name=re.compile("Tambah baris|Add row")).click()
    expect(page.locator('[name="items-1-name"]')).to_be_visible()
    # the first row kept what was typed when the block was re-rendered
    expect(page.locator('[name="items-0-name"]')).to_have_value("Oven gas")
    fill_row(page, 1, "Salah ketik", "1", "unit", "999")
    page.get_by_role("button", name=re.compile("Tambah baris|Add row")).click()
    expect(page.locator('[name="items-2-name"]')).to_be_visible()
    fill_row(page, 2, "Loyang", "2,5", "buah", "40000")
    expect(page.locator("#items-total")).to_contain_text("Rp 3.100.999")
    expect(page.locator("#items-2-total")).to_have_text("Rp 100.000")

    page.locator('button[name="remove_item"][value="1"]').click()
    expect(page.locator("tr.item-row")).to_have_count(2)
    expect(page.locator('[name="items-1-name"]')).to_have_value("Loyang")
    expect(page.locator("#items-total")).to_contain_text("Rp 3.100.000")

    form.locator('button[type="submit"]:not([name])').click()
    expect(page).to_have_url(re.compile(r"/contributions/\d+$"))
    items = page.locator("main table tbody tr")
    expect(items).to_have_count(2)
    expect(items.nth(1)).to_contain_text("Loyang")
    expect(page.locator("main tfoot")).to_contain_text("Rp 3.100.000")

    page.locator('form[action$="/submit"] button').click()
    expect(page.locator("main .badge-submitted")).to_be_visible()
    expect(page.locator("ol.timeline li")).to_have_count(2)


def test_rows_work_with_javascript_off(browser, live_server, make_user):
    partner = make_user("partner")
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    context.set_default_timeout(5000)
    page = context.new_page()
    try:
        log_in(page, partner.email)
        page.goto("/contributions/new")
        page.locator('[name="title"]').fill("Mesin jahit")
        page.locator('[name="target"]').select_option("dinsos")
        fill_row(page, 0, "Mesin jahit", "3", "unit", "2000000")
        page.locator('button[name="add_item"]').click()
        expect(page.locator('[name="items-1-name"]')).to_be_visible()
        expect(page.locator('[name="title"]')).to_have_value("Mesin jahit")
        expect(page.locator("#items-total")).to_contain_text("Rp 6.000.000")
        page.locator('button[name="remove_item"][value="1"]').click()
        expect(page.locator("tr.item-row")).to_have_count(1)
        page.locator('#contribution-form button[type="submit"]:not([name])').click()
        expect(page).to_have_url(re.compile(r"/contributions/\d+$"))
        expect(page.locator("main tfoot")).to_contain_text("Rp 6.000.000")
    finally:
        context.close()
