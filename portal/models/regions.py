"""Kukar's kecamatan and desa/kelurahan (reference data) and each kecamatan's office."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models.base import in_check

DESA_KINDS = ("desa", "kelurahan")


class Kecamatan(db.Model):
    """A district (kecamatan), code like ``64.02.06``."""

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(8), unique=True)
    name: Mapped[str] = mapped_column(String(100))

    desas: Mapped[list[Desa]] = relationship(back_populates="kecamatan", order_by="Desa.name")
    office: Mapped[KecamatanOffice | None] = relationship(back_populates="kecamatan")

    @property
    def short_code(self) -> str:
        """The two-digit kecamatan part, as used in NIKs and letter numbers."""
        return self.code.rsplit(".", 1)[-1]

    def __repr__(self) -> str:
        return f"<Kecamatan {self.code} {self.name}>"


class Desa(db.Model):
    """A village (desa) or urban village (kelurahan), code like ``64.02.06.1001``."""

    __table_args__ = (in_check("kind", DESA_KINDS),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(13), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(10))
    kecamatan_id: Mapped[int] = mapped_column(ForeignKey("kecamatan.id"), index=True)

    kecamatan: Mapped[Kecamatan] = relationship(back_populates="desas")

    @property
    def label(self) -> str:
        return f"{self.kind.capitalize()} {self.name}"


class KecamatanOffice(db.Model):
    """The kecamatan office: letterhead data, the camat in office and letter numbering."""

    __tablename__ = "kecamatan_office"

    kecamatan_id: Mapped[int] = mapped_column(ForeignKey("kecamatan.id"), primary_key=True)
    address: Mapped[str] = mapped_column(Text, default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(String(120), default="")
    logo_attachment_id: Mapped[int | None] = mapped_column(ForeignKey("attachment.id"))
    camat_user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    class_code: Mapped[str] = mapped_column(String(20), default="400.9")
    letter_pattern: Mapped[str] = mapped_column(
        String(120),
        default="{class_code}/{seq:03d}/CSR-{kecamatan_code}/{month_roman}/{year}",
    )

    kecamatan: Mapped[Kecamatan] = relationship(back_populates="office")
