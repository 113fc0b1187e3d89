"""Authentication rules: checking credentials, setting and resetting passwords."""

from __future__ import annotations

import functools
import secrets

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from portal.auth import sessions
from portal.core import audit
from portal.core.dates import utcnow
from portal.core.refusals import Refusal
from portal.extensions import db
from portal.models import User

RESET_MAX_AGE = 3600  # seconds a reset link stays valid


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


@functools.cache
def _dummy_hash(method: str) -> str:
    """Checked when the e-mail is unknown, with the configured method, so that path
    costs as much as a real check and the timing does not reveal the address."""
    return generate_password_hash("not-a-password", method=method)


def new_session_token() -> str:
    return secrets.token_hex(16)


def find_by_email(email: str) -> User | None:
    query = select(User).where(func.lower(User.email) == normalise_email(email))
    return db.session.scalar(query)


def authenticate(email: str, password: str) -> User | None:
    """The user these credentials belong to, or None; never says which part was wrong.

    A deactivated account is refused the same way as a wrong password.
    """
    user = find_by_email(email)
    if user is None:
        check_password_hash(_dummy_hash(current_app.config["PASSWORD_HASH_METHOD"]), password or "")
        return None
    if not check_password_hash(user.password_hash, password or ""):
        return None
    if not user.active:
        return None
    user.last_login_at = utcnow()
    audit.record(user, "login", user)
    db.session.commit()
    return user


def set_password(
    user: User, password: str, actor=None, must_change: bool = False, keep=None
) -> None:
    """Store a new password and end the user's sessions but ``keep`` (caller commits)."""
    user.password_hash = hash_password(password)
    user.session_token = new_session_token()
    sessions.end_all(user, keep=keep)
    user.must_change_password = must_change
    audit.record(actor or user, "password_changed" if not must_change else "password_reset", user)


def temporary_password() -> str:
    """A password an admin hands over; the user must replace it at the next login."""
    return secrets.token_urlsafe(9)


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="password-reset")


def reset_token(user: User) -> str:
    """A signed token that stops working once the password changes."""
    return _serializer().dumps({"id": user.id, "t": user.session_token})


def user_for_reset_token(token: str) -> User:
    try:
        data = _serializer().loads(token, max_age=RESET_MAX_AGE)
    except SignatureExpired as exc:
        raise Refusal("expired") from exc
    except BadSignature as exc:
        raise Refusal("invalid") from exc
    user = db.session.get(User, data.get("id"))
    if user is None or not user.active or user.session_token != data.get("t"):
        raise Refusal("invalid")
    return user
