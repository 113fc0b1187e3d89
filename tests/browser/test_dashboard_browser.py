"""The partner's and the officer's dashboards in Chromium: readable at a phone's width
(no sideways scroll, chart labels at a legible size), still drawn when printed, and a
bar opens the list behind it. With DOCS_SCREENSHOT=1 the phone shot is saved as the
README's picture (docs/dashboard-partner-phone.png)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import BROWSER
from tests.factories import PASSWORD
from tests.support.browser import log_in
from tests.support.dashboards import make_world

pytestmark = BROWSER
PHONE = {"width": 360, "height": 780}
DOCS = Path(__file__).resolve().parents[2] / "docs" / "dashboard-partner-phone.png"
SHOT = Path("/tmp/sinergi-dashboard-partner-phone.png")


@pytest.fixture()
def world(app, db):
    with app.test_request_context():
        made = make_world()
    db.session.commit()
    return made


@pytest.mark.parametrize("role", ["partner", "officer"])
def test_the_dashboard_reads_on_a_phone_and_in_print(browser, live_server, world, role):
    context = browser.new_context(
        base_url=live_server.url, viewport=PHONE, is_mobile=True, device_scale_factor=1
    )
    context.set_default_timeout(5000)
    page = context.new_page()
    try:
        log_in(page, getattr(world, role).email, PASSWORD)
        dashboard = page.locator("#dashboard")
        expect(dashboard.locator("svg.bar-chart").first).to_be_visible()
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, "the dashboard scrolls sideways on a phone"
        label = dashboard.locator("svg.bar-chart .chart-label").first
        assert label.bounding_box()["height"] >= 10, "chart labels too small to read"
        if role == "partner":
            page.screenshot(path=str(SHOT), clip=_clip(page), full_page=True)
            if os.environ.get("DOCS_SCREENSHOT"):
                DOCS.write_bytes(SHOT.read_bytes())
        page.emulate_media(media="print")
        expect(dashboard.locator("svg.bar-chart").first).to_be_visible()
        page.emulate_media(media="screen")
        dashboard.locator("svg.bar-chart a .chart-label").first.click()
        expect(page).to_have_url(re.compile(r"/(dasbor/penerima|contributions/)"))
    finally:
        context.close()


def _clip(page) -> dict:
    """The dashboard section, at most two screens tall."""
    box = page.locator("#dashboard").bounding_box()
    return {"x": 0, "y": box["y"], "width": PHONE["width"], "height": min(box["height"], 1500)}
