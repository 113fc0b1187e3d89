"""Aid categories (reference data the double-aid rule compares) and the aid history:
what a person or family received, from this portal or another programme."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.core.dates import utcnow
from portal.extensions import db
from portal.models.base import in_check

AID_SOURCES = ("PORTAL", "PKH", "BPNT", "BLT-DD", "UEP", "CSR", "OTHER")


class AidCategory(db.Model):
    """A category of aid (reference data the admin edits); the double-aid rule compares them."""

    __tablename__ = "aid_category"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(30), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class AidCategoryPair(db.Model):
    """Two categories a person may receive together (e.g. PKH with BPNT)."""

    __tablename__ = "aid_category_pair"
    __table_args__ = (CheckConstraint("first_id < second_id", name="ordered_pair"),)

    first_id: Mapped[int] = mapped_column(ForeignKey("aid_category.id"), primary_key=True)
    second_id: Mapped[int] = mapped_column(ForeignKey("aid_category.id"), primary_key=True)


class AidRecord(db.Model):
    """Aid a person or family received, from this portal or another programme's list."""

    __tablename__ = "aid_record"
    __table_args__ = (
        in_check("source", AID_SOURCES),
        CheckConstraint("value IS NULL OR value >= 0", name="value_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    nik: Mapped[str | None] = mapped_column(String(16), index=True)
    kk: Mapped[str | None] = mapped_column(String(16), index=True)
    recipient_id: Mapped[int | None] = mapped_column(ForeignKey("recipient.id"), index=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("aid_category.id"))
    source: Mapped[str] = mapped_column(String(10))
    programme: Mapped[str] = mapped_column(String(120), default="")
    contribution_id: Mapped[int | None] = mapped_column(ForeignKey("contribution.id"))
    received_on: Mapped[date] = mapped_column(Date, index=True)
    description: Mapped[str] = mapped_column(Text, default="")
    value: Mapped[int | None] = mapped_column(BigInteger)  # Rupiah
    import_batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    category = relationship("AidCategory")
    recipient = relationship("Recipient")
