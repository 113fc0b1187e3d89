"""The recipient registry, aid categories, aid history and import batches."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.core.dates import utcnow
from portal.extensions import db
from portal.models.base import TimestampMixin, in_check
from portal.models.vocabulary import SECTORS, TARGET_GROUPS, code_table

RECIPIENT_SOURCES = ("DTKS", "PKH", "PUSKESOS", "MANUAL")
VALIDATION_STATES = ("pending", "validated", "rejected")
DEACTIVATION_REASONS = ("moved", "deceased", "refused", "not_found", "not_eligible")
AID_SOURCES = ("PORTAL", "PKH", "BPNT", "BLT-DD", "UEP", "CSR", "OTHER")
IMPORT_KINDS = ("recipients", "aid_records")
IMPORT_STATES = (
    "uploaded",
    "analysing",
    "previewed",
    "running",
    "completed",
    "failed",
    "interrupted",
    "rolled_back",
)
IMPORT_ISSUE_KINDS = ("error", "conflict")

recipient_target_group = code_table("recipient_target_group", "recipient", TARGET_GROUPS)
recipient_sector = code_table("recipient_sector", "recipient", SECTORS)


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


class ImportBatch(db.Model):
    """One uploaded file: the audit record of a bulk import."""

    __tablename__ = "import_batch"
    __table_args__ = (
        in_check("kind", IMPORT_KINDS),
        in_check("status", IMPORT_STATES),
        CheckConstraint(
            "added >= 0 AND updated >= 0 AND refused >= 0 AND unchanged >= 0"
            " AND processed_rows >= 0",
            name="counts_not_negative",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(12))
    source: Mapped[str] = mapped_column(String(20))
    filename: Mapped[str] = mapped_column(String(255))
    kecamatan_id: Mapped[int | None] = mapped_column(ForeignKey("kecamatan.id"), index=True)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    status: Mapped[str] = mapped_column(String(12), default="uploaded")
    total_rows: Mapped[int] = mapped_column(Integer, default=0)
    processed_rows: Mapped[int] = mapped_column(Integer, default=0)
    added: Mapped[int] = mapped_column(Integer, default=0)
    updated: Mapped[int] = mapped_column(Integer, default=0)
    refused: Mapped[int] = mapped_column(Integer, default=0)
    unchanged: Mapped[int] = mapped_column(Integer, default=0)
    attachment_id: Mapped[int | None] = mapped_column(ForeignKey("attachment.id"))
    job_id: Mapped[str | None] = mapped_column(ForeignKey("job.id"))
    # Which file column holds each field, chosen (or confirmed) by the officer.
    mapping: Mapped[dict] = mapped_column(JSON, default=dict)
    # The dry run's counts and refusal reasons, shown before the officer confirms.
    summary: Mapped[dict] = mapped_column(JSON, default=dict)
    # For aid-history files without a category column.
    default_category_id: Mapped[int | None] = mapped_column(ForeignKey("aid_category.id"))
    # Set when a village operator sends the file: its rows become proposals for this desa.
    desa_id: Mapped[int | None] = mapped_column(ForeignKey("desa.id"))
    # Written after every committed chunk; a running batch whose heartbeat stops is stalled.
    heartbeat_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    kecamatan = relationship("Kecamatan")
    job = relationship("Job")
    errors: Mapped[list[ImportRowError]] = relationship(
        back_populates="batch", order_by="ImportRowError.row_number", cascade="all, delete-orphan"
    )


class ImportRowError(db.Model):
    """A refused row of an import batch, with its reason."""

    __tablename__ = "import_row_error"
    __table_args__ = (in_check("kind", IMPORT_ISSUE_KINDS),)

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(
        ForeignKey("import_batch.id", ondelete="CASCADE"), index=True
    )
    row_number: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(10), default="error")
    column: Mapped[str] = mapped_column(String(60), default="")
    # An English source string, translated when shown; params fill its placeholders.
    reason: Mapped[str] = mapped_column(Text)
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    raw: Mapped[str] = mapped_column(Text, default="")

    batch: Mapped[ImportBatch] = relationship(back_populates="errors")


class ImportChange(db.Model):
    """A recipient's values before an import batch updated them, so the batch can be rolled back."""

    __tablename__ = "import_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(
        ForeignKey("import_batch.id", ondelete="CASCADE"), index=True
    )
    recipient_id: Mapped[int] = mapped_column(ForeignKey("recipient.id"), index=True)
    previous: Mapped[dict] = mapped_column(JSON)


class Recipient(TimestampMixin, db.Model):
    """A resident on the validated list of poor and vulnerable people."""

    __table_args__ = (
        in_check("sex", ("L", "P")),
        in_check("source", RECIPIENT_SOURCES),
        in_check("validation_status", VALIDATION_STATES),
        CheckConstraint(
            "deactivation_reason IS NULL OR deactivation_reason IN "
            "('moved', 'deceased', 'refused', 'not_found', 'not_eligible')",
            name="deactivation_reason_valid",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Blank only after the legal erasure; unique across the regency otherwise.
    nik: Mapped[str | None] = mapped_column(String(16), unique=True)
    kk: Mapped[str | None] = mapped_column(String(16), index=True)
    name: Mapped[str] = mapped_column(String(120), index=True)
    sex: Mapped[str | None] = mapped_column(String(1))
    birth_place: Mapped[str] = mapped_column(String(80), default="")
    birth_date: Mapped[date | None] = mapped_column(Date)
    address: Mapped[str] = mapped_column(Text, default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    # Indexed as the leading column of (desa_id, name) and (kecamatan_id, name), see
    # portal/models/registry.py; a second index on each would only slow large imports.
    desa_id: Mapped[int | None] = mapped_column(ForeignKey("desa.id"))
    kecamatan_id: Mapped[int] = mapped_column(ForeignKey("kecamatan.id"))
    source: Mapped[str] = mapped_column(String(10), default="MANUAL")
    source_id: Mapped[str] = mapped_column(String(60), default="")
    validation_status: Mapped[str] = mapped_column(String(10), default="pending")
    validated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    validated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    rejection_reason: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    deactivation_reason: Mapped[str | None] = mapped_column(String(14))
    deactivated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    erased_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    import_batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    # What the NIK or KK says that the record disagrees with: comma-separated codes of
    # portal.core.nik.WARNING_CODES, set by every path that writes the record.
    warnings: Mapped[str] = mapped_column(String(80), default="", server_default="")

    desa = relationship("Desa")
    kecamatan = relationship("Kecamatan")

    @property
    def warning_codes(self) -> tuple[str, ...]:
        return tuple(self.warnings.split(",")) if self.warnings else ()


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
