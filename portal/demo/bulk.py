"""Writing synthetic people and their aid history in bulk, chunk by chunk: the demo
seed and the benchmark generator share it."""

from __future__ import annotations

import random
from collections.abc import Iterator

from faker import Faker
from sqlalchemy import Table, func, insert, select
from sqlalchemy.orm import Session

from portal.core.nik import SyntheticIds
from portal.demo.aid import AidContext, household_aid, outsider_aid
from portal.demo.people import (
    Household,
    PeopleMaker,
    Place,
    Validators,
    recipient_row,
    sectors,
    target_groups,
)
from portal.models import AidRecord, Desa, Kecamatan, Recipient
from portal.models.registry import recipient_sector, recipient_target_group


def places_in(session: Session, kecamatan_codes: list[str] | None = None) -> list[Place]:
    """Every desa of the given kecamatan (all of Kukar when None), ordered by code."""
    query = select(Desa, Kecamatan).join(Kecamatan).order_by(Desa.code)
    if kecamatan_codes is not None:
        query = query.where(Kecamatan.code.in_(kecamatan_codes))
    return [
        Place(desa.id, desa.name, desa.kind, kec.id, kec.code, kec.name)
        for desa, kec in session.execute(query).all()
    ]


def faker_for(seed: int) -> Faker:
    fake = Faker("id_ID")
    fake.seed_instance(seed)
    return fake


def people_maker(seed: int) -> PeopleMaker:
    """Identities (names, NIKs, KKs) come from their own random stream, so the same seed
    gives the same people whatever else is drawn."""
    rng = random.Random(seed)
    return PeopleMaker(rng, faker_for(seed), SyntheticIds(rng))


def demo_households(seed: int, places: list[Place], count: int) -> Iterator[Household]:
    return people_maker(seed).households(places, count)


def insert_people(
    session: Session,
    seed: int,
    places: list[Place],
    count: int,
    validators: Validators,
    categories: dict[str, int],
    chunk: int = 5_000,
) -> dict[str, int]:
    """Insert ``count`` recipients in households over ``places`` with their target groups,
    sectors and aid history; returns counts. The caller commits."""
    maker = people_maker(seed)
    details = random.Random(seed + 1)
    ctx = AidContext(categories, validators.now.date(), validators.now)
    totals = {"recipients": 0, "families": 0, "aid_records": 0}
    batch: list[Household] = []
    in_batch = 0
    for home in maker.households(places, count):
        batch.append(home)
        in_batch += len(home.members)
        if in_batch >= chunk:
            _write(session, details, batch, validators, ctx, totals)
            batch, in_batch = [], 0
    if batch:
        _write(session, details, batch, validators, ctx, totals)
    outsiders = outsider_aid(details, maker, places, max(count // 40, 1), ctx)
    _insert_aid(session, outsiders, totals)
    return totals


def _write(session, rng, homes, validators, ctx, totals) -> None:
    people = [(person, home) for home in homes for person in home.members]
    rows = [
        recipient_row(rng, person, home, validators, totals["recipients"] + n)
        for n, (person, home) in enumerate(people, start=1)
    ]
    by_nik = insert_keyed(session, Recipient, rows, "nik")
    ids = [by_nik[person.nik] for person, _ in people]
    groups, skills = [], []
    for (person, home), rid in zip(people, ids, strict=True):
        groups += [
            {"recipient_id": rid, "code": c} for c in sorted(target_groups(rng, person, home))
        ]
        skills += [{"recipient_id": rid, "code": c} for c in sorted(sectors(rng, person))]
    bulk_insert(session, recipient_target_group, groups)
    bulk_insert(session, recipient_sector, skills)
    aid = [row for home in homes for row in household_aid(rng, home, by_nik, ctx)]
    _insert_aid(session, aid, totals)
    totals["recipients"] += len(rows)
    totals["families"] += len(homes)


def bulk_insert(session: Session, table: Table, rows: list[dict]) -> None:
    """Insert many rows with the same keys: COPY on PostgreSQL, executemany elsewhere.

    Core on the table rather than the ORM, which splits rows by which values are None;
    COPY because psycopg sends an executemany as one statement per row.
    """
    if not rows:
        return
    connection = session.connection()
    if connection.dialect.name != "postgresql":
        session.execute(insert(table), rows)
        return
    rows = _with_defaults(table, rows)
    columns = list(rows[0])
    names = ", ".join(f'"{name}"' for name in columns)
    statement = f'COPY "{table.name}" ({names}) FROM STDIN'
    cursor = connection.connection.driver_connection.cursor()
    with cursor, cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row([row[name] for name in columns])


def _with_defaults(table: Table, rows: list[dict]) -> list[dict]:
    """Fill the Python-side column defaults an INSERT would have applied (COPY does not)."""
    missing = {
        column.name: column.default
        for column in table.columns
        if column.name not in rows[0] and column.default is not None
    }
    if not missing:
        return rows
    values = {
        name: default.arg(None) if default.is_callable else default.arg
        for name, default in missing.items()
        if default.is_scalar or default.is_callable
    }
    return [row | values for row in rows]


def insert_keyed(session: Session, model, rows: list[dict], key: str) -> dict:
    """Bulk-insert rows and return their new ids by a unique column (faster than
    RETURNING with parameter order, whose result splicing grows with the square of
    the row count)."""
    before = session.scalar(select(func.max(model.id))) or 0
    bulk_insert(session, model.__table__, rows)
    query = select(getattr(model, key), model.id).where(model.id > before)
    return dict(session.execute(query).all())


def _insert_aid(session, rows: list[dict], totals: dict) -> None:
    bulk_insert(session, AidRecord.__table__, rows)
    totals["aid_records"] += len(rows)
