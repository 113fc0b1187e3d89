"""Bulk import batches: the audit record of each uploaded file, its refused rows and the
values it replaced (so a batch can be rolled back)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.core.dates import utcnow
from portal.extensions import db
from portal.models.base import in_check

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


class ImportRows(db.Model):
    """One chunk of a batch's file as the check left it: the rows that passed as cleaned
    values and the refusals of the others, so confirming only writes (no second pass of
    the file). Removed once the batch completes or is rolled back."""

    __tablename__ = "import_rows"
    __table_args__ = (
        CheckConstraint("position >= 0", name="position_not_negative"),
        CheckConstraint("row_count > 0", name="row_count_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(
        ForeignKey("import_batch.id", ondelete="CASCADE"), index=True
    )
    # Index in the file of the chunk's first row, and how many rows of the file it holds.
    position: Mapped[int] = mapped_column(Integer)
    row_count: Mapped[int] = mapped_column(Integer)
    # Rows the check refused and their issues (JSON); the passed rows' values (JSON) and,
    # apart, their raw cells (JSON, read only for a row the commit refuses).
    refused: Mapped[int] = mapped_column(Integer, default=0)
    issues: Mapped[str] = mapped_column(Text, default="[]")
    records: Mapped[str] = mapped_column(Text, default="[]")
    cells: Mapped[str] = mapped_column(Text, default="[]")
