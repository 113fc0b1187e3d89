"""At 360 × 740, with and without JavaScript: the officer opens the overdue visits, records
one (a refused income first, kept and explained beside the field), and sees it recorded."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from portal.models import MonitoringVisit
from tests.browser.conftest import BROWSER
from tests.conftest import TEST_PASSWORD
from tests.support.browser import log_in
from tests.support.monitoring import handed, visits_of
from tests.support.phone import PHONE, layout_problems

pytestmark = BROWSER


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_officer_records_a_visit_on_a_phone(browser, live_server, db, javascript):
    match, cast, entry = handed(people=1, days_ago=40)
    db.session.commit()
    first = visits_of(match)[0]
    context = browser.new_context(
        base_url=live_server.url,
        viewport=PHONE,
        is_mobile=True,
        locale="id-ID",
        java_script_enabled=javascript,
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        log_in(page, cast.officer.email, TEST_PASSWORD)
        expect(page).to_have_url(re.compile(r"/$"))
        page.goto("/pemantauan/")
        assert not layout_problems(page)
        page.locator('#visit-counts a[data-state="overdue"]').click()
        expect(page).to_have_url(re.compile(r"state=overdue"))
        expect(page.locator("tr.visit-row")).to_have_count(1)
        page.locator("tr.visit-row a").click()
        expect(page).to_have_url(re.compile(rf"/pemantauan/{first.id}$"))
        assert not layout_problems(page)

        form = page.locator("#record-visit form")
        form.locator('input[name="visited_on"]').fill(entry.handed_over_on.strftime("%d/%m/%Y"))
        form.locator('input[name="aid_in_use"][value="yes"]').check()
        form.locator('input[name="business_running"][value="no"]').check()
        form.locator('input[name="income_before"]').fill("1.500.000")
        form.locator('input[name="income_after"]').fill("minus seratus")
        form.locator('textarea[name="notes"]').fill(
            "Usaha kue berhenti, oven dipakai untuk keluarga."
        )
        form.locator('button[type="submit"]').click()
        expect(page.locator("#income_after-error")).to_be_visible()
        form = page.locator("#record-visit form")
        expect(form.locator('input[name="income_before"]')).to_have_value("1.500.000")
        expect(form.locator('input[name="aid_in_use"][value="yes"]')).to_be_checked()
        assert not layout_problems(page)

        form.locator('input[name="income_after"]').fill("0")
        form.locator('button[type="submit"]').click()
        expect(page.locator("#visit-state")).to_have_class(re.compile("badge-recorded"))
        expect(page.locator("#record-visit")).to_have_count(0)
    finally:
        context.close()
    db.session.expire_all()
    visit = db.session.get(MonitoringVisit, first.id)
    assert (visit.status, visit.income_before, visit.income_after) == ("recorded", 1_500_000, 0)
    assert visit.business_running is False
