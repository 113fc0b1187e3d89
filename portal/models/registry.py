"""The recipient registry: residents on the list, with the indexes the list searches with
(DESIGN section 3, Recipient), and the corrections village operators propose to them."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
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
from portal.models.base import TimestampMixin, in_check
from portal.models.vocabulary import SECTORS, TARGET_GROUPS, code_table

RECIPIENT_SOURCES = ("DTKS", "PKH", "PUSKESOS", "MANUAL")
VALIDATION_STATES = ("pending", "validated", "rejected")
DEACTIVATION_REASONS = ("moved", "deceased", "refused", "not_found", "not_eligible")
CORRECTION_STATES = ("pending", "accepted", "rejected")
WARNED = text("warnings <> ''")

recipient_target_group = code_table("recipient_target_group", "recipient", TARGET_GROUPS)
recipient_sector = code_table("recipient_sector", "recipient", SECTORS)


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
        # The officer's list: one kecamatan, ordered by name (and the active search on it).
        Index("ix_recipient_kecamatan_id_name", "kecamatan_id", "name"),
        Index("ix_recipient_desa_id_name", "desa_id", "name"),
        # The match candidates: every eligible person of one kecamatan, ranked whole. In
        # id order the look-ups per person stay on neighbouring pages; by (kecamatan, name)
        # SQLite visits the rows in name order and the ranking took twice as long.
        Index("ix_recipient_kecamatan_id", "kecamatan_id"),
        # Counting people by validation state, and the validated per kecamatan (home
        # pages, coverage), from the index alone.
        Index(
            "ix_recipient_active_validation",
            "active",
            "validation_status",
            "kecamatan_id",
            "validated_at",
        ),
        # The people served by kecamatan and desa (dashboards, coverage): a few thousand
        # probes by id answered from the index alone, not a pass over every person.
        Index("ix_recipient_id_places", "id", "kecamatan_id", "desa_id"),
        # The list's "has warnings" filter: only the few people with warnings, in name order.
        Index("ix_recipient_warned_name", "name", postgresql_where=WARNED, sqlite_where=WARNED),
        # PostgreSQL: substring search on names (ILIKE '%...%') across the regency by trigrams.
        Index(
            "ix_recipient_name_trgm",
            "name",
            postgresql_using="gin",
            postgresql_ops={"name": "gin_trgm_ops"},
        ).ddl_if(dialect="postgresql"),
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
    # Indexed as the leading column of (desa_id, name) and (kecamatan_id, name) above;
    # a second index on each would only slow large imports.
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


class RecipientCorrection(db.Model):
    """A change to a recipient proposed by a village operator, waiting for the officer."""

    __tablename__ = "recipient_correction"
    __table_args__ = (in_check("status", CORRECTION_STATES),)

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient_id: Mapped[int] = mapped_column(ForeignKey("recipient.id"), index=True)
    # {field: proposed value}; dates as ISO text, target groups and sectors as lists.
    changes: Mapped[dict] = mapped_column(JSON, default=dict)
    reason: Mapped[str] = mapped_column(Text, default="")
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    proposed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    status: Mapped[str] = mapped_column(String(10), default="pending", index=True)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    decision_reason: Mapped[str] = mapped_column(Text, default="")
    # The village operator's file it came from, if any (rolled back with the import).
    import_batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id"), index=True)

    recipient = relationship("Recipient")
    proposed_by = relationship("User", foreign_keys=[proposed_by_id])
    decided_by = relationship("User", foreign_keys=[decided_by_id])
