"""Files that are not lists, damaged lists and oversized lists: each gets a clear message
on the upload page or the import's page, never a 500 and never a stuck import. The
malformed files are built here, small."""

from __future__ import annotations

import io
import os
import random
import zipfile
from xml.sax.saxutils import escape

import pytest
from sqlalchemy import func, select

from portal.models import ImportBatch, Job
from portal.registry.imports import importing, parsing
from tests.support.files import checked, upload
from tests.support.imports import csv_of, people

# --- files built for the tests ---------------------------------------------------------

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    '<Override PartName="/xl/styles.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    "</Types>"
)
PACKAGE_RELS = (
    f'<Relationships xmlns="{RELS}"><Relationship Id="rId1" '
    f'Type="{DOC_RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    f'<workbook xmlns="{MAIN}" xmlns:r="{DOC_RELS}"><sheets>'
    '<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    f'<Relationships xmlns="{RELS}">'
    f'<Relationship Id="rId1" Type="{DOC_RELS}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{DOC_RELS}/sharedStrings" Target="sharedStrings.xml"/>'
    f'<Relationship Id="rId3" Type="{DOC_RELS}/styles" Target="styles.xml"/>'
    "</Relationships>"
)
STYLES = (  # style 1 is a date
    f'<styleSheet xmlns="{MAIN}"><fonts count="1"><font><sz val="11"/><name val="Calibri"/>'
    '</font></fonts><fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
    '<borders count="1"><border/></borders><cellStyleXfs count="1"><xf numFmtId="0" '
    'fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="2"><xf numFmtId="0" '
    'fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="14" fontId="0" fillId="0" '
    'borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs><cellStyles count="1">'
    '<cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'
)
SHARED = ("NIK", "Nama")


def cell(ref: str, value) -> str:
    if isinstance(value, tuple):  # raw: (attributes, inner XML)
        return f'<c r="{ref}" {value[0]}>{value[1]}</c>'
    if isinstance(value, int):
        return f'<c r="{ref}"><v>{value}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(value)}</t></is></c>'


def sheet_xml(rows: list[list], prolog: str = "") -> str:
    body = "".join(
        f'<row r="{n}">'
        + "".join(cell(f"{chr(65 + i)}{n}", v) for i, v in enumerate(cells))
        + "</row>"
        for n, cells in enumerate(rows, start=1)
    )
    return f'{prolog}<worksheet xmlns="{MAIN}"><sheetData>{body}</sheetData></worksheet>'


def shared_xml(strings=SHARED, prolog: str = "") -> str:
    items = "".join(f"<si><t>{escape(s)}</t></si>" for s in strings)
    return f'{prolog}<sst xmlns="{MAIN}" count="{len(strings)}">{items}</sst>'


def person_rows(count: int) -> list[list]:
    """A header from the shared strings, then people as inline strings."""
    header = [('t="s"', "<v>0</v>"), ('t="s"', "<v>1</v>")]
    return [header] + [["'" + p["nik"], p["name"]] for p in people(count)]


def package(parts: dict[str, str | bytes], drop: tuple[str, ...] = ()) -> bytes:
    """An XLSX package from its parts (the usual ones unless given or dropped)."""
    members = {
        "[Content_Types].xml": CONTENT_TYPES,
        "_rels/.rels": PACKAGE_RELS,
        "xl/workbook.xml": WORKBOOK,
        "xl/_rels/workbook.xml.rels": WORKBOOK_RELS,
        "xl/styles.xml": STYLES,
        "xl/sharedStrings.xml": shared_xml(),
        "xl/worksheets/sheet1.xml": sheet_xml(person_rows(3)),
        **parts,
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            if name not in drop:
                archive.writestr(name, content)
    return out.getvalue()


def with_row(n: int, broken, count: int = 3) -> bytes:
    """People in a sheet whose row ``n`` holds one broken cell."""
    rows = person_rows(count)
    rows[n - 1] = [rows[n - 1][0], broken]
    return package({"xl/worksheets/sheet1.xml": sheet_xml(rows)})


ENTITIES = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
)

# --- helpers ---------------------------------------------------------------------------


