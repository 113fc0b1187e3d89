"""Each role's home page is its dashboard: the partner's and the kecamatan's figures
against a hand-counted world (tests/support/dashboards.py), each number a link to a list
with exactly that many rows, a bounded number of queries, and no personal data for
partners."""

from __future__ import annotations

import re

import pytest

from portal.core.dates import local_today
from portal.dashboards import figures
from portal.extensions import db
from portal.matching import lists as matching_lists
from portal.models import Kecamatan, Recipient
from tests.support.dashboards import EXPECTED, TENGGARONG, make_world
from tests.support.handover import approved, handed_over
from tests.support.queries import counted


@pytest.fixture()
def world(app, db):
    with app.test_request_context():  # the handovers' notifications build links
        made = make_world()
    db.session.commit()
    return made


def _code_of(kecamatan_id: int) -> str:
    return db.session.get(Kecamatan, kecamatan_id).code


def test_the_partners_figures_match_the_hand_count(world):
    user = world.partner
    assert figures.reached(user) == EXPECTED["partner_reached"]
    by_kecamatan = {_code_of(r.key): r.count for r in figures.reached_by_kecamatan(user)}
    assert by_kecamatan == EXPECTED["partner_by_kecamatan"]
    assert {r.key: r.count for r in figures.reached_by_group(user)} == EXPECTED["partner_by_group"]
    assert sum(r.count for r in figures.reached_by_desa(user)) == 4
    visits = {v.months: (v.recorded, v.in_use, v.running) for v in figures.visit_results(user)}
    assert visits == EXPECTED["partner_visits"]
    assert figures.reached(world.other_partner) == (0, 0)


def test_the_kecamatans_figures_match_the_hand_count(world):
    today = local_today()
    for user in (world.officer, world.camat):
        assert figures.reached(user)[0] == EXPECTED["officer_reached"]
        assert figures.visits_open(user, today) == EXPECTED["officer_visits_open"]
        assert figures.handovers_in_month(user, today) == EXPECTED["officer_handovers_this_month"]
        assert matching_lists.count_waiting(user) == EXPECTED["officer_waiting"]
        assert figures.kept_flags(user) == EXPECTED["officer_kept_flags"]
    assert figures.visits_open(world.other_officer, today) == (1, 0)
    assert figures.kept_flags(world.other_officer) == 1


# --- every number a link to a list of that many rows ---------------------------------

STAT = re.compile(r'<a class="stat" href="([^"]+)"><span class="figure">(\d+)</span>')
BAR = re.compile(r'<a href="([^"]+)">\s*<g(?:(?!</a>).)*?class="chart-value">(\d+)<', re.S)
CELL = re.compile(r'<a href="([^"]+)">(\d+)</a>')


def dashboard_links(page: str) -> list[tuple[str, int]]:
    """(link, number) of every count on the page's dashboard section."""
    section = page.split('id="dashboard"', 1)[1]
    found = STAT.findall(section) + BAR.findall(section) + CELL.findall(section)
    return [(url.replace("&amp;", "&"), int(n)) for url, n in found]


def rows_listed(client, url: str) -> int:
    page = client.get(url)
    assert page.status_code == 200, url
    text = page.get_data(as_text=True)
    body = re.split(r'id="[a-z-]*results"', text, maxsplit=1)[1]
    body = body.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    rows = body.count("<tr")
    return rows - 1 if 'class="muted"' in body and "colspan" in body else rows


@pytest.mark.parametrize("role", ["partner", "officer", "camat", "admin"])
def test_each_number_opens_a_list_with_that_many_rows(client, auth, world, role):
    auth.login(getattr(world, role))
    page = client.get("/").get_data(as_text=True)
    links = dashboard_links(page)
    assert len(links) >= 8 and any(n > 0 for _, n in links)
    for url, number in links:
        assert rows_listed(client, url) == number, url


