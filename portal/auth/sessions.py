"""Server-side login sessions: start one per login, find the live one a cookie names,
end one, or end all of a user's (logout everywhere, password change, deactivation).

Plain functions without the request: the caller passes what it knows of the device
and commits.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from sqlalchemy import bindparam, or_, select, update
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.attributes import set_committed_value

from portal.core.dates import utcnow
from portal.extensions import db
from portal.models import LoginSession, User

# last_seen_at is written at most this often, not on every request.
TOUCH_INTERVAL = timedelta(minutes=5)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _naive_utc(moment: datetime) -> datetime:
    """SQLite hands back naive UTC datetimes; compare like with like."""
    return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment


def start(user: User, user_agent: str = "", ip_address: str = "") -> tuple[LoginSession, str]:
    """A new session for ``user``; returns it and the token for the cookie (never stored)."""
    token = secrets.token_urlsafe(32)
    login = LoginSession(
        user_id=user.id,
        token_hash=hash_token(token),
        user_agent=(user_agent or "")[:200],
        ip_address=(ip_address or "")[:45],
    )
    db.session.add(login)
    db.session.flush()
    return login, token


# Loaded with the session in one query: every page shows the user and their scope.
WITH_USER = joinedload(LoginSession.user, innerjoin=True)
USER_SCOPE = (
    WITH_USER.joinedload(User.kecamatan),
    WITH_USER.joinedload(User.desa),
    WITH_USER.joinedload(User.company),
)


# Built once: every request asks it.
LIVE_SESSION = (
    select(LoginSession)
    .options(*USER_SCOPE)
    .where(LoginSession.token_hash == bindparam("token_hash"))
)


def find_live(token: str, idle_limit: timedelta) -> LoginSession | None:
    """The session this token belongs to, if it is neither revoked nor idle too long;
    its user and the user's scope come with it (one query per request)."""
    if not token:
        return None
    login = db.session.scalar(LIVE_SESSION, {"token_hash": hash_token(token)})
    if login is None or login.revoked_at is not None:
        return None
    if _naive_utc(login.last_seen_at) <= _naive_utc(utcnow() - idle_limit):
        return None
    return login


def touch(login: LoginSession) -> None:
    """Note that the session was used, at most once per TOUCH_INTERVAL.

    Written on its own connection, so the request's own transaction is neither
    committed early nor able to lose it."""
    now = utcnow()
    if _naive_utc(login.last_seen_at) > _naive_utc(now - TOUCH_INTERVAL):
        return
    with db.engine.begin() as connection:
        connection.execute(
            update(LoginSession).where(LoginSession.id == login.id).values(last_seen_at=now)
        )
    set_committed_value(login, "last_seen_at", now)


def end(login: LoginSession | None) -> None:
    """End one session (logout on this device)."""
    if login is not None and login.revoked_at is None:
        login.revoked_at = utcnow()


def end_all(user: User, keep: LoginSession | None = None) -> int:
    """End every live session of ``user`` but ``keep``; returns how many ended."""
    query = update(LoginSession).where(
        LoginSession.user_id == user.id, LoginSession.revoked_at.is_(None)
    )
    if keep is not None:
        query = query.where(LoginSession.id != keep.id)
    result = db.session.execute(
        query.values(revoked_at=utcnow()), execution_options={"synchronize_session": False}
    )
    return result.rowcount or 0


def live_for(user: User, idle_limit: timedelta) -> list[LoginSession]:
    """The user's live sessions, most recently used first (for the account page)."""
    query = (
        select(LoginSession)
        .where(
            LoginSession.user_id == user.id,
            LoginSession.revoked_at.is_(None),
            LoginSession.last_seen_at > utcnow() - idle_limit,
        )
        .order_by(LoginSession.last_seen_at.desc(), LoginSession.id.desc())
    )
    return list(db.session.scalars(query))


def prune(user: User, idle_limit: timedelta) -> None:
    """Forget the user's ended sessions (called at login, so the table stays small)."""
    db.session.execute(
        LoginSession.__table__.delete().where(
            LoginSession.user_id == user.id,
            or_(
                LoginSession.revoked_at.is_not(None),
                LoginSession.last_seen_at <= utcnow() - idle_limit,
            ),
        )
    )
