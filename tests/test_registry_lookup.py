"""Aid history by NIK and KK, the double-aid rule, duplicates, categories and masking."""

from __future__ import annotations

from datetime import date

import pytest
from flask import render_template_string

from portal.core import settings
from portal.core.refusals import Refusal
from portal.models import AidCategoryPair
from portal.registry import categories as cat_services
from portal.registry import duplicates
from portal.registry.double_aid import double_aid_flags
from portal.registry.lookup import aid_history, lookup
from tests.factories import new_kk, new_nik
from tests.support.registry import OTHER, aid, categories, person

ON = date(2025, 6, 1)


@pytest.fixture()
def family(db):
    """A mother and son on one KK, in the registry."""
    kk = new_kk()
    mother = person(name="Siti Aminah", kk=kk)
    son = person(name="Rahmat", kk=kk, sex="L", born=date(2005, 2, 3))
    return kk, mother, son


# --- lookup ---------------------------------------------------------------------------


def test_lookup_shows_the_person_family_and_their_aid(family):
    kk, mother, son = family
    aid("PKH", date(2025, 1, 10), nik=mother.nik, kk=kk)
    aid("BPNT", date(2024, 11, 1), kk=kk)  # listed by KK only
    aid("EQUIPMENT", date(2024, 8, 1), nik=son.nik, source="PORTAL")
    aid("FOOD", date(2024, 8, 1), nik=new_nik())  # a stranger
    result = lookup(mother.nik)
    assert result.household.person is mother
    assert result.household.family == [son]
    assert [r.category.code for r in result.aid] == ["PKH", "BPNT", "EQUIPMENT"]


def test_lookup_of_someone_not_in_the_registry_finds_family_through_aid_lists(db, family):
    kk, mother, _ = family
    stranger = new_nik()
    aid("BLT-DD", date(2025, 2, 1), nik=stranger, kk=kk)
    result = lookup(stranger)
    assert result.household.person is None
    assert mother in result.household.family
    assert [r.category.code for r in result.aid] == ["BLT-DD"]


def test_lookup_of_a_bad_nik_returns_the_reason_and_no_aid(db):
    result = lookup("6.40216E+15")
    assert not result.check.valid
    assert result.aid == []


def test_aid_history_of_a_person_includes_the_family(family):
    kk, mother, son = family
    aid("PKH", date(2025, 1, 10), recipient=son, nik=son.nik)
    house, records = aid_history(mother)
    assert house.family == [son]
    assert len(records) == 1


# --- double aid -----------------------------------------------------------------------


def test_same_category_within_the_window_is_flagged(family):
    kk, mother, _ = family
    ids = categories()
    aid("EQUIPMENT", date(2024, 12, 1), nik=mother.nik, source="PORTAL")
    [flag] = double_aid_flags(mother.nik, kk, ids["EQUIPMENT"], ON)
    assert flag.same_category and not flag.family


def test_aid_of_a_family_member_is_flagged_as_family(family):
    kk, mother, son = family
    ids = categories()
    aid("EQUIPMENT", date(2024, 12, 1), nik=son.nik)
    [flag] = double_aid_flags(mother.nik, kk, ids["EQUIPMENT"], ON)
    assert flag.family


def test_aid_outside_the_lookback_window_is_not_flagged(family):
    kk, mother, _ = family
    ids = categories()
    aid("EQUIPMENT", date(2024, 5, 31), nik=mother.nik)
    aid("EQUIPMENT", date(2025, 6, 2), nik=mother.nik)  # after the date asked about
    assert double_aid_flags(mother.nik, kk, ids["EQUIPMENT"], ON) == []
    aid("EQUIPMENT", date(2024, 6, 1), nik=mother.nik)  # exactly 12 months before
    assert len(double_aid_flags(mother.nik, kk, ids["EQUIPMENT"], ON)) == 1


def test_the_window_follows_the_lookback_setting(family, make_user):
    kk, mother, _ = family
    ids = categories()
    aid("EQUIPMENT", date(2024, 12, 1), nik=mother.nik)
    settings.put("lookback_months", "3", make_user("admin"))
    assert double_aid_flags(mother.nik, kk, ids["EQUIPMENT"], ON) == []


