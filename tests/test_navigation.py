"""The navigation bar shows each role exactly the pages its views admit, and every link
it shows opens for that role."""

from __future__ import annotations

import re

import pytest

from portal.core.nav import ENTRIES

HOME = "/"
# What each role finds in the bar, by path; the admin's pages sit under one menu.
EXPECTED = {
    "partner": {
        HOME,
        "/contributions/",
        "/penyaluran/",
        "/surat",
        "/partners/company",
        "/laporan/dampak",
    },
    "village": {HOME, "/registry/recipients", "/registry/proposals", "/registry/imports/"},
    "officer": {
        HOME,
        "/registry/recipients",
        "/registry/proposals",
        "/contributions/",
        "/penyaluran/",
        "/surat",
        "/pemantauan/",
        "/registry/imports/",
        "/laporan/evaluasi",
    },
    "camat": {
        HOME,
        "/registry/recipients",
        "/contributions/",
        "/penyaluran/",
        "/penyaluran/queue",
        "/surat",
        "/pemantauan/",
        "/laporan/evaluasi",
    },
    "admin": {
        HOME,
        "/dasbor/",
        "/registry/recipients",
        "/contributions/",
        "/penyaluran/",
        "/penyaluran/queue",
        "/surat",
        "/pemantauan/",
        "/registry/imports/",
        "/laporan/evaluasi",
        "/laporan/dampak",
        "/admin/companies/pending",
        "/admin/companies",
        "/admin/users",
        "/admin/categories",
        "/admin/duplicates",
        "/registry/imports/conflicts",
        "/jobs/",
        "/admin/settings",
    },
}


# Open to every user (their own jobs, reached from each job's link) but listed in the
# bar only under the admin's menu.
OPEN_BUT_NOT_LISTED = {"/jobs/"}


def nav_links(page: str) -> set[str]:
    bar = re.search(r'<ul class="nav-links">(.*?)<details class="dropdown user-menu">', page, re.S)
    assert bar, "no navigation bar on the page"
    links = set(re.findall(r'<a href="([^"]+)"', bar.group(1)))
    return links - {"/notifications"}  # the unread badge, every user's


@pytest.mark.parametrize("role", sorted(EXPECTED))
def test_each_role_sees_exactly_its_pages(client, login_as, role):
    login_as(role)
    assert nav_links(client.get(HOME).get_data(as_text=True)) == EXPECTED[role]


@pytest.mark.parametrize("role", sorted(EXPECTED))
def test_every_link_shown_opens_and_every_other_entry_is_refused(app, client, login_as, role):
    login_as(role)
    shown = nav_links(client.get(HOME).get_data(as_text=True))
    with app.test_request_context():
        from flask import url_for

        every_entry = {url_for(endpoint) for endpoint, _, _ in ENTRIES}
    for path in sorted(every_entry):
        status = client.get(path).status_code
        if path in shown or path in OPEN_BUT_NOT_LISTED:
            assert status == 200, (role, path, status)
        else:
            assert status == 403, (role, path, status)


def test_an_anonymous_visitor_gets_no_navigation(client):
    page = client.get("/login").get_data(as_text=True)
    assert 'class="nav-links"' not in page
