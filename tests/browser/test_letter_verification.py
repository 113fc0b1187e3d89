"""A letter's QR code opens its public verification page in a browser, without login, and
the letter uploaded there is recognised as authentic (a changed copy is not)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from portal.letters.services import issue_letter
from tests.browser.conftest import BROWSER
from tests.support.letters import ARTIFACTS, approved_match, page_images, qr_codes

pytestmark = BROWSER
NUMBER = "400.9/009/CSR-64.02.06/V/2025"


@pytest.fixture()
def letter_file(app, db, live_server, monkeypatch, tmp_path):
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", live_server.url)
    letter = issue_letter(approved_match(2), NUMBER)
    db.session.commit()
    path = tmp_path / "bast.pdf"
    path.write_bytes(letter.pdf)
    return letter, path


def test_the_qr_code_opens_the_page_that_recognises_the_letter(page: Page, letter_file, tmp_path):
    letter, path = letter_file
    first_page = page_images(letter.pdf, tmp_path, stem="qr", dpi=150)[0]
    (address,) = qr_codes(first_page)
    assert address.endswith(f"/verifikasi/{letter.verification_code}")
    page.goto(address)
    expect(page.locator("main")).to_contain_text(NUMBER)
    expect(page.locator("main")).to_contain_text("Surat sah.")
    page.set_input_files('input[name="file"]', str(path))
    page.get_by_role("button", name="Periksa berkas").click()
    expect(page.locator("#check-file")).to_contain_text("Berkas ini sama persis")
    page.screenshot(path=str(ARTIFACTS / "verification-page.png"), full_page=True)

    changed = bytearray(letter.pdf)
    changed[len(changed) // 2] ^= 0x01
    copy = tmp_path / "salinan.pdf"
    copy.write_bytes(bytes(changed))
    page.set_input_files('input[name="file"]', str(copy))
    page.get_by_role("button", name="Periksa berkas").click()
    expect(page.locator("#check-file")).to_contain_text("Bukan surat yang asli.")
