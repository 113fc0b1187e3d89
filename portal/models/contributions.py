"""CSR contributions proposed by companies, with their line items."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models.base import TimestampMixin, in_check
from portal.models.vocabulary import SECTORS, TARGET_GROUPS, code_table

CONTRIBUTION_KINDS = ("equipment", "training", "goods", "other")
CONTRIBUTION_STATES = (
    "draft",
    "submitted",
    "accepted",
    "rejected",
    "allocating",
    "completed",
    "withdrawn",
    "split",  # a "Dinsos decides" proposal divided into one child per kecamatan
)
contribution_target_group = code_table("contribution_target_group", "contribution", TARGET_GROUPS)
contribution_sector = code_table("contribution_sector", "contribution", SECTORS)


class Contribution(TimestampMixin, db.Model):
    """A company's proposed contribution (usulan bantuan CSR)."""

    __table_args__ = (
        in_check("kind", CONTRIBUTION_KINDS),
        in_check("status", CONTRIBUTION_STATES),
        CheckConstraint("sessions IS NULL OR sessions > 0", name="sessions_positive"),
        CheckConstraint("seats IS NULL OR seats > 0", name="seats_positive"),
        CheckConstraint(
            "seats_reserved >= 0 AND (seats IS NULL OR seats_reserved <= seats)",
            name="seats_reserved_within_seats",
        ),
        UniqueConstraint("company_id", "client_token"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("company.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(12))
    # NULL while Dinsos has to route it.
    kecamatan_id: Mapped[int | None] = mapped_column(ForeignKey("kecamatan.id"), index=True)
    aid_category_id: Mapped[int | None] = mapped_column(ForeignKey("aid_category.id"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("contribution.id"))
    status: Mapped[str] = mapped_column(String(12), default="draft", index=True)
    planned_date: Mapped[date | None] = mapped_column(Date)
    description: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    status_reason: Mapped[str] = mapped_column(Text, default="")
    # Training details (kind == "training").
    topic: Mapped[str] = mapped_column(String(200), default="")
    sessions: Mapped[int | None] = mapped_column(Integer)
    seats: Mapped[int | None] = mapped_column(Integer)
    # Seats held by submitted and approved matches (see models/matching.py).
    seats_reserved: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    trainer: Mapped[str] = mapped_column(String(200), default="")
    place: Mapped[str] = mapped_column(String(200), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Sent with the create form once; a second POST of the same form finds this row.
    client_token: Mapped[str | None] = mapped_column(String(36))
    # The officer closed what no match has taken: no new matches from then on (DESIGN
    # section 3: completed once the rest is handed over, or at once if nothing is planned).
    remaining_closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    remaining_closed_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    remaining_closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    company = relationship("Company")
    kecamatan = relationship("Kecamatan")
    aid_category = relationship("AidCategory")
    parent = relationship("Contribution", remote_side=[id], back_populates="children")
    children: Mapped[list[Contribution]] = relationship(
        back_populates="parent", order_by="Contribution.id"
    )
    items: Mapped[list[ContributionItem]] = relationship(
        back_populates="contribution",
        order_by="ContributionItem.position",
        cascade="all, delete-orphan",
    )

    @property
    def total_value(self) -> int:
        return sum(item.total_value for item in self.items)

    @property
    def is_returned(self) -> bool:
        """Sent back to the partner: a draft that keeps the reviewer's reason."""
        return self.status == "draft" and bool(self.status_reason)


class ContributionItem(db.Model):
    """One line of an equipment or goods contribution."""

    __tablename__ = "contribution_item"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("unit_value >= 0", name="unit_value_not_negative"),
        CheckConstraint("reserved >= 0 AND reserved <= quantity", name="reserved_within_quantity"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contribution_id: Mapped[int] = mapped_column(
        ForeignKey("contribution.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    name: Mapped[str] = mapped_column(String(200))
    quantity: Mapped[Decimal] = mapped_column(Numeric(14, 3))
    unit: Mapped[str] = mapped_column(String(20))
    unit_value: Mapped[int] = mapped_column(BigInteger, default=0)  # Rupiah
    # Held by submitted and approved matches (see models/matching.py); never above quantity.
    reserved: Mapped[Decimal] = mapped_column(
        Numeric(14, 3), default=Decimal(0), server_default="0"
    )

    contribution: Mapped[Contribution] = relationship(back_populates="items")

    @property
    def total_value(self) -> int:
        return int(self.quantity * self.unit_value)
