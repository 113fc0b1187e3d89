"""Import of a generated 100,000-row CSV (1% bad rows) through the upload's code path,
against a bare ``executemany`` insert of the same valid rows into the same table."""

from __future__ import annotations

import csv
import io
import os
import random
import subprocess
import sys
import tempfile
from datetime import date

from sqlalchemy import delete, func, select

from bench.common import ROOT, Figure, bench_app, is_postgres, median, timed
from portal.core.bulk import insert_rows
from portal.core.dates import utcnow
from portal.core.nik import SyntheticIds
from portal.extensions import db
from portal.models import Desa, ImportBatch, Kecamatan, Recipient
from portal.models.registry import recipient_sector, recipient_target_group
from portal.registry.imports import importing

ROWS = 100_000
RUNS = int(os.environ.get("BENCH_RUNS") or 3)
BAD_EVERY = 100  # 1% bad rows
KECAMATAN = "64.02.06"
HEADER = (
    "NIK;No KK;Nama;Jenis Kelamin;Tanggal Lahir;Tempat Lahir;Alamat;Desa/Kelurahan;No HP;ID DTKS"
)
FIRST = ("Siti", "Nur", "Ahmad", "Budi", "Dewi", "Rahmat", "Sri", "Agus", "Fitri", "Hendra")
LAST = ("Aminah", "Hidayat", "Santoso", "Lestari", "Saputra", "Wahyuni", "Rahman", "Kurnia")


def generate_rows(desas: list[str]) -> tuple[list[dict], bytes]:
    """The valid rows as column values, and the CSV file with 1% bad rows mixed in."""
    rng = random.Random(42)
    ids = SyntheticIds(rng)
    valid, lines = [], [HEADER]
    for n in range(ROWS):
        sex = "P" if n % 2 else "L"
        born = date(1940 + rng.randrange(60), 1 + rng.randrange(12), 1 + rng.randrange(28))
        row = {
            "nik": ids.nik(KECAMATAN, born, sex),
            "kk": ids.kk(KECAMATAN, date(2005 + n % 18, 1 + n % 12, 1 + n % 28)),
            "name": f"{rng.choice(FIRST)} {rng.choice(LAST)}",
            "sex": sex,
            "birth_date": born,
            "birth_place": "Tenggarong",
            "address": f"RT {n % 40:02d}",
            "desa": rng.choice(desas),
            "phone": f"08{rng.randrange(10**9, 10**10)}",
            "source_id": f"DTKS-{n:07d}",
        }
        bad = n % BAD_EVERY == 0
        nik = "6.40216E+15" if bad else "'" + row["nik"]
        lines.append(
            ";".join(
                [
                    nik,
                    row["kk"],
                    row["name"],
                    row["sex"],
                    born.strftime("%d/%m/%Y"),
                    row["birth_place"],
                    row["address"],
                    row["desa"],
                    row["phone"],
                    row["source_id"],
                ]
            )
        )
        if not bad:
            valid.append(row)
    return valid, ("\r\n".join(lines) + "\r\n").encode("utf-8")


def bare_insert(kecamatan_id: int, desa_ids: dict[str, int], data: bytes) -> float:
    """The floor: a bare ``csv`` parse of the file and one driver executemany of its valid
    rows (the columns an import writes) into the indexed recipient table; nothing checked
    beyond skipping the rows whose NIK is visibly broken."""
    now = utcnow()
    columns = (
        "nik",
        "kk",
        "name",
        "sex",
        "birth_date",
        "birth_place",
        "address",
        "phone",
        "source_id",
        "desa_id",
    )
    constants = {
        "kecamatan_id": kecamatan_id,
        "source": "DTKS",
        "validation_status": "pending",
        "rejection_reason": "",
        "active": True,
        "created_at": now,
        "updated_at": now,
    }

    def insert():
        reader = csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";")
        next(reader)
        values = [
            (
                nik.lstrip("'"),
                kk,
                name,
                sex,
                date(int(born[6:]), int(born[3:5]), int(born[:2])),
                place,
                address,
                phone,
                source_id,
                desa_ids[desa],
            )
            for nik, kk, name, sex, born, place, address, desa, phone, source_id in reader
            if "E+" not in nik
        ]
        insert_rows(db.session, Recipient.__table__, columns, values, constants)
        db.session.commit()

    seconds, _ = timed(insert)
    return seconds


