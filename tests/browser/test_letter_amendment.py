"""The officer amends a letter from its page and submits the corrected plan; the camat sees
the amendment in the queue and approves it with their password; the old letter's public
page then says it was replaced and names the new number."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from portal.extensions import db
from portal.letters.queries import letter_of
from portal.matching import transitions
from tests.browser.conftest import BROWSER
from tests.conftest import TEST_PASSWORD
from tests.support.browser import log_in
from tests.support.matching import cast_for, offered, planned

pytestmark = BROWSER


def test_officer_amends_and_camat_approves_the_new_letter(
    page: Page, browser, app, live_server, monkeypatch
):
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", live_server.url)
    with app.test_request_context():
        contribution = offered(quantity=5)
        cast = cast_for(contribution)
        match = planned(contribution, people=2)
        transitions.submit(match, cast.officer)
        transitions.approve(match, cast.camat, TEST_PASSWORD)
        db.session.commit()
        old = letter_of(match)
    page.set_default_timeout(15_000)

    log_in(page, cast.officer.email, TEST_PASSWORD)
    page.goto(f"/surat/{old.id}")
    amend = page.locator(f'form[action="/surat/{old.id}/perubahan"]')
    amend.locator("button").click()  # no reason yet: asked beside the field
    expect(page.locator(".field-error")).to_be_visible()
    amend = page.locator(f'form[action="/surat/{old.id}/perubahan"]')
    amend.locator('textarea[name="reason"]').fill("Penerima kedua pindah; diganti")
    amend.locator("button").click()
    expect(page).to_have_url(re.compile(rf"/penyaluran/{match.id}$"))
    expect(page.locator("#amendment")).to_contain_text(old.number)
    page.locator(f'form[action="/penyaluran/{match.id}/submit"] button').click()
    expect(page.locator("main .badge-submitted")).to_be_visible()

    context = browser.new_context(base_url=live_server.url, locale="id-ID")
    context.set_default_timeout(15_000)
    camat = context.new_page()
    log_in(camat, cast.camat.email, TEST_PASSWORD)
    camat.goto("/penyaluran/queue")
    expect(camat.locator("#queue")).to_contain_text(f"Perubahan surat {old.number}")
    expect(camat.locator("#queue")).to_contain_text("Penerima kedua pindah")
    camat.locator(f'#queue a[href="/penyaluran/{match.id}"]').click()
    approve = camat.locator(f'form[action="/penyaluran/{match.id}/approve"]')
    approve.locator('input[name="password"]').fill(TEST_PASSWORD)
    approve.locator("button").click()
    expect(camat.locator("#letter-number")).to_have_text(re.compile(r"/002/CSR-64\.02\.06/"))
    new_number = camat.locator("#letter-number").inner_text()
    context.close()

    page.goto(f"/verifikasi/{old.verification_code}")
    expect(page.locator("main")).to_contain_text("Surat telah diganti.")
    expect(page.locator("#replaced-by")).to_have_text(new_number)
