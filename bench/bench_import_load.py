"""Other users during a 100,000-row import: the server time of an officer's pages in
another kecamatan while a separate process (the CLI, same code as the worker) imports."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import select
from werkzeug.security import generate_password_hash

from bench.bench_import import KECAMATAN, generate_rows
from bench.common import PASSWORD_HASH_METHOD, ROOT, Figure, bench_app, median
from portal.auth.services import new_session_token
from portal.extensions import db
from portal.models import Desa, Kecamatan, User

OTHER_KECAMATAN = "64.02.02"
PAGES = ("/", "/registry/recipients", "/contributions/")
IDLE_ROUNDS = 10
PASSWORD = "bench-password-2025"


def run(database_url: str) -> list[Figure]:
    app = bench_app(database_url)
    with app.app_context():
        _officer()
        kecamatan = db.session.scalar(select(Kecamatan).where(Kecamatan.code == KECAMATAN))
        desas = db.session.scalars(select(Desa.name).where(Desa.kecamatan_id == kecamatan.id))
        _, data = generate_rows(sorted(desas))
        db.session.remove()
    client = app.test_client()
    client.post("/login", data={"email": "officer@bench.demo", "password": PASSWORD})
    idle = [_round(client) for _ in range(IDLE_ROUNDS)]
    during, seconds = _during_import(client, database_url, data)
    with app.app_context():
        db.engine.dispose()
    idle_ms, during_ms = median(idle), median(during)
    return [
        Figure(
            "other officer's pages, idle (median of 3 pages)",
            round(idle_ms, 1),
            "ms",
            "reported",
            True,
        ),
        Figure(
            f"same pages during the import ({len(during)} rounds over {seconds:.0f} s)",
            round(during_ms, 1),
            "ms",
            "reported",
            True,
        ),
        Figure(
            "slow-down of other users during an import",
            round(during_ms / idle_ms, 2),
            "x",
            "<= 2x (not noticeable)",
            during_ms / idle_ms <= 2,
        ),
    ]


def _officer() -> None:
    kecamatan = db.session.scalar(select(Kecamatan).where(Kecamatan.code == OTHER_KECAMATAN))
    db.session.add(
        User(
            email="officer@bench.demo",
            password_hash=generate_password_hash(PASSWORD, method=PASSWORD_HASH_METHOD),
            session_token=new_session_token(),
            name="Petugas Bench",
            role="officer",
            kecamatan_id=kecamatan.id,
        )
    )
    db.session.commit()


def _round(client) -> float:
    """Milliseconds for the three pages, averaged."""
    start = time.perf_counter()
    for path in PAGES:
        response = client.get(path)
        if response.status_code != 200:
            raise RuntimeError(f"GET {path} gave {response.status_code}")
    return (time.perf_counter() - start) * 1000 / len(PAGES)


def _during_import(client, database_url: str, data: bytes) -> tuple[list[float], float]:
    with tempfile.TemporaryDirectory(prefix="sinergi-bench-import-") as folder:
        path = Path(folder) / "dtks.csv"
        path.write_bytes(data)
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "SECRET_KEY": "bench-secret",
            "SINERGI_INSTANCE": folder,
        }
        command = [
            sys.executable,
            "-m",
            "flask",
            "--app",
            "wsgi",
            "import-recipients",
            str(path),
            "--kecamatan",
            KECAMATAN,
        ]
        start = time.perf_counter()
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
        )
        rounds = []
        while process.poll() is None:
            rounds.append(_round(client))
        output = process.communicate()[0].decode()
        if process.returncode != 0 or "added" not in output:
            raise RuntimeError(f"import failed: {output[-500:]}")
        return rounds, time.perf_counter() - start
