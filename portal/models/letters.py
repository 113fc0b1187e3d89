"""Handover letters (BAST) and the certificates they are signed with (DESIGN sections 3, 5).

A ``Letter`` is created once at approval, numbered, rendered, signed and stored with its
SHA-256; its bytes are never rendered again or changed. An amendment is a new letter that
names the one it ``replaces`` (whose status becomes ``replaced``).

A ``SignerCertificate`` is a camat's signing certificate and encrypted private key, issued
by the installation's certificate authority (``source = installation``) or uploaded as a
PKCS#12 file from a real CA such as BSrE (``uploaded``). Revoking it stops new letters
being signed with it; letters signed before stay valid.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    event,
    inspect,
)
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from portal.core.dates import utcnow
from portal.extensions import db
from portal.models.base import in_check

LETTER_KINDS = ("bast", "training")
LETTER_STATES = ("valid", "replaced")
AMENDMENT_STATES = ("open", "approved")
CERTIFICATE_SOURCES = ("installation", "uploaded")


class SignerCertificate(db.Model):
    """A signer's certificate with its private key (encrypted PKCS#8 PEM)."""

    __tablename__ = "signer_certificate"
    __table_args__ = (in_check("source", CERTIFICATE_SOURCES),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    source: Mapped[str] = mapped_column(String(12), default="installation")
    certificate_pem: Mapped[str] = mapped_column(Text)
    # The issuing chain of an uploaded certificate (PEM, may be empty).
    chain_pem: Mapped[str] = mapped_column(Text, default="")
    key_pem: Mapped[str] = mapped_column(Text)
    subject: Mapped[str] = mapped_column(String(400))
    issuer: Mapped[str] = mapped_column(String(400))
    serial: Mapped[str] = mapped_column(String(64))
    not_before: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    not_after: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # Issued by BSrE (Balai Besar Sertifikasi Elektronik): the letter's footer names it.
    bsre: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    user = relationship("User")

    @property
    def issuer_name(self) -> str:
        """The issuer's common name (``CN=…``), else the whole distinguished name."""
        for part in self.issuer.split(","):
            if part.startswith("CN="):
                return part[3:]
        return self.issuer


class Letter(db.Model):
    """A signed handover letter, stored unchangeably."""

    __tablename__ = "letter"
    __table_args__ = (
        in_check("kind", LETTER_KINDS),
        in_check("status", LETTER_STATES),
        CheckConstraint("recipient_count >= 0", name="recipient_count_not_negative"),
        CheckConstraint("total_value >= 0", name="total_value_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    match_id: Mapped[int] = mapped_column(ForeignKey("match_plan.id"), index=True)
    number: Mapped[str] = mapped_column(String(120), unique=True)
    kind: Mapped[str] = mapped_column(String(10), default="bast")
    status: Mapped[str] = mapped_column(String(10), default="valid", index=True)
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("letter.id"))
    # Short, unique and not guessable: the QR code's address ends in it.
    verification_code: Mapped[str] = mapped_column(String(16), unique=True)
    letter_date: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # What the verification page shows without reading the file: totals as signed.
    total_value: Mapped[int] = mapped_column(BigInteger, default=0)
    recipient_count: Mapped[int] = mapped_column(Integer, default=0)
    signer_certificate_id: Mapped[int] = mapped_column(ForeignKey("signer_certificate.id"))
    signer_name: Mapped[str] = mapped_column(String(120))
    signer_title: Mapped[str] = mapped_column(String(160))
    signed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int] = mapped_column(Integer)
    pdf: Mapped[bytes] = deferred(mapped_column(LargeBinary, nullable=False))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    match = relationship("Match")
    replaces = relationship("Letter", remote_side=[id])
    signer_certificate = relationship("SignerCertificate")
    copies: Mapped[list[LetterCopy]] = relationship(
        back_populates="letter", order_by="LetterCopy.id"
    )

    @property
    def served_copy(self) -> LetterCopy | None:
        """The newest copy signed outside the portal, which is served instead when present."""
        return self.copies[-1] if self.copies else None


class LetterCopy(db.Model):
    """The letter as the camat signed it again outside the portal (a BSrE certificate):
    the portal's file byte for byte, plus an incremental update with the new signature.
    Kept beside the letter, never over it; once there, it is the copy the portal serves."""

    __tablename__ = "letter_copy"

    id: Mapped[int] = mapped_column(primary_key=True)
    letter_id: Mapped[int] = mapped_column(ForeignKey("letter.id"), index=True)
    signer_name: Mapped[str] = mapped_column(String(200))
    issuer: Mapped[str] = mapped_column(String(400))
    signed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int] = mapped_column(Integer)
    pdf: Mapped[bytes] = deferred(mapped_column(LargeBinary, nullable=False))
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    letter = relationship("Letter", back_populates="copies")


class LetterAmendment(db.Model):
    """An officer's correction of a letter whose aid is not handed over yet: the match goes
    back to a draft the officer corrects and submits again; when the camat approves it,
    a new letter with a new number replaces ``letter``. Until then ``letter`` stays valid.

    ``held`` is what the match still holds on its contribution while it is a draft again
    (``{"items": {item id: quantity}, "seats": n}``): the old letter's quantities stay
    reserved so nobody else takes them, and submission swaps them for the corrected ones
    in one transaction. A letter is amended at most once (it is replaced then)."""

    __tablename__ = "letter_amendment"
    __table_args__ = (in_check("status", AMENDMENT_STATES),)

    id: Mapped[int] = mapped_column(primary_key=True)
    letter_id: Mapped[int] = mapped_column(ForeignKey("letter.id"), unique=True)
    match_id: Mapped[int] = mapped_column(ForeignKey("match_plan.id"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default="open", index=True)
    held: Mapped[dict] = mapped_column(JSON, default=dict)
    started_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    new_letter_id: Mapped[int | None] = mapped_column(ForeignKey("letter.id"))
    approved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    letter = relationship("Letter", foreign_keys=[letter_id])
    new_letter = relationship("Letter", foreign_keys=[new_letter_id])
    match = relationship("Match")
    started_by = relationship("User")


# What a signed letter is: never changed once stored (only its status moves on).
FIXED_COLUMNS = ("pdf", "sha256", "size", "number", "verification_code", "match_id", "signed_at")


@event.listens_for(Letter, "before_update")
def _refuse_changing_a_signed_letter(_mapper, _connection, letter: Letter) -> None:
    state = inspect(letter)
    changed = [name for name in FIXED_COLUMNS if state.attrs[name].history.has_changes()]
    if changed:
        raise ValueError(f"a signed letter is never changed ({', '.join(changed)})")
