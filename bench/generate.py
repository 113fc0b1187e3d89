"""A Kukar-sized dataset for benchmarks: 100,000 recipients over all 20 kecamatan with
their aid history, 200 companies and 2,000 contributions with items, and the handovers
of some (``generate_handovers``: their aid records and about 10,000 monitoring visits).

As a script it fills the database BENCH_DATABASE_URL names (migrating it first), or a
new SQLite file it prints the URL of. Every account's password is BENCH_PASSWORD.
"""

from __future__ import annotations

import random
import sys
import tempfile
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session
from werkzeug.security import generate_password_hash

from bench.common import PASSWORD_HASH_METHOD, bench_app, bench_url, migrate, timed
from bench.generate_handovers import generate_handovers
from portal.core.dates import utcnow
from portal.core.reference import category_ids, load_aid_categories
from portal.demo.bulk import bulk_insert, faker_for, insert_keyed, insert_people, places_in
from portal.demo.people import Validators, weighted
from portal.models import (
    Company,
    Contribution,
    ContributionItem,
    Kecamatan,
    KecamatanOffice,
    User,
)
from portal.models.contributions import contribution_target_group
from portal.models.vocabulary import SECTORS, TARGET_GROUPS

SEED = 20_250_101
BENCH_PASSWORD = "bench-password-2025"
ADMIN_EMAIL = "admin@bench.demo"
COMPANY_STATES = (("active", 85), ("pending", 8), ("suspended", 5), ("rejected", 2))
COMPANY_SECTORS = (("mining", 40), ("plantation", 30), ("oil_gas", 15), ("forestry", 10))
KINDS = (("equipment", 55), ("goods", 30), ("training", 10), ("other", 5))
STATES = (
    ("draft", 10),
    ("submitted", 15),
    ("accepted", 15),
    ("rejected", 5),
    ("allocating", 20),
    ("completed", 30),
    ("withdrawn", 5),
)
ITEMS = (
    ("Oven gas 2 rak", "unit", 2_750_000),
    ("Mesin jahit portable", "unit", 2_150_000),
    ("Beras premium", "kg", 14_500),
    ("Paket sembako", "paket", 285_000),
    ("Hand sprayer", "unit", 650_000),
    ("Kompresor angin", "unit", 3_600_000),
    ("Freezer 200 liter", "unit", 3_900_000),
    ("Jaring insang", "buah", 650_000),
)
CATEGORY_OF_KIND = {"equipment": "EQUIPMENT", "goods": "FOOD", "training": "TRAINING"}


def generate(
    session: Session, recipients: int = 100_000, companies: int = 200, contributions: int = 2_000
) -> dict[str, int]:
    """Write the dataset into ``session``'s database (regions already loaded) and commit."""
    rng = random.Random(SEED)
    load_aid_categories()
    categories = category_ids()
    password = generate_password_hash(BENCH_PASSWORD, method=PASSWORD_HASH_METHOD)
    company_ids = _companies(session, rng, companies)
    partners = _users(session, company_ids, password)
    officers = _kecamatan_staff(session, password)
    now = utcnow()
    validators = Validators({kec: [uid] for kec, uid in officers.items()}, now)
    totals = insert_people(
        session, SEED, places_in(session), recipients, validators, categories, chunk=10_000
    )
    totals["contributions"], totals["items"] = _contributions(
        session, rng, partners, list(officers), categories, contributions
    )
    totals.update(generate_handovers(session, rng))
    session.commit()
    users = 1 + len(partners) + 2 * len(officers)
    return {"companies": len(company_ids), "users": users, **totals}


def _companies(session: Session, rng: random.Random, count: int) -> list[int]:
    fake = faker_for(SEED)
    rows = [
        {
            "name": f"PT {fake.last_name()} {fake.city_name()} {n:03d}",
            "sector": weighted(rng, COMPANY_SECTORS),
            "status": weighted(rng, COMPANY_STATES),
            "address": f"{fake.street_name()}, Tenggarong",
            "representative_name": fake.name(),
            "representative_title": "Manajer CSR",
        }
        for n in range(1, count + 1)
    ]
    return list(insert_keyed(session, Company, rows, "name").values())


