"""Matches (rencana penyaluran): a contribution's allocation to recipients, and the
per-kecamatan letter counters that number approved matches (DESIGN sections 3 and 4).

A match is ``draft → submitted → approved → handed_over → monitored``; the camat's return
is a transition back to ``draft`` that keeps the note in ``status_reason``. Each person on
a match is a ``MatchMember``; what they receive is one ``MatchAllocation`` per item (a
training contribution allocates seats: one per active member, no allocation rows).

Quantities: a submitted or approved match reserves its quantities on the contribution
(``ContributionItem.reserved``, ``Contribution.seats_reserved``) by a conditional UPDATE
that only succeeds while what remains covers it, so two officers can never over-allocate.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models.base import TimestampMixin, in_check

MATCH_STATES = ("draft", "submitted", "approved", "handed_over", "monitored")
# States whose allocations reserve quantities and count as aid for the double-aid rule.
RESERVING_STATES = ("submitted", "approved")
MEMBER_STATES = ("active", "replaced", "removed")
# Why a person left a match before approval (the registry's deactivation reasons, and
# the officer's own change of plan).
DROP_REASONS = ("moved", "deceased", "refused", "not_found", "not_eligible", "other")


class Match(TimestampMixin, db.Model):
    """A contribution's allocation plan for some of its kecamatan's recipients."""

    __tablename__ = "match_plan"
    __table_args__ = (
        in_check("status", MATCH_STATES),
        UniqueConstraint("kecamatan_id", "letter_year", "letter_seq"),
        UniqueConstraint("contribution_id", "client_token"),
        CheckConstraint("letter_seq IS NULL OR letter_seq > 0", name="letter_seq_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contribution_id: Mapped[int] = mapped_column(ForeignKey("contribution.id"), index=True)
    # The contribution's kecamatan, kept here so scope queries need no join.
    kecamatan_id: Mapped[int] = mapped_column(ForeignKey("kecamatan.id"), index=True)
    # The officer's name for this part of a split ("Desa Loa Ipuh, Juni").
    label: Mapped[str] = mapped_column(String(200), default="")
    desa_id: Mapped[int | None] = mapped_column(ForeignKey("desa.id"))
    delivery_date: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(12), default="draft", index=True)
    # The camat's note when returned (a draft with a note is a returned match).
    status_reason: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    approved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    # Set at approval, in the approving transaction (DESIGN section 4, letter numbers).
    letter_number: Mapped[str | None] = mapped_column(String(120), unique=True)
    letter_year: Mapped[int | None] = mapped_column(Integer)
    letter_seq: Mapped[int | None] = mapped_column(Integer)
    # Sent with the create form once; a second POST of the same form finds this row.
    client_token: Mapped[str | None] = mapped_column(String(36))

    contribution = relationship("Contribution")
    kecamatan = relationship("Kecamatan")
    desa = relationship("Desa")
    created_by = relationship("User", foreign_keys=[created_by_id])
    submitted_by = relationship("User", foreign_keys=[submitted_by_id])
    approved_by = relationship("User", foreign_keys=[approved_by_id])
    members: Mapped[list[MatchMember]] = relationship(
        back_populates="match",
        order_by="MatchMember.position",
        cascade="all, delete-orphan",
    )

    @property
    def active_members(self) -> list[MatchMember]:
        return [member for member in self.members if member.status == "active"]

    @property
    def is_returned(self) -> bool:
        """Sent back by the camat: a draft that keeps the camat's note."""
        return self.status == "draft" and bool(self.status_reason)


class MatchMember(db.Model):
    """One recipient on a match; a replaced member stays, pointing at who replaced them."""

    __tablename__ = "match_member"
    __table_args__ = (
        in_check("status", MEMBER_STATES),
        CheckConstraint(
            "drop_reason IS NULL OR drop_reason IN "
            "('moved', 'deceased', 'refused', 'not_found', 'not_eligible', 'other')",
            name="drop_reason_valid",
        ),
        UniqueConstraint("match_id", "recipient_id"),
        # The double-aid rule reads planned aid by person.
        Index("ix_match_member_recipient_id_status", "recipient_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    match_id: Mapped[int] = mapped_column(
        ForeignKey("match_plan.id", ondelete="CASCADE"), index=True
    )
    recipient_id: Mapped[int] = mapped_column(ForeignKey("recipient.id"))
    position: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(10), default="active")
    # The double-aid flags found when the person was added or the match last checked
    # (what, when, from which programme), so the camat sees what the officer saw.
    flags: Mapped[list] = mapped_column(JSON, default=list)
    # The officer's written reason for keeping a flagged person (required when flagged).
    flag_reason: Mapped[str] = mapped_column(Text, default="")
    # Why they left (status "replaced" or "removed"), and who took their place.
    drop_reason: Mapped[str | None] = mapped_column(String(20))
    drop_note: Mapped[str] = mapped_column(Text, default="")
    replaced_by_id: Mapped[int | None] = mapped_column(ForeignKey("match_member.id"))
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    match: Mapped[Match] = relationship(back_populates="members")
    recipient = relationship("Recipient")
    replaced_by = relationship("MatchMember", remote_side=[id])
    allocations: Mapped[list[MatchAllocation]] = relationship(
        back_populates="member", cascade="all, delete-orphan"
    )

    @property
    def is_flagged(self) -> bool:
        return bool(self.flags)


class MatchAllocation(db.Model):
    """How much of one contribution item a match member receives."""

    __tablename__ = "match_allocation"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity_positive"),
        UniqueConstraint("member_id", "item_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(
        ForeignKey("match_member.id", ondelete="CASCADE"), index=True
    )
    item_id: Mapped[int] = mapped_column(ForeignKey("contribution_item.id"), index=True)
    quantity: Mapped[Decimal] = mapped_column(Numeric(14, 3))

    member: Mapped[MatchMember] = relationship(back_populates="allocations")
    item = relationship("ContributionItem")


class LetterCounter(db.Model):
    """The last letter number used per kecamatan and year: numbers have no gaps and no
    repeats because approval moves it from n to n + 1 with a conditional UPDATE in the
    approving transaction (a concurrent approval finds n changed and takes the next)."""

    __tablename__ = "letter_counter"
    __table_args__ = (CheckConstraint("last_seq >= 0", name="last_seq_not_negative"),)

    kecamatan_id: Mapped[int] = mapped_column(ForeignKey("kecamatan.id"), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_seq: Mapped[int] = mapped_column(Integer, default=0)
