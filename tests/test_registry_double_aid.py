"""The double-aid rule tells the person's own aid from their family's: aid linked to the
person's record counts as their own even when the list spelled the NIK otherwise."""

from __future__ import annotations

from datetime import date

from portal.registry.double_aid import double_aid_flags
from tests.factories import new_kk, new_nik
from tests.support.registry import aid, categories, person

ON = date(2025, 6, 1)


def test_aid_linked_to_the_persons_record_is_their_own(db):
    kk = new_kk()
    mother = person(name="Siti Aminah", kk=kk)
    ids = categories()
    # A portal handover linked by record only, and one whose list carried a mistyped NIK.
    aid("EQUIPMENT", date(2024, 12, 1), recipient=mother, source="PORTAL")
    aid("EQUIPMENT", date(2025, 1, 5), recipient=mother, nik=new_nik(), kk=kk)
    flags = double_aid_flags(mother.nik, kk, ids["EQUIPMENT"], ON)
    assert len(flags) == 2
    assert [flag.family for flag in flags] == [False, False]
    assert all(flag.same_category for flag in flags)


def test_aid_linked_to_a_family_members_record_is_family(db):
    kk = new_kk()
    mother = person(name="Siti Aminah", kk=kk)
    son = person(name="Rahmat", kk=kk, sex="L", born=date(2005, 2, 3))
    ids = categories()
    aid("EQUIPMENT", date(2024, 12, 1), recipient=son, source="PORTAL")
    [flag] = double_aid_flags(mother.nik, kk, ids["EQUIPMENT"], ON)
    assert flag.family