def _users(session: Session, company_ids: list[int], password: str) -> dict[int, int]:
    """The admin and one partner account per company; returns partner id by company id."""
    base = {"password_hash": password, "session_token": "bench", "title": ""}
    session.execute(
        insert(User), [{**base, "email": ADMIN_EMAIL, "name": "Admin Bench", "role": "admin"}]
    )
    rows = [
        {**base, "email": f"csr{cid}@bench.demo", "name": f"CSR {cid}", "role": "partner"}
        | {"company_id": cid}
        for cid in company_ids
    ]
    ids = insert_keyed(session, User, rows, "company_id")
    return {cid: ids[cid] for cid in company_ids}


def officer_email(kecamatan_code: str) -> str:
    return f"petugas.{kecamatan_code.replace('.', '')}@bench.demo"


def _kecamatan_staff(session: Session, password: str) -> dict[int, int]:
    """An officer and a camat for every kecamatan; returns officer id by kecamatan id."""
    officers = {}
    base = {"password_hash": password, "session_token": "bench", "title": ""}
    for kec in session.scalars(select(Kecamatan).order_by(Kecamatan.code)):
        camat_email = officer_email(kec.code).replace("petugas", "camat")
        rows = [
            {**base, "email": officer_email(kec.code), "name": f"Petugas {kec.name}"}
            | {"role": "officer", "kecamatan_id": kec.id},
            {**base, "email": camat_email, "name": f"Camat {kec.name}"}
            | {"role": "camat", "kecamatan_id": kec.id},
        ]
        ids = insert_keyed(session, User, rows, "email")
        officer_id, camat_id = ids[officer_email(kec.code)], ids[camat_email]
        officers[kec.id] = officer_id
        session.execute(
            update(KecamatanOffice)
            .where(KecamatanOffice.kecamatan_id == kec.id)
            .values(camat_user_id=camat_id)
        )
    return officers


def _contributions(session, rng, partners, kecamatan_ids, categories, count) -> tuple[int, int]:
    """Contributions in every state with items and a target group; returns (count, items)."""
    company_ids = list(partners)
    now = utcnow()
    rows = [
        _contribution_row(rng, company_ids, partners, kecamatan_ids, categories, now)
        for _ in range(count)
    ]
    before = session.scalar(select(func.max(Contribution.id))) or 0
    bulk_insert(session, Contribution.__table__, rows)
    new = session.execute(
        select(Contribution.id, Contribution.kind).where(Contribution.id > before)
    ).all()
    items = [item for cid, kind in new if kind != "training" for item in _items(rng, cid)]
    groups = [{"contribution_id": cid, "code": rng.choice(TARGET_GROUPS)} for cid, _ in new]
    bulk_insert(session, ContributionItem.__table__, items)
    bulk_insert(session, contribution_target_group, groups)
    return len(new), len(items)


def _contribution_row(rng, company_ids, partners, kecamatan_ids, categories, now) -> dict:
    company_id = rng.choice(company_ids)
    kind = weighted(rng, KINDS)
    status = weighted(rng, STATES)
    training = kind == "training"
    created = now - timedelta(days=rng.randint(1, 700), minutes=rng.randint(0, 900))
    return {
        "company_id": company_id,
        "title": f"Bantuan {rng.choice(SECTORS)} {rng.randint(1, 999)}",
        "kind": kind,
        "kecamatan_id": None if rng.random() < 0.05 else rng.choice(kecamatan_ids),
        "aid_category_id": categories[CATEGORY_OF_KIND.get(kind, "OTHER")],
        "status": status,
        "topic": "Pelatihan keterampilan usaha" if training else "",
        "sessions": rng.randint(2, 8) if training else None,
        "seats": rng.randint(10, 40) if training else None,
        "trainer": "LKP Kutai Kartanegara" if training else "",
        "place": "Balai Desa" if training else "",
        "created_by_id": partners[company_id],
        "created_at": created,
        "submitted_at": None if status == "draft" else created,
    }


def _items(rng: random.Random, contribution_id: int) -> list[dict]:
    return [
        {
            "contribution_id": contribution_id,
            "position": n,
            "name": name,
            "quantity": Decimal(rng.randint(1, 50)),
            "unit": unit,
            "unit_value": value,
        }
        for n, (name, unit, value) in enumerate(rng.sample(ITEMS, rng.randint(1, 4)))
    ]


def main() -> None:
    url = bench_url() or f"sqlite:///{Path(tempfile.mkdtemp(prefix='sinergi-bench-')) / 'b.db'}"
    migrate(url)
    app = bench_app(url)
    with app.app_context():
        from portal.extensions import db

        seconds, counts = timed(lambda: generate(db.session))
    print(f"Generated in {seconds:.1f} s into {url}: {counts}")


if __name__ == "__main__":
    main()
