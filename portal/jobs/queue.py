"""The Huey instance: SQLite under instance/ by default, Redis when REDIS_URL is set.

Run a consumer with ``huey_consumer portal.worker.huey``. Tasks run inside an
app context: the request's own when run eagerly (tests), else one app per
consumer process, created on first use.
"""

from __future__ import annotations

import functools
import os
import threading

from flask import Flask, has_app_context
from huey import RedisHuey, SqliteHuey

from portal.config import INSTANCE_DIR


def make_huey():
    if url := os.environ.get("REDIS_URL"):
        return RedisHuey("sinergi", url=url)
    path = os.environ.get("HUEY_SQLITE_PATH") or str(INSTANCE_DIR / "huey.db")
    return SqliteHuey("sinergi", filename=path)


huey = make_huey()


_worker_app: Flask | None = None
_worker_app_lock = threading.Lock()


def worker_app() -> Flask:
    """The consumer's one app, created by whichever worker thread needs it first."""
    global _worker_app
    with _worker_app_lock:
        if _worker_app is None:
            from portal import create_app  # the factory imports this module

            _worker_app = create_app()
        return _worker_app


def app_task(**options):
    """Like ``huey.task`` but the function runs inside a Flask app context."""

    def decorator(fn):
        @functools.wraps(fn)
        def run(*args, **kwargs):
            if has_app_context():
                return fn(*args, **kwargs)
            with worker_app().app_context():
                return fn(*args, **kwargs)

        return huey.task(**options)(run)

    return decorator
