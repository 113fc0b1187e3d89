"""Helpers for the registry tests: people and aid records with valid synthetic NIKs."""

from __future__ import annotations

import itertools
import random
from datetime import UTC, date, datetime

from portal.core.nik import synthetic_kk, synthetic_nik
from portal.core.reference import category_ids, load_aid_categories
from portal.extensions import db
from portal.models import AidRecord, Recipient
from tests import factories

_serials = itertools.count(1)
_rng = random.Random(4)
TENGGARONG = "64.02.06"
OTHER = "64.02.02"  # Loa Kulu


def new_nik(code: str = TENGGARONG, born: date = date(1980, 5, 14), sex: str = "P") -> str:
    return synthetic_nik(_rng, code, born, sex, serial=next(_serials) % 9999 + 1)


def new_kk(code: str = TENGGARONG) -> str:
    return synthetic_kk(_rng, code, date(2015, 3, 2), serial=next(_serials) % 9999 + 1)


def person(
    code: str = TENGGARONG,
    *,
    name: str = "Siti Aminah",
    born: date = date(1980, 5, 14),
    sex: str = "P",
    desa=None,
    nik: str | None = None,
    **kwargs,
) -> Recipient:
    """A recipient of kecamatan ``code`` (first desa unless given), flushed."""
    kec = factories.kecamatan(code)
    desa = desa or factories.desa_of(kec)
    recipient = Recipient(
        nik=nik or new_nik(code, born, sex),
        name=name,
        sex=sex,
        birth_date=born,
        desa_id=desa.id,
        kecamatan_id=kec.id,
        source=kwargs.pop("source", "MANUAL"),
        validation_status=kwargs.pop("validation_status", "pending"),
        active=kwargs.pop("active", True),
        **kwargs,
    )
    db.session.add(recipient)
    db.session.flush()
    return recipient


def validated(code: str = TENGGARONG, at: datetime | None = None, **kwargs) -> Recipient:
    return person(
        code, validation_status="validated", validated_at=at or datetime.now(UTC), **kwargs
    )


def categories() -> dict[str, int]:
    load_aid_categories()
    return category_ids()


def aid(category: str, received_on: date, nik=None, kk=None, recipient=None, **kwargs):
    ids = categories()
    record = AidRecord(
        nik=nik,
        kk=kk,
        recipient_id=recipient.id if recipient else None,
        category_id=ids[category],
        source=kwargs.pop("source", "PKH"),
        received_on=received_on,
        **kwargs,
    )
    db.session.add(record)
    db.session.flush()
    return record
