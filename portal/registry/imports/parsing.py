"""Read recipient and aid-history files as Indonesian offices produce them.

CSV (comma or semicolon, UTF-8 with or without BOM, or Windows-1252) and XLSX,
recognised by their content, never by their name. This module only turns a file
into rows of text cells with their row numbers; ``portal.registry.imports.columns`` maps
headers and cleans values.

A file is data from outside: whatever it holds ends in ``UnreadableFile`` with a
message for the person who sent it, never in another error. Opening a table reads
only its header (an XLSX's package is checked first: sizes, compression ratio, no
DTD); the rows are read one by one as the caller asks, with the limits below
checked on the way, so a page can show the first rows and leave the whole file to
the background job.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import gettext

from portal.core.text import N_

MAX_COLUMNS = 200
MAX_CELL_CHARS = 32_767  # Excel's own limit for a cell
MAX_ROWS = 500_000  # rows below the header
MAX_XLSX_UNPACKED = 200 * 1024 * 1024
MAX_XLSX_RATIO = 100  # unpacked size against packed size, for the package and each large part
RATIO_CHECKED_ABOVE = 1024 * 1024  # smaller parts may compress very well
MAX_XLSX_PARTS = 10_000
PROLOG_BYTES = 64 * 1024  # a part's root element must start within this
XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, .doc, and password-protected .xlsx
OTHER_MAGICS = (
    b"\x89PNG",
    b"\xff\xd8\xff",  # JPEG
    b"GIF8",
    b"\x1f\x8b",  # gzip
    b"Rar!",
    b"7z\xbc\xaf",
    b"{\\rtf",
    b"MZ",  # Windows program
    b"\x7fELF",
)
HTML_MARKS = (b"<!doctype", b"<html", b"<head", b"<body", b"<script", b"<meta", b"<table")
CONTROL = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x19\x1b-\x1f]")
SNIFF_BYTES = 4096

NOT_A_TABLE = N_("This file cannot be read. Upload a CSV (comma or semicolon) or an XLSX file.")
EMPTY = N_("The file is empty: it has no header row.")
NO_HEADER = N_("The first row of the file is empty: it must hold the column names.")
PDF = N_(
    "This is a PDF document, not a table. Export the list from its spreadsheet or "
    "application as CSV or XLSX."
)
HTML = N_(
    "This is a web page (HTML), not a table, even if its name ends in .csv. Export the list "
    "from its spreadsheet or application as CSV or XLSX."
)
OLD_EXCEL = N_(
    "This is an old Excel file (.xls) or a workbook protected by a password. Open it in Excel "
    "or LibreOffice, remove the password if there is one, and save it as XLSX or CSV."
)
NOT_XLSX = N_(
    "This is a ZIP archive or another kind of document, not an XLSX workbook. Save the sheet "
    "as XLSX or CSV."
)
TOO_MANY_COLUMNS = N_(
    "The file has more than %(limit)s columns. Remove the columns the import does not need "
    "and upload it again."
)
CELL_TOO_LONG = N_(
    "Row %(row)s has a cell longer than %(limit)s characters, the most a spreadsheet cell "
    "holds. Check that the file is the list you meant to send."
)
TOO_MANY_ROWS = N_(
    "The file has more than %(limit)s rows. Split it into smaller files, or delete the empty "
    "rows below the list."
)
XLSX_TOO_LARGE = N_(
    "The XLSX file unpacks to more than %(limit)s MB. Split it into smaller files or save it "
    "as CSV."
)
XLSX_RATIO = N_(
    "The XLSX file unpacks to more than %(limit)s times its own size, which a real "
    "spreadsheet does not. Save it again from Excel or LibreOffice, or as CSV."
)
XLSX_DTD = N_(
    "The XLSX file holds XML declarations (DTD or entities) that spreadsheets do not use. "
    "Save it again from Excel or LibreOffice."
)
XLSX_DAMAGED = N_(
    "The XLSX file is damaged and cannot be read. Open it in Excel or LibreOffice and save "
    "it again."
)
XLSX_MISSING_PART = N_(
    "The XLSX file is incomplete: a sheet or another part it lists is missing. Open it in "
    "Excel or LibreOffice and save it again."
)
XLSX_NO_SHEET = N_("The XLSX file has no worksheet.")
XLSX_DAMAGED_AT = N_(
    "The XLSX file is damaged at row %(row)s: a cell, number, date or text there cannot be "
    "read. Open it in Excel or LibreOffice and save it again."
)
CSV_DAMAGED_AT = N_(
    "The CSV file cannot be read at row %(row)s. Save it again as CSV from the spreadsheet."
)


class UnreadableFile(ValueError):
    """The file is not a CSV or XLSX we can read, or breaks a limit; ``message`` (an
    English source string) and ``params`` say why, translated when shown."""

    def __init__(self, message: str = NOT_A_TABLE, **params):
        super().__init__(message % params if params else message)
        self.message = message
        self.params = params

    def as_text(self) -> str:
        """The reason in the current language."""
        return gettext(self.message, **self.params)


@dataclass
class Table:
    """A file's header and an iterator over (row_number, cells); row 1 is the header."""

    header: list[str]
    rows: Iterator[tuple[int, list[object]]]
    kind: str  # "csv" or "xlsx"
    encoding: str = ""
    delimiter: str = ""
    size_hint: Callable[[], int] = lambda: 0

    def estimate_rows(self) -> int:
        """About how many rows follow the header (for progress bars; never a limit)."""
        return max(0, min(self.size_hint(), MAX_ROWS))


