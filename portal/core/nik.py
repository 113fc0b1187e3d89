"""NIK and KK numbers: checking them (DESIGN section 4), masking them, and making
structurally valid synthetic ones for demo and benchmark data.

A NIK reads ``PP KK CC DDMMYY SSSS``: province, regency, kecamatan, birth date with
40 added to the day for women, and a serial that is never 0000.
"""

from __future__ import annotations

import functools
import random
from dataclasses import dataclass
from datetime import date

from portal.core.regions import REGENCY_CODE, province_codes
from portal.core.text import lazy_gettext as _l

LENGTH = 16
MAX_AGE = 110
FEMALE_DAY_OFFSET = 40
# Provinces that no longer exist; NIKs issued there keep their code.
HISTORICAL_PROVINCES = {"54": "Timor Timur"}
# Built once: these checks run for every row of a 100,000-row import.
NIK_NOT_DIGITS = _l("A NIK has only digits.")
NIK_WRONG_LENGTH = _l("A NIK has 16 digits.")
KK_NOT_DIGITS = _l("A KK number has only digits.")
KK_WRONG_LENGTH = _l("A KK number has 16 digits.")


@dataclass(frozen=True)
class NikCheck:
    """What a NIK says and what is wrong with it; ``valid`` is False when errors exist."""

    valid: bool
    errors: tuple = ()
    warnings: tuple = ()
    birth_date: date | None = None
    sex: str | None = None  # "L" or "P", as on the recipient record
    province: str | None = None  # "64"
    regency: str | None = None  # "64.02"
    kecamatan: str | None = None  # "64.02.06"


@dataclass(frozen=True)
class KkCheck:
    """The result of checking a family card (KK) number."""

    valid: bool
    errors: tuple = ()
    warnings: tuple = ()
    province: str | None = None
    regency: str | None = None
    kecamatan: str | None = None


def known_province(code: str) -> bool:
    """Today's province codes plus the historical ones."""
    return code in province_codes() or code in HISTORICAL_PROVINCES


def region_codes(number: str) -> tuple[str, str, str]:
    """``6402061405850001`` → ("64", "64.02", "64.02.06")."""
    return _region_codes(number[:6])


@functools.lru_cache(maxsize=8192)
def _region_codes(prefix: str) -> tuple[str, str, str]:
    # A file's people share a few kecamatan: worked out once for each.
    return prefix[:2], f"{prefix[:2]}.{prefix[2:4]}", f"{prefix[:2]}.{prefix[2:4]}.{prefix[4:6]}"


def check_nik(
    value: str | None,
    sex: str | None = None,
    birth_date: date | None = None,
    today: date | None = None,
) -> NikCheck:
    """Check a NIK; ``sex`` and ``birth_date`` are the record's values to compare with."""
    nik = (value or "").strip()
    errors = _shape_errors(nik, NIK_NOT_DIGITS, NIK_WRONG_LENGTH)
    if errors:
        return NikCheck(valid=False, errors=errors)
    province, regency, kecamatan = region_codes(nik)
    errors = []
    if not known_province(province):
        errors.append(_l("The NIK does not start with a province code."))
    born, nik_sex = decode_birth(nik[6:12], today or date.today(), birth_date)
    if born is None:
        errors.append(_l("The birth date in the NIK (digits 7 to 12) is not a real date."))
    if nik[12:] == "0000":
        errors.append(_l("The last four digits of a NIK cannot be 0000."))
    codes = _nik_codes(regency, nik_sex if born else None, born, sex, birth_date)
    warnings = tuple(_nik_message(code, regency, nik_sex, born, birth_date) for code in codes)
    return NikCheck(
        valid=not errors,
        errors=tuple(errors),
        warnings=warnings if not errors else (),
        birth_date=born,
        sex=nik_sex if born else None,
        province=province,
        regency=regency,
        kecamatan=kecamatan,
    )


