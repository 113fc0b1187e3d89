"""The regency dashboard: figures computed in SQL against hand-made fixtures, a bounded
number of queries, and each bar a link to a list with exactly that many rows."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from portal.core.codes import set_codes
from portal.dashboards import queries
from portal.extensions import db
from tests.factories import (
    AidRecordFactory,
    ContributionFactory,
    ContributionItemFactory,
    RecipientFactory,
    kecamatan,
)
from tests.support.queries import counted

SENT = datetime(2026, 11, 3, 2, 0, tzinfo=UTC)


def _fixtures():
    tgr, kj = kecamatan("64.02.06"), kecamatan("64.02.10")
    a = ContributionFactory(status="accepted", kecamatan=tgr, submitted_at=SENT)
    ContributionItemFactory(contribution=a, quantity=2, unit_value=1_000_000)
    b = ContributionFactory(status="submitted", kecamatan=tgr, submitted_at=SENT)
    ContributionItemFactory(contribution=b, quantity=1, unit_value=500_000)
    c = ContributionFactory(status="accepted", kecamatan=kj, submitted_at=SENT)
    ContributionFactory(status="draft", kecamatan=kj)  # not sent in: counts nowhere
    ContributionFactory(status="split", kecamatan=None, submitted_at=SENT)  # its parts count
    db.session.flush()
    set_codes(a, ["wrse"], ["food"])
    set_codes(c, ["wrse", "disability"], [])
    served = RecipientFactory(validation_status="validated", validated_at=SENT)
    RecipientFactory(validation_status="validated", validated_at=SENT)
    RecipientFactory(validation_status="pending")
    AidRecordFactory(
        recipient_id=served.id,
        nik=served.nik,
        source="PORTAL",
        category_code="EQUIPMENT",
        contribution_id=a.id,
    )
    db.session.commit()
    return tgr, kj


def test_figures_match_the_fixtures(ctx, make_user):
    admin = make_user("admin")
    tgr, kj = _fixtures()
    by_kecamatan = {r.key: (r.count, r.value) for r in queries.by_kecamatan()}
    assert by_kecamatan == {tgr.id: (2, 2_500_000), kj.id: (1, 0)}
    assert {r.key: r.count for r in queries.by_status()} == {"accepted": 2, "submitted": 1}
    assert {r.key: r.count for r in queries.by_target_group()} == {"wrse": 2, "disability": 1}
    assert {r.key: r.count for r in queries.by_sector()} == {"food": 1}
    months = queries.by_month(today=SENT.date())
    assert len(months) == 12 and months[-1].key == "2026-11" and months[-1].count == 3
    assert sum(r.count for r in months) == 3
    cover = {c.kecamatan_id: (c.validated, c.served, c.percent) for c in queries.coverage(admin)}
    assert cover[tgr.id] == (2, 1, 50)


def _rows_in_list(client, url) -> int:
    page = client.get(url).get_data(as_text=True)
    body = page.split('id="contribution-results"', 1)[1].split("<tbody>", 1)[1]
    body = body.split("</tbody>", 1)[0]
    return body.count("<tr") - ('class="muted"' in body and "colspan" in body)


def test_each_bar_links_to_a_list_with_that_many_rows(client, login_as, english):
    login_as("admin")
    _fixtures()
    page = client.get("/dasbor/").get_data(as_text=True)
    bars = re.findall(r'<a href="(/contributions/\?[^"]+)">(.*?)</a>', page, re.S)
    links = [
        (url, m.group(1))
        for url, inner in bars
        if (m := re.search(r'class="chart-value">(\d+)<', inner))  # counts, not Rupiah
    ]
    assert len(links) >= 8
    for url, figure in links:
        url = url.replace("&amp;", "&")
        assert _rows_in_list(client, url) == int(figure), url


def test_the_dashboard_runs_a_bounded_number_of_queries(client, login_as):
    login_as("admin")
    _fixtures()
    for _ in range(5):
        ContributionFactory(status="accepted", kecamatan=kecamatan("64.02.01"), submitted_at=SENT)
    db.session.commit()
    with counted() as statements:
        assert client.get("/dasbor/").status_code == 200
    assert len(statements) <= 20


def test_only_the_admin_opens_the_regency_dashboard(client, login_as):
    login_as("officer")
    assert client.get("/dasbor/").status_code == 403


def test_joined_rows_count_each_person_and_contribution_once(ctx, make_user):
    """The figures join items, codes and aid records directly: a contribution with two
    items and two target groups, and a person with two target groups served twice,
    still count once each, with the contribution's value whole in each of its groups."""
    from portal.dashboards import figures

    admin = make_user("admin")
    tgr = kecamatan("64.02.06")
    gift = ContributionFactory(status="accepted", kecamatan=tgr, submitted_at=SENT)
    ContributionItemFactory(contribution=gift, quantity=2, unit_value=100_000)
    ContributionItemFactory(contribution=gift, quantity=3, unit_value=10_000)
    person = RecipientFactory(validation_status="validated", validated_at=SENT, kecamatan=tgr)
    db.session.flush()
    set_codes(gift, ["wrse", "elderly"], [])
    set_codes(person, ["wrse", "disability"], [])
    for _ in range(2):
        AidRecordFactory(
            recipient_id=person.id,
            nik=person.nik,
            source="PORTAL",
            category_code="EQUIPMENT",
            contribution_id=gift.id,
        )
    db.session.commit()
    assert [(r.key, r.count, r.value) for r in queries.by_kecamatan()] == [(tgr.id, 1, 230_000)]
    groups = {r.key: (r.count, r.value) for r in queries.by_target_group()}
    assert groups == {"wrse": (1, 230_000), "elderly": (1, 230_000)}
    assert queries.by_month(today=SENT.date())[-1].value == 230_000
    assert {r.key: r.count for r in figures.reached_by_group(admin)} == {
        "wrse": 1,
        "disability": 1,
    }
    assert [(r.key, r.count) for r in figures.reached_by_kecamatan(admin)] == [(tgr.id, 1)]
    assert [(c.validated, c.served) for c in queries.coverage(admin)] == [(1, 1)]
