"""An officer imports a recipient list through the real pages."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import func, select

from portal.models import Recipient
from tests.support.browser import log_in
from tests.support.imports import csv_of, people

pytestmark = pytest.mark.browser


def test_officer_uploads_checks_and_confirms_an_import(page: Page, demo_accounts, db, tmp_path):
    rows = people(3)
    rows[1]["nik"] = "6.40216E+15"
    path = tmp_path / "dtks-tenggarong.csv"
    path.write_bytes(csv_of(rows))
    log_in(page, "petugas.tenggarong@sinergi.demo", "petugas-tgr-2025")

    page.goto("/registry/imports/")
    page.locator('a[href="/registry/imports/new"]').click()
    page.locator('input[type="file"]').set_input_files(str(path))
    page.locator('form[enctype="multipart/form-data"] button[type="submit"]').click()

    expect(page.locator("table")).to_contain_text("Warga 0")  # the preview of the first rows
    expect(page.locator('select[name="nik"]')).to_have_value("0")  # "NIK" recognised
    page.locator("form[action$='/mapping'] button[type='submit']").click()

    status = page.locator("#import-status")
    expect(status.locator(".stats .figure").first).to_have_text("2")  # will be added
    expect(status).to_contain_text("notasi ilmiah")  # why the second row is refused
    assert db.session.scalar(select(func.count()).select_from(Recipient)) == 0

    status.locator("form[action$='/confirm'] button").click()
    expect(page.locator("#import-status .badge")).to_have_text("Selesai")
    expect(page.locator('a[href$="/refused.csv"]')).to_be_visible()
    assert db.session.scalar(select(func.count()).select_from(Recipient)) == 2
