"""Issuing the signed letter at approval.

``issue_letter(match, number, actor)`` is called by the approval between "number known" and
"commit": it renders the letter with that number, signs it with the camat's certificate and
adds the ``Letter`` to the session (no commit). Anything that fails raises, so the approval
fails whole and the number is not used."""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import select

from portal.core.dates import utcnow
from portal.extensions import db
from portal.letters.data import letter_data, wita
from portal.letters.render import render_pdf
from portal.matching.holds import open_amendment
from portal.models import Letter, Match, User
from portal.signing import signer_for

# Unambiguous letters and digits (no 0/O, 1/I): 32 symbols, 10 of them ≈ 50 bits.
CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
CODE_LENGTH = 10
SIGNATURE_FIELD = "TandaTanganCamat"


def new_verification_code() -> str:
    """A fresh code no letter has yet."""
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if db.session.scalar(select(Letter.id).where(Letter.verification_code == code)) is None:
            return code


def normalise_code(code: str) -> str:
    """What a person typed (lower case, spaces, hyphens) as the stored code."""
    return "".join(code.split()).replace("-", "").upper()


def issue_letter(match: Match, number: str, actor: User | None = None) -> Letter:
    """Render, sign and add (not commit) the letter of ``match`` under ``number``."""
    actor = actor or match.approved_by
    if actor is None:
        raise ValueError("a letter needs the approving camat")
    # Nothing is written before the caller commits, so no write lock is held while the
    # letter renders (a new signing certificate and the letter are only added).
    with db.session.no_autoflush:
        return _issue(match, number, actor)


def _issue(match: Match, number: str, actor: User) -> Letter:
    signer = signer_for(actor)
    code = new_verification_code()
    amendment = open_amendment(match)  # an amended letter names the one it replaces
    replaces = amendment.letter if amendment is not None else None
    data = letter_data(match, number, code, actor, bsre=signer.bsre, replaces=replaces)
    signed = signer.sign(
        render_pdf(data),
        field_name=SIGNATURE_FIELD,
        reason=f"Persetujuan Berita Acara Serah Terima Nomor {number}",
        location=f"Kecamatan {match.kecamatan.name}",
    )
    letter = Letter(
        match=match,
        number=number,
        kind=data.kind,
        verification_code=code,
        letter_date=wita(match.approved_at),
        total_value=data.total,
        recipient_count=len(data.people),
        signer_certificate=signer.certificate,
        signer_name=data.second.name,
        signer_title=data.second.title,
        signed_at=utcnow(),
        sha256=hashlib.sha256(signed).hexdigest(),
        size=len(signed),
        pdf=signed,
        replaces=replaces,
    )
    db.session.add(letter)
    return letter
