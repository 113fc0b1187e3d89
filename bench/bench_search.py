"""Active search of the recipient list on a 100,000-recipient database: the server time of
each POST an officer's or admin's typing sends (HTMX fragment), median per query kind."""

from __future__ import annotations

import time

from sqlalchemy import select

from bench.common import Figure, bench_app, median
from bench.generate import ADMIN_EMAIL, BENCH_PASSWORD, generate, officer_email
from portal.extensions import db
from portal.models import Desa, Kecamatan, Recipient

REQUESTS = 30
WARM_UP = 3
TARGET_MS = 30
OFFICER_KECAMATAN = "64.02.06"


def run(database_url: str) -> list[Figure]:
    app = bench_app(database_url)
    with app.app_context():
        generate(db.session)
        queries = _queries()
        db.session.remove()
    figures = []
    for role, email in (("officer", officer_email(OFFICER_KECAMATAN)), ("admin", ADMIN_EMAIL)):
        client = _logged_in(app, email)
        for kind, terms in queries.items():
            figures.append(_search(client, role, kind, terms))
    with app.app_context():
        db.engine.dispose()
    return figures


def _queries() -> dict[str, list[str]]:
    """Real values from the officer's kecamatan: what people type."""
    kecamatan = db.session.scalar(select(Kecamatan).where(Kecamatan.code == OFFICER_KECAMATAN))
    people = db.session.scalars(
        select(Recipient).where(Recipient.kecamatan_id == kecamatan.id).limit(REQUESTS)
    ).all()
    desas = db.session.scalars(select(Desa.name).where(Desa.kecamatan_id == kecamatan.id)).all()
    return {
        "name prefix": [p.name.split()[0][:4] for p in people],
        "full NIK": [p.nik for p in people],
        "KK": [p.kk for p in people if p.kk],
        "desa": [desas[n % len(desas)] for n in range(REQUESTS)],
    }


def _logged_in(app, email: str):
    client = app.test_client()
    response = client.post("/login", data={"email": email, "password": BENCH_PASSWORD})
    if response.status_code != 302:
        raise RuntimeError(f"bench login as {email} failed ({response.status_code})")
    return client


def _search(client, role: str, kind: str, terms: list[str]) -> Figure:
    times = []
    headers = {"HX-Request": "true", "HX-Target": "results"}
    for n in range(WARM_UP + REQUESTS):
        term = terms[n % len(terms)]
        start = time.perf_counter()
        response = client.post("/registry/recipients", data={"q": term}, headers=headers)
        elapsed = (time.perf_counter() - start) * 1000
        if response.status_code != 200:
            raise RuntimeError(f"search as {role} gave {response.status_code}")
        if n >= WARM_UP:
            times.append(elapsed)
    value = median(times)
    return Figure(
        f"active search, {role}, {kind} (median of {REQUESTS})",
        round(value, 1),
        "ms",
        f"<= {TARGET_MS} ms",
        value <= TARGET_MS,
    )
