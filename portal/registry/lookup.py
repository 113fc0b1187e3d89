"""Aid history by NIK and KK: what a person and their family (same KK) already receive,
from this portal's handovers and from other programmes' lists. The double-aid rule that
reads it is ``registry/double_aid.py``. Aid planned by submitted or approved matches
(``registry/planned.py``) is listed first, marked as planned."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from portal.core.nik import NikCheck, check_nik
from portal.extensions import db
from portal.models import AidRecord, Recipient
from portal.registry.planned import planned_for
from portal.registry.recipients import clean_number


@dataclass
class Household:
    """A person (if registered), the others on their KK, and the KK numbers known."""

    nik: str
    person: Recipient | None = None
    family: list[Recipient] = field(default_factory=list)
    kks: set[str] = field(default_factory=set)

    @property
    def niks(self) -> set[str]:
        return {self.nik} | {m.nik for m in self.family if m.nik}

    @property
    def ids(self) -> set[int]:
        people = ([self.person] if self.person else []) + self.family
        return {p.id for p in people}


@dataclass
class LookupResult:
    """What typing a NIK shows: the check, the registry entry, the family and their aid."""

    nik: str
    check: NikCheck
    household: Household
    aid: list[AidRecord]


def household_of(nik: str, kk: str | None = None) -> Household:
    """The person with this NIK, and everyone sharing a KK with them (registry or aid lists)."""
    nik = clean_number(nik)
    house = Household(nik=nik)
    house.person = db.session.scalar(select(Recipient).where(Recipient.nik == nik))
    kks = {clean_number(kk)} if kk else set()
    if house.person is not None and house.person.kk:
        kks.add(house.person.kk)
    # Other programmes' lists may know the KK of someone the registry does not.
    kks |= set(
        db.session.scalars(
            select(AidRecord.kk).where(AidRecord.nik == nik, AidRecord.kk.is_not(None)).distinct()
        )
    )
    house.kks = {k for k in kks if k}
    if house.kks:
        query = select(Recipient).where(Recipient.kk.in_(house.kks), Recipient.nik != nik)
        house.family = list(db.session.scalars(query.order_by(Recipient.name)))
    return house


def aid_of(house: Household, since: date | None = None, until: date | None = None):
    """Every aid record of the household: by NIK, by KK or by registry link."""
    conditions = [AidRecord.nik.in_(house.niks)]
    if house.kks:
        conditions.append(AidRecord.kk.in_(house.kks))
    if house.ids:
        conditions.append(AidRecord.recipient_id.in_(house.ids))
    query = select(AidRecord).where(or_(*conditions)).options(selectinload(AidRecord.category))
    if since is not None:
        query = query.where(AidRecord.received_on >= since)
    if until is not None:
        query = query.where(AidRecord.received_on <= until)
    return list(db.session.scalars(query.order_by(AidRecord.received_on.desc(), AidRecord.id)))


def lookup(nik: str) -> LookupResult:
    """Everything an officer needs to see on typing a NIK."""
    nik = clean_number(nik)
    check = check_nik(nik)
    house = household_of(nik) if check.valid else Household(nik=nik)
    aid = [*planned_of(house), *aid_of(house)] if check.valid else []
    return LookupResult(nik=nik, check=check, household=house, aid=aid)


def planned_of(house: Household) -> list:
    """What the household is to receive from submitted or approved matches."""
    return planned_for(house.niks, house.kks, house.ids)


def aid_history(recipient: Recipient) -> tuple[Household, list[AidRecord]]:
    """A registered person's household and its aid, for the recipient page."""
    if not recipient.nik:  # erased: only what is linked to the record
        house = Household(nik="", person=recipient)
        records = db.session.scalars(
            select(AidRecord).where(AidRecord.recipient_id == recipient.id)
        )
        return house, list(records)
    house = household_of(recipient.nik, recipient.kk)
    return house, [*planned_of(house), *aid_of(house)]
