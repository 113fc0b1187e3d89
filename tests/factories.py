"""factory_boy factories for the core objects."""

from __future__ import annotations

import factory
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from portal.extensions import db
from portal.models import Company, Contribution, ContributionItem, Desa, Kecamatan, User

PASSWORD = "rahasia-uji-123"
_PASSWORD_HASH = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")


class Base(factory.alchemy.SQLAlchemyModelFactory):
    class Meta:
        abstract = True
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731
        sqlalchemy_session_persistence = "flush"


class CompanyFactory(Base):
    class Meta:
        model = Company

    name = factory.Sequence(lambda n: f"PT Mitra Uji {n}")
    sector = "mining"
    status = "active"
    address = "Jl. Uji No. 1, Tenggarong"
    representative_name = "Budi Santoso"
    representative_title = "Manajer CSR"


class UserFactory(Base):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"user{n}@uji.example")
    name = factory.Sequence(lambda n: f"Pengguna Uji {n}")
    password_hash = _PASSWORD_HASH
    session_token = factory.Sequence(lambda n: f"token{n:08d}")
    role = "admin"
    active = True


class ContributionFactory(Base):
    class Meta:
        model = Contribution

    company = factory.SubFactory(CompanyFactory)
    title = factory.Sequence(lambda n: f"Bantuan alat usaha {n}")
    kind = "equipment"
    status = "draft"
    kecamatan = factory.LazyFunction(lambda: kecamatan())


class ContributionItemFactory(Base):
    class Meta:
        model = ContributionItem

    contribution = factory.SubFactory(ContributionFactory)
    name = "Oven gas"
    quantity = 10
    unit = "unit"
    unit_value = 1_500_000


def kecamatan(code: str = "64.02.06") -> Kecamatan:
    return db.session.scalar(select(Kecamatan).where(Kecamatan.code == code))


def desa_of(kec: Kecamatan) -> Desa:
    return db.session.scalar(select(Desa).where(Desa.kecamatan_id == kec.id).order_by(Desa.code))


def user_for_role(role: str, **kwargs) -> User:
    """A user with the scope the role needs, unless given."""
    if role == "partner" and "company" not in kwargs and "company_id" not in kwargs:
        kwargs["company"] = CompanyFactory()
    if role in ("officer", "camat") and "kecamatan_id" not in kwargs and "kecamatan" not in kwargs:
        kwargs["kecamatan"] = kecamatan()
    if role == "village" and "desa" not in kwargs and "desa_id" not in kwargs:
        kec = kwargs.pop("kecamatan", None) or kecamatan()
        kwargs["desa"] = desa_of(kec)
        kwargs["kecamatan"] = kec
    return UserFactory(role=role, **kwargs)
