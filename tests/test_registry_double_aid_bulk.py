"""The double-aid rule for many people at once (what matching calls) gives each person
exactly the flags the one-person check gives, in a number of queries that does not grow
with the number of people."""

from __future__ import annotations

from datetime import date

import pytest

from portal.core import settings
from portal.registry.double_aid import double_aid_flags, flags_for_many, window_start
from tests.factories import new_kk, new_nik
from tests.support.queries import counted
from tests.support.registry import aid, categories, person

ON = date(2025, 6, 1)


@pytest.fixture()
def town(db):
    """Households whose aid reaches them every way the rule knows: by NIK, by KK, by a
    link to the record, by a family member, inside and outside the window."""
    kk_one, kk_two, kk_listed = new_kk(), new_kk(), new_kk()
    mother = person(name="Siti Aminah", kk=kk_one)
    son = person(name="Rahmat", kk=kk_one, sex="L", born=date(2005, 2, 3))
    father = person(name="Budi Santoso", kk=kk_two, sex="L", born=date(1975, 7, 1))
    loner = person(name="Yohana")  # no KK, no aid
    stranger = new_nik()  # not in the registry; a programme's list knows their KK
    aid("EQUIPMENT", date(2024, 12, 1), nik=mother.nik, source="PORTAL")
    aid("PKH", date(2025, 1, 10), nik=son.nik, kk=kk_one)
    aid("BPNT", date(2024, 11, 1), kk=kk_one)  # listed by KK only
    aid("EQUIPMENT", date(2025, 1, 5), recipient=father, nik=new_nik(), kk=kk_two)
    aid("FOOD", date(2024, 5, 31), nik=father.nik)  # before the window
    aid("FOOD", date(2025, 6, 2), nik=father.nik)  # after the date asked about
    aid("BLT-DD", date(2025, 2, 1), nik=stranger, kk=kk_listed)
    aid("FOOD", date(2025, 3, 1), kk=kk_listed)
    return [
        (mother.nik, kk_one),
        (son.nik, None),
        (father.nik, kk_two),
        (loner.nik, None),
        (stranger, None),
        (new_nik(), kk_listed),  # known to nobody but shares the listed KK
    ]


@pytest.mark.parametrize("code", ["EQUIPMENT", "PKH", "BPNT", "FOOD", "BLT-DD", "TRAINING"])
def test_bulk_flags_equal_the_one_person_flags(town, code):
    category_id = categories()[code]
    many = flags_for_many(town, category_id, ON)
    assert any(many.values()), "the scene flags someone for every category"
    assert many == {nik: double_aid_flags(nik, kk, category_id, ON) for nik, kk in town}


def test_bulk_flags_follow_the_window_setting_and_the_pairs(town, make_user):
    ids = categories()
    settings.put("lookback_months", "3", make_user("admin"))
    many = flags_for_many(town, ids["PKH"], ON)
    assert many == {nik: double_aid_flags(nik, kk, ids["PKH"], ON) for nik, kk in town}
    assert window_start(ON) == date(2025, 3, 1)
    mother_nik = town[0][0]
    # Everything her household received is older than three months.
    assert many[mother_nik] == []


def test_bulk_flags_are_keyed_by_the_cleaned_nik(town):
    ids = categories()
    nik, kk = town[0]
    typed = f"'{nik[:6]} {nik[6:]}"
    assert flags_for_many([(typed, kk)], ids["EQUIPMENT"], ON) == {
        nik: double_aid_flags(nik, kk, ids["EQUIPMENT"], ON)
    }


def test_bulk_flags_cost_the_same_queries_for_many_people(town):
    ids = categories()
    with counted() as statements:
        flags_for_many(town[:1], ids["FOOD"], ON)
        one = len(statements)
        statements.clear()
        flags_for_many(town, ids["FOOD"], ON)
        many = len(statements)
    assert many <= one


def test_nobody_asked_about_gives_no_flags(db):
    assert flags_for_many([], categories()["FOOD"], ON) == {}
