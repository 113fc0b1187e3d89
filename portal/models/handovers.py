"""Handover records (DESIGN section 3): what happened when an approved match's aid was
handed over, and the reversing entry that corrects a mistaken one.

A ``HandoverRecord`` of kind ``handover`` is written once when the officer records the
handover: date, place, notes, one ``HandoverLine`` per active member (received, or
absent with the reason; who collected: the recipient or a named proxy), the photos and
the scan with wet signatures (``Attachment`` rows owned by ``handover_record``). It moves
the match to ``handed_over`` and writes a PORTAL aid record for each person who received
something. Nothing of it is edited afterwards: a mistaken handover is corrected by a
second record of kind ``reversal`` that names it (``reverses_id``), says why, moves the
match back to ``approved`` and removes the aid records the first one wrote (their ids
and contents are kept in the reversal's ``details``).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.core.dates import utcnow
from portal.extensions import db
from portal.models.base import in_check

HANDOVER_KINDS = ("handover", "reversal")
# Why a person on the match did not receive their items at the handover.
ABSENT_REASONS = ("absent", "moved", "deceased", "refused", "other")
# What an uploaded file of a handover is.
HANDOVER_FILE_KINDS = ("photo", "scan")
ATTACHMENT_OWNER = "handover_record"


class HandoverRecord(db.Model):
    """A handover of an approved match, or the reversal of one."""

    __tablename__ = "handover_record"
    __table_args__ = (in_check("kind", HANDOVER_KINDS),)

    id: Mapped[int] = mapped_column(primary_key=True)
    match_id: Mapped[int] = mapped_column(ForeignKey("match_plan.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10), default="handover")
    # A reversal names the handover it corrects (at most one reversal per handover).
    reverses_id: Mapped[int | None] = mapped_column(ForeignKey("handover_record.id"), unique=True)
    handed_over_on: Mapped[date] = mapped_column(Date, index=True)
    place: Mapped[str] = mapped_column(String(200), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    # A reversal's reason.
    reason: Mapped[str] = mapped_column(Text, default="")
    # A reversal keeps the aid records it removed; a handover may keep counts.
    details: Mapped[dict] = mapped_column(JSON, default=dict)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    match = relationship("Match")
    recorded_by = relationship("User")
    reverses = relationship("HandoverRecord", remote_side=[id], foreign_keys=[reverses_id])
    reversed_by = relationship(
        "HandoverRecord", uselist=False, foreign_keys=[reverses_id], viewonly=True
    )
    lines: Mapped[list[HandoverLine]] = relationship(
        back_populates="record", order_by="HandoverLine.id", cascade="all, delete-orphan"
    )

    @property
    def is_reversed(self) -> bool:
        return self.reversed_by is not None


class HandoverLine(db.Model):
    """One active member of the match at a handover: received, or absent and why."""

    __tablename__ = "handover_line"
    __table_args__ = (
        UniqueConstraint("record_id", "member_id"),
        db.CheckConstraint(
            "absent_reason IS NULL OR absent_reason IN "
            "('absent', 'moved', 'deceased', 'refused', 'other')",
            name="absent_reason_valid",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[int] = mapped_column(
        ForeignKey("handover_record.id", ondelete="CASCADE"), index=True
    )
    member_id: Mapped[int] = mapped_column(ForeignKey("match_member.id"), index=True)
    recipient_id: Mapped[int] = mapped_column(ForeignKey("recipient.id"), index=True)
    received: Mapped[bool] = mapped_column(Boolean, default=True)
    # Who collected the items: "" is the recipient themself, else the proxy's name.
    collected_by: Mapped[str] = mapped_column(String(200), default="")
    absent_reason: Mapped[str | None] = mapped_column(String(10))
    absent_note: Mapped[str] = mapped_column(Text, default="")

    record: Mapped[HandoverRecord] = relationship(back_populates="lines")
    member = relationship("MatchMember")
    recipient = relationship("Recipient")
