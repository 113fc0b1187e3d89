"""Monitoring visits (DESIGN section 3): after a handover each recipient who received
something gets visits due a number of months later (the admin's setting, default 1, 3
and 6, read at handover and stored as due dates). A visit is ``due`` until the officer
records it (``recorded``: is the aid in use, is the business running, income before and
after, notes, a photo as an ``Attachment`` owned by ``monitoring_visit``) or closes it
with a reason (``closed``: the recipient moved or died). A match is ``monitored`` once
none of its visits is due.
"""

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
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models.base import in_check

VISIT_STATES = ("due", "recorded", "closed")
# Why the rest of a recipient's schedule was closed without a visit.
VISIT_CLOSE_REASONS = ("moved", "deceased", "other")
ATTACHMENT_OWNER = "monitoring_visit"


class MonitoringVisit(db.Model):
    """One scheduled visit to one recipient of a handed-over match."""

    __tablename__ = "monitoring_visit"
    __table_args__ = (
        in_check("status", VISIT_STATES),
        UniqueConstraint("handover_id", "member_id", "months"),
        CheckConstraint("months > 0", name="months_positive"),
        CheckConstraint(
            "close_reason IS NULL OR close_reason IN ('moved', 'deceased', 'other')",
            name="close_reason_valid",
        ),
        CheckConstraint(
            "(income_before IS NULL OR income_before >= 0) "
            "AND (income_after IS NULL OR income_after >= 0)",
            name="income_not_negative",
        ),
        # What is due and overdue in a kecamatan, by due date.
        Index("ix_monitoring_visit_kecamatan_status_due", "kecamatan_id", "status", "due_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    handover_id: Mapped[int] = mapped_column(ForeignKey("handover_record.id"), index=True)
    match_id: Mapped[int] = mapped_column(ForeignKey("match_plan.id"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("match_member.id"), index=True)
    recipient_id: Mapped[int] = mapped_column(ForeignKey("recipient.id"), index=True)
    # Kept here (the match's kecamatan, the recipient's desa at handover) for scope and lists.
    kecamatan_id: Mapped[int] = mapped_column(ForeignKey("kecamatan.id"))
    desa_id: Mapped[int | None] = mapped_column(ForeignKey("desa.id"), index=True)
    months: Mapped[int] = mapped_column(Integer)
    due_on: Mapped[date] = mapped_column(Date, index=True)
    status: Mapped[str] = mapped_column(String(10), default="due")
    visited_on: Mapped[date | None] = mapped_column(Date)
    aid_in_use: Mapped[bool | None] = mapped_column(Boolean)
    business_running: Mapped[bool | None] = mapped_column(Boolean)
    income_before: Mapped[int | None] = mapped_column(BigInteger)  # Rupiah a month
    income_after: Mapped[int | None] = mapped_column(BigInteger)
    notes: Mapped[str] = mapped_column(Text, default="")
    close_reason: Mapped[str | None] = mapped_column(String(10))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    recorded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    handover = relationship("HandoverRecord")
    match = relationship("Match")
    member = relationship("MatchMember")
    recipient = relationship("Recipient")
    desa = relationship("Desa")
    recorded_by = relationship("User")
