"""Reading letters: the public page's lookups and the scoped, filtered list."""

from __future__ import annotations

import hashlib

from sqlalchemy import Select, or_, select

from portal.core.dates import as_utc
from portal.extensions import db
from portal.letters import access
from portal.letters.services import normalise_code
from portal.models import Company, Contribution, Letter, Match

# An uploaded copy is read up to this size; a letter is far smaller.
MAX_CHECK_BYTES = 20 * 1024 * 1024


def by_code(code: str) -> Letter | None:
    code = normalise_code(code)
    if not code.isalnum() or len(code) > 16:
        return None
    return db.session.scalar(select(Letter).where(Letter.verification_code == code))


def letter_of(match: Match) -> Letter | None:
    """The match's letter in force (the newest valid one), for its page's download link."""
    return db.session.scalar(
        select(Letter)
        .where(Letter.match_id == match.id, Letter.status == "valid")
        .order_by(Letter.id.desc())
    )


def is_pdf(data: bytes) -> bool:
    """Recognised by content: a PDF starts with its header (some tools put a few bytes
    before it) and ends with an end-of-file marker."""
    return b"%PDF-" in data[:1024] and b"%%EOF" in data[-2048:]


def is_authentic(letter: Letter, data: bytes) -> bool:
    """Exactly the signed file the portal issued, or the copy the camat signed again
    outside the portal, byte for byte."""
    digest = hashlib.sha256(data).hexdigest()
    return digest == letter.sha256 or any(copy.sha256 == digest for copy in letter.copies)


def read_limited(stream, limit: int = MAX_CHECK_BYTES) -> bytes | None:
    """The upload's bytes, or None when it is larger than ``limit``."""
    data = stream.read(limit + 1)
    return None if len(data) > limit else data


def list_query(user, text: str | None, status: str | None) -> Select:
    query = (
        access.visible(user)
        .join(Match, Letter.match_id == Match.id)
        .join(Contribution, Match.contribution_id == Contribution.id)
        .join(Company, Contribution.company_id == Company.id)
    )
    if status:
        query = query.where(Letter.status == status)
    if text:
        pattern = f"%{text.strip()}%"
        query = query.where(
            or_(
                Letter.number.ilike(pattern),
                Company.name.ilike(pattern),
                Letter.verification_code == normalise_code(text),
            )
        )
    return query.order_by(Letter.signed_at.desc(), Letter.id.desc())


def valid_when_signed(letter: Letter) -> bool:
    """The signer's certificate was within its validity and not revoked at signing time;
    revoking it later (the signer left) leaves the letter valid."""
    certificate = letter.signer_certificate
    signed = as_utc(letter.signed_at)
    revoked = as_utc(certificate.revoked_at)
    return as_utc(certificate.not_before) <= signed <= as_utc(certificate.not_after) and (
        revoked is None or revoked > signed
    )
