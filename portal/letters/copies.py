"""A letter signed again outside the portal (the camat's BSrE certificate): the officer
uploads that file; the portal keeps it beside the letter only when its last signature is
intact and covers the whole file, and everything before that signature is, byte for byte,
the letter the portal issued (the new signature is an incremental update of it)."""

from __future__ import annotations

import hashlib
import io

from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import async_validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from portal.core.refusals import Refusal
from portal.core.text import lazy_gettext as _l
from portal.extensions import db
from portal.letters.queries import is_pdf
from portal.models import Letter, LetterCopy, User
from portal.signing.pades import run_coroutine

NOT_A_PDF = _l("This file is not a PDF.")
NOT_THIS_LETTER = _l(
    "This file is not this letter signed again: its first part must be, byte for byte, the "
    "letter the portal issued, with the new signature added after it."
)
BROKEN_SIGNATURE = _l("The new signature in this file is damaged or does not cover the whole file.")


def add_signed_copy(letter: Letter, data: bytes, actor: User) -> LetterCopy:
    """Check ``data`` and keep it beside ``letter`` (no commit); a Refusal says why not."""
    if not is_pdf(data):
        raise Refusal(NOT_A_PDF, field="file")
    original = letter.pdf
    if len(data) <= len(original) or not data.startswith(original):
        raise Refusal(NOT_THIS_LETTER, field="file")
    signature, status = _last_signature(data)
    if not (status.intact and status.valid) or (
        status.coverage != SignatureCoverageLevel.ENTIRE_FILE
    ):
        raise Refusal(BROKEN_SIGNATURE, field="file")
    certificate = status.signing_cert
    copy = LetterCopy(
        letter=letter,
        signer_name=certificate.subject.human_friendly[:200],
        issuer=certificate.issuer.human_friendly[:400],
        signed_at=signature.self_reported_timestamp,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        pdf=data,
        uploaded_by_id=actor.id,
    )
    db.session.add(copy)
    return copy


def _last_signature(data: bytes):
    try:
        signatures = PdfFileReader(io.BytesIO(data), strict=False).embedded_signatures
    except Exception as error:  # noqa: BLE001 - an unreadable file is refused, not a 500
        raise Refusal(NOT_THIS_LETTER, field="file") from error
    if len(signatures) < 2:
        raise Refusal(NOT_THIS_LETTER, field="file")
    signature = signatures[-1]
    # Intact and valid as a signature; trust in the outside CA is not the portal's to judge.
    context = ValidationContext(allow_fetching=False)
    return signature, run_coroutine(async_validate_pdf_signature(signature, context))
