"""On a phone, the kecamatan officer opens an approved match, records its handover with one
recipient absent and a photo, and sees the match handed over with the photo's thumbnail."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.browser.conftest import BROWSER
from tests.conftest import TEST_PASSWORD
from tests.support.browser import log_in
from tests.support.handover import approved
from tests.support.handover_pages import image_bytes
from tests.support.matching import cast_for
from tests.support.phone import PHONE, layout_problems

pytestmark = BROWSER


def test_officer_records_a_handover_with_an_absent_recipient_and_a_photo(browser, live_server, db):
    match = approved(people=2)
    cast = cast_for(match.contribution)
    absent = match.active_members[1].recipient.name = "Rina Wulandari"
    db.session.commit()
    context = browser.new_context(
        base_url=live_server.url, viewport=PHONE, locale="id-ID", is_mobile=True
    )
    context.set_default_timeout(15_000)
    page: Page = context.new_page()
    try:
        log_in(page, cast.officer.email, TEST_PASSWORD)
        expect(page).to_have_url(re.compile(r"/$"))
        page.goto(f"/penyaluran/{match.id}")
        page.locator("#record-handover").click()
        expect(page).to_have_url(re.compile(rf"/serah-terima/{match.id}/catat$"))
        assert layout_problems(page) == []
        page.locator('input[name="place"]').fill("Balai Desa Loa Ipuh")
        page.locator('select[name="members-1-outcome"]').select_option("absent")
        page.locator('input[name="photos-0-file"]').set_input_files(
            {"name": "serah.jpg", "mimeType": "image/jpeg", "buffer": image_bytes(size=(640, 480))}
        )
        page.locator('input[name="photos-0-caption"]').fill("Penyerahan oven")
        page.locator('input[name="photos-0-shareable"]').check()
        page.get_by_role("button", name="Catat serah terima").click()

        expect(page).to_have_url(re.compile(rf"/penyaluran/{match.id}$"))
        expect(page.locator("main .badge-handed_over")).to_be_visible()
        section = page.locator("#handover")
        expect(section).to_contain_text("Balai Desa Loa Ipuh")
        expect(section.locator("tr", has_text=absent)).to_contain_text("Tidak hadir")
        thumbnail = section.locator(".photo-grid img")
        expect(thumbnail).to_have_attribute("alt", "Penyerahan oven")
        thumbnail.scroll_into_view_if_needed()
        page.wait_for_function(
            "img => img.complete && img.naturalWidth > 0", arg=thumbnail.element_handle()
        )
        assert layout_problems(page) == []
        for follow_up in ("berkas", "koreksi"):  # the pages the section links to fit too
            page.goto(f"/serah-terima/{match.id}/{follow_up}")
            assert layout_problems(page) == [], follow_up
    finally:
        context.close()