def refused_at_upload(client, db, data: bytes, name: str = "dtks.csv", source="DTKS") -> str:
    response = upload(client, data, name, source)
    page = response.get_data(as_text=True)
    assert response.status_code == 200, page[:500]
    assert 'aria-invalid="true"' in page  # beside the file field, the form kept
    assert db.session.scalar(select(func.count()).select_from(ImportBatch)) == 0
    return page


def assert_stopped_with(db, batch: ImportBatch, page: str, words: str) -> None:
    """The check stopped, says why on the import's page, and the job is not left running."""
    assert batch.status == "uploaded"
    assert words in page, page
    assert "Berkas ini tidak dapat diimpor." in page
    job = db.session.get(Job, batch.job_id)
    assert job.state == "failed" and job.message


# --- not a table -----------------------------------------------------------------------


@pytest.mark.parametrize("role", ["officer", "village"])
def test_a_pdf_is_refused_by_its_content(login_as, client, db, role):
    login_as(role)
    # Test uploads stay under 500 KB: werkzeug's test client leaks the file it spools them to.
    pdf = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + os.urandom(400 * 1024)
    page = refused_at_upload(client, db, pdf, "dtks.csv", source="PUSKESOS")
    assert "Ini dokumen PDF, bukan tabel." in page


@pytest.mark.parametrize(
    "html",
    [
        b"<!DOCTYPE html><html><head><title>Login</title></head><body>" + b"x" * 200_000,
        b"\xef\xbb\xbf\r\n  <html lang='id'><body><table><tr><td>NIK</td></tr></table>",
        b"NIK;Nama\r\n<html><body>" + b"a,b;" * 50_000,
    ],
)
def test_an_html_page_renamed_csv_is_refused(login_as, client, db, html):
    login_as("officer")
    page = refused_at_upload(client, db, html)
    assert "Ini halaman web (HTML), bukan tabel" in page


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "berkas Excel lama (.xls)"),
        (b"\x89PNG\r\n\x1a\n" + os.urandom(500), "Berkas ini tidak dapat dibaca."),
        (os.urandom(5000).replace(b"\x00", b"\x01"), "Berkas ini tidak dapat dibaca."),
        (b"", "Berkas ini kosong"),
        (b"\r\n\r\nNIK;Nama\r\n", "Baris pertama berkas ini kosong"),
    ],
)
def test_other_files_are_refused_with_what_they_are(login_as, client, db, data, words):
    login_as("officer")
    page = refused_at_upload(client, db, data)
    assert words in page


def test_a_bom_before_bytes_that_are_not_utf8_still_reads(login_as, client, db):
    login_as("officer")
    data = b"\xef\xbb\xbf" + csv_of(people(12)).replace(b"Warga 11", b"Warga \xe9")
    batch, _page = checked(client, db, data)
    assert (batch.status, batch.total_rows) == ("previewed", 12)


def test_a_zip_that_is_not_a_workbook_is_refused(login_as, client, db):
    login_as("officer")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
    page = refused_at_upload(client, db, out.getvalue(), "dtks.xlsx")
    assert "bukan buku kerja XLSX" in page


# --- limits ----------------------------------------------------------------------------


@pytest.mark.parametrize("columns", [201, 100_000])
def test_more_than_200_columns_is_refused_at_upload(login_as, client, db, columns):
    login_as("officer")
    header = ";".join("K" for n in range(columns))
    page = refused_at_upload(client, db, (header + "\r\n1;2\r\n").encode())
    assert "lebih dari 200 kolom" in page
    assert len(page) < 200_000


def test_200_columns_are_accepted_and_the_mapping_page_stays_small(login_as, client, db):
    login_as("officer")
    header = ["NIK", "Nama"] + [f"Kolom {n} " + "x" * 1_000 for n in range(198)]
    row = ["'6402065505800001", "Siti"] + ["y" * 1_000] * 198
    data = (";".join(header) + "\r\n" + ";".join(row) + "\r\n").encode()
    assert upload(client, data).status_code == 302
    batch = db.session.scalar(select(ImportBatch))
    page = client.get(f"/registry/imports/{batch.id}/mapping")
    assert page.status_code == 200
    assert len(page.get_data()) < 1_000_000