def read_table(data: bytes) -> Table:
    """Open ``data`` as XLSX or CSV, by its content; reads the header only."""
    if sniff(data) == "xlsx":
        return _read_xlsx(data)
    return _read_csv(data)


def sniff(data: bytes) -> str:
    """The kind of table, "xlsx" or "csv"; any other file is refused with what it seems
    to be."""
    head = data[:SNIFF_BYTES]
    if head.startswith(XLSX_MAGIC):
        return "xlsx"
    if not head.strip():
        raise UnreadableFile(EMPTY)
    if head.startswith(b"%PDF"):
        raise UnreadableFile(PDF)
    if head.startswith(OLE_MAGIC):
        raise UnreadableFile(OLD_EXCEL)
    if head.startswith(b"PK"):
        raise UnreadableFile(NOT_XLSX)
    if head.startswith(OTHER_MAGICS):
        raise UnreadableFile(NOT_A_TABLE)
    text = head.removeprefix(b"\xef\xbb\xbf").lstrip().lower()
    if text.startswith(b"<") or any(mark in text[:1024] for mark in HTML_MARKS):
        raise UnreadableFile(HTML)
    if b"\x00" in head or len(CONTROL.findall(head)) * 100 > len(head):
        raise UnreadableFile(NOT_A_TABLE)
    return "csv"


def detect_encoding(data: bytes) -> str:
    """UTF-8 when the file has its BOM or is valid UTF-8 throughout, else Windows-1252.
    One pass at the speed of memory (milliseconds for 60 MB), without a copy of the text;
    bytes that still do not decode are read as U+FFFD."""
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if data.isascii():
        return "utf-8"
    decoder = codecs.getincrementaldecoder("utf-8")()
    step = 1 << 20
    try:
        for start in range(0, len(data), step):
            decoder.decode(data[start : start + step], final=start + step >= len(data))
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8"


def sniff_delimiter(first_line: str | bytes) -> str:
    """Semicolon when the header has more of them than commas (Excel in Indonesian locale)."""
    if isinstance(first_line, bytes):
        return ";" if first_line.count(b";") > first_line.count(b",") else ","
    return ";" if first_line.count(";") > first_line.count(",") else ","


def _header_line(data: bytes) -> bytes:
    limit = MAX_COLUMNS * (MAX_CELL_CHARS + 3)
    end = data.find(b"\n", 0, limit)
    return data[: end if end >= 0 else limit]


def _csv_error(error: csv.Error, row: int) -> UnreadableFile:
    if "field larger than field limit" in str(error):
        return UnreadableFile(CELL_TOO_LONG, row=row, limit=MAX_CELL_CHARS)
    return UnreadableFile(CSV_DAMAGED_AT, row=row)


