"""factory_boy factories for the core objects: companies, users, contributions, the
registry's recipients, aid records and corrections (NIK and KK synthetic but valid), and
matches with their members and allocations."""

from __future__ import annotations

import itertools
import random
from datetime import date

import factory
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from portal.core.dates import utcnow
from portal.core.nik import synthetic_kk, synthetic_nik
from portal.core.reference import category_ids, load_aid_categories
from portal.extensions import db
from portal.models import (
    AidRecord,
    Company,
    Contribution,
    ContributionItem,
    Desa,
    Kecamatan,
    Match,
    MatchAllocation,
    MatchMember,
    Recipient,
    RecipientCorrection,
    User,
)

PASSWORD = "rahasia-uji-123"
_PASSWORD_HASH = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")
TENGGARONG = "64.02.06"
_serials = itertools.count(1)
_rng = random.Random(4)


def new_nik(code: str = TENGGARONG, born: date = date(1980, 5, 14), sex: str = "P") -> str:
    """A valid NIK of kecamatan ``code``, never the same twice in a run."""
    return synthetic_nik(_rng, code, born, sex, serial=next(_serials) % 9999 + 1)


def new_kk(code: str = TENGGARONG) -> str:
    """A valid family-card number of kecamatan ``code``, never the same twice in a run."""
    return synthetic_kk(_rng, code, date(2015, 3, 2), serial=next(_serials) % 9999 + 1)


def aid_category_ids() -> dict[str, int]:
    """The default aid categories (loaded if missing), by code."""
    load_aid_categories()
    return category_ids()


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


class RecipientFactory(Base):
    """A pending recipient of kecamatan ``code`` (its first desa unless given)."""

    class Meta:
        model = Recipient

    class Params:
        code = TENGGARONG

    nik = factory.LazyAttribute(lambda o: new_nik(o.code, o.birth_date, o.sex))
    name = "Siti Aminah"
    sex = "P"
    birth_date = date(1980, 5, 14)
    desa_id = factory.LazyAttribute(lambda o: desa_of(kecamatan(o.code)).id)
    kecamatan_id = factory.LazyAttribute(lambda o: kecamatan(o.code).id)
    source = "MANUAL"
    validation_status = "pending"
    active = True


class AidRecordFactory(Base):
    """Aid of category ``category_code`` another programme (PKH unless given) reported."""

    class Meta:
        model = AidRecord

    class Params:
        category_code = "PKH"

    category_id = factory.LazyAttribute(lambda o: aid_category_ids()[o.category_code])
    source = "PKH"
    received_on = date(2025, 1, 10)


class RecipientCorrectionFactory(Base):
    """A pending correction of a recipient's address, with its reason."""

    class Meta:
        model = RecipientCorrection

    recipient = factory.SubFactory(RecipientFactory)
    changes = factory.LazyFunction(lambda: {"address": "RT 05"})
    reason = "Pindah RT"
    status = "pending"


class MatchFactory(Base):
    """A draft match of an accepted contribution (with one item) in its kecamatan."""

    class Meta:
        model = Match

    contribution = factory.SubFactory(ContributionFactory, status="accepted")
    kecamatan_id = factory.LazyAttribute(lambda o: o.contribution.kecamatan_id)
    status = "draft"


class MatchMemberFactory(Base):
    """A validated recipient of the match's kecamatan on the match."""

    class Meta:
        model = MatchMember

    match = factory.SubFactory(MatchFactory)
    recipient = factory.LazyAttribute(
        lambda o: RecipientFactory(
            code=db.session.get(Kecamatan, o.match.kecamatan_id).code,
            validation_status="validated",
            validated_at=utcnow(),
        )
    )
    status = "active"


class MatchAllocationFactory(Base):
    class Meta:
        model = MatchAllocation

    member = factory.SubFactory(MatchMemberFactory)
    item = factory.LazyAttribute(lambda o: o.member.match.contribution.items[0])
    quantity = 1