def check_kk(value: str | None) -> KkCheck:
    """Check a family card number: 16 digits, a real province prefix, serial not 0000."""
    kk = (value or "").strip()
    errors = _shape_errors(kk, KK_NOT_DIGITS, KK_WRONG_LENGTH)
    if errors:
        return KkCheck(valid=False, errors=errors)
    province, regency, kecamatan = region_codes(kk)
    errors = []
    if not known_province(province):
        errors.append(_l("The KK number does not start with a province code."))
    if kk[12:] == "0000":
        errors.append(_l("The last four digits of a KK number cannot be 0000."))
    warnings = ()
    if regency != REGENCY_CODE and not errors:
        warnings = (
            _l(
                "This KK number was issued outside Kutai Kartanegara (region %(region)s).",
                region=regency,
            ),
        )
    return KkCheck(
        valid=not errors,
        errors=tuple(errors),
        warnings=warnings,
        province=province,
        regency=regency,
        kecamatan=kecamatan,
    )


def _shape_errors(number: str, not_digits, wrong_length) -> tuple:
    errors = []
    if number and not (number.isascii() and number.isdigit()):
        errors.append(not_digits)
    if len(number) != LENGTH:
        errors.append(wrong_length)
    return tuple(errors)


def decode_birth(ddmmyy: str, today: date, hint: date | None = None) -> tuple[date | None, str]:
    """Birth date and sex from the NIK's date digits; the century is the one that makes
    the person 0 to 110 years old today (the youngest, unless ``hint`` names another)."""
    candidates, sex = _birth_candidates(ddmmyy, today)
    if hint in candidates:
        return hint, sex
    return (candidates[0] if candidates else None), sex


