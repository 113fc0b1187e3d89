"""Kukar's kecamatan and desa/kelurahan, loaded from the data file shipped in the package."""

from __future__ import annotations

import csv
from functools import cache
from importlib import resources

from sqlalchemy import select

from portal.extensions import db
from portal.models import Desa, Kecamatan, KecamatanOffice

REGENCY_CODE = "64.02"
REGENCY_NAME = "Kutai Kartanegara"


def _data_file(name: str):
    return resources.files("portal").joinpath("data", "regions", name)


def region_rows() -> list[dict]:
    with _data_file("kukar.csv").open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


@cache
def province_codes() -> frozenset[str]:
    """Today's province codes, for checking NIKs."""
    with _data_file("provinces.csv").open(encoding="utf-8") as f:
        return frozenset(row["code"] for row in csv.DictReader(f))


def load_regions() -> tuple[int, int]:
    """Insert or update every kecamatan and desa; returns (added, updated). Idempotent."""
    rows = region_rows()
    kecamatan = {k.code: k for k in db.session.scalars(select(Kecamatan))}
    desas = {d.code: d for d in db.session.scalars(select(Desa))}
    added = updated = 0
    for row in (r for r in rows if r["level"] == "kecamatan"):
        added, updated = _upsert(kecamatan, Kecamatan, row, {}, added, updated)
    db.session.flush()
    for kec in kecamatan.values():
        if kec.office is None:
            db.session.add(KecamatanOffice(kecamatan=kec, address=f"Kecamatan {kec.name}"))
    for row in (r for r in rows if r["level"] != "kecamatan"):
        extra = {"kind": row["level"], "kecamatan_id": kecamatan[row["parent_code"]].id}
        added, updated = _upsert(desas, Desa, row, extra, added, updated)
    db.session.commit()
    return added, updated


def _upsert(existing: dict, model, row: dict, extra: dict, added: int, updated: int):
    values = {"name": row["name"], **extra}
    current = existing.get(row["code"])
    if current is None:
        current = model(code=row["code"], **values)
        db.session.add(current)
        existing[row["code"]] = current
        return added + 1, updated
    if any(getattr(current, key) != value for key, value in values.items()):
        for key, value in values.items():
            setattr(current, key, value)
        return added, updated + 1
    return added, updated