def upload_path(kecamatan_id: int, data: bytes) -> tuple[float, float, ImportBatch]:
    """Create the batch, check the whole file, commit it: what the upload page runs."""

    def check():
        batch = importing.create_batch(None, "recipients", "DTKS", "dtks.csv", data, kecamatan_id)
        db.session.commit()
        importing.analyse(batch)
        return batch

    check_seconds, batch = timed(check)

    def commit():
        batch.status = "running"
        db.session.commit()
        return importing.commit(batch)

    commit_seconds, batch = timed(commit)
    return check_seconds, commit_seconds, batch


def clear() -> None:
    for table in (recipient_target_group, recipient_sector):
        db.session.execute(delete(table))
    db.session.execute(delete(Recipient))
    db.session.commit()


def cli_import(database_url: str, data: bytes) -> tuple[float, str]:
    """Wall time of ``flask import-recipients`` on the file, start-up included."""
    with tempfile.TemporaryDirectory(prefix="sinergi-bench-cli-") as folder:
        path = os.path.join(folder, "dtks.csv")
        with open(path, "wb") as file:
            file.write(data)
        env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "bench-secret"}
        command = [sys.executable, "-m", "flask", "--app", "wsgi", "import-recipients", path]
        seconds, done = timed(
            lambda: subprocess.run(
                [*command, "--kecamatan", KECAMATAN],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
                timeout=600,
            )
        )
    if done.returncode != 0:
        raise RuntimeError(f"import-recipients failed: {done.stderr[-500:]}")
    return seconds, done.stdout


def run(database_url: str) -> list[Figure]:
    """Each reading RUNS times (the floor, the upload path and the CLI in turn, on an
    emptied table), medians reported."""
    app = bench_app(database_url)
    engine = "PostgreSQL" if is_postgres(database_url) else "SQLite"
    readings: dict[str, list[float]] = {"bare": [], "check": [], "commit": [], "cli": []}
    ok_rows = True
    with app.app_context():
        kecamatan = db.session.scalar(select(Kecamatan).where(Kecamatan.code == KECAMATAN))
        desas = {
            d.name: d.id
            for d in db.session.scalars(select(Desa).where(Desa.kecamatan_id == kecamatan.id))
        }
        valid, data = generate_rows(sorted(desas))
        kecamatan_id = kecamatan.id
        for _ in range(RUNS):
            readings["bare"].append(bare_insert(kecamatan_id, desas, data))
            ok_rows &= _count() == len(valid)
            clear()
            check, commit, batch = upload_path(kecamatan_id, data)
            readings["check"].append(check)
            readings["commit"].append(commit)
            ok_rows &= batch.added == len(valid) == _count()
            ok_rows &= batch.refused == ROWS // BAD_EVERY
            clear()
            db.session.remove()
            cli, output = cli_import(database_url, data)
            readings["cli"].append(cli)
            ok_rows &= _count() == len(valid) and f"{len(valid)} added" in output
            clear()
        db.engine.dispose()
    totals = [c + m for c, m in zip(readings["check"], readings["commit"], strict=True)]
    return figures(
        engine,
        {**{k: median(v) for k, v in readings.items()}, "total": median(totals)},
        ok_rows,
    )


def _count() -> int:
    return db.session.scalar(select(func.count()).select_from(Recipient))


def figures(engine: str, seconds: dict[str, float], ok_rows: bool) -> list[Figure]:
    """The CLI's wall time (start-up, check and commit) and the upload path's check and
    commit, each against the bare parse + executemany (medians of the same runs)."""
    sqlite = engine == "SQLite"
    bare = seconds["bare"]

    def wall(name: str, value: float) -> Figure:
        target, passed = ("<= 6 s", value <= 6) if sqlite else ("reported", True)
        return Figure(f"{name} ({engine})", round(value, 2), "s", target, ok_rows and passed)

    def ratio(name: str, value: float) -> Figure:
        value /= bare
        return Figure(
            f"{name} / bare ({engine})", round(value, 2), "x", "<= 3x", ok_rows and value <= 3
        )

    runs = f"median of {RUNS}"
    return [
        Figure(
            f"bare csv parse + executemany, {ROWS:,} rows ({engine}, {runs})",
            round(bare, 2),
            "s",
            "reference",
            True,
        ),
        Figure(
            f"import: check of the whole file ({engine})",
            round(seconds["check"], 2),
            "s",
            "reported",
            True,
        ),
        Figure(
            f"import: commit of the checked rows ({engine})",
            round(seconds["commit"], 2),
            "s",
            "reported",
            True,
        ),
        wall("import: check + commit", seconds["total"]),
        ratio("import: check + commit", seconds["total"]),
        wall("flask import-recipients, wall time with start-up", seconds["cli"]),
        ratio("flask import-recipients", seconds["cli"]),
    ]
