"""The Huey instance: SQLite under instance/ by default, Redis when REDIS_URL is set.

Run a consumer with ``huey_consumer portal.worker.huey``. Tasks run inside an
app context: the request's own when run eagerly (tests), else one app per
consumer process, created on first use by the factory ``portal.worker`` hands
over with ``use_app_factory`` (core imports no feature area, nor the factory).
"""

from __future__ import annotations

import functools
import os
import threading
from collections.abc import Callable

from flask import Flask, has_app_context
from huey import RedisHuey, SqliteHuey

from portal.config import INSTANCE_DIR


def make_huey():
    """A Huey on Redis when REDIS_URL is set, else on SQLite under instance/."""
    if url := os.environ.get("REDIS_URL"):
        return RedisHuey("sinergi", url=url)
    path = os.environ.get("HUEY_SQLITE_PATH") or str(INSTANCE_DIR / "huey.db")
    return SqliteHuey("sinergi", filename=path)


huey = make_huey()


_app_factory: Callable[[], Flask] | None = None
_worker_app: Flask | None = None
_worker_app_lock = threading.Lock()


def use_app_factory(factory: Callable[[], Flask]) -> None:
    """Name the factory that builds the consumer's app (``portal.worker`` calls this)."""
    global _app_factory
    _app_factory = factory


def worker_app() -> Flask:
    """The consumer's one app, created by whichever worker thread needs it first."""
    global _worker_app
    with _worker_app_lock:
        if _worker_app is None:
            if _app_factory is None:
                raise RuntimeError(
                    "No app factory for the task: run the consumer as "
                    "`huey_consumer portal.worker.huey`."
                )
            _worker_app = _app_factory()
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
