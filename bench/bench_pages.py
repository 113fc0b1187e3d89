"""Server time of the home page for an admin and an officer on the Kukar-sized dataset."""

from __future__ import annotations

import time

from bench.common import Figure, bench_app, median
from bench.generate import ADMIN_EMAIL, BENCH_PASSWORD, generate, officer_email
from portal.extensions import db

REQUESTS = 30
WARM_UP = 3
TARGET_MS = 100
# Tenggarong: the kecamatan with the most desas, so the officer's figures count the most.
OFFICER_KECAMATAN = "64.02.06"


def run(database_url: str) -> list[Figure]:
    app = bench_app(database_url)
    with app.app_context():
        generate(db.session)
        db.session.remove()
    figures = [
        _home_page(app, "admin", ADMIN_EMAIL),
        _home_page(app, "officer", officer_email(OFFICER_KECAMATAN)),
    ]
    with app.app_context():
        db.engine.dispose()
    return figures


def _home_page(app, role: str, email: str) -> Figure:
    client = app.test_client()
    response = client.post("/login", data={"email": email, "password": BENCH_PASSWORD})
    if response.status_code != 302:
        raise RuntimeError(f"bench login as {email} failed ({response.status_code})")
    times = []
    for n in range(WARM_UP + REQUESTS):
        start = time.perf_counter()
        response = client.get("/")
        elapsed = (time.perf_counter() - start) * 1000
        if response.status_code != 200:
            raise RuntimeError(f"GET / as {role} gave {response.status_code}")
        if n >= WARM_UP:
            times.append(elapsed)
    value = median(times)
    return Figure(
        f"GET / home page, {role} (median of {REQUESTS})",
        round(value, 1),
        "ms",
        f"<= {TARGET_MS} ms",
        value <= TARGET_MS,
    )
