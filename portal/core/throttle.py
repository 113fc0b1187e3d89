"""Throttling of logins and the other public forms, with Flask-Limiter.

The counters live where every process serving the portal sees them:

- ``redis``: Redis at ``REDIS_URL`` (the default when it is set);
- ``database``: a small table in the portal's own database (the default otherwise), so
  ``make serve`` with several gunicorn workers and no Redis still counts every attempt once;
- ``memory``: only inside one process, for ``make run`` (one ``flask run`` process) and tests.

``THROTTLE_STORAGE`` picks one. Each app keeps its own storage (``storage_for``): the one
``Limiter`` object hands every call to the storage of the app that serves the request, so
two apps in one process (the tests) never share counters.
"""

from __future__ import annotations

import math
import random
import time
from datetime import timedelta

from flask import current_app, request
from flask_babel import ngettext
from flask_limiter import RateLimitExceeded
from limits.storage import MemoryStorage, Storage, storage_from_string
from sqlalchemy import case, delete, select, text

from portal.core.dates import as_utc, utcnow
from portal.core.errors import error_page
from portal.extensions import db, limiter
from portal.models import ThrottleCounter

EXTENSION_KEY = "sinergi_throttle"
STORAGES = ("redis", "database", "memory")


# --- what is counted -----------------------------------------------------------------


def address_key() -> str:
    """The client's address: the direct peer, or the visitor behind ``TRUSTED_PROXIES``."""
    return f"address:{request.remote_addr or 'unknown'}"


def account_key() -> str:
    """The account the form names, however it was typed."""
    return f"account:{(request.form.get('email') or '').strip().lower()}"


def configured(name: str):
    """A limit read from the app's config at request time (``"10 per 15 minutes"``)."""
    return lambda: current_app.config[name]


def failed_login(response) -> bool:
    """A login that did not succeed (success redirects); only failures are counted."""
    return response.status_code != 302


def seconds_left(limit) -> int:
    """Seconds until the breached window ends."""
    return max(1, math.ceil(limit.window[0] - time.time()))


def wait_message(limit) -> str:
    """The Indonesian (or English) sentence saying how long to wait, as plain text."""
    minutes = math.ceil(seconds_left(limit) / 60)
    return ngettext(
        "Too many attempts. Please wait %(num)s minute and try again.",
        "Too many attempts. Please wait %(num)s minutes and try again.",
        minutes,
    )


def refused(response, limit):
    """Mark a page re-rendered for a breached limit: status 429 and when to come back."""
    response.status_code = 429
    response.headers["Retry-After"] = str(seconds_left(limit))
    return response


# --- storage ----------------------------------------------------------------------------


class AppStorage(Storage):
    """The storage ``Limiter`` is given: it passes each call to the current app's storage."""

    STORAGE_SCHEME = ["sinergi-app"]

    @property
    def base_exceptions(self):
        return ()

    @staticmethod
    def _target() -> Storage:
        return current_app.extensions[EXTENSION_KEY]

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        return self._target().incr(key, expiry, amount)

    def get(self, key: str) -> int:
        return self._target().get(key)

    def get_expiry(self, key: str) -> float:
        return self._target().get_expiry(key)

    def check(self) -> bool:
        return self._target().check()

    def reset(self) -> int | None:
        return self._target().reset()

    def clear(self, key: str) -> None:
        return self._target().clear(key)


class DatabaseStorage(Storage):
    """Fixed-window counters in the ``throttle_counter`` table, shared by every worker.

    Each call runs on its own connection and commits at once, so a counted attempt
    survives the request's rollback and never commits the request's own changes.
    """

    STORAGE_SCHEME = ["sinergi-database"]

    @property
    def base_exceptions(self):
        return ()

    def _insert(self):
        if db.engine.dialect.name == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert
        return insert(ThrottleCounter.__table__)

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        table = ThrottleCounter.__table__
        now = utcnow()
        expires = now + timedelta(seconds=expiry)
        stale = table.c.expires_at <= now
        statement = (
            self._insert()
            .values(key=key, count=amount, expires_at=expires)
            .on_conflict_do_update(
                index_elements=[table.c.key],
                set_={
                    "count": case((stale, amount), else_=table.c.count + amount),
                    "expires_at": case((stale, expires), else_=table.c.expires_at),
                },
            )
            .returning(table.c.count)
        )
        with db.engine.begin() as connection:
            count = connection.execute(statement).scalar_one()
            if random.random() < 0.02:  # now and then, forget windows long over
                connection.execute(delete(table).where(table.c.expires_at < now - timedelta(1)))
        return count

    def _live(self, key: str):
        table = ThrottleCounter.__table__
        query = select(table.c.count, table.c.expires_at).where(
            table.c.key == key, table.c.expires_at > utcnow()
        )
        with db.engine.connect() as connection:
            return connection.execute(query).first()

    def get(self, key: str) -> int:
        row = self._live(key)
        return row.count if row else 0

    def get_expiry(self, key: str) -> float:
        row = self._live(key)
        if row is None:
            return time.time()
        return as_utc(row.expires_at).timestamp()

    def check(self) -> bool:
        with db.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        return True

    def reset(self) -> int | None:
        with db.engine.begin() as connection:
            return connection.execute(delete(ThrottleCounter.__table__)).rowcount

    def clear(self, key: str) -> None:
        table = ThrottleCounter.__table__
        with db.engine.begin() as connection:
            connection.execute(delete(table).where(table.c.key == key))


def storage_for(config) -> Storage:
    """The storage an app's config asks for."""
    kind = config.get("THROTTLE_STORAGE") or ("redis" if config.get("REDIS_URL") else "database")
    if kind not in STORAGES:
        raise RuntimeError(f"THROTTLE_STORAGE must be one of {', '.join(STORAGES)}, not {kind!r}")
    if kind == "redis":
        if not config.get("REDIS_URL"):
            raise RuntimeError("THROTTLE_STORAGE=redis needs REDIS_URL")
        prefix = config.get("THROTTLE_KEY_PREFIX") or "sinergi-throttle"
        return storage_from_string(config["REDIS_URL"], key_prefix=prefix)
    if kind == "database":
        return DatabaseStorage()
    return MemoryStorage()


def reset(app) -> None:
    """Forget every counter of ``app`` (tests call this between tests)."""
    with app.app_context():
        app.extensions[EXTENSION_KEY].reset()


def setup_throttling(app) -> None:
    app.extensions[EXTENSION_KEY] = storage_for(app.config)
    limiter.init_app(app)

    @app.errorhandler(RateLimitExceeded)
    def too_many_attempts(error):
        if error.response is not None:
            return error.response
        return error_page(429)
