"""Indonesian words for numbers, money and dates, as a letter writes them.

``terbilang(1_500_000)`` → ``satu juta lima ratus ribu``; ``rupiah(1_500_000)`` →
``Rp1.500.000``; ``date_phrase(date(2025, 5, 14))`` → ``Rabu, tanggal empat belas bulan Mei
tahun dua ribu dua puluh lima (14-05-2025)``; ``roman(5)`` → ``V``.

num2words (``lang="id"``) writes each group of three digits, Babel the day and month names.
Own code only joins the groups: num2words writes 1,001,000 as "satu juta satu ribu" (it is
"satu juta seribu") and 10^18 as "kuantiliun" (it is "kuintiliun"). Plain functions of their
arguments (no Flask), so the letter renders the same in a request, a task and a benchmark.
"""

from __future__ import annotations

from datetime import date

from babel.dates import format_date
from num2words import num2words

LOCALE = "id"
# Scale words by power of a thousand, from 10^3 up to what a BigInteger holds (9.2 × 10^18).
SCALES = ("", "ribu", "juta", "miliar", "triliun", "kuadriliun", "kuintiliun")
ROMAN = (
    (1000, "M"),
    (900, "CM"),
    (500, "D"),
    (400, "CD"),
    (100, "C"),
    (90, "XC"),
    (50, "L"),
    (40, "XL"),
    (10, "X"),
    (9, "IX"),
    (5, "V"),
    (4, "IV"),
    (1, "I"),
)


def terbilang(value: int) -> str:
    """A whole number in Indonesian words: 0 "nol", 1000 "seribu", 2025 "dua ribu dua
    puluh lima"; negative numbers start with "minus"."""
    value = int(value)
    if value < 0:
        return "minus " + terbilang(-value)
    if value == 0:
        return "nol"
    groups = _groups(value)
    if len(groups) > len(SCALES):
        raise ValueError(f"too large to write in words: {value}")
    words = []
    for power in range(len(groups) - 1, -1, -1):
        group = groups[power]
        if group == 0:
            continue
        if group == 1 and power == 1:
            words.append("seribu")
            continue
        words.append(num2words(group, lang=LOCALE))
        if SCALES[power]:
            words.append(SCALES[power])
    return " ".join(words)


def _groups(value: int) -> list[int]:
    """Groups of three digits, least significant first."""
    groups = []
    while value:
        value, group = divmod(value, 1000)
        groups.append(group)
    return groups


def rupiah(value: int) -> str:
    """``1500000`` → ``Rp1.500.000`` (a dot for thousands, no space, as a letter writes it)."""
    value = int(value)
    sign = "-" if value < 0 else ""
    return f"{sign}Rp{abs(value):,}".replace(",", ".")


def rupiah_words(value: int) -> str:
    """``1500000`` → ``satu juta lima ratus ribu rupiah``."""
    return f"{terbilang(value)} rupiah"


def thousands(value: int) -> str:
    """``1500000`` → ``1.500.000``: a figure in a table column headed "(Rp)"."""
    return f"{int(value):,}".replace(",", ".")


def day_name(day: date) -> str:
    """``Rabu`` for a Wednesday."""
    return format_date(day, "EEEE", locale=LOCALE)


def month_name(month: int) -> str:
    """``Mei`` for 5."""
    return format_date(date(2000, month, 1), "MMMM", locale=LOCALE)


def long_date(day: date) -> str:
    """``14 Mei 2025``."""
    return f"{day.day} {month_name(day.month)} {day.year}"


def numeric_date(day: date) -> str:
    """``14-05-2025``, the figures a letter puts in brackets after the words."""
    return day.strftime("%d-%m-%Y")


def date_phrase(day: date) -> str:
    """The opening's date: ``Rabu, tanggal empat belas bulan Mei tahun dua ribu dua puluh
    lima (14-05-2025)``."""
    return (
        f"{day_name(day)}, tanggal {terbilang(day.day)} bulan {month_name(day.month)} "
        f"tahun {terbilang(day.year)} ({numeric_date(day)})"
    )


def roman(value: int) -> str:
    """``5`` → ``V``: the month in a letter number (1 to 3999)."""
    if not 0 < value < 4000:
        raise ValueError(f"no Roman numeral for {value}")
    parts = []
    for amount, numeral in ROMAN:
        count, value = divmod(value, amount)
        parts.append(numeral * count)
    return "".join(parts)
