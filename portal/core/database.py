"""Database connection settings shared by every engine the app creates."""

from __future__ import annotations

import sqlite3

from sqlalchemy import event
from sqlalchemy.engine import Engine

_installed = False


def enable_sqlite_pragmas() -> None:
    """SQLite runs in WAL mode with foreign keys on and waits for locks instead of failing."""
    global _installed
    if _installed:
        return
    _installed = True

    @event.listens_for(Engine, "connect")
    def _on_connect(dbapi_connection, _record):
        if isinstance(dbapi_connection, sqlite3.Connection):
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=10000")
            cursor.execute("PRAGMA synchronous=NORMAL")
            # 64 MB of page cache: large imports update several indexes at once.
            cursor.execute("PRAGMA cache_size=-65536")
            cursor.close()


def include_object_for(dialect_name: str):
    """Alembic's include_object hook: an index declared for another database only
    (``Index(...).ddl_if(dialect=...)``) is not part of this database's schema."""

    def include_object(obj, name, type_, reflected, compare_to) -> bool:
        ddl_if = getattr(obj, "_ddl_if", None)
        if type_ == "index" and ddl_if is not None and ddl_if.dialect:
            return ddl_if.dialect == dialect_name
        return True

    return include_object
