"""What every kind of import row shares: the refusal (Issue), a chunk's outcome, name
and code matching, and the base of the row handlers (recipients, aid)."""

from __future__ import annotations

import functools
import json
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from portal.models import (
    ImportBatch,
)
from portal.registry.imports.columns import CellError, guess_mapping, normalise_header, text

TARGET_GROUP_WORDS = {
    "wrse": "wrse",
    "perempuanrawansosialekonomi": "wrse",
    "lansia": "elderly",
    "lanjutusia": "elderly",
    "disabilitas": "disability",
    "penyandangdisabilitas": "disability",
    "anakterlantar": "neglected_children",
    "kube": "kube",
    "prasejahtera": "pre_prosperous",
    "keluargaprasejahtera": "pre_prosperous",
}
SECTOR_WORDS = {
    "kue": "food",
    "makanan": "food",
    "kuliner": "food",
    "tataboga": "food",
    "jahit": "sewing",
    "menjahit": "sewing",
    "warung": "retail",
    "toko": "retail",
    "umkm": "retail",
    "bengkel": "motor_workshop",
    "bengkelmotor": "motor_workshop",
    "multimedia": "multimedia",
    "pertanian": "agriculture",
    "perkebunan": "agriculture",
    "tani": "agriculture",
    "nelayan": "fishing",
    "perikanan": "fishing",
}


def message_parts(message) -> tuple[str, dict]:
    """(English source string, params) of a lazy gettext string, to translate when shown."""
    args = getattr(message, "_args", None)
    if args:
        return args[0], dict(getattr(message, "_kwargs", {}) or {})
    return str(message), {}


@dataclass
class Issue:
    """One refusal reason of one row."""

    row: int
    column: str
    reason: str
    params: dict = field(default_factory=dict)
    kind: str = "error"
    raw: list | None = None

    @classmethod
    def of(cls, row: int, column: str, message, params: dict | None = None) -> Issue:
        reason, found = message_parts(message)
        return cls(row, column, reason, {**found, **(params or {})})

    @classmethod
    def from_error(cls, row: int, column: str, error: CellError) -> Issue:
        return cls.of(row, column, error.message, error.params)

    def as_row(self, batch_id: int) -> dict:
        raw = json.dumps([jsonable(c) for c in self.raw]) if self.raw is not None else ""
        return {
            "batch_id": batch_id,
            "row_number": self.row,
            "kind": self.kind,
            "column": self.column,
            "reason": self.reason,
            "params": self.params,
            "raw": raw,
        }


def jsonable(value):
    return value.isoformat() if isinstance(value, date) else value


@dataclass
class Outcome:
    """What a chunk did (or would do): counts, reasons and the refused rows; ``examples``
    keeps the first row and values of each reason, to print it readably."""

    counts: Counter = field(default_factory=Counter)
    reasons: Counter = field(default_factory=Counter)
    issues: list[Issue] = field(default_factory=list)
    examples: dict = field(default_factory=dict)
    # Rows whose person (or aid) is already registered.
    known: set = field(default_factory=set)

    def refuse(self, issues: list[Issue], cells) -> None:
        issues[0].raw = cells.resolve() if isinstance(cells, LazyCells) else cells
        self.issues.extend(issues)
        self.counts["refused"] += 1
        for issue in issues:
            self.reasons[issue.reason] += 1
            self.examples.setdefault(issue.reason, [issue.row, issue.params])


DESA_PREFIX = re.compile(r"(?i)^\s*(desa|kelurahan|kel\.|ds\.)\s*")
LIST_SEPARATORS = re.compile(r"[,;/]")


@functools.lru_cache(maxsize=4096)
def normalise_name(value: str) -> str:
    """``Kel. Loa Ipuh`` and ``LOA IPUH`` compare equal (names repeat: cached)."""
    return normalise_header(DESA_PREFIX.sub("", value or ""))


@functools.lru_cache(maxsize=4096)
def _codes(raw: str, kind: str) -> tuple[str, ...]:
    words = TARGET_GROUP_WORDS if kind == "target_groups" else SECTOR_WORDS
    codes = {words.get(normalise_name(part)) for part in LIST_SEPARATORS.split(raw)}
    return tuple(sorted(code for code in codes if code))