@pytest.mark.parametrize("length", [32_768, 140_000])
def test_a_cell_longer_than_excel_allows_is_refused_at_upload(login_as, client, db, length):
    login_as("officer")
    data = f"NIK;Nama\r\n'6402065505800001;{'A' * length}\r\n".encode()
    page = refused_at_upload(client, db, data)
    assert "Baris 2 memiliki sel yang lebih panjang dari 32767 karakter" in page


def test_a_cell_of_32767_characters_is_accepted(login_as, client, db):
    login_as("officer")
    data = f"NIK;Nama\r\n'6402065505800001;{'A' * 32_767}\r\n".encode()
    assert upload(client, data).status_code == 302


@pytest.mark.parametrize("length", [40_000, 140_000])
def test_a_long_cell_far_in_the_file_stops_the_check_with_its_row(login_as, client, db, length):
    login_as("officer")
    rows = people(30)
    rows[24]["address"] = "A" * length
    batch, page = checked(client, db, csv_of(rows))
    assert_stopped_with(db, batch, page, "Baris 26 memiliki sel yang lebih panjang")


def test_more_rows_than_the_limit_stops_the_check(login_as, client, db, monkeypatch):
    monkeypatch.setattr(parsing, "MAX_ROWS", 20)
    login_as("officer")
    batch, page = checked(client, db, csv_of(people(25)))
    assert_stopped_with(db, batch, page, "lebih dari 20 baris")
    assert "Unggah berkas lain" in page
    mapping = client.get(f"/registry/imports/{batch.id}/mapping").get_data(as_text=True)
    assert "Pemeriksaan terakhir berkas ini berhenti: Berkas ini memiliki lebih dari 20" in mapping


def test_a_file_of_blank_lines_is_bounded_too(login_as, client, db, monkeypatch):
    """Blank rows count against the limit, so looking for the first rows stays bounded."""
    monkeypatch.setattr(parsing, "MAX_ROWS", 1000)
    login_as("officer")
    page = refused_at_upload(client, db, csv_of(people(1)) + b"\r\n" * 5000)
    assert "lebih dari 1000 baris" in page


def test_the_upload_reads_only_the_first_rows(login_as, client, db, monkeypatch):
    """Counting and checking belong to the background job; the mapping page shows the
    rows kept at upload and never reads the file again."""
    login_as("officer")
    rows = people(40)
    rows[35]["address"] = "A" * 50_000  # past the preview: found by the check only
    assert upload(client, csv_of(rows)).status_code == 302
    batch = db.session.scalar(select(ImportBatch))
    assert batch.total_rows == 0

    def no_reading(_data):
        raise AssertionError("the mapping page read the file")

    monkeypatch.setattr(importing, "read_table", no_reading)
    page = client.get(f"/registry/imports/{batch.id}/mapping").get_data(as_text=True)
    assert "Warga 0" in page and "Warga 9" in page and "Warga 10" not in page


def test_the_check_counts_the_rows(login_as, client, db):
    login_as("officer")
    batch, _page = checked(client, db, csv_of(people(12)))
    assert (batch.status, batch.total_rows) == ("previewed", 12)


# --- XLSX packages ---------------------------------------------------------------------


def test_a_well_formed_package_imports(login_as, client, db):
    login_as("officer")
    batch, _page = checked(client, db, package({}), "dtks.xlsx")
    assert batch.status == "previewed"
    assert batch.summary["counts"]["added"] == 3


def test_an_xlsx_bomb_is_refused_by_its_ratio_before_it_is_read(login_as, client, db):
    login_as("officer")
    sheet = sheet_xml(person_rows(3)).replace("<sheetData>", "<sheetData>" + " " * 5_000_000)
    page = refused_at_upload(client, db, package({"xl/worksheets/sheet1.xml": sheet}), "a.xlsx")
    assert "lebih dari 100 kali ukurannya sendiri" in page


def test_an_xlsx_too_large_unpacked_is_refused(login_as, client, db, monkeypatch):
    monkeypatch.setattr(parsing, "MAX_XLSX_UNPACKED", 1024 * 1024)
    login_as("officer")
    noise = "".join(random.choice("ab") for _ in range(1_100_000))  # packs about 6:1
    data = package({"docProps/custom.xml": f"<x>{noise}</x>"})
    page = refused_at_upload(client, db, data, "dtks.xlsx")
    assert "lebih dari 1 MB" in page


