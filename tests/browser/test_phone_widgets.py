"""At 360 × 740: the menu button opens the navigation (with JavaScript and without), a
refused form shows a linked error summary that takes the focus, the desa list follows the
chosen kecamatan, a list is a column of stacked cards with its filters behind "Saring", and
the contribution form shows only the part that fits its kind."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import func, select

from portal.models import Desa
from tests import factories
from tests.browser.conftest import BROWSER
from tests.conftest import TEST_PASSWORD
from tests.support.browser import log_in
from tests.support.phone import PHONE, layout_problems

pytestmark = BROWSER


@pytest.fixture()
def phone(browser, live_server, db):
    """A phone-sized page; ``phone(javascript=False)`` for one without JavaScript."""
    contexts = []

    def open_page(javascript: bool = True) -> Page:
        context = browser.new_context(
            base_url=live_server.url,
            viewport=PHONE,
            is_mobile=True,
            locale="id-ID",
            java_script_enabled=javascript,
        )
        context.set_default_timeout(5000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


def logged_in(page: Page, user) -> Page:
    log_in(page, user.email, TEST_PASSWORD)
    expect(page).to_have_url(re.compile(r"/$"))
    return page


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_the_menu_button_opens_the_navigation(phone, make_user, javascript):
    page = logged_in(phone(javascript), make_user("officer"))
    recipients = page.locator('.nav-links a[href="/registry/recipients"]')
    expect(recipients).to_be_hidden()
    assert not layout_problems(page)

    page.locator("details.nav-menu > summary").click()
    expect(recipients).to_be_visible()
    expect(page.locator(".nik-lookup input[name=nik]")).to_be_visible()
    box = recipients.bounding_box()
    assert box["height"] >= 44 and box["x"] + box["width"] <= PHONE["width"]
    recipients.click()
    expect(page).to_have_url(re.compile(r"/registry/recipients$"))
    expect(page.locator("main h1")).to_be_visible()


def test_a_refused_form_shows_a_linked_summary_that_takes_the_focus(phone, make_user):
    page = logged_in(phone(), make_user("partner"))
    page.goto("/contributions/new")
    page.locator('[name="planned_date"]').fill("31/02/2026")
    page.locator("#contribution-form button[type=submit]", has_text="Simpan").click()

    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(summary).to_be_in_viewport()
    expect(summary.locator('a[href="#title"]')).to_be_visible()
    date_link = summary.locator('a[href="#planned_date"]')
    expect(date_link).to_contain_text("14/05/2025")  # the format is said, with an example
    # what was typed is kept, and the link leads to the field
    expect(page.locator('[name="planned_date"]')).to_have_value("31/02/2026")
    date_link.click()
    expect(page).to_have_url(re.compile(r"#planned_date$"))
    assert not layout_problems(page)
    # a fragment swapped in later (a new item row) does not pull the focus back up
    page.get_by_role("button", name=re.compile("Tambah baris")).click()
    expect(page.locator('[name="items-1-name"]')).to_be_visible()
    expect(summary).not_to_be_focused()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_the_desa_list_follows_the_chosen_kecamatan(phone, make_user, db, javascript):
    page = logged_in(phone(javascript), make_user("admin"))
    kec = factories.kecamatan("64.02.10")
    own = db.session.scalar(select(func.count()).where(Desa.kecamatan_id == kec.id))
    every = db.session.scalar(select(func.count()).select_from(Desa))
    page.goto("/registry/recipients")
    desa = page.locator("select[name=desa] option:not([value=''])")
    expect(desa).to_have_count(every)

    page.locator("details.filter-toggle > summary").click()
    page.locator("select[name=kecamatan]").select_option(str(kec.id))
    if not javascript:  # the plain form: sending it narrows the list
        page.locator("form#recipient-search button[type=submit]").click()
    expect(desa).to_have_count(own)
    names = set(db.session.scalars(select(Desa.name).where(Desa.kecamatan_id == kec.id)))
    assert set(desa.all_text_contents()) == names
    if not javascript:
        expect(page.locator("details.filter-toggle > summary")).to_contain_text("1 aktif")


def test_the_new_account_form_offers_only_the_kecamatan_s_desa(phone, make_user, db):
    page = logged_in(phone(), make_user("admin"))
    kec = factories.kecamatan("64.02.02")
    page.goto("/admin/users/new")
    page.locator("select[name=kecamatan_id]").select_option(str(kec.id))
    options = page.locator("select[name=desa_id] option:not([value=''])")
    own = db.session.scalar(select(func.count()).where(Desa.kecamatan_id == kec.id))
    expect(options).to_have_count(own)


def test_a_list_is_a_column_of_stacked_cards_with_filters_behind_saring(phone, make_user, db):
    officer = make_user("officer")
    for name in ("Siti Aminah", "Rahmat Hidayat", "Nur Aisyah Putri Kartika Sari"):
        factories.RecipientFactory(name=name)
    db.session.commit()
    page = logged_in(phone(), officer)
    page.goto("/registry/recipients")

    expect(page.locator("#recipient-results table thead")).not_to_be_in_viewport()
    rows = page.locator("#recipient-results tbody tr")
    expect(rows).to_have_count(3)
    first, second = rows.nth(0).bounding_box(), rows.nth(1).bounding_box()
    assert second["y"] >= first["y"] + first["height"]  # one card under the other
    assert first["width"] <= PHONE["width"]
    # the name is the card's title, above the other fields; each field says what it is
    card = rows.nth(0)
    name, nik = card.locator("td.card-title"), card.locator("td", has_text=re.compile(r"^\d{16}$"))
    assert name.bounding_box()["y"] < nik.bounding_box()["y"]
    expect(nik).to_have_attribute("data-label", "NIK")
    # the filters wait behind "Saring"; the search field stays in sight
    expect(page.locator("select[name=state]")).to_be_hidden()
    expect(page.locator("input[name=q]")).to_be_visible()
    page.locator("details.filter-toggle > summary", has_text="Saring").click()
    expect(page.locator("select[name=state]")).to_be_visible()
    assert not layout_problems(page)


def test_the_contribution_form_shows_the_part_of_its_kind(phone, make_user):
    page = logged_in(phone(), make_user("partner"))
    page.goto("/contributions/new")
    items, training = page.locator("fieldset#items"), page.locator("fieldset#training")
    page.locator("select[name=kind]").select_option("training")
    expect(items).to_be_hidden()
    expect(training).to_be_visible()
    page.locator("select[name=kind]").select_option("goods")
    expect(items).to_be_visible()
    expect(training).to_be_hidden()
    assert not layout_problems(page)


def test_without_javascript_the_contribution_form_shows_both_parts(phone, make_user):
    page = logged_in(phone(javascript=False), make_user("partner"))
    page.goto("/contributions/new")
    page.locator("select[name=kind]").select_option("training")
    expect(page.locator("fieldset#items")).to_be_visible()
    expect(page.locator("fieldset#training")).to_be_visible()


def test_lists_people_and_contributions_print_on_a4_without_navigation(
    browser, live_server, make_user, db
):
    officer = make_user("officer")
    person = factories.RecipientFactory(code=officer.kecamatan.code, name="Siti Aminah")
    contribution = factories.ContributionFactory(kecamatan=officer.kecamatan, status="submitted")
    db.session.commit()
    # A4 less 15 mm margins each side: 180 mm, 680 px at 96 dpi.
    context = browser.new_context(base_url=live_server.url, viewport={"width": 680, "height": 962})
    try:
        page = context.new_page()
        logged_in(page, officer)
        page.emulate_media(media="print")
        paths = ("/registry/recipients", f"/registry/recipients/{person.id}")
        for path in (*paths, f"/contributions/{contribution.id}"):
            page.goto(path)
            expect(page.locator(".site-header")).to_be_hidden()
            expect(page.locator(".site-footer")).to_be_hidden()
            expect(page.locator("main button:visible")).to_have_count(0)
            expect(page.locator(".print-header")).to_be_visible()
            assert page.evaluate("document.documentElement.scrollWidth") <= 680, path
        page.goto("/registry/recipients")  # a table, not cards, on paper
        expect(page.locator("#recipient-results thead")).to_be_visible()
    finally:
        context.close()
