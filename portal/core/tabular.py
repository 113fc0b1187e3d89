"""The one writer of every CSV and XLSX file the portal hands out.

Cells come from users (names, addresses, whole refused rows), and a spreadsheet runs a
text cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return
before one) as a formula: ``=HYPERLINK(...)`` in a download becomes a link or a command
on the officer's computer. Every text cell that starts so is written with a leading
apostrophe, the spreadsheets' own mark for "this is text"; numbers and dates stay what
they are. Exports build rows of plain values and call ``csv_bytes``/``csv_stream`` or
``xlsx_bytes``; nothing else in the portal writes these formats.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from datetime import date, datetime, time
from decimal import Decimal

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_BOM = "\ufeff"  # so spreadsheets open the file as UTF-8
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
Row = Iterable[object]


def safe_text(value: str) -> str:
    """Text a spreadsheet cannot take for a formula."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def safe_cell(value: object) -> object:
    """A cell as written: numbers, dates and booleans as they are, anything else as safe
    text (None is an empty cell)."""
    if value is None:
        return ""
    if isinstance(value, bool | int | float | Decimal | date | time):
        return value
    return safe_text(value if isinstance(value, str) else str(value))


def _csv_cell(value: object) -> object:
    value = safe_cell(value)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return value


class _Line:
    """A file-like object that hands back what csv.writer wrote for one row."""

    def __init__(self):
        self.text = ""

    def write(self, text: str) -> None:
        self.text += text

    def take(self) -> str:
        text, self.text = self.text, ""
        return text


def csv_stream(rows: Iterable[Row], delimiter: str = ";", bom: bool = True) -> Iterator[str]:
    """The CSV file row by row, for a streamed download of any length."""
    line = _Line()
    writer = csv.writer(line, delimiter=delimiter)
    if bom:
        yield CSV_BOM
    for row in rows:
        writer.writerow([_csv_cell(cell) for cell in row])
        yield line.take()


def csv_bytes(rows: Iterable[Row], delimiter: str = ";", bom: bool = True) -> bytes:
    """The whole CSV file, UTF-8 encoded."""
    return "".join(csv_stream(rows, delimiter, bom)).encode("utf-8")


def xlsx_bytes(rows: Iterable[Row], sheet_title: str = "Sheet1") -> bytes:
    """The whole XLSX workbook of one sheet, written as it streams (constant memory)."""
    return xlsx_workbook([(sheet_title, rows)])


def xlsx_workbook(sheets: Iterable[tuple[str, Iterable[Row]]]) -> bytes:
    """An XLSX workbook of several sheets, ``(title, rows)`` each, in order (a report's
    sections); each sheet is written as it streams."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    workbook = Workbook(write_only=True)
    for n, (title, rows) in enumerate(sheets, start=1):
        sheet = workbook.create_sheet(title=_sheet_title(title, n))
        for row in rows:
            # openpyxl reads a text cell as a formula only when it starts with "=", which
            # safe_cell never leaves; so plain values suffice (a cell object each costs 3x).
            sheet.append([_xlsx_cell(value, ILLEGAL_CHARACTERS_RE) for value in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _sheet_title(title: str, n: int) -> str:
    """A sheet's name as spreadsheets allow it: at most 31 characters, none of []:*?/\\."""
    cleaned = "".join(" " if ch in "[]:*?/\\" else ch for ch in str(title)).strip()
    return cleaned[:31] or f"Sheet{n}"


def _xlsx_cell(value: object, illegal) -> object:
    if isinstance(value, str):  # control characters XML cannot hold
        value = illegal.sub("", value)
    value = safe_cell(value)
    if isinstance(value, str) and value.startswith("="):  # cannot happen: a guard
        raise ValueError("formula cell")
    return value
