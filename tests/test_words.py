"""Indonesian numbers, money and dates in words (portal/core/words.py)."""

from datetime import date

import pytest

from portal.core import words


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0, "nol"),
        (1, "satu"),
        (11, "sebelas"),
        (19, "sembilan belas"),
        (100, "seratus"),
        (110, "seratus sepuluh"),
        (1_000, "seribu"),
        (1_100, "seribu seratus"),
        (12_000, "dua belas ribu"),
        (101_000, "seratus satu ribu"),
        (1_000_000, "satu juta"),
        (1_001_000, "satu juta seribu"),
        (2_025, "dua ribu dua puluh lima"),
        (1_500_000, "satu juta lima ratus ribu"),
        (1_500_000_000, "satu miliar lima ratus juta"),
        (1_000_000_000_000, "satu triliun"),
        (2 * 10**18, "dua kuintiliun"),
        (-5, "minus lima"),
    ],
)
def test_terbilang(value, expected):
    assert words.terbilang(value) == expected


def test_terbilang_refuses_what_it_cannot_name():
    with pytest.raises(ValueError):
        words.terbilang(10**21)


@pytest.mark.parametrize(
    ("value", "expected"),
    [(0, "Rp0"), (1_500_000, "Rp1.500.000"), (999, "Rp999"), (-2_500, "-Rp2.500")],
)
def test_rupiah(value, expected):
    assert words.rupiah(value) == expected


def test_rupiah_words_and_thousands():
    assert words.rupiah_words(1_500_000) == "satu juta lima ratus ribu rupiah"
    assert words.thousands(12_345_678) == "12.345.678"


def test_day_and_month_names():
    assert words.day_name(date(2025, 5, 14)) == "Rabu"
    assert words.day_name(date(2025, 5, 18)) == "Minggu"
    assert [words.month_name(m) for m in (1, 5, 8, 12)] == [
        "Januari",
        "Mei",
        "Agustus",
        "Desember",
    ]
    assert words.long_date(date(2025, 5, 4)) == "4 Mei 2025"


def test_date_phrase():
    assert words.date_phrase(date(2025, 5, 14)) == (
        "Rabu, tanggal empat belas bulan Mei tahun dua ribu dua puluh lima (14-05-2025)"
    )
    assert words.date_phrase(date(2026, 1, 1)).startswith("Kamis, tanggal satu bulan Januari")


@pytest.mark.parametrize(
    ("value", "expected"),
    [(1, "I"), (4, "IV"), (5, "V"), (9, "IX"), (10, "X"), (11, "XI"), (12, "XII"), (2025, "MMXXV")],
)
def test_roman(value, expected):
    assert words.roman(value) == expected


@pytest.mark.parametrize("value", [0, -1, 4000])
def test_roman_refuses_out_of_range(value):
    with pytest.raises(ValueError):
        words.roman(value)