def test_the_kecamatan_dashboard_shows_the_hand_count(client, auth, world, english):
    auth.login(world.officer)
    page = client.get("/").get_data(as_text=True)
    stats = dict(dashboard_links(page))
    month = local_today().strftime("%Y-%m")
    assert stats[f"/penyaluran/?handed={month}"] == EXPECTED["officer_handovers_this_month"]
    assert stats["/dasbor/kunjungan?when=overdue"] == 1
    assert stats["/dasbor/kunjungan?when=soon"] == 1
    assert stats["/penyaluran/?status=submitted"] == EXPECTED["officer_waiting"]
    assert stats["/dasbor/tanda"] == EXPECTED["officer_kept_flags"]
    assert stats["/dasbor/penerima"] == EXPECTED["officer_reached"]
    assert "Usaha berbeda, alat rusak" in client.get("/dasbor/tanda").get_data(as_text=True)


# --- bounded queries -----------------------------------------------------------------


def _more_data(world) -> None:
    """Another handover of the partner's in Tenggarong, with two more people."""
    more = approved(people=2, company=world.company)
    handed_over(more)
    db.session.commit()


@pytest.mark.parametrize("role", ["partner", "officer", "camat", "admin"])
def test_each_dashboard_costs_the_same_queries_for_more_data(client, auth, world, role):
    auth.login(getattr(world, role))
    client.get("/")
    with counted() as few:
        assert client.get("/").status_code == 200
    _more_data(world)
    with counted() as many:
        assert client.get("/").status_code == 200
    assert len(many) == len(few), (len(few), len(many))
    assert len(few) <= 40


# --- personal data and access ---------------------------------------------------------


def test_partners_never_see_nik_kk_birth_date_or_address(client, auth, world):
    auth.login(world.partner)
    people = db.session.scalars(db.select(Recipient)).all()
    for url in ("/", "/dasbor/penerima", "/dasbor/kunjungan", "/dasbor/tanda"):
        page = client.get(url).get_data(as_text=True)
        for person in people:
            assert person.nik not in page, url
            assert person.kk not in page if person.kk else True
            assert person.address not in page if person.address else True
            assert person.birth_date.strftime("%d/%m/%Y") not in page
            assert person.birth_date.isoformat() not in page


LISTS = ("/dasbor/penerima", "/dasbor/kunjungan", "/dasbor/tanda")


@pytest.mark.parametrize("url", LISTS)
def test_who_may_open_the_lists_behind_the_figures(client, auth, make_user, url):
    assert client.get(url).status_code == 302  # anonymous: to the login page
    for role, status in (("village", 403), ("officer", 200), ("camat", 200), ("partner", 200)):
        auth.login(make_user(role))
        assert client.get(url).status_code == status, role
        auth.logout()
    auth.login(make_user("admin"))
    assert client.get(url).status_code == 200


def test_the_lists_show_only_the_users_scope(client, auth, world):
    served_here = {
        r.name for r in db.session.scalars(db.select(Recipient)) if r.kecamatan.code == TENGGARONG
    }
    assert served_here
    for user, rows in (
        (world.other_officer, 2),  # Kembang Janggut: B's two
        (world.other_partner, 0),  # another company: nobody
        (world.partner, 4),
    ):
        auth.login(user)
        assert rows_listed(client, "/dasbor/penerima") == rows
        auth.logout()
    auth.login(world.other_officer)
    page = client.get("/dasbor/tanda").get_data(as_text=True)
    assert "Disetujui Dinsos" in page and "Usaha berbeda" not in page


def test_a_bad_filter_is_ignored_never_an_error(client, auth, world):
    auth.login(world.officer)
    for url in (
        "/dasbor/penerima?desa=abc&group=nope&month=2026-99&kecamatan=-1",
        "/dasbor/kunjungan?when=yesterday&months=x&in_use=maybe&page=-1",
        "/dasbor/tanda?desa=999999999999999999999",
        "/penyaluran/?handed=1999-01",
    ):
        assert client.get(url).status_code == 200, url


def test_the_plans_list_filters_by_month_of_handover(client, auth, world):
    auth.login(world.officer)
    month = local_today().strftime("%Y-%m")
    page = client.get(f"/penyaluran/?handed={month}").get_data(as_text=True)
    assert rows_listed(client, f"/penyaluran/?handed={month}") == 1
    assert 'name="handed"' in page  # shown in the list's filter form
