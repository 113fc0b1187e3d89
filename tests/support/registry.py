"""Helpers for the registry tests: people and aid records with valid synthetic NIKs."""

from __future__ import annotations

from datetime import UTC, date, datetime

from portal.models import Recipient
from tests import factories
from tests.factories import TENGGARONG

OTHER = "64.02.02"  # Loa Kulu


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
    if desa is not None:
        kwargs["desa_id"] = desa.id
    if nik:
        kwargs["nik"] = nik
    return factories.RecipientFactory(code=code, name=name, birth_date=born, sex=sex, **kwargs)


def validated(code: str = TENGGARONG, at: datetime | None = None, **kwargs) -> Recipient:
    return person(
        code, validation_status="validated", validated_at=at or datetime.now(UTC), **kwargs
    )


def categories() -> dict[str, int]:
    return factories.aid_category_ids()


def aid(category: str, received_on: date, nik=None, kk=None, recipient=None, **kwargs):
    """An aid record of ``category`` received on ``received_on``, flushed."""
    return factories.AidRecordFactory(
        category_code=category,
        received_on=received_on,
        nik=nik,
        kk=kk,
        recipient_id=recipient.id if recipient else None,
        **kwargs,
    )
