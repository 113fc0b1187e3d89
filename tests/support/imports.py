"""Import files and batches the import tests build: synthetic people, their CSV, a batch
run as the page's two buttons run it, an upload through the page."""

from __future__ import annotations

import io
import random
from datetime import date

from portal.core.nik import SyntheticIds
from portal.models import ImportBatch
from portal.registry.imports import importing
from portal.registry.imports import tasks as import_tasks
from tests.factories import kecamatan

HEADER = "NIK;No KK;Nama;Jenis Kelamin;Tanggal Lahir;Alamat;Desa/Kelurahan;Keterampilan"


def people(count: int, code: str = "64.02.06", seed: int = 7) -> list[dict]:
    rng = random.Random(seed)
    ids = SyntheticIds(rng)
    rows = []
    for n in range(count):
        sex = "P" if n % 2 else "L"
        born = date(1950 + n % 50, 1 + n % 12, 1 + n % 28)
        rows.append(
            {
                "nik": ids.nik(code, born, sex),
                "kk": ids.kk(code, date(2010, 1, 1 + n % 28)),
                "name": f"Warga {n}",
                "sex": sex,
                "born": born.strftime("%d/%m/%Y"),
                "address": f"RT {n % 20:02d}",
                "desa": "Jahab",
                "skills": "Menjahit",
            }
        )
    return rows


def csv_of(rows: list[dict], header: str = HEADER) -> bytes:
    lines = [header] + [
        ";".join(
            [
                "'" + r["nik"],
                r["kk"],
                r["name"],
                r["sex"],
                r["born"],
                r["address"],
                r["desa"],
                r["skills"],
            ]
        )
        for r in rows
    ]
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def run(batch: ImportBatch, actor=None) -> ImportBatch:
    """Analyse, then commit, as the page's two buttons do."""
    import_tasks.start(batch, "analyse", actor)
    import_tasks.start(batch, "commit", actor)
    return batch


def new_batch(db, data: bytes, kec_code: str = "64.02.06", actor=None, **kwargs) -> ImportBatch:
    batch = importing.create_batch(
        actor,
        kwargs.pop("kind", "recipients"),
        kwargs.pop("source", "DTKS"),
        "dtks.csv",
        data,
        kecamatan(kec_code).id,
        **kwargs,
    )
    db.session.commit()
    return batch


def village_batch(db, village, data: bytes) -> ImportBatch:
    batch = importing.create_batch(
        village,
        "recipients",
        "PUSKESOS",
        "usulan.csv",
        data,
        village.kecamatan_id,
        desa_id=village.desa_id,
    )
    db.session.commit()
    return batch


def upload(client, data: bytes, **fields):
    form = {"kind": "recipients", "source": "DTKS", "default_category_id": "0", **fields}
    form["file"] = (io.BytesIO(data), "dtks.csv")
    return client.post("/registry/imports/new", data=form, content_type="multipart/form-data")
