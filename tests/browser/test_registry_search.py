"""The registry in a real browser: active search as the officer types, the header NIK
lookup, and a NIK that never reaches the address bar."""

from __future__ import annotations

import re
from datetime import date

from playwright.sync_api import Page, expect

from portal.demo.accounts import DEMO_ACCOUNTS
from tests.browser.conftest import BROWSER
from tests.factories import new_kk
from tests.support.registry import aid, person

pytestmark = BROWSER
OFFICER = next(a for a in DEMO_ACCOUNTS if a.email == "petugas.tenggarong@sinergi.demo")


def log_in(page: Page) -> None:
    page.goto("/login")
    form = page.locator('form[action="/login"]')
    form.locator('input[name="email"]').fill(OFFICER.email)
    form.locator('input[name="password"]').fill(OFFICER.password)
    form.locator('button[type="submit"]').click()
    expect(page).to_have_url(re.compile(r"/$"))


def test_officer_searches_as_they_type_and_the_nik_stays_out_of_the_url(
    page: Page, demo_accounts, db
):
    kk = new_kk()
    siti = person(name="Siti Aminah", kk=kk)
    person(name="Budi Santoso", sex="L")
    db.session.commit()
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    log_in(page)
    page.goto("/registry/recipients")
    results = page.locator("#recipient-results")
    expect(results).to_contain_text("Budi Santoso")

    page.locator("#q").press_sequentially("amin", delay=30)
    expect(results).not_to_contain_text("Budi Santoso")
    expect(results).to_contain_text("Siti Aminah")

    page.locator("#q").fill(siti.nik)
    page.locator("#q").dispatch_event("input")
    expect(results).to_contain_text("Siti Aminah")
    expect(results).not_to_contain_text("Budi Santoso")
    assert siti.nik not in page.url
    assert not [e for e in errors if "Content Security Policy" in e]


def test_header_lookup_shows_the_familys_aid(page: Page, demo_accounts, db):
    kk = new_kk()
    siti = person(name="Siti Aminah", kk=kk)
    person(name="Rahmat", kk=kk, sex="L", born=date(2004, 4, 4))
    aid("BPNT", date(2025, 1, 1), kk=kk, programme="BPNT Tahap 1")
    db.session.commit()
    log_in(page)
    box = page.locator("form.nik-lookup input[name=nik]")
    box.fill(siti.nik)
    box.press("Enter")
    answer = page.locator("#nik-lookup-results")
    expect(answer).to_contain_text("BPNT Tahap 1")
    expect(answer).to_contain_text("Rahmat")
    assert siti.nik not in page.url
