"""Files as Indonesian offices really produce them (fixtures built here)."""

import io
from datetime import date

import openpyxl
import pytest

from portal.registry.imports.columns import (
    CellError,
    digits_cell,
    guess_mapping,
    parse_date,
    parse_rupiah,
    parse_sex,
)
from portal.registry.imports.parsing import UnreadableFile, read_table

ROWS = [
    ["NIK", "No KK", "Nama", "Jenis Kelamin", "Tanggal Lahir", "Alamat", "Desa/Kelurahan"],
    ["'6402065505800001", "6402060101100001", "Siti Aminah", "P", "15/05/1980", "RT 01", "Jahab"],
    ["6402061201750002", "6402060101100002", "Budi Hartono", "L", "12-01-1975", "RT 02", "Panji"],
]


def csv_bytes(rows, delimiter=",", encoding="utf-8", bom=False) -> bytes:
    text = "\r\n".join(delimiter.join(cells) for cells in rows) + "\r\n"
    data = text.encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


def all_rows(table):
    return list(table.rows)


@pytest.mark.parametrize("delimiter", [",", ";"])
@pytest.mark.parametrize("bom", [False, True])
def test_csv_with_either_delimiter_and_optional_bom(delimiter, bom):
    table = read_table(csv_bytes(ROWS, delimiter, bom=bom))
    assert table.header[0] == "NIK"
    assert table.delimiter == delimiter
    rows = all_rows(table)
    assert [n for n, _ in rows] == [2, 3]
    assert rows[0][1][2] == "Siti Aminah"


def test_windows_1252_names_survive():
    rows = [ROWS[0], ["6402061201750002", "6402060101100002", "Andi Mu\u00e7i", "L", "", "", ""]]
    table = read_table(csv_bytes(rows, ";", encoding="cp1252"))
    assert table.encoding == "cp1252"
    assert all_rows(table)[0][1][2] == "Andi Mu\u00e7i"


def test_blank_lines_are_skipped_but_row_numbers_stay_true():
    data = csv_bytes([ROWS[0], ROWS[1], [""] * 7, ROWS[2]])
    assert [n for n, _ in all_rows(read_table(data))] == [2, 4]


def test_xlsx_by_content_with_dates_and_text_niks():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(ROWS[0])
    sheet.append(["'6402065505800001", "6402060101100001", "Siti", "P", date(1980, 5, 15), "", ""])
    buffer = io.BytesIO()
    workbook.save(buffer)
    table = read_table(buffer.getvalue())
    assert table.kind == "xlsx"
    ((number, cells),) = all_rows(table)
    assert number == 2
    assert cells[4] == date(1980, 5, 15)
    assert digits_cell(cells[0], "NIK") == "6402065505800001"


def test_garbage_is_unreadable():
    with pytest.raises(UnreadableFile):
        read_table(b"PK\x03\x04 not really a zip")
    with pytest.raises(UnreadableFile):
        read_table(b"")


def test_usual_headers_are_recognised():
    mapping = guess_mapping(ROWS[0], ("nik", "kk", "name", "sex", "birth_date", "address", "desa"))
    assert mapping == {
        "nik": 0,
        "kk": 1,
        "name": 2,
        "sex": 3,
        "birth_date": 4,
        "address": 5,
        "desa": 6,
    }


@pytest.mark.parametrize("raw", ["6.40216E+15", "6,40216E+15", "6.402061505800001e15"])
def test_scientific_notation_nik_is_refused_with_the_reason(raw):
    with pytest.raises(CellError) as error:
        digits_cell(raw, "NIK")
    assert "scientific notation" in str(error.value)


def test_float_cell_nik_is_refused():
    with pytest.raises(CellError):
        digits_cell(6.40216e15, "NIK")


def test_apostrophe_and_spaces_are_removed():
    assert digits_cell("'6402 0655 0580 0001", "NIK") == "6402065505800001"


@pytest.mark.parametrize("raw", ["14/05/1980", "14-05-1980", "1980-05-14", date(1980, 5, 14)])
def test_dates_in_office_formats(raw):
    assert parse_date(raw) == date(1980, 5, 14)


def test_impossible_date_is_a_cell_error():
    with pytest.raises(CellError):
        parse_date("31/02/1980")


@pytest.mark.parametrize(
    ("raw", "sex"), [("L", "L"), ("Laki-laki", "L"), ("P", "P"), ("Perempuan", "P"), ("", None)]
)
def test_sex_codes(raw, sex):
    assert parse_sex(raw) == sex


def test_rupiah_amounts():
    assert parse_rupiah("Rp 1.500.000") == 1_500_000
    assert parse_rupiah("250000") == 250_000
    with pytest.raises(CellError):
        parse_rupiah("banyak")