@pytest.mark.parametrize(
    "part",
    ["xl/worksheets/sheet1.xml", "xl/sharedStrings.xml", "xl/workbook.xml", "[Content_Types].xml"],
)
def test_entity_declarations_are_refused(login_as, client, db, part):
    login_as("officer")
    parts = {
        "xl/worksheets/sheet1.xml": sheet_xml(person_rows(3), prolog=ENTITIES),
        "xl/sharedStrings.xml": shared_xml(prolog=ENTITIES),
        "xl/workbook.xml": ENTITIES + WORKBOOK,
        "[Content_Types].xml": CONTENT_TYPES.replace("?>", "?>" + ENTITIES[21:], 1),
    }
    page = refused_at_upload(client, db, package({part: parts[part]}), "dtks.xlsx")
    assert "deklarasi XML (DTD atau entitas)" in page


def test_a_doctype_after_a_long_comment_is_found_too():
    sheet = "<!--" + " " * 100 + "-->" + ENTITIES[21:] + sheet_xml(person_rows(1))
    with pytest.raises(parsing.UnreadableFile) as refused:
        parsing.read_table(package({"xl/worksheets/sheet1.xml": sheet}))
    assert refused.value.message == parsing.XLSX_DTD


def test_a_missing_sheet_is_refused(login_as, client, db):
    login_as("officer")
    data = package({}, drop=("xl/worksheets/sheet1.xml",))
    page = refused_at_upload(client, db, data, "dtks.xlsx")
    assert "Berkas XLSX ini tidak lengkap" in page


def test_a_workbook_without_sheets_is_refused(login_as, client, db):
    login_as("officer")
    workbook = f'<workbook xmlns="{MAIN}" xmlns:r="{DOC_RELS}"><sheets/></workbook>'
    page = refused_at_upload(client, db, package({"xl/workbook.xml": workbook}), "dtks.xlsx")
    assert "tidak memiliki lembar kerja" in page


@pytest.mark.parametrize(
    "data",
    [
        package({})[:-200],  # cut short: no central directory
        b"PK\x03\x04" + os.urandom(3000),
    ],
)
def test_a_broken_zip_is_refused(login_as, client, db, data):
    login_as("officer")
    page = refused_at_upload(client, db, data, "dtks.xlsx")
    assert "Berkas XLSX ini rusak dan tidak dapat dibaca" in page


BROKEN_CELLS = {
    "shared string index": ('t="s"', "<v>99</v>"),
    "shared string text": ('t="s"', "<v>x</v>"),
    "number": ('t="n"', "<v>dua</v>"),
    "date": ('t="d"', "<v>14 Mei 1980</v>"),
}


@pytest.mark.parametrize("broken", BROKEN_CELLS.values(), ids=BROKEN_CELLS.keys())
def test_a_broken_cell_in_the_first_rows_is_refused_at_upload(login_as, client, db, broken):
    login_as("officer")
    page = refused_at_upload(client, db, with_row(3, broken), "dtks.xlsx")
    assert "Berkas XLSX ini rusak di baris 3" in page


@pytest.mark.parametrize("broken", BROKEN_CELLS.values(), ids=BROKEN_CELLS.keys())
def test_a_broken_cell_further_on_stops_the_check_with_its_row(login_as, client, db, broken):
    login_as("officer")
    batch, page = checked(client, db, with_row(25, broken, count=30), "dtks.xlsx")
    assert_stopped_with(db, batch, page, "Berkas XLSX ini rusak di baris 25")


def test_a_bad_cell_reference_is_refused(login_as, client, db):
    login_as("officer")
    rows = person_rows(30)
    sheet = sheet_xml(rows).replace('r="B20"', 'r="20B"')
    batch, page = checked(client, db, package({"xl/worksheets/sheet1.xml": sheet}), "dtks.xlsx")
    assert_stopped_with(db, batch, page, "Berkas XLSX ini rusak di baris 20")


def test_a_truncated_sheet_stops_the_check(login_as, client, db):
    login_as("officer")
    sheet = sheet_xml(person_rows(40))
    cut = sheet[: sheet.index('<row r="30">') + 20]
    batch, page = checked(client, db, package({"xl/worksheets/sheet1.xml": cut}), "dtks.xlsx")
    assert_stopped_with(db, batch, page, "Berkas XLSX ini rusak di baris")