def split_codes(value: object, kind: str) -> tuple[str, ...]:
    """Target groups or sectors named in a cell (``Lansia; Disabilitas``) as codes."""
    raw = text(value)
    return _codes(raw, kind) if raw else ()


def _json_default(value):
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple | set):
        return list(value)
    raise TypeError(f"{type(value).__name__} is not JSON")


def _dumps(value) -> str:
    return json.dumps(value, default=_json_default, ensure_ascii=False, separators=(",", ":"))


class RawCells:
    """The raw cells of a chunk's kept rows, read on first use: those the check kept (the
    rows whose person already existed, which the commit may refuse), else the file's."""

    def __init__(self, kept: Callable[[], dict], from_file: Callable[[], dict]):
        self.sources = [kept, from_file]
        self.rows: dict = {}

    def of(self, number: int) -> list:
        while str(number) not in self.rows and self.sources:
            self.rows.update(self.sources.pop(0)())
        return self.rows.get(str(number), [])


class LazyCells:
    """One row's raw cells, as ``Outcome.refuse`` keeps them for the refused-rows file."""

    __slots__ = ("source", "number")

    def __init__(self, source: RawCells, number: int):
        self.source, self.number = source, number

    def resolve(self) -> list:
        return self.source.of(self.number)


class RowsBase:
    """A kind of import row. ``check`` cleans a chunk of the file's rows (refusing what is
    malformed); ``classify`` decides, against the database, what each cleaned row adds,
    updates or leaves, and writes it when asked. The checked rows are kept between the
    two (``dump``/``load``), so confirming an import never reads the file again."""

    fields: tuple[str, ...] = ()
    required: tuple[str, ...] = ()
    # The cleaned record's keys as kept between check and commit; those holding dates.
    record_fields: tuple[str, ...] = ()
    date_fields: tuple[str, ...] = ()

    def __init__(self, batch: ImportBatch):
        self.batch = batch
        self.mapping = batch.mapping or {}
        self.today = date.today()

    def guess_mapping(self, header: list[str]) -> dict[str, int]:
        return guess_mapping(header, self.fields)

    def missing_fields(self, mapping: dict) -> list[str]:
        return [f for f in self.required if f not in mapping]

    def after_commit(self) -> None:
        """Called once the whole file is in (a village file tells the officers)."""

    def check(self, chunk: list[tuple[int, list]], outcome: Outcome) -> list:
        """The chunk's rows that pass as ``(number, cells, record)``; the others refused."""
        raise NotImplementedError

    def classify(self, records: list, write: bool, outcome: Outcome | None = None) -> Outcome:
        raise NotImplementedError

    def dump(self, records: list, known: set) -> tuple[str, str]:
        """Checked rows as JSON, column by column (about three times quicker to read back
        than row by row): the row numbers, then each of the record's values; and apart,
        the raw cells of the rows in ``known`` (whose person exists, so the commit may
        refuse them and list them in the refused-rows file)."""
        columns = [[number for number, _, _ in records]]
        columns += [[record[f] for _, _, record in records] for f in self.record_fields]
        cells = {number: cells for number, cells, _ in records if number in known}
        return _dumps(columns), _dumps(cells)

    def load(self, data: str, cells: RawCells) -> list:
        """The rows ``dump`` kept, their raw cells read from ``cells`` when needed."""
        fields = self.record_fields
        numbers, *columns = json.loads(data)
        for name in self.date_fields:
            index = fields.index(name)
            columns[index] = [date.fromisoformat(v) if v else v for v in columns[index]]
        return [
            (number, LazyCells(cells, number), dict(zip(fields, values, strict=True)))
            for number, values in zip(numbers, zip(*columns, strict=True), strict=True)
        ]

    def cell(self, cells: list, name: str):
        index = self.mapping.get(name)
        if index is None or index >= len(cells):
            return ""
        return cells[index]

    def row(self, cells: list) -> dict:
        """Every field of the row by name ("" where the file has no such column)."""
        width = len(cells)
        row = dict.fromkeys(self.fields, "")
        for name, index in self.mapping.items():
            if index < width:
                row[name] = cells[index]
        return row

    def column(self, name: str) -> str:
        header = self.batch.summary.get("header", [])
        index = self.mapping.get(name)
        if index is not None and index < len(header):
            return header[index]
        return name