def test_allowed_pairs_are_not_flagged_other_categories_are(family):
    kk, mother, _ = family
    ids = categories()
    aid("PKH", date(2025, 1, 1), nik=mother.nik)
    # PKH with BPNT is a default allowed pair.
    assert double_aid_flags(mother.nik, kk, ids["BPNT"], ON) == []
    [flag] = double_aid_flags(mother.nik, kk, ids["BLT-DD"], ON)
    assert not flag.same_category


def test_removing_a_pair_makes_it_clash(family, make_user):
    kk, mother, _ = family
    ids = categories()
    aid("PKH", date(2025, 1, 1), nik=mother.nik)
    cat_services.remove_pair(make_user("admin"), ids["PKH"], ids["BPNT"])
    assert len(double_aid_flags(mother.nik, kk, ids["BPNT"], ON)) == 1


def test_flags_work_for_people_known_only_by_kk(db):
    ids = categories()
    kk = new_kk()
    aid("FOOD", date(2025, 3, 1), kk=kk)
    [flag] = double_aid_flags(new_nik(), kk, ids["FOOD"], ON)
    assert flag.family


# --- duplicates -----------------------------------------------------------------------


def test_same_name_and_birth_date_with_different_niks_is_reported(db):
    born = date(1975, 8, 17)
    first = person(name="Siti Aminah", born=born)
    second = person(OTHER, name="siti aminah ", born=born)
    person(name="Siti Aminah", born=date(1976, 1, 1))
    page = duplicates.duplicate_groups("name")
    assert page.total == 1
    [group] = page.items
    assert {p.id for p in group.members} == {first.id, second.id}


def test_one_kk_over_several_kecamatan_is_reported(db):
    kk = new_kk()
    person(kk=kk)
    person(OTHER, kk=kk, name="Rahmat")
    same_kec = new_kk()
    person(kk=same_kec)
    person(kk=same_kec, name="Budi")
    page = duplicates.duplicate_groups("kk")
    assert [g.key for g in page.items] == [kk]
    assert len(page.items[0].members) == 2


def test_duplicates_report_paginates(db):
    for n in range(3):
        born = date(1970, 1, n + 1)
        person(name=f"Kembar {n}", born=born)
        person(OTHER, name=f"Kembar {n}", born=born)
    page = duplicates.duplicate_groups("name", page=2, per_page=2)
    assert page.total == 3 and page.pages == 2 and len(page.items) == 1
    assert page.has_prev and not page.has_next


# --- categories -----------------------------------------------------------------------


def test_admin_adds_renames_and_deactivates_a_category(db, make_user):
    admin = make_user("admin")
    category = cat_services.save_category(admin, None, "sembako kab", "Sembako Kabupaten", "")
    assert category.code == "SEMBAKO-KAB"
    cat_services.save_category(admin, category, "SEMBAKO-KAB", "Sembako Pemkab", "")
    assert category.name == "Sembako Pemkab"
    cat_services.set_category_active(admin, category, False)
    assert not category.active
    with pytest.raises(Refusal):
        cat_services.set_category_active(admin, category, False)


def test_category_codes_are_unique_ignoring_case(db, make_user):
    categories()
    with pytest.raises(Refusal) as refused:
        cat_services.save_category(make_user("admin"), None, "pkh", "Lagi", "")
    assert refused.value.field == "code"


def test_pairs_are_stored_once_in_order(db, make_user):
    admin = make_user("admin")
    ids = categories()
    cat_services.add_pair(admin, ids["FOOD"], ids["ASSISTIVE"])
    low, high = sorted((ids["FOOD"], ids["ASSISTIVE"]))
    assert db.session.get(AidCategoryPair, (low, high))
    with pytest.raises(Refusal):
        cat_services.add_pair(admin, ids["ASSISTIVE"], ids["FOOD"])
    with pytest.raises(Refusal):
        cat_services.add_pair(admin, ids["FOOD"], ids["FOOD"])


def test_only_the_admin_edits_categories(db, make_user):
    with pytest.raises(Refusal):
        cat_services.save_category(make_user("officer"), None, "X", "X", "")


# --- masking --------------------------------------------------------------------------


def test_masked_nik_filter_keeps_first_six_and_last_two(app):
    with app.test_request_context():
        shown = render_template_string("{{ nik|masked_nik }}", nik="6402065405850002")
    assert shown == "640206********02"