def _check_cells(number: int, cells: list) -> None:
    """The limits every row keeps (the caller checks the cheap total first)."""
    while len(cells) > MAX_COLUMNS and cells[-1] in (None, ""):
        cells.pop()
    if len(cells) > MAX_COLUMNS:
        raise UnreadableFile(TOO_MANY_COLUMNS, limit=MAX_COLUMNS)
    for cell in cells:
        if isinstance(cell, str) and len(cell) > MAX_CELL_CHARS:
            raise UnreadableFile(CELL_TOO_LONG, row=number, limit=MAX_CELL_CHARS)


def _check_position(number: int) -> None:
    if number > MAX_ROWS + 1:
        raise UnreadableFile(TOO_MANY_ROWS, limit=MAX_ROWS)


def _read_csv(data: bytes) -> Table:
    encoding = detect_encoding(data)
    stream = io.TextIOWrapper(
        io.BytesIO(data),
        encoding=encoding,
        errors="replace",
        newline="",
    )
    delimiter = sniff_delimiter(_header_line(data))
    reader = csv.reader(stream, delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration as exc:
        raise UnreadableFile(EMPTY) from exc
    except csv.Error as exc:
        raise _csv_error(exc, 1) from exc
    _check_cells(1, header)
    if not any(h.strip() for h in header):
        raise UnreadableFile(NO_HEADER)

    def rows():
        number = 1
        try:
            for number, cells in enumerate(reader, start=2):  # noqa: B007 - read after a failure
                if not any(cells):
                    _check_position(number)
                    continue
                if len(cells) > MAX_COLUMNS or max(map(len, cells)) > MAX_CELL_CHARS:
                    _check_cells(number, cells)
                _check_position(number)
                yield number, cells
        except csv.Error as exc:
            raise _csv_error(exc, number + 1) from exc

    return Table(
        [h.strip() for h in header],
        rows(),
        "csv",
        encoding,
        delimiter,
        size_hint=lambda: data.count(b"\n") - 1,
    )


def _check_package(data: bytes) -> None:
    """Refuse an XLSX package before any XML in it is parsed: not a workbook, too large
    unpacked, compressed beyond what a spreadsheet compresses, or holding a DTD."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        parts = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise UnreadableFile(XLSX_DAMAGED) from exc
    names = {part.filename for part in parts}
    if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
        raise UnreadableFile(NOT_XLSX)
    if len(parts) > MAX_XLSX_PARTS:
        raise UnreadableFile(XLSX_DAMAGED)
    unpacked = sum(part.file_size for part in parts)
    if unpacked > MAX_XLSX_UNPACKED:
        raise UnreadableFile(XLSX_TOO_LARGE, limit=MAX_XLSX_UNPACKED // (1024 * 1024))
    if unpacked > MAX_XLSX_RATIO * len(data) or any(
        part.file_size > RATIO_CHECKED_ABOVE
        and part.file_size > MAX_XLSX_RATIO * max(part.compress_size, 1)
        for part in parts
    ):
        raise UnreadableFile(XLSX_RATIO, limit=MAX_XLSX_RATIO)
    for part in parts:
        if part.file_size and part.filename.endswith((".xml", ".rels")):
            try:
                with archive.open(part) as stream:
                    head = stream.read(PROLOG_BYTES)
            except Exception as exc:  # bad CRC, zlib error, encrypted or unknown compression
                raise UnreadableFile(XLSX_DAMAGED) from exc
            _check_prolog(head)


def _check_prolog(head: bytes) -> None:
    """The root element must come before any ``<!DOCTYPE``/``<!ENTITY``; only the XML
    declaration, comments and whitespace may precede it."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in head[:256]:
        raise UnreadableFile(XLSX_DAMAGED)  # not UTF-8: we could not check it
    position = 0
    while True:
        position = head.find(b"<", position)
        if position < 0:
            raise UnreadableFile(XLSX_DAMAGED)
        if head.startswith(b"<?", position):
            end, step = head.find(b"?>", position), 2
        elif head.startswith(b"<!--", position):
            end, step = head.find(b"-->", position), 3
        elif head.startswith(b"<!", position):
            raise UnreadableFile(XLSX_DTD)
        else:
            return
        if end < 0:
            raise UnreadableFile(XLSX_DAMAGED)
        position = end + step


DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"[A-Z]+\d+(?::[A-Z]+(\d+))?\"")


