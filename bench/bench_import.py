"""Import of a generated 100,000-row CSV (1% bad rows) through the upload's code path,
against a bare ``executemany`` insert of the same valid rows into the same table."""

from __future__ import annotations

import random
from datetime import date

from sqlalchemy import delete, func, select

from bench.common import Figure, bench_app, is_postgres, timed
from portal.core.bulk import insert_rows
from portal.core.dates import utcnow
from portal.core.nik import SyntheticIds
from portal.extensions import db
from portal.models import Desa, ImportBatch, Kecamatan, Recipient
from portal.models.registry import recipient_sector, recipient_target_group
from portal.registry.imports import importing

ROWS = 100_000
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


def bare_insert(kecamatan_id: int, desa_ids: dict[str, int], rows: list[dict]) -> float:
    """The floor: one driver executemany of the valid rows (the columns an import writes)
    into the recipient table, values already cleaned, nothing checked."""
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
    values = [
        (
            r["nik"],
            r["kk"],
            r["name"],
            r["sex"],
            r["birth_date"],
            r["birth_place"],
            r["address"],
            r["phone"],
            r["source_id"],
            desa_ids[r["desa"]],
        )
        for r in rows
    ]

    def insert():
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


def run(database_url: str) -> list[Figure]:
    app = bench_app(database_url)
    engine = "PostgreSQL" if is_postgres(database_url) else "SQLite"
    with app.app_context():
        kecamatan = db.session.scalar(select(Kecamatan).where(Kecamatan.code == KECAMATAN))
        desas = {
            d.name: d.id
            for d in db.session.scalars(select(Desa).where(Desa.kecamatan_id == kecamatan.id))
        }
        valid, data = generate_rows(sorted(desas))
        bare = bare_insert(kecamatan.id, desas, valid)
        clear()
        check, commit, batch = upload_path(kecamatan.id, data)
        count = db.session.scalar(select(func.count()).select_from(Recipient))
        ok_rows = batch.added == len(valid) == count and batch.refused == ROWS // BAD_EVERY
        db.engine.dispose()
    return figures(engine, bare, check, commit, ok_rows)


def figures(engine: str, bare: float, check: float, commit: float, ok_rows: bool) -> list[Figure]:
    """Both readings against the targets: the import itself (the chunked commit), and the
    whole upload path (the check of the file the officer sees first, then the commit)."""
    total = check + commit
    sqlite = engine == "SQLite"

    def wall(seconds: float) -> tuple[str, bool]:
        return ("<= 6 s", seconds <= 6) if sqlite else ("reported", True)

    return [
        Figure(
            f"bare executemany of the valid rows ({engine})", round(bare, 2), "s", "reference", True
        ),
        Figure(
            f"import: check of the whole file ({engine})", round(check, 2), "s", "reported", True
        ),
        Figure(
            f"import: commit in chunks ({engine})",
            round(commit, 2),
            "s",
            wall(commit)[0],
            ok_rows and wall(commit)[1],
        ),
        Figure(
            f"import: commit / bare executemany ({engine})",
            round(commit / bare, 2),
            "x",
            "<= 3x",
            ok_rows and commit / bare <= 3,
        ),
        Figure(
            f"import: check + commit ({engine})",
            round(total, 2),
            "s",
            wall(total)[0],
            ok_rows and wall(total)[1],
        ),
        Figure(
            f"import: check + commit / bare executemany ({engine})",
            round(total / bare, 2),
            "x",
            "<= 3x",
            ok_rows and total / bare <= 3,
        ),
    ]
