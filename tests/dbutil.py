"""Throw-away databases for tests and benchmarks: a SQLite file or a uniquely named
PostgreSQL database on the server ``TEST_DATABASE_URL`` points at."""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url


def postgres_server_url() -> str | None:
    return os.environ.get("TEST_DATABASE_URL") or None


@contextmanager
def temporary_postgres(server_url: str, prefix: str = "sinergi_test") -> Iterator[str]:
    """Create a uniquely named database on that server, yield its URL, drop it after."""
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@contextmanager
def temporary_sqlite() -> Iterator[str]:
    with tempfile.TemporaryDirectory(prefix="sinergi-test-") as folder:
        yield f"sqlite:///{Path(folder) / 'test.db'}"


@contextmanager
def temporary_database(prefix: str = "sinergi_test") -> Iterator[str]:
    """PostgreSQL when TEST_DATABASE_URL is set, else SQLite."""
    server = postgres_server_url()
    if server:
        with temporary_postgres(server, prefix) as url:
            yield url
    else:
        with temporary_sqlite() as url:
            yield url
