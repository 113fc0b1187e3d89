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
    Index,
    String,
    Text,
    text,
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
        # A person's or family's aid by date: the double-aid rule and the ranking of a
        # match's candidates read the latest aid (and a KK's aid in the window, with
        # whose it was) from these indexes alone, without the table.
        Index("ix_aid_record_nik_received_on", "nik", "received_on"),
        Index("ix_aid_record_kk_received_on", "kk", "received_on", "nik"),
        Index("ix_aid_record_recipient_id_received_on", "recipient_id", "received_on"),
        # The dashboards' people served and value handed over: this portal's own records
        # (a few thousand among hundreds of thousands) by the contributions in scope.
        Index(
            "ix_aid_record_portal",
            "contribution_id",
            "recipient_id",
            postgresql_where=text("source = 'PORTAL'"),
            sqlite_where=text("source = 'PORTAL'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    nik: Mapped[str | None] = mapped_column(String(16))
    kk: Mapped[str | None] = mapped_column(String(16))
    recipient_id: Mapped[int | None] = mapped_column(ForeignKey("recipient.id"))
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
