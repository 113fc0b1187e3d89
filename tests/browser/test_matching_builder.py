"""The officer opens an accepted contribution, creates a handover plan, picks the two best
candidates, changes a quantity and sees what remains follow in place."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from portal.extensions import db as _db
from tests.browser.conftest import BROWSER
from tests.browser.test_contribution_items import log_in
from tests.support.matching import candidate, contribution

pytestmark = BROWSER
SWAPPING = ".htmx-request, .htmx-swapping, .htmx-settling, .htmx-added"


def settled(page: Page) -> None:
    """Wait until HTMX has swapped and processed the new content (its listeners on it)."""
    page.wait_for_function(f"() => !document.querySelector({SWAPPING!r})")


def change(page: Page, locator, value: str) -> None:
    settled(page)
    locator.fill(value)
    locator.press("Tab")  # leaving the field fires its change, as for a person


def test_officer_builds_a_plan_and_sees_what_remains(page: Page, make_user):
    officer = make_user("officer")
    made = contribution(title="Oven untuk usaha kue", groups=("wrse",), quantities=(5,))
    candidate("Siti Aminah", groups=("wrse",), sectors=("food",))
    candidate("Nur Aisyah", groups=("wrse",))
    candidate("Budi Santoso")
    _db.session.commit()
    log_in(page, officer.email)

    page.goto(f"/contributions/{made.id}")
    page.get_by_role("button", name="Buat rencana penyaluran").click()
    page.get_by_label("Nama rencana").fill("Tahap pertama")
    page.get_by_role("button", name="Buat rencana").click()
    expect(page).to_have_url(re.compile(r"/penyaluran/\d+/susun$"))
    expect(page.locator("#candidates")).to_contain_text("Siti Aminah")

    page.locator("#pick-count").fill("2")
    page.get_by_role("button", name="Pilih yang terbaik").click()
    members = page.locator("#members")
    expect(members).to_contain_text("Siti Aminah")
    expect(members).to_contain_text("Nur Aisyah")
    expect(members).not_to_contain_text("Budi Santoso")
    item_id = made.items[0].id
    remaining = page.locator(f"#remaining-{item_id}")
    expect(remaining).to_have_text("3")

    quantities = page.locator(f'#members input.quantity[name$="-{item_id}"]')
    change(page, quantities.first, "2")
    expect(page.locator(f"#remaining-{item_id}")).to_have_text("2")

    change(page, quantities.first, "9")
    expect(page.locator("#members .field-error")).to_contain_text("Sisa Oven gas")
    expect(page.locator(f"#remaining-{item_id}")).to_have_text("2")
