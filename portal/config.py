"""Configuration read from the environment; deployment settings only.

Business rules (look-back window, validation period, ...) are not here: they
are settings an admin edits in the portal (see ``portal.core.settings``).
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

INSTANCE_DIR = Path(os.environ.get("SINERGI_INSTANCE", Path.cwd() / "instance")).resolve()
SECRET_KEY_FILE = "secret_key"
PUBLIC_BASE_URL_FILE = "public_base_url"


def default_database_url(instance_dir: Path) -> str:
    """SQLite file under ``instance/``: the embedded default."""
    return f"sqlite:///{instance_dir / 'sinergi.db'}"


def read_secret_key(instance_dir: Path) -> str | None:
    """The key from the environment, else the one the setup step kept under instance/."""
    if key := os.environ.get("SECRET_KEY"):
        return key
    path = instance_dir / SECRET_KEY_FILE
    return path.read_text().strip() if path.exists() else None


def read_public_base_url(instance_dir: Path) -> str | None:
    """PUBLIC_BASE_URL from the environment, else the address the setup step recorded."""
    if url := os.environ.get("PUBLIC_BASE_URL"):
        return url
    path = instance_dir / PUBLIC_BASE_URL_FILE
    if not path.exists():
        return None
    return path.read_text().strip() or None


def ensure_instance(instance_dir: Path = INSTANCE_DIR) -> Path:
    """Create instance/ and its secret key once; called by the setup step, never by workers."""
    instance_dir.mkdir(parents=True, exist_ok=True)
    path = instance_dir / SECRET_KEY_FILE
    if not path.exists() and not os.environ.get("SECRET_KEY"):
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return instance_dir


def from_environment(instance_dir: Path = INSTANCE_DIR) -> dict:
    """Build the Flask config mapping from environment variables."""
    env = os.environ.get
    return {
        "SECRET_KEY": read_secret_key(instance_dir),
        "SQLALCHEMY_DATABASE_URI": env("DATABASE_URL") or default_database_url(instance_dir),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "REDIS_URL": env("REDIS_URL"),
        "HUEY_SQLITE_PATH": env("HUEY_SQLITE_PATH") or str(instance_dir / "huey.db"),
        "HUEY_IMMEDIATE": False,
        "MAIL_SERVER": env("MAIL_SERVER"),
        "MAIL_PORT": int(env("MAIL_PORT") or 25),
        "MAIL_USE_TLS": env("MAIL_USE_TLS", "").lower() in {"1", "true", "yes"},
        "MAIL_USERNAME": env("MAIL_USERNAME"),
        "MAIL_PASSWORD": env("MAIL_PASSWORD"),
        "MAIL_SENDER": env("MAIL_SENDER") or "sinergi@kukarkab.go.id",
        "PUBLIC_BASE_URL": read_public_base_url(instance_dir),
        # Signing letters (portal/signing): the installation CA's PEM files and passphrases
        # (default: instance/signing/, keys encrypted under a passphrase derived from
        # SECRET_KEY), and an RFC 3161 timestamp service.
        "SIGNING_CA_CERT": env("SIGNING_CA_CERT"),
        "SIGNING_CA_KEY": env("SIGNING_CA_KEY"),
        "SIGNING_CA_PASSPHRASE": env("SIGNING_CA_PASSPHRASE"),
        "SIGNING_KEY_PASSPHRASE": env("SIGNING_KEY_PASSPHRASE"),
        "SIGNING_TSA_URL": env("SIGNING_TSA_URL"),
        # The "Mengetahui" line of handover letters (the head of the Dinas Sosial).
        "LETTER_ACKNOWLEDGER_NAME": env("LETTER_ACKNOWLEDGER_NAME"),
        "LETTER_ACKNOWLEDGER_NIP": env("LETTER_ACKNOWLEDGER_NIP"),
        "LETTER_ACKNOWLEDGER_TITLE": env("LETTER_ACKNOWLEDGER_TITLE"),
        "PERMANENT_SESSION_LIFETIME": timedelta(hours=int(env("SESSION_HOURS") or 8)),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": env("SESSION_COOKIE_SECURE", "").lower() in {"1", "true"},
        "REMEMBER_COOKIE_DURATION": timedelta(days=1),
        "WTF_CSRF_TIME_LIMIT": None,  # the token lives as long as the session
        "BABEL_DEFAULT_LOCALE": "id",
        "BABEL_DEFAULT_TIMEZONE": "Asia/Makassar",
        "LANGUAGES": ["id", "en"],
        "PASSWORD_HASH_METHOD": env("PASSWORD_HASH_METHOD") or "scrypt",
        # Where throttle counters live: redis (default with REDIS_URL), database (default
        # otherwise, shared by every worker) or memory (one process only, as `make run`).
        "THROTTLE_STORAGE": env("THROTTLE_STORAGE"),
        # Reverse proxies in front of the portal whose X-Forwarded-For is believed (0: none).
        "TRUSTED_PROXIES": int(env("TRUSTED_PROXIES") or 0),
        # Failed logins per account and per address; reset requests, registrations and
        # invitation acceptances per address (reset requests per account too).
        "LOGIN_LIMIT_PER_ACCOUNT": env("LOGIN_LIMIT_PER_ACCOUNT") or "10 per 15 minutes",
        "LOGIN_LIMIT_PER_ADDRESS": env("LOGIN_LIMIT_PER_ADDRESS") or "30 per 15 minutes",
        "RESET_LIMIT_PER_ACCOUNT": env("RESET_LIMIT_PER_ACCOUNT") or "3 per hour",
        "RESET_LIMIT_PER_ADDRESS": env("RESET_LIMIT_PER_ADDRESS") or "10 per hour",
        "REGISTRATION_LIMIT_PER_ADDRESS": env("REGISTRATION_LIMIT_PER_ADDRESS") or "20 per hour",
        "INVITATION_LIMIT_PER_ADDRESS": env("INVITATION_LIMIT_PER_ADDRESS") or "20 per hour",
        # The public letter verification page, per address (views and uploads).
        "VERIFY_LIMIT_PER_ADDRESS": env("VERIFY_LIMIT_PER_ADDRESS") or "30 per minute",
        "MAX_CONTENT_LENGTH": 64 * 1024 * 1024,
        "INSTANCE_DIR": str(instance_dir),
    }
