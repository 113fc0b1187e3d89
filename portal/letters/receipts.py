"""The receipts (tanda terima) of a letter: what they say, read from the database into
plain data (``receipt_pdf`` renders it), and where a finished PDF is kept.

Before the handover is recorded every active member gets a receipt with boxes to tick on
paper (in person, or a proxy named by hand). Once it is recorded, the receipts follow the
handover: one for each person who received something, saying who collected it
(``HandoverLine.collected_by``: the recipient, or the named proxy); the absent get none.
"""

from __future__ import annotations

import hashlib
import re

from flask import current_app

from portal.core import words
from portal.core.mail import public_url
from portal.extensions import db
from portal.handovers.services import current_handover
from portal.letters.data import letterhead_of, person_of
from portal.letters.receipt_pdf import Receipt, ReceiptBatch
from portal.models import Attachment, Letter, User

ATTACHMENT_OWNER = "letter_receipts"
DEFAULT_INLINE_RECEIPTS = 30


def inline_limit() -> int:
    """How many receipts a request renders itself; more become a background job."""
    return int(current_app.config.get("RECEIPTS_INLINE", DEFAULT_INLINE_RECEIPTS))


def receipt_batch(letter: Letter, actor: User) -> ReceiptBatch:
    """Every receipt of ``letter``'s match, as ``actor`` prints them."""
    match = letter.match
    training = letter.kind == "training"
    handover = current_handover(match)
    if handover is None:
        receipts = tuple(_receipt(person_of(m, training), None) for m in match.active_members)
        place, day, officer = "", "", actor.name if actor.role == "officer" else ""
    else:
        receipts = tuple(
            _receipt(person_of(line.member, training), line.collected_by or "")
            for line in handover.lines
            if line.received
        )
        place, day = handover.place, words.long_date(handover.handed_over_on)
        officer = handover.recorded_by.name if handover.recorded_by else ""
    head = letterhead_of(match.kecamatan)
    return ReceiptBatch(
        kecamatan=match.kecamatan.name,
        address=head.address,
        phone=head.phone,
        company=match.contribution.company.name,
        number=letter.number,
        verification_code=letter.verification_code,
        verification_url=_verification_url(letter),
        place=place,
        day=day,
        officer=officer,
        receipts=receipts,
        logo=head.logo,
    )


def _receipt(person, collected_by: str | None) -> Receipt:
    return Receipt(person.name, person.masked_nik, person.desa, person.items, collected_by)


def _verification_url(letter: Letter) -> str:
    return public_url(f"/verifikasi/{letter.verification_code}")


def file_name(letter: Letter) -> str:
    """``Tanda-terima-400.9-007-CSR-64.02.06-V-2025.pdf``."""
    return "Tanda-terima-" + re.sub(r"[^A-Za-z0-9.]+", "-", letter.number).strip("-") + ".pdf"


def store(letter: Letter, actor: User, pdf: bytes) -> Attachment:
    """Keep a finished receipts PDF for its job's download link (the caller commits)."""
    attachment = Attachment(
        owner_type=ATTACHMENT_OWNER,
        owner_id=letter.id,
        kind="receipts",
        filename=file_name(letter),
        content_type="application/pdf",
        size=len(pdf),
        sha256=hashlib.sha256(pdf).hexdigest(),
        data=pdf,
        uploaded_by_id=actor.id,
    )
    db.session.add(attachment)
    return attachment
