"""The installation's certificate authority: one self-signed CA per portal, created once by
the setup step (``flask setup``), never by a worker as it starts.

Where it lives: the PEM files named by ``SIGNING_CA_CERT`` and ``SIGNING_CA_KEY`` (the key
encrypted with ``SIGNING_CA_PASSPHRASE``) in production; otherwise ``instance/signing/``,
the key encrypted with a passphrase derived from SECRET_KEY (see ``passphrases.py``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from flask import current_app

from portal.core.dates import utcnow
from portal.signing.passphrases import passphrase

CA_NAME = "Sinergi CA Kabupaten Kutai Kartanegara"
CA_YEARS = 20
KEY_BITS = 3072


@dataclass(frozen=True)
class Authority:
    certificate: x509.Certificate
    key: rsa.RSAPrivateKey


def ca_paths() -> tuple[Path, Path]:
    config = current_app.config
    folder = Path(config["INSTANCE_DIR"]) / "signing" if config.get("INSTANCE_DIR") else None
    cert = config.get("SIGNING_CA_CERT") or (folder / "ca-cert.pem" if folder else None)
    key = config.get("SIGNING_CA_KEY") or (folder / "ca-key.pem" if folder else None)
    if cert is None or key is None:
        raise RuntimeError("No place for the certificate authority: set SIGNING_CA_CERT/KEY.")
    return Path(cert), Path(key)


def ensure_authority() -> bool:
    """Create the CA when its files are missing; True when it was created now."""
    cert_path, key_path = ca_paths()
    if cert_path.exists() and key_path.exists():
        return False
    key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_BITS)
    certificate = _self_signed(key)
    cert_path.parent.mkdir(parents=True, exist_ok=True)
    key_path.parent.mkdir(parents=True, exist_ok=True)
    encryption = serialization.BestAvailableEncryption(passphrase("ca"))
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption)
    )
    key_path.chmod(0o600)
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    return True


def load_authority() -> Authority:
    """The CA's certificate and key; a clear error when the setup step has not run."""
    cert_path, key_path = ca_paths()
    if not (cert_path.exists() and key_path.exists()):
        raise RuntimeError(
            "The signing certificate authority is missing: run `flask --app wsgi setup` once."
        )
    certificate = x509.load_pem_x509_certificate(cert_path.read_bytes())
    key = serialization.load_pem_private_key(key_path.read_bytes(), passphrase("ca"))
    return Authority(certificate, key)


def ca_certificate_pem() -> bytes:
    return ca_paths()[0].read_bytes()


def _self_signed(key: rsa.RSAPrivateKey) -> x509.Certificate:
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Pemerintah Kabupaten Kutai Kartanegara"),
            x509.NameAttribute(NameOID.COMMON_NAME, CA_NAME),
        ]
    )
    now = utcnow()
    return (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=365 * CA_YEARS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
