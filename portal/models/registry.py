"""Registry additions: corrections proposed by village operators, and the indexes the
recipient list searches with (DESIGN section 3, Recipient)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.core.dates import utcnow
from portal.extensions import db
from portal.models.base import in_check
from portal.models.recipients import Recipient

CORRECTION_STATES = ("pending", "accepted", "rejected")

# The officer's list: one kecamatan, ordered by name (and the active search on it).
Index("ix_recipient_kecamatan_id_name", Recipient.kecamatan_id, Recipient.name)
Index("ix_recipient_desa_id_name", Recipient.desa_id, Recipient.name)
# The list's "has warnings" filter: only the few people with warnings, in name order.
WARNED = text("warnings <> ''")
Index("ix_recipient_warned_name", Recipient.name, postgresql_where=WARNED, sqlite_where=WARNED)
# PostgreSQL: substring search on names (ILIKE '%...%') across the regency by trigrams.
Index(
    "ix_recipient_name_trgm",
    Recipient.name,
    postgresql_using="gin",
    postgresql_ops={"name": "gin_trgm_ops"},
).ddl_if(dialect="postgresql")


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
