"""Passphrases that encrypt the signing keys at rest.

From configuration when set (``SIGNING_KEY_PASSPHRASE``, ``SIGNING_CA_PASSPHRASE``);
otherwise derived from the portal's SECRET_KEY, so every server that shares the secret key
(and the database) can sign, and a copied database alone cannot. Changing SECRET_KEY
without setting these makes the stored keys unreadable."""

from __future__ import annotations

import hashlib
import hmac

from flask import current_app


def passphrase(purpose: str) -> bytes:
    """The passphrase for ``purpose`` ("ca" or "key")."""
    configured = current_app.config.get(f"SIGNING_{purpose.upper()}_PASSPHRASE")
    if configured:
        return configured.encode()
    secret = current_app.config.get("SECRET_KEY")
    if not secret:
        raise RuntimeError("SECRET_KEY is not set; signing keys cannot be protected.")
    return (
        hmac.new(secret.encode(), f"sinergi-signing-{purpose}".encode(), hashlib.sha256)
        .hexdigest()
        .encode()
    )
