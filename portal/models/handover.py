"""Secrets handed over once to the person who caused them, kept on the server."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import db


class HandOver(db.Model):
    """A temporary password or an invitation link waiting to be shown once to ``viewer``
    on the page of ``subject_id`` (a user, a company); deleted when shown or expired.
    The session cookie is signed, not encrypted, so such secrets never travel in it."""

    __tablename__ = "hand_over"
    __table_args__ = (UniqueConstraint("viewer_id", "kind", "subject_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    viewer_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    subject_id: Mapped[int] = mapped_column(Integer)
    secret: Mapped[str] = mapped_column(Text)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