@functools.lru_cache(maxsize=65536)
def _birth_candidates(ddmmyy: str, today: date) -> tuple[tuple[date, ...], str]:
    """The dates the digits can mean, youngest first (birth dates repeat in a file)."""
    day, month, year = int(ddmmyy[:2]), int(ddmmyy[2:4]), int(ddmmyy[4:])
    sex = "P" if day > FEMALE_DAY_OFFSET else "L"
    if sex == "P":
        day -= FEMALE_DAY_OFFSET
    candidates = []
    for century in range(today.year // 100 * 100, today.year - MAX_AGE - 100, -100):
        try:
            born = date(century + year, month, day)
        except ValueError:
            continue
        if born <= today and age_on(born, today) <= MAX_AGE:
            candidates.append(born)
    return tuple(candidates), sex


def age_on(born: date, today: date) -> int:
    """Whole years between ``born`` and ``today``."""
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


# What a valid NIK or KK says that the record disagrees with: kept on the recipient as
# codes (``Recipient.warnings``), shown until the record is corrected.
WARNING_CODES = ("nik_region", "sex", "birth_date", "kk_region", "kk_is_nik")


def record_warnings(
    nik: str | None,
    kk: str | None = None,
    sex: str | None = None,
    birth_date: date | None = None,
    today: date | None = None,
    check: NikCheck | None = None,
) -> tuple[str, ...]:
    """The warning codes of a recipient's values, in ``WARNING_CODES`` order; none for an
    invalid NIK (that is an error). ``check`` is the NIK's check when the caller has it
    already (an import checks each row once)."""
    check = check or check_nik(nik, sex, birth_date, today)
    if not check.valid:
        return ()
    codes = _nik_codes(check.regency, check.sex, check.birth_date, sex, birth_date)
    kk = (kk or "").strip()
    if kk:
        if kk == (nik or "").strip():
            codes.append("kk_is_nik")
        elif (
            len(kk) == LENGTH
            and kk.isascii()
            and kk.isdigit()
            and region_codes(kk)[1] != REGENCY_CODE
        ):
            codes.append("kk_region")
    return tuple(sorted(codes, key=WARNING_CODES.index))


def warning_messages(
    codes, nik: str | None, kk: str | None = None, birth_date: date | None = None
) -> list:
    """The readable sentence of each warning code of a record (for the person's page)."""
    nik = (nik or "").strip()
    if len(nik) != LENGTH or not (nik.isascii() and nik.isdigit()):
        return []
    regency = region_codes(nik)[1]
    born, nik_sex = decode_birth(nik[6:12], date.today(), birth_date)
    messages = []
    for code in codes:
        if code == "kk_region":
            region = region_codes(kk)[1] if kk and len(kk) == LENGTH else ""
            messages.append(
                _l(
                    "This KK number was issued outside Kutai Kartanegara (region %(region)s).",
                    region=region,
                )
            )
        elif code == "kk_is_nik":
            messages.append(_l("The KK number is the same as the NIK."))
        elif code in WARNING_CODES:
            messages.append(_nik_message(code, regency, nik_sex, born, birth_date))
    return messages


def _nik_codes(regency, nik_sex, born, sex, birth_date) -> list[str]:
    codes = []
    if regency != REGENCY_CODE:
        codes.append("nik_region")
    if born is not None and sex in ("L", "P") and sex != nik_sex:
        codes.append("sex")
    if born is not None and birth_date is not None and birth_date != born:
        codes.append("birth_date")
    return codes


def _nik_message(code: str, regency, nik_sex, born, birth_date):
    if code == "nik_region":
        return _l(
            "This NIK was issued outside Kutai Kartanegara (region %(region)s).", region=regency
        )
    if code == "sex":
        if nik_sex == "L":
            return _l("The NIK says the person is a man, but the record says a woman.")
        return _l("The NIK says the person is a woman, but the record says a man.")
    return _l(
        "The birth date in the NIK (%(nik_date)s) differs from the record (%(record_date)s).",
        nik_date=_written_date(born),
        record_date=_written_date(birth_date),
    )


def _written_date(value: date | None) -> str:
    """``25 Desember 1990``: a date as a reader writes it, in the language of the request
    (Bahasa Indonesia outside one). Text, so a stored warning keeps it as it is."""
    if value is None:
        return ""
    from babel.dates import format_date
    from flask_babel import get_locale

    try:
        locale = get_locale() or "id"
    except RuntimeError:  # no application context: a command line or a worker
        locale = "id"
    return format_date(value, "d MMMM y", locale=locale)


def mask_nik(nik: str | None) -> str:
    """What partners and the public see: ``640206********01``."""
    if not nik:
        return ""
    if len(nik) != LENGTH:
        return "*" * len(nik)
    return nik[:6] + "*" * 8 + nik[-2:]


def _region_digits(kecamatan_code: str) -> str:
    digits = kecamatan_code.replace(".", "")
    if len(digits) != 6 or not digits.isdigit():
        raise ValueError(f"not a kecamatan code: {kecamatan_code!r}")
    return digits


def synthetic_nik(
    rng: random.Random, kecamatan_code: str, birth_date: date, sex: str, serial: int | None = None
) -> str:
    """A structurally valid NIK for demo and benchmark data (``serial`` drawn when None)."""
    serial = rng.randint(1, 9999) if serial is None else serial
    if not 1 <= serial <= 9999:
        raise ValueError("a NIK serial is 0001 to 9999")
    day = birth_date.day + (FEMALE_DAY_OFFSET if sex == "P" else 0)
    return f"{_region_digits(kecamatan_code)}{day:02d}{birth_date:%m%y}{serial:04d}"


def synthetic_kk(
    rng: random.Random, kecamatan_code: str, issued_on: date, serial: int | None = None
) -> str:
    """A structurally valid KK number: region, issue date, serial."""
    serial = rng.randint(1, 9999) if serial is None else serial
    if not 1 <= serial <= 9999:
        raise ValueError("a KK serial is 0001 to 9999")
    return f"{_region_digits(kecamatan_code)}{issued_on:%d%m%y}{serial:04d}"


class SyntheticIds:
    """Hands out unique synthetic NIKs and KKs: serials count up per region and date."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self._serials: dict[str, int] = {}

    def _next(self, prefix: str) -> int:
        serial = self._serials.get(prefix, 0) + self.rng.randint(1, 3)
        if serial > 9999:
            raise ValueError(f"no serials left for {prefix}")
        self._serials[prefix] = serial
        return serial

    def nik(self, kecamatan_code: str, birth_date: date, sex: str) -> str:
        key = f"N{kecamatan_code}{birth_date.isoformat()}{sex}"
        return synthetic_nik(self.rng, kecamatan_code, birth_date, sex, self._next(key))

    def kk(self, kecamatan_code: str, issued_on: date) -> str:
        key = f"K{kecamatan_code}{issued_on.isoformat()}"
        return synthetic_kk(self.rng, kecamatan_code, issued_on, self._next(key))
