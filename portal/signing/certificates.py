"""Signers' certificates: issued by the installation's CA when a camat first signs, or
uploaded by an admin as a PKCS#12 file from a real CA (BSrE); revoked when the signer is
deactivated (letters signed before stay valid)."""

from __future__ import annotations

import datetime as dt

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from sqlalchemy import select

from portal.core.dates import as_utc, utcnow
from portal.extensions import db
from portal.models import SignerCertificate, User
from portal.signing import SigningUnavailable
from portal.signing.authority import load_authority
from portal.signing.passphrases import passphrase

SIGNER_YEARS = 2
KEY_BITS = 2048
# A certificate this close to its end is replaced rather than used for a new letter.
RENEW_BEFORE = dt.timedelta(days=7)
BSRE_MARKERS = ("bsre", "balai sertifikasi elektronik", "balai besar sertifikasi elektronik")


def current_certificate(user: User) -> SignerCertificate:
    """The certificate ``user`` signs with now: the newest usable one (uploaded first),
    else a new one from the installation's CA (added to the session, not committed)."""
    if not user.active:
        raise SigningUnavailable("an inactive user cannot sign")
    usable = [c for c in certificates_of(user) if is_usable(c)]
    usable.sort(key=lambda c: (c.source == "uploaded", as_utc(c.created_at)), reverse=True)
    return usable[0] if usable else issue_certificate(user)


def certificates_of(user: User) -> list[SignerCertificate]:
    query = select(SignerCertificate).where(SignerCertificate.user_id == user.id)
    return list(db.session.scalars(query.order_by(SignerCertificate.id)))


def is_usable(certificate: SignerCertificate, moment: dt.datetime | None = None) -> bool:
    moment = moment or utcnow()
    return (
        certificate.revoked_at is None
        and as_utc(certificate.not_before) <= moment
        and as_utc(certificate.not_after) - RENEW_BEFORE > moment
    )


def issue_certificate(user: User) -> SignerCertificate:
    """A new signing certificate for ``user`` from the installation's CA."""
    authority = load_authority()
    key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_BITS)
    now = utcnow()
    certificate = (
        x509.CertificateBuilder()
        .subject_name(_subject(user))
        .issuer_name(authority.certificate.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=365 * SIGNER_YEARS))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_signing_usage(), critical=True)
        .add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False
        )
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(authority.key.public_key()),
            critical=False,
        )
        .sign(authority.key, hashes.SHA256())
    )
    return _store(user, certificate, key, source="installation")


def upload_pkcs12(user: User, data: bytes, password: str) -> SignerCertificate:
    """Keep an admin's uploaded PKCS#12 (a certificate from a real CA) for ``user``;
    raises ValueError when the file or its password is wrong or it holds no key."""
    key, certificate, chain = pkcs12.load_key_and_certificates(data, password.encode() or None)
    if key is None or certificate is None:
        raise ValueError("the PKCS#12 file holds no certificate with its key")
    row = _store(user, certificate, key, source="uploaded", chain=chain or [])
    db.session.flush()
    return row


def revoke_certificates(user: User) -> int:
    """Stop ``user``'s certificates signing new letters (on deactivation); their letters
    stay valid. Returns how many were revoked."""
    now, count = utcnow(), 0
    for certificate in certificates_of(user):
        if certificate.revoked_at is None:
            certificate.revoked_at = now
            count += 1
    return count


def _store(user, certificate, key, *, source: str, chain=()) -> SignerCertificate:
    encryption = serialization.BestAvailableEncryption(passphrase("key"))
    issuer = certificate.issuer.rfc4514_string()
    row = SignerCertificate(
        user=user,
        source=source,
        certificate_pem=certificate.public_bytes(serialization.Encoding.PEM).decode(),
        chain_pem="".join(c.public_bytes(serialization.Encoding.PEM).decode() for c in chain),
        key_pem=key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
        ).decode(),
        subject=certificate.subject.rfc4514_string()[:400],
        issuer=issuer[:400],
        serial=format(certificate.serial_number, "x")[:64],
        not_before=certificate.not_valid_before_utc,
        not_after=certificate.not_valid_after_utc,
        bsre=any(marker in issuer.lower() for marker in BSRE_MARKERS),
    )
    # Added, not flushed: the approval renders and signs before it writes anything, so
    # SQLite's write lock is not held while the letter renders.
    db.session.add(row)
    return row


def _subject(user: User) -> x509.Name:
    attributes = [
        x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Pemerintah Kabupaten Kutai Kartanegara"),
        x509.NameAttribute(NameOID.COMMON_NAME, user.name[:64]),
    ]
    if user.title:
        attributes.append(x509.NameAttribute(NameOID.TITLE, user.title[:64]))
    if user.nip:
        attributes.append(x509.NameAttribute(NameOID.SERIAL_NUMBER, user.nip))
    return x509.Name(attributes)


def _signing_usage() -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=True,
        content_commitment=True,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=False,
        crl_sign=False,
        encipher_only=False,
        decipher_only=False,
    )
