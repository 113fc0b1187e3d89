"""Companies (CSR partners) and user accounts with their role and scope."""

from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, CheckConstraint, DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models.base import TimestampMixin, in_check

ROLES = ("partner", "village", "officer", "camat", "admin")
COMPANY_STATES = ("pending", "active", "rejected", "suspended")
COMPANY_SECTORS = ("mining", "plantation", "oil_gas", "forestry", "energy", "other")

# Each role has exactly one kind of scope (none for admin); the database enforces it.
SCOPE_RULE = (
    "(role = 'admin' AND company_id IS NULL AND kecamatan_id IS NULL AND desa_id IS NULL)"
    " OR (role = 'partner' AND company_id IS NOT NULL AND kecamatan_id IS NULL"
    " AND desa_id IS NULL)"
    " OR (role IN ('officer', 'camat') AND kecamatan_id IS NOT NULL AND company_id IS NULL"
    " AND desa_id IS NULL)"
    " OR (role = 'village' AND desa_id IS NOT NULL AND kecamatan_id IS NOT NULL"
    " AND company_id IS NULL)"
)


class Company(TimestampMixin, db.Model):
    """A CSR partner company; its staff are users with role ``partner``."""

    __table_args__ = (in_check("status", COMPANY_STATES), in_check("sector", COMPANY_SECTORS))

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    sector: Mapped[str] = mapped_column(String(20))
    address: Mapped[str] = mapped_column(Text, default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(String(120), default="")
    contact_name: Mapped[str] = mapped_column(String(120), default="")
    representative_name: Mapped[str] = mapped_column(String(120), default="")
    representative_title: Mapped[str] = mapped_column(String(120), default="")
    status: Mapped[str] = mapped_column(String(12), default="pending", index=True)
    status_reason: Mapped[str] = mapped_column(Text, default="")

    staff: Mapped[list[User]] = relationship(back_populates="company")

    @property
    def is_active(self) -> bool:
        return self.status == "active"


class User(UserMixin, TimestampMixin, db.Model):
    """A person who logs in: one role, one scope."""

    __table_args__ = (
        in_check("role", ROLES),
        CheckConstraint(SCOPE_RULE, name="scope_matches_role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    name: Mapped[str] = mapped_column(String(120))
    title: Mapped[str] = mapped_column(String(120), default="")
    nip: Mapped[str] = mapped_column(String(18), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    role: Mapped[str] = mapped_column(String(10), index=True)
    company_id: Mapped[int | None] = mapped_column(ForeignKey("company.id"), index=True)
    kecamatan_id: Mapped[int | None] = mapped_column(ForeignKey("kecamatan.id"), index=True)
    desa_id: Mapped[int | None] = mapped_column(ForeignKey("desa.id"), index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    locale: Mapped[str | None] = mapped_column(String(5))
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Changes whenever the password does, so reset links sent before stop working.
    session_token: Mapped[str] = mapped_column(String(64))

    company: Mapped[Company | None] = relationship(back_populates="staff")
    kecamatan = relationship("Kecamatan", foreign_keys=[kecamatan_id])
    desa = relationship("Desa")

    # The token of the login session this request runs in (see portal.auth.session); the
    # cookie carries it, so a user is only ever loaded through a live server-side session.
    login_key = None
    __hash__ = object.__hash__

    def get_id(self) -> str | None:
        return self.login_key

    def __eq__(self, other):
        if isinstance(other, User):
            return self is other or (self.id is not None and self.id == other.id)
        return NotImplemented

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    @property
    def scope_label(self) -> str:
        if self.company is not None:
            return self.company.name
        if self.desa is not None:
            return self.desa.name
        if self.kecamatan is not None:
            return self.kecamatan.name
        return ""

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"
