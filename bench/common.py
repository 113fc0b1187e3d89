"""What every benchmark shares: the Figure it reports, a fresh migrated database, and
an app configured like the tests' one."""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
# Like the tests: never touch the developer's instance/ or Huey file.
os.environ["SINERGI_INSTANCE"] = tempfile.mkdtemp(prefix="sinergi-bench-")
os.environ["HUEY_SQLITE_PATH"] = os.path.join(os.environ["SINERGI_INSTANCE"], "huey.db")

from flask import Flask  # noqa: E402
from flask_migrate import upgrade  # noqa: E402

from portal import create_app  # noqa: E402
from portal.core.regions import load_regions  # noqa: E402
from tests.dbutil import temporary_postgres, temporary_sqlite  # noqa: E402

PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"


@dataclass(frozen=True)
class Figure:
    """One measured value beside its target."""

    name: str
    value: float
    unit: str
    target: str
    passed: bool


def bench_url() -> str | None:
    return os.environ.get("BENCH_DATABASE_URL") or None


def is_postgres(url: str | None) -> bool:
    return bool(url) and url.startswith("postgresql")


@contextmanager
def fresh_database(prefix: str = "sinergi_bench") -> Iterator[str]:
    """A new, migrated database with the regions loaded: on the PostgreSQL server
    BENCH_DATABASE_URL names, else a temporary SQLite file; dropped afterwards."""
    server = bench_url()
    context = temporary_postgres(server, prefix) if is_postgres(server) else temporary_sqlite()
    with context as url:
        migrate(url)
        yield url


# One certificate authority per benchmark process (approvals sign their letters).
SIGNING_DIR = Path(tempfile.mkdtemp(prefix="sinergi-bench-ca-"))


def bench_app(database_url: str) -> Flask:
    """The app as the tests configure it (fast password hashes, no CSRF, no mail), with
    the demo's public address and a certificate authority for the letters it signs."""
    from portal.signing.authority import ensure_authority

    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "bench-secret",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "WTF_CSRF_ENABLED": False,
            "HUEY_IMMEDIATE": True,
            "PASSWORD_HASH_METHOD": PASSWORD_HASH_METHOD,
            "MAIL_SERVER": None,
            "SERVER_NAME": None,
            "PUBLIC_BASE_URL": "http://127.0.0.1:5000",
            "SIGNING_CA_CERT": str(SIGNING_DIR / "ca-cert.pem"),
            "SIGNING_CA_KEY": str(SIGNING_DIR / "ca-key.pem"),
        }
    )
    with app.app_context():
        ensure_authority()
    return app


def migrate(database_url: str) -> None:
    """Upgrade the schema and load the regions (both idempotent)."""
    from portal.extensions import db

    app = bench_app(database_url)
    with app.app_context():
        upgrade(directory=app.extensions["migrate"].directory)
        load_regions()
        db.engine.dispose()


def timed(fn: Callable) -> tuple[float, object]:
    """Seconds ``fn()`` took, and what it returned."""
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def median(values: list[float]) -> float:
    return statistics.median(values)