def test_a_sheet_truncated_in_its_first_rows_is_refused_at_upload(login_as, client, db):
    login_as("officer")
    sheet = sheet_xml(person_rows(5))
    cut = sheet[: sheet.index('<row r="3">') + 15]
    page = refused_at_upload(client, db, package({"xl/worksheets/sheet1.xml": cut}), "a.xlsx")
    assert "Berkas XLSX ini rusak di baris 3" in page


def test_a_date_beyond_the_calendar_refuses_its_row_only(login_as, client, db):
    login_as("officer")
    rows = person_rows(3)
    rows[0].append("Tanggal Lahir")
    rows[2].append(('s="1"', "<v>99999999999</v>"))  # styled as a date, in no calendar
    data = package({"xl/worksheets/sheet1.xml": sheet_xml(rows)})
    batch, page = checked(client, db, data, "dtks.xlsx")
    assert batch.status == "previewed"
    counts = batch.summary["counts"]
    assert (counts.get("added"), counts.get("refused")) == (2, 1)
    assert "bukan tanggal" in page


def test_an_xlsx_cell_longer_than_excel_allows_is_refused(login_as, client, db):
    login_as("officer")
    page = refused_at_upload(client, db, with_row(2, "A" * 32_768), "dtks.xlsx")
    assert "Baris 2 memiliki sel yang lebih panjang" in page


def test_an_xlsx_with_more_than_200_columns_is_refused(login_as, client, db):
    login_as("officer")
    header = "".join(f'<c r="{_col(n)}1"><v>{n}</v></c>' for n in range(1, 203))
    sheet = (
        f'<worksheet xmlns="{MAIN}"><sheetData><row r="1">{header}</row></sheetData></worksheet>'
    )
    page = refused_at_upload(client, db, package({"xl/worksheets/sheet1.xml": sheet}), "a.xlsx")
    assert "lebih dari 200 kolom" in page


def test_a_declared_size_far_off_changes_nothing(login_as, client, db):
    """A dimension of A1:XFD1 must neither cut the rows nor pad each to 16,384 columns."""
    login_as("officer")
    sheet = sheet_xml(person_rows(3)).replace(
        "<sheetData>", '<dimension ref="A1:XFD1"/><sheetData>'
    )
    batch, _page = checked(client, db, package({"xl/worksheets/sheet1.xml": sheet}), "a.xlsx")
    assert batch.summary["counts"]["added"] == 3
    assert max(len(cells) for _, cells in batch.summary["preview"]) == 2


def _col(n: int) -> str:
    letters = ""
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


# --- the command line takes the same path ----------------------------------------------


def test_the_cli_refuses_a_bad_file_with_the_same_message(app, db, tmp_path):
    path = tmp_path / "dtks.csv"
    path.write_bytes(b"<!DOCTYPE html><html><body>Masuk</body></html>")
    result = app.test_cli_runner().invoke(
        args=["import-recipients", str(path), "--kecamatan", "64.02.06"]
    )
    assert result.exit_code == 1
    assert "Ini halaman web (HTML), bukan tabel" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_the_cli_aid_import_refuses_a_bad_file_too(app, db, tmp_path):
    path = tmp_path / "pkh.csv"
    path.write_bytes(b"%PDF-1.4\n" + os.urandom(1000))
    result = app.test_cli_runner().invoke(args=["import-aid", str(path), "--source", "PKH"])
    assert result.exit_code == 1
    assert "Ini dokumen PDF, bukan tabel." in result.output


def test_the_cli_says_why_the_check_stopped(app, db, tmp_path, monkeypatch):
    monkeypatch.setattr(parsing, "MAX_ROWS", 12)
    path = tmp_path / "dtks.csv"
    path.write_bytes(csv_of(people(15)))
    result = app.test_cli_runner().invoke(
        args=["import-recipients", str(path), "--kecamatan", "64.02.06"]
    )
    assert result.exit_code == 1
    assert "lebih dari 12 baris" in result.output
    batch = db.session.scalar(select(ImportBatch))
    assert batch.status == "rolled_back"


def test_openpyxl_parses_with_defusedxml_behind_our_own_check():
    """A second line: what slips past the package check still meets a parser that
    refuses entity declarations."""
    import openpyxl

    assert openpyxl.DEFUSEDXML is True
