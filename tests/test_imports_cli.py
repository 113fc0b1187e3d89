"""The command-line import's summary: each refusal reason once, as readable text."""

from __future__ import annotations

from sqlalchemy import select

from portal.models import ImportBatch
from tests.support.imports import csv_of, people


def refused_file(tmp_path):
    rows = people(8)
    rows[1]["nik"] = "6.40216E+15"  # scientific notation, twice
    rows[2]["nik"] = "6.40216E+15"
    rows[3]["born"] = "31/02/1990"
    rows[4]["born"] = "99/99/1999"
    rows[5]["nik"] = rows[0]["nik"]  # a duplicate of row 2
    rows[6]["desa"] = "Atlantis"
    path = tmp_path / "dtks.csv"
    path.write_bytes(csv_of(rows))
    return path


def test_cli_summary_prints_each_reason_readably(app, db, tmp_path):
    path = refused_file(tmp_path)
    result = app.test_cli_runner().invoke(
        args=["import-recipients", str(path), "--kecamatan", "64.02.06", "--dry-run"]
    )
    assert result.exit_code == 0, result.output
    assert "%(" not in result.output and ")s" not in result.output
    lines = [line.strip() for line in result.output.splitlines()]
    assert "2 added, 0 updated, 0 unchanged, 6 refused." in result.output
    scientific = [line for line in lines if "notasi ilmiah" in line]
    assert len(scientific) == 1 and scientific[0].startswith("2 ")
    assert "NIK 6.40216E+15" in scientific[0] and "(pertama di baris 3)" in scientific[0]
    dates = [line for line in lines if "bukan tanggal" in line]
    assert dates == [
        "2  '31/02/1990' bukan tanggal dengan format seperti 14/05/1980. (pertama di baris 5)"
    ]
    assert "1  NIK ini sudah ada di baris 2 berkas ini. (pertama di baris 7)" in lines
    assert any("Desa/kelurahan 'Atlantis' tidak berada di Kecamatan" in line for line in lines)


def test_the_import_page_lists_the_same_readable_reasons(app, db, login_as, client, tmp_path):
    login_as("officer")
    from tests.support.files import checked

    batch, page = checked(client, db, refused_file(tmp_path).read_bytes())
    assert batch.status == "previewed"
    assert "%(" not in page
    assert "NIK ini sudah ada di baris 2 berkas ini. (pertama di baris 7)" in page
    assert db.session.scalar(select(ImportBatch)).summary["examples"]
