"""Read recipient and aid-history files as Indonesian offices produce them.

CSV (comma or semicolon, UTF-8 with or without BOM, or Windows-1252) and XLSX.
This module only turns a file into rows of text cells with their row numbers;
``portal.registry.columns`` maps headers and cleans values.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime

from openpyxl import load_workbook

XLSX_MAGIC = b"PK\x03\x04"


class UnreadableFile(ValueError):
    """The file is not a CSV or XLSX we can read; the message says why."""


@dataclass
class Table:
    """A file's header and an iterator over (row_number, cells); row 1 is the header."""

    header: list[str]
    rows: Iterator[tuple[int, list[object]]]
    kind: str  # "csv" or "xlsx"
    encoding: str = ""
    delimiter: str = ""


def read_table(data: bytes) -> Table:
    """Open ``data`` as XLSX (by its content, not its name) or as CSV."""
    if data.startswith(XLSX_MAGIC):
        return _read_xlsx(data)
    return _read_csv(data)


def decode(data: bytes) -> tuple[str, str]:
    """UTF-8 (BOM or not) first, Windows-1252 when that fails."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), "cp1252"


def sniff_delimiter(first_line: str) -> str:
    """Semicolon when the header has more of them than commas (Excel in Indonesian locale)."""
    return ";" if first_line.count(";") > first_line.count(",") else ","


def _read_csv(data: bytes) -> Table:
    if b"\x00" in data[:4096]:
        raise UnreadableFile("binary")
    text, encoding = decode(data)
    first_line = text.split("\n", 1)[0]
    delimiter = sniff_delimiter(first_line)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration as exc:
        raise UnreadableFile("empty") from exc
    rows = ((number, list(cells)) for number, cells in enumerate(reader, start=2) if any(cells))
    return Table([h.strip() for h in header], rows, "csv", encoding, delimiter)


def _read_xlsx(data: bytes) -> Table:
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise UnreadableFile("xlsx") from exc
    sheet = workbook.worksheets[0]
    values = sheet.iter_rows(values_only=True)
    try:
        header = [("" if v is None else str(v)).strip() for v in next(values)]
    except StopIteration as exc:
        raise UnreadableFile("empty") from exc

    def rows():
        for number, cells in enumerate(values, start=2):
            if any(c not in (None, "") for c in cells):
                yield number, [_xlsx_cell(c) for c in cells]
        workbook.close()

    return Table(header, rows(), "xlsx")


def _xlsx_cell(value: object) -> object:
    """Keep dates and numbers as they are (columns decide), text stripped."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date | int | float):
        return value
    return str(value)
