"""NIK and KK checks (DESIGN section 4), masking and the synthetic generator."""

import random
from datetime import date

import pytest

from portal.core.nik import (
    NikCheck,
    SyntheticIds,
    check_kk,
    check_nik,
    mask_nik,
    synthetic_kk,
    synthetic_nik,
)

TODAY = date(2025, 6, 1)
# Tenggarong (64.02.06), a man born 14 May 1985, serial 0001.
MAN = "6402061405850001"
# The same birth date for a woman: day 14 + 40 = 54.
WOMAN = "6402065405850002"


def check(value, **kwargs) -> NikCheck:
    return check_nik(value, today=TODAY, **kwargs)


def messages(items) -> list[str]:
    return [str(item) for item in items]


def test_valid_nik_reads_region_birth_date_and_sex():
    result = check(MAN)
    assert result.valid
    assert result.errors == () and result.warnings == ()
    assert result.birth_date == date(1985, 5, 14)
    assert result.sex == "L"
    assert (result.province, result.regency, result.kecamatan) == ("64", "64.02", "64.02.06")


def test_women_have_forty_added_to_the_day():
    result = check(WOMAN)
    assert result.valid
    assert result.sex == "P"
    assert result.birth_date == date(1985, 5, 14)


def test_surrounding_spaces_are_ignored():
    assert check(f"  {MAN} ").valid


@pytest.mark.parametrize("value", ["", "640206140585000", "64020614058500011", "6402"])
def test_nik_needs_sixteen_digits(value):
    result = check(value)
    assert not result.valid
    assert "A NIK has 16 digits." in messages(result.errors)


@pytest.mark.parametrize("value", ["64020614O5850001", "6402 06140585001", "64.02.0614058500"])
def test_nik_with_other_characters_is_refused(value):
    result = check(value)
    assert not result.valid
    assert "A NIK has only digits." in messages(result.errors)
    assert result.birth_date is None


@pytest.mark.parametrize(
    "value",
    [
        "6402063102850001",  # 31 February
        "6402067202850001",  # a woman's day 72 is day 32
        "6402063505850001",  # day 35: neither a man's nor a woman's day
        "6402061413850001",  # month 13
        "6402060005850001",  # day 0
        "6402062902010001",  # 29 February 2001 (and 1901) did not happen
    ],
)
def test_impossible_birth_date_is_refused(value):
    result = check(value)
    assert not result.valid
    assert "The birth date in the NIK (digits 7 to 12) is not a real date." in messages(
        result.errors
    )


def test_leap_day_in_a_leap_year_is_accepted():
    assert check("6402066902000001").birth_date == date(2000, 2, 29)


def test_serial_0000_is_refused():
    result = check("6402061405850000")
    assert not result.valid
    assert "The last four digits of a NIK cannot be 0000." in messages(result.errors)


@pytest.mark.parametrize("province", ["00", "10", "20", "39", "66", "99"])
def test_unknown_province_is_refused(province):
    result = check(province + MAN[2:])
    assert not result.valid
    assert "The NIK does not start with a province code." in messages(result.errors)


def test_historical_province_is_accepted():
    """Timor Timur (54) no longer exists, but NIKs issued there keep the code."""
    result = check("5401011405750001")
    assert result.valid
    assert result.province == "54"


def test_region_outside_kukar_is_only_a_warning():
    result = check("6471011405850001")  # Balikpapan
    assert result.valid
    assert messages(result.warnings) == [
        "This NIK was issued outside Kutai Kartanegara (region 64.71)."
    ]


@pytest.mark.parametrize(
    ("value", "born"),
    [
        ("6402060101240001", date(2024, 1, 1)),  # a baby, not 101 years old
        ("6402060107250001", date(1925, 7, 1)),  # July 2025 is still to come: 99 years old
        ("6402060106250001", date(2025, 6, 1)),  # born today
        ("6402060101300001", date(1930, 1, 1)),
        ("6402060101000001", date(2000, 1, 1)),
    ],
)
def test_two_digit_year_takes_the_century_of_a_living_person(value, born):
    assert check(value).birth_date == born


def test_record_birth_date_chooses_between_two_possible_centuries():
    """Both 2015 (age 10) and 1915 (age 110) fit; the record says which."""
    assert check("6402060101150001").birth_date == date(2015, 1, 1)
    result = check("6402060101150001", birth_date=date(1915, 1, 1))
    assert result.birth_date == date(1915, 1, 1)
    assert result.warnings == ()


def test_disagreeing_record_gives_warnings_not_errors():
    result = check(MAN, sex="P", birth_date=date(1985, 5, 15))
    assert result.valid
    assert messages(result.warnings) == [
        "The NIK says the person is a man, but the record says a woman.",
        "The birth date in the NIK (14 Mei 1985) differs from the record (15 Mei 1985).",
    ]


def test_agreeing_record_gives_no_warning():
    assert check(WOMAN, sex="P", birth_date=date(1985, 5, 14)).warnings == ()


def test_today_defaults_to_the_current_date():
    assert check_nik(MAN).valid


def test_mask_shows_first_six_and_last_two_digits():
    assert mask_nik("6402061405850001") == "640206********01"
    assert mask_nik(None) == ""
    assert mask_nik("12345") == "*****"


def test_kk_needs_sixteen_digits_and_a_province():
    assert check_kk("6402062003150007").valid
    assert check_kk("6402062003150007").regency == "64.02"
    assert "A KK number has 16 digits." in messages(check_kk("640206200315000").errors)
    assert "A KK number has only digits." in messages(check_kk("64020620031500A7").errors)
    assert "The KK number does not start with a province code." in messages(
        check_kk("9902062003150007").errors
    )
    assert "The last four digits of a KK number cannot be 0000." in messages(
        check_kk("6402062003150000").errors
    )


def test_kk_outside_kukar_is_a_warning():
    result = check_kk("6471012003150007")
    assert result.valid
    assert messages(result.warnings) == [
        "This KK number was issued outside Kutai Kartanegara (region 64.71)."
    ]


def test_synthetic_nik_is_valid_and_encodes_what_it_was_given():
    rng = random.Random(1)
    nik = synthetic_nik(rng, "64.02.10", date(1990, 12, 3), "P", serial=12)
    assert nik == "6402104312900012"
    result = check(nik, sex="P", birth_date=date(1990, 12, 3))
    assert result.valid and result.warnings == ()


def test_synthetic_nik_without_serial_draws_one():
    nik = synthetic_nik(random.Random(5), "64.02.02", date(2001, 2, 3), "L")
    assert check(nik).valid


def test_synthetic_kk_is_valid():
    kk = synthetic_kk(random.Random(2), "64.02.06", date(2015, 3, 20), serial=7)
    assert kk == "6402062003150007"
    assert check_kk(kk).valid


def test_synthetic_ids_never_repeat_and_are_reproducible():
    def draw(seed):
        ids = SyntheticIds(random.Random(seed))
        people = [ids.nik("64.02.06", date(1980, 1, 1), "L") for _ in range(50)]
        families = [ids.kk("64.02.06", date(2010, 1, 1)) for _ in range(50)]
        return people + families

    first = draw(7)
    assert len(set(first)) == 100
    assert first == draw(7)
    assert all(check(nik).valid for nik in first[:50])
    assert all(check_kk(kk).valid for kk in first[50:])
