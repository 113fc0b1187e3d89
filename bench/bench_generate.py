"""How long the Kukar-sized dataset takes to generate (the seed and import paths share
its bulk inserts)."""

from __future__ import annotations

from bench.common import Figure, bench_app, timed
from bench.generate import generate
from portal.extensions import db

TARGET_SECONDS = 60


def run(database_url: str) -> list[Figure]:
    app = bench_app(database_url)
    with app.app_context():
        seconds, counts = timed(lambda: generate(db.session))
        db.engine.dispose()
    rows = sum(counts[k] for k in ("recipients", "aid_records", "contributions", "items"))
    return [
        Figure(
            "generate 100k recipients, 200 companies, 2k contributions",
            round(seconds, 1),
            "s",
            f"< {TARGET_SECONDS} s",
            seconds < TARGET_SECONDS,
        ),
        Figure("rows written per second", round(rows / seconds), "rows/s", "(information)", True),
    ]