def _first_sheet(data: bytes):
    """The workbook's first worksheet, read on demand. openpyxl's own ``load_workbook``
    would open every sheet and, to learn a sheet's size when the file does not declare
    it, parse the whole sheet: here only the strings, styles and workbook parts are read
    now, and the size is read from the sheet's first bytes (a hint for progress only)."""
    from openpyxl.reader.excel import ExcelReader
    from openpyxl.styles.stylesheet import apply_stylesheet
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    class FirstSheet(ReadOnlyWorksheet):
        declared_rows = 0

        def _get_size(self):
            with self._get_source() as source:
                found = DIMENSION.search(source.read(PROLOG_BYTES))
            self.declared_rows = int(found[1] or 1) if found else 0

    try:
        reader = ExcelReader(io.BytesIO(data), read_only=True, data_only=True)
        reader.read_manifest()
        reader.read_strings()
        reader.read_workbook()
        apply_stylesheet(reader.archive, reader.wb)
        sheets = [
            (sheet, rel)
            for sheet, rel in reader.parser.find_sheets()
            if "chartsheet" not in rel.Type
        ]
        if not sheets:
            raise UnreadableFile(XLSX_NO_SHEET)
        sheet, rel = sheets[0]
        if rel.target not in reader.valid_files:
            raise UnreadableFile(XLSX_MISSING_PART)
        return FirstSheet(reader.wb, sheet.name, rel.target, reader.shared_strings)
    except UnreadableFile:
        raise
    except KeyError as exc:  # a part the package lists is not in it
        raise UnreadableFile(XLSX_MISSING_PART) from exc
    except Exception as exc:  # whatever the reader meets in a damaged file
        raise UnreadableFile(XLSX_DAMAGED) from exc


def _read_xlsx(data: bytes) -> Table:
    _check_package(data)
    sheet = _first_sheet(data)
    workbook = sheet.parent
    declared_rows = sheet.declared_rows - 1
    # The rows are read as the sheet holds them: not cut at a declared size, nor padded
    # to it (openpyxl does both when a sheet declares one).
    values = iter(sheet.iter_rows(values_only=True))

    def next_row(number: int):
        try:
            return next(values)
        except StopIteration:
            return None
        except Exception as exc:  # whatever the reader meets in a damaged sheet
            workbook.close()
            raise UnreadableFile(XLSX_DAMAGED_AT, row=number) from exc

    first = next_row(1)
    if first is None:
        workbook.close()
        raise UnreadableFile(EMPTY)
    first = list(first)
    _check_cells(1, first)
    header = [("" if v is None else str(v)).strip() for v in first]
    if not any(header):
        workbook.close()
        raise UnreadableFile(NO_HEADER)

    def rows():
        number = 1
        while (cells := next_row(number + 1)) is not None:
            number += 1
            _check_position(number)
            if len(cells) > MAX_COLUMNS:
                cells = list(cells)
                _check_cells(number, cells)
            row = []
            filled = False
            for value in cells:
                if value is None or value == "":
                    row.append("")
                    continue
                filled = True
                if isinstance(value, str):
                    if len(value) > MAX_CELL_CHARS:
                        raise UnreadableFile(CELL_TOO_LONG, row=number, limit=MAX_CELL_CHARS)
                    row.append(value)
                else:
                    row.append(_xlsx_cell(value))
            if filled:
                yield number, row
        workbook.close()

    return Table(header, rows(), "xlsx", size_hint=lambda: declared_rows)


def _xlsx_cell(value: object) -> object:
    """Keep dates and numbers as they are (columns decide), anything else as text."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date | int | float):
        return value
    return str(value)
