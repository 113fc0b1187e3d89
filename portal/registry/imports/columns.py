"""Recognise the usual column headers of DTKS/DTSEN, PKH and Puskesos files and
clean cell values (NIK as text, dates in Indonesian formats, sex codes)."""

from __future__ import annotations

import functools
import re
from datetime import date, datetime

from portal.core.tabular import FORMULA_STARTS
from portal.core.text import lazy_gettext as _l

# Field -> header spellings seen in the wild, compared after normalise_header().
HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "nik": (
        "nik",
        "noktp",
        "nomorktp",
        "nomorindukkependudukan",
        "nikktp",
        "niknomorktp",
        "nikart",
        "nikpenerima",
    ),
    "kk": ("nokk", "kk", "nomorkk", "nomorkartukeluarga", "nokartukeluarga", "nikk"),
    "name": ("nama", "namalengkap", "namapenerima", "namaart", "namakpm", "namapengurus"),
    "sex": ("jeniskelamin", "jk", "lp", "kelamin", "sex", "jenkel"),
    "birth_place": ("tempatlahir", "tmplahir", "tmptlahir"),
    "birth_date": ("tanggallahir", "tgllahir", "tgllhr", "tanggallhr", "tgllahirddmmyyyy"),
    "address": ("alamat", "alamatlengkap", "alamatrumah"),
    "desa": ("desa", "kelurahan", "desakelurahan", "desakel", "namadesa", "kelurahandesa"),
    "phone": ("nohp", "nohandphone", "telepon", "notelp", "nomorhp", "notelepon", "hp"),
    "source_id": ("iddtks", "iddtsen", "idartbdt", "idpkh", "idkpm", "idsumber", "noreferensi"),
    "target_groups": ("kelompoksasaran", "sasaran", "kategori", "kelompok"),
    "sectors": ("keterampilan", "minatusaha", "sektor", "bidangusaha", "jenisusaha"),
    # Aid-history files.
    "category": ("kategoribantuan", "jenisbantuan", "program", "bantuan"),
    "received_on": (
        "tanggalterima",
        "tglterima",
        "tanggalpenyaluran",
        "tglsalur",
        "tanggalbantuan",
        "periode",
    ),
    "value": ("nilai", "nominal", "nilaibantuan", "jumlah"),
}
FIELD_LABELS = {
    "nik": _l("NIK"),
    "kk": _l("KK number"),
    "name": _l("Name"),
    "sex": _l("Sex"),
    "birth_place": _l("Place of birth"),
    "birth_date": _l("Date of birth"),
    "address": _l("Address"),
    "desa": _l("Desa/Kelurahan"),
    "phone": _l("Phone"),
    "source_id": _l("Source id"),
    "target_groups": _l("Target groups"),
    "sectors": _l("Skills / business interest"),
    "category": _l("Aid category"),
    "received_on": _l("Date received"),
    "value": _l("Value (Rp)"),
}
SCIENTIFIC = re.compile(r"^\d+(?:[.,]\d+)?[eE][+]?\d+$")
DAY_FIRST = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")  # 14/05/1980, 14-05-1980
YEAR_FIRST = re.compile(r"^(\d{4})[/-](\d{1,2})[/-](\d{1,2})$")  # 1980-05-14
MALE = {"l", "lk", "laki", "lakilaki", "pria", "m", "male", "1"}
FEMALE = {"p", "pr", "perempuan", "wanita", "w", "f", "female", "2"}


class CellError(ValueError):
    """A cell that cannot be used; the message is shown beside the row.

    ``message`` is a lazy gettext string, or an ``N_`` source string with ``params``.
    """

    def __init__(self, message, params: dict | None = None):
        super().__init__(message)
        self.message = message
        self.params = params or {}


NOT_ALNUM = re.compile(r"[^a-z0-9]")


def normalise_header(header: str) -> str:
    return NOT_ALNUM.sub("", (header or "").lower())


def guess_mapping(header: list[str], fields: tuple[str, ...]) -> dict[str, int]:
    """Which column index holds each field, by the usual header spellings."""
    mapping: dict[str, int] = {}
    for index, name in enumerate(header):
        key = normalise_header(name)
        for field in fields:
            if field not in mapping and key in HEADER_ALIASES.get(field, ()):
                mapping[field] = index
                break
    return mapping


def text(value: object) -> str:
    """The cell as trimmed text; the apostrophe our downloads put before a formula-like
    cell (core.tabular) is taken off again, so a fixed refused-rows file imports as sent."""
    if type(value) is str:  # the common case, kept fast for large files
        value = value.strip()
        if value[:1] == "'" and value[1:2] and value[1] in FORMULA_STARTS:
            return value[1:].strip()
        return value
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def digits_cell(value: object, what: str) -> str:
    """A NIK or KK as text: leading apostrophe and spaces removed; a mangled number refused."""
    raw = text(value).lstrip("'’`").replace(" ", "")
    if raw.isdigit() and not isinstance(value, float):
        return raw
    if isinstance(value, float) or SCIENTIFIC.match(raw):
        raise CellError(
            _l(
                "The %(what)s %(value)s was turned into a number in scientific notation and "
                "has lost digits; format the column as text and export the file again.",
                what=what,
                value=raw,
            )
        )
    return raw


def parse_date(value: object) -> date | None:
    """``14/05/1980``, ``14-05-1980``, ``1980-05-14`` or a spreadsheet date; None when blank."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    raw = text(value)
    try:
        if match := DAY_FIRST.match(raw):
            return date(int(match[3]), int(match[2]), int(match[1]))
        if match := YEAR_FIRST.match(raw):
            return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        pass
    raise CellError(_l("'%(value)s' is not a date like 14/05/1980.", value=raw))


def parse_sex(value: object) -> str | None:
    return _sex(text(value))


@functools.lru_cache(maxsize=256)
def _sex(raw: str) -> str | None:
    # A file spells the sex a handful of ways: each worked out once. (A refusal is not
    # cached: lru_cache keeps no exceptions.)
    key = normalise_header(raw)
    if not key:
        return None
    if key in MALE:
        return "L"
    if key in FEMALE:
        return "P"
    raise CellError(_l("'%(value)s' is not a sex (L or P).", value=raw))


def parse_rupiah(value: object) -> int | None:
    """Whole Rupiah from ``1.500.000``, ``Rp 1.500.000`` or a number."""
    if value in (None, ""):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return round(value)
    raw = re.sub(r"(?i)^rp\.?\s*", "", text(value)).replace(".", "").replace(" ", "")
    raw = raw.split(",", 1)[0]
    if not raw.isdigit():
        raise CellError(_l("'%(value)s' is not an amount in Rupiah.", value=text(value)))
    return int(raw)
