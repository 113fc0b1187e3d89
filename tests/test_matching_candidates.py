"""The candidates for a match: only eligible people, every one ranked before paging by fit,
the admin's priority order, desa, time since last aid, family and NIK warnings, with the
reasons in words and the flags of the whole page in a bounded number of queries."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from portal.core import settings
from portal.extensions import db as _db
from portal.matching import candidates as cand
from portal.matching.ranking import CandidateFilters
from tests.factories import MatchMemberFactory, desa_of, kecamatan, new_kk
from tests.support.matching import candidate, contribution, match_for
from tests.support.queries import counted
from tests.support.registry import OTHER, aid, person


def _names(match, **filters):
    page = cand.candidates_page(match, CandidateFilters(**filters))
    return [c.recipient.name for c in page.items]


def test_only_validated_unexpired_active_people_of_the_kecamatan(ctx):
    match = match_for()
    candidate("Eligible")
    person(name="Pending")
    candidate("Expired", at=datetime.now(UTC) - timedelta(days=400))
    candidate("Deactivated", active=False, deactivation_reason="moved")
    candidate("Elsewhere", code=OTHER)
    person(name="Rejected", validation_status="rejected")
    assert _names(match) == ["Eligible"]


def test_fit_comes_first_then_the_priority_order(ctx, make_user):
    match = match_for(contribution(groups=("wrse",), sectors=("food",)))
    candidate("A none")
    candidate("B elderly", groups=("elderly",))
    candidate("C disability", groups=("disability",))
    candidate("D wrse", groups=("wrse",))
    candidate("E wrse food", groups=("wrse",), sectors=("food",))
    assert _names(match) == ["E wrse food", "D wrse", "C disability", "B elderly", "A none"]
    settings.put("target_group_priority", "elderly,disability", make_user("admin"))
    assert _names(match)[2:4] == ["B elderly", "C disability"]


def test_desa_then_last_aid_then_family_then_warnings(ctx):
    kec = kecamatan()
    first, second = desa_of(kec), sorted(kec.desas, key=lambda d: d.code)[1]
    match = match_for(desa_id=second.id)
    candidate("Other desa", desa=first)
    old = candidate("Aid long ago", desa=second)
    aid("PKH", date.today() - timedelta(days=900), nik=old.nik)
    recent = candidate("Aid lately", desa=second)
    aid("PKH", date.today() - timedelta(days=30), nik=recent.nik)
    kk = new_kk()
    candidate("Family served", desa=second, kk=kk)
    aid("PKH", date.today() - timedelta(days=1000), kk=kk, nik=None)  # outside the window
    sister = candidate("Sister", desa=second, kk=new_kk())
    aid("FOOD", date.today() - timedelta(days=20), kk=sister.kk, nik=None)
    candidate("Warned", desa=second, warnings="sex_mismatch")
    candidate("Plain", desa=second)
    assert _names(match) == [
        "Family served",
        "Plain",
        "Warned",
        "Sister",
        "Aid long ago",
        "Aid lately",
        "Other desa",
    ]


def test_reasons_in_words(ctx):
    match = match_for(contribution(groups=("wrse",), sectors=("food",)))
    kk = new_kk()
    siti = candidate("Siti", groups=("wrse",), sectors=("food",), kk=kk)
    MatchMemberFactory(match=match, recipient=candidate("Adik", kk=kk))
    page = cand.candidates_page(match, CandidateFilters(name="Siti"))
    (row,) = page.items
    assert row.recipient == siti
    assert row.reasons == [
        "Perempuan rawan sosial ekonomi (WRSE), Kue dan makanan",
        "belum pernah menerima bantuan",
        "satu KK dengan penerima lain",
    ]


def test_people_already_on_the_match_are_not_candidates_and_filters_narrow(ctx):
    match = match_for()
    MatchMemberFactory(match=match, recipient=candidate("On the plan"))
    candidate("Baker", sectors=("food",))
    candidate("Tailor", sectors=("sewing",), groups=("elderly",))
    assert _names(match) == ["Baker", "Tailor"]
    assert _names(match, sector="sewing") == ["Tailor"]
    assert _names(match, target_group="elderly") == ["Tailor"]
    assert _names(match, name="bak") == ["Baker"]
    assert _names(match, desa_id=sorted(kecamatan().desas, key=lambda d: d.code)[1].id) == []


def test_every_candidate_is_ranked_before_paging(ctx):
    match = match_for(contribution(groups=("wrse",)))
    for n in range(cand.PER_PAGE + 3):
        candidate(f"Plain {n:02d}")
    candidate("Zulfa best", groups=("wrse",))  # last by name, first by rank
    page = cand.candidates_page(match, CandidateFilters())
    assert page.total == cand.PER_PAGE + 4 and page.pages == 2
    assert page.items[0].recipient.name == "Zulfa best"
    second = cand.candidates_page(match, CandidateFilters(), number=2)
    assert [c.place for c in second.items] == [26, 27, 28, 29]


def _statements(fn):
    with counted() as seen:
        fn()
    return seen


def _household_with_aid(n):
    kk = new_kk()
    made = candidate(f"Orang {n:02d}", kk=kk, groups=("wrse",))
    aid("EQUIPMENT", date.today() - timedelta(days=40), nik=made.nik, kk=kk)
    aid("PKH", date.today() - timedelta(days=40), kk=kk)
    MatchMemberFactory(match=match_for(), recipient=candidate(f"Kakak {n:02d}", kk=kk))


def _page_statements(match):
    _db.session.commit()
    _db.session.expire_all()
    page = []
    seen = _statements(lambda: page.append(cand.candidates_page(match, CandidateFilters())))
    return page[0], len(seen)


def test_a_page_costs_the_same_queries_whatever_the_number_of_candidates(ctx):
    match = match_for()
    for n in range(3):
        _household_with_aid(n)
    few, cost = _page_statements(match)
    for n in range(3, 60):
        _household_with_aid(n)
    many, cost_many = _page_statements(match)
    assert len(few.items) == 6 and len(many.items) == cand.PER_PAGE
    assert all(c.flagged for c in many.items if c.recipient.name.startswith("Orang"))
    assert cost_many == cost <= 25


def test_the_priority_setting_keeps_the_admins_order_and_refuses_unknown_codes(client, login_as):
    login_as("admin")
    page = client.get("/admin/settings").get_data(as_text=True)
    assert 'value="wrse, disability, elderly, neglected_children"' in page
    base = {
        "lookback_months": "12",
        "validation_months": "12",
        "monitoring_schedule": "1,3,6",
        "approval_wait_days": "7",
    }
    for bad in ("wrse, orang_kaya", "wrse, wrse", ""):
        refused = client.post("/admin/settings", data=base | {"target_group_priority": bad})
        assert 'id="target_group_priority-error"' in refused.get_data(as_text=True)
    saved = client.post("/admin/settings", data=base | {"target_group_priority": "Elderly, wrse"})
    assert saved.status_code == 302
    _db.session.expire_all()
    assert settings.get("target_group_priority") == ["elderly", "wrse"]
