"""Double-aid flags on a match, through the one double-aid rule: own aid, family aid by KK,
another programme's category, an allowed pair (not flagged), and aid planned by submitted
or approved matches (which the NIK lookup and the person page show too), snapshotted on
each member and read again for the whole match in a bounded number of queries."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from portal.core.refusals import Refusal
from portal.extensions import db as _db
from portal.matching.checks import check_ready
from portal.matching.flags import flag_text, flags_of, refresh_flags
from portal.registry.lookup import lookup
from tests.factories import MatchAllocationFactory, MatchMemberFactory, new_kk
from tests.support.matching import candidate, contribution, match_for
from tests.support.queries import counted
from tests.support.registry import aid

RECENT = date.today() - timedelta(days=45)


def _flags(match, person):
    return flags_of(match, [person])[person.id]


def test_own_aid_of_the_same_category_is_flagged_with_what_when_and_where(ctx):
    match = match_for()
    siti = candidate("Siti")
    aid("EQUIPMENT", RECENT, nik=siti.nik, source="UEP", programme="UEP Dinsos 2025")
    (flag,) = _flags(match, siti)
    assert flag["family"] is False and flag["same_category"] is True
    assert flag["date"] == RECENT.isoformat() and flag["programme"] == "UEP Dinsos 2025"
    assert flag["source"] == "UEP" and flag["planned"] is False and flag["category"]
    assert "UEP Dinsos 2025" in flag_text(flag) and str(RECENT.year) in flag_text(flag)


def test_aid_of_someone_on_the_same_kk_is_flagged_as_family(ctx):
    match = match_for()
    kk = new_kk()
    siti = candidate("Siti", kk=kk)
    candidate("Rahmat", kk=kk, sex="L", born=date(2001, 3, 4))
    brother = candidate("Rahmat", kk=kk, sex="L", born=date(2003, 3, 4))
    aid("EQUIPMENT", RECENT, nik=brother.nik, kk=kk)
    (flag,) = _flags(match, siti)
    assert flag["family"] is True and flag["who"] == "Rahmat"
    assert "keluarga: Rahmat" in flag_text(flag)


def test_another_programmes_category_is_flagged_unless_the_pair_is_allowed(ctx):
    match = match_for()  # EQUIPMENT
    siti, budi = candidate("Siti"), candidate("Budi")
    aid("PKH", RECENT, nik=siti.nik)  # EQUIPMENT with PKH: not an allowed pair
    aid("TRAINING", RECENT, nik=budi.nik, source="OTHER")  # EQUIPMENT with TRAINING: allowed
    (flag,) = _flags(match, siti)
    assert flag["same_category"] is False and flag["source"] == "PKH"
    assert _flags(match, budi) == []


def test_aid_outside_the_window_is_not_flagged(ctx):
    match = match_for()
    siti = candidate("Siti")
    aid("EQUIPMENT", date.today() - timedelta(days=500), nik=siti.nik)
    assert _flags(match, siti) == []


@pytest.mark.parametrize(
    "status,flagged", [("draft", False), ("submitted", True), ("approved", True)]
)
def test_a_place_on_a_submitted_or_approved_match_counts_as_aid(ctx, status, flagged):
    other = match_for(contribution(title="Paket oven"), status=status)
    item = other.contribution.items[0]
    siti = MatchAllocationFactory(member__match=other, item=item).member.recipient
    match = match_for()
    found = _flags(match, siti)
    assert bool(found) is flagged
    if flagged:
        (flag,) = found
        assert flag["planned"] is True and flag["family"] is False
        assert "Paket oven" in flag["programme"]
        assert other.contribution.company.name in flag["programme"]
        assert "direncanakan" in flag_text(flag)


def test_a_replaced_member_and_the_match_itself_do_not_count(ctx):
    match = match_for(status="submitted")
    member = MatchMemberFactory(match=match)
    assert _flags(match, member.recipient) == [], "a match does not flag its own people"
    other = match_for()
    assert _flags(other, member.recipient) != []
    member.status = "replaced"
    _db.session.flush()
    assert _flags(other, member.recipient) == []


def test_planned_aid_shows_on_the_nik_lookup_and_the_person_page(client, login_as):
    made = contribution(title="Paket oven")
    other = match_for(made, status="submitted")
    siti = MatchAllocationFactory(member__match=other, item=made.items[0]).member.recipient
    _db.session.commit()
    result = lookup(siti.nik)
    (planned,) = [a for a in result.aid if getattr(a, "planned", False)]
    assert planned.match_id == other.id and "Paket oven" in planned.programme
    login_as("officer")
    page = client.get(f"/registry/recipients/{siti.id}").get_data(as_text=True)
    assert "direncanakan" in page and "Paket oven" in page
    found = client.post("/registry/lookup", data={"nik": siti.nik}).get_data(as_text=True)
    assert "direncanakan" in found and made.company.name in found


def _statements(fn) -> int:
    with counted() as seen:
        fn()
    return len(seen)


def _with_members(match, count):
    for _ in range(count):
        kk = new_kk()
        member = MatchMemberFactory(match=match, recipient=candidate("Orang", kk=kk))
        aid("EQUIPMENT", RECENT, nik=member.recipient.nik, kk=kk)
        aid("PKH", RECENT, kk=kk)
    _db.session.commit()
    _db.session.expire_all()


def test_refresh_flags_stores_every_members_flags_in_bounded_queries(ctx):
    few, many = match_for(), match_for()
    _with_members(few, 2)
    _with_members(many, 30)
    cost_few = _statements(lambda: refresh_flags(few))
    _db.session.flush()  # the few's new flags, so the next count holds only its own
    cost_many = _statements(lambda: refresh_flags(many))
    assert cost_many == cost_few
    assert all(len(m.flags) == 2 for m in many.active_members)


def test_check_ready_asks_for_the_reason_of_a_flagged_member(ctx):
    match = match_for()
    _with_members(match, 1)
    refresh_flags(match)
    with pytest.raises(Refusal):
        check_ready(match)
    match.active_members[0].flag_reason = "Usaha berbeda dari bantuan sebelumnya"
    check_ready(match)
