"""Synthetic households for demo and benchmark data: families sharing a KK, with
structurally valid NIKs, Indonesian names, target groups, sectors and validation.

Everything is drawn from the ``random.Random`` and seeded ``Faker`` given, so the same
seed gives the same people. Birth dates count from a fixed anchor so NIKs do not
change from one day to the next; validation dates count back from ``now``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from faker import Faker

from portal.core.nik import SyntheticIds, record_warnings

ANCHOR = date(2025, 1, 1)
# Members of a household who are on the list (head, spouse, a parent or child).
HOUSEHOLD_SIZES = ((1, 35), (2, 35), (3, 20), (4, 10))
SOURCES = (("DTKS", 60), ("PUSKESOS", 20), ("PKH", 15), ("MANUAL", 5))
SECTOR_WEIGHTS = (
    ("agriculture", 30),
    ("food", 18),
    ("retail", 14),
    ("fishing", 12),
    ("sewing", 10),
    ("motor_workshop", 8),
    ("multimedia", 4),
    ("other", 4),
)
REJECTION_REASONS = (
    "Tidak ditemukan di alamat saat verifikasi lapangan.",
    "Sudah mampu: memiliki usaha tetap dan kendaraan roda empat.",
    "Terdaftar ganda di desa lain.",
    "Penghasilan rumah tangga di atas batas.",
)
DEACTIVATION_REASONS = ("moved", "deceased", "not_found", "not_eligible", "refused")
# Where people in Kukar were born, besides their own kecamatan.
BIRTH_PLACES = (
    "Samarinda",
    "Balikpapan",
    "Tenggarong",
    "Kota Bangun",
    "Muara Kaman",
    "Lamongan",
    "Banyuwangi",
    "Bone",
    "Sinjai",
    "Banjarmasin",
)
# NIKs issued elsewhere (Samarinda, Lamongan, Bone): valid, flagged with a warning.
OUTSIDE_REGIONS = ("64.72.01", "35.24.05", "73.08.03")


@dataclass(frozen=True)
class Place:
    """A desa with its kecamatan, as the generator needs it."""

    desa_id: int
    desa_name: str
    desa_kind: str
    kecamatan_id: int
    kecamatan_code: str
    kecamatan_name: str


@dataclass
class Person:
    nik: str
    name: str
    sex: str
    birth_date: date
    birth_place: str
    role: str  # head, spouse, parent, child


@dataclass
class Household:
    kk: str
    place: Place
    address: str
    members: list[Person] = field(default_factory=list)

    @property
    def head(self) -> Person:
        return self.members[0]


def weighted(rng: random.Random, pairs) -> str:
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights)[0]


def years_before(rng: random.Random, low: int, high: int, anchor: date = ANCHOR) -> date:
    """A birth date making the person ``low`` to ``high`` years old at the anchor."""
    return anchor - timedelta(days=rng.randint(low * 365 + 1, high * 365 + 364))


class PeopleMaker:
    """Draws households; one per call of ``household``."""

    def __init__(self, rng: random.Random, fake: Faker, ids: SyntheticIds):
        self.rng, self.fake, self.ids = rng, fake, ids

    def name(self, sex: str) -> str:
        if sex == "P":
            return f"{self.fake.first_name_female()} {self.fake.last_name_female()}"
        return f"{self.fake.first_name_male()} {self.fake.last_name_male()}"

    def person(self, place: Place, role: str, sex: str, born: date) -> Person:
        rng = self.rng
        roll = rng.random()
        region = place.kecamatan_code
        if roll < 0.03:
            region = rng.choice(OUTSIDE_REGIONS)
        birth_place = place.kecamatan_name if roll < 0.7 else rng.choice(BIRTH_PLACES)
        nik = self.ids.nik(region, born, sex)
        return Person(nik, self.name(sex), sex, born, birth_place, role)

    def address(self, place: Place) -> str:
        rt = self.rng.randint(1, 30)
        kind = "Kelurahan" if place.desa_kind == "kelurahan" else "Desa"
        return f"{self.fake.street_name()} RT {rt:03d}, {kind} {place.desa_name}"

    def household(self, place: Place, size: int) -> Household:
        rng = self.rng
        issued = date(2005, 1, 1) + timedelta(days=rng.randint(0, 19 * 365))
        home = Household(self.ids.kk(place.kecamatan_code, issued), place, self.address(place))
        head_sex = "P" if rng.random() < 0.3 else "L"  # women heading a household alone
        head_born = years_before(rng, 24, 78)
        home.members.append(self.person(place, "head", head_sex, head_born))
        for role in self.other_roles(size - 1, head_sex):
            home.members.append(self.relative(place, role, head_born))
        return home

    def other_roles(self, count: int, head_sex: str) -> list[str]:
        roles = [] if head_sex == "P" else ["spouse"]
        roles += self.rng.choices(("child", "parent"), (3, 1), k=count)
        return roles[:count]

    def relative(self, place: Place, role: str, head_born: date) -> Person:
        rng = self.rng
        if role == "spouse":
            born = head_born + timedelta(days=rng.randint(-1500, 3000))
            return self.person(place, role, "P", min(born, ANCHOR - timedelta(days=18 * 365)))
        if role == "parent" and age_at(head_born) > 55:
            role = "child"  # their parents would be too old for a valid NIK century
        if role == "parent":
            older = head_born - timedelta(days=rng.randint(19 * 365, 35 * 365))
            return self.person(place, role, rng.choice("LP"), older)
        youngest = head_born + timedelta(days=18 * 365)
        days = max((ANCHOR - youngest).days, 1)
        born = youngest + timedelta(days=rng.randint(0, days))
        return self.person(place, role, rng.choice("LP"), born)

    def households(self, places: list[Place], count: int):
        """Households over ``places`` until ``count`` people are drawn (the last is cut)."""
        drawn = 0
        while drawn < count:
            size = min(int(weighted(self.rng, HOUSEHOLD_SIZES)), count - drawn)
            home = self.household(self.rng.choice(places), size)
            drawn += len(home.members)
            yield home


def age_at(born: date, when: date = ANCHOR) -> int:
    return when.year - born.year - ((when.month, when.day) < (born.month, born.day))


def target_groups(rng: random.Random, person: Person, home: Household) -> set[str]:
    """Target groups that fit the person's age, sex and household."""
    age = age_at(person.birth_date)
    groups = set()
    if person.sex == "P" and age >= 18 and rng.random() < (0.8 if person.role == "head" else 0.2):
        groups.add("wrse")
    if age >= 60 and rng.random() < 0.9:
        groups.add("elderly")
    if age < 18 and rng.random() < 0.4:
        groups.add("neglected_children")
    if rng.random() < 0.05:
        groups.add("disability")
    if 18 <= age < 60 and rng.random() < 0.12:
        groups.add("kube")
    if rng.random() < 0.6 or not groups:
        groups.add("pre_prosperous")
    return groups


def sectors(rng: random.Random, person: Person) -> set[str]:
    """Skills or business interests of working-age people (one or two)."""
    if not 18 <= age_at(person.birth_date) < 60:
        return set()
    return {weighted(rng, SECTOR_WEIGHTS) for _ in range(rng.choice((1, 1, 2)))}


def phone(rng: random.Random) -> str:
    if rng.random() < 0.4:
        return ""
    prefix = rng.choice(("0811", "0812", "0813", "0821", "0852", "0853", "0877", "0896"))
    return f"{prefix}{rng.randint(1_000_000, 99_999_999)}"


@dataclass(frozen=True)
class Validators:
    """Who validates in each kecamatan (user ids), and the moment validation counts from."""

    by_kecamatan: dict[int, list[int]]
    now: datetime


def validation(rng: random.Random, kecamatan_id: int, validators: Validators) -> dict:
    """Mostly validated (some over 12 months ago, so expired), some pending, few rejected."""
    roll = rng.random()
    who = validators.by_kecamatan.get(kecamatan_id) or [None]
    if roll < 0.18:
        created = validators.now - timedelta(days=rng.randint(1, 90), minutes=rng.randint(0, 600))
        return _validation_fields("pending", None, None, created)
    if roll < 0.22:
        at = validators.now - timedelta(days=rng.randint(5, 200), minutes=rng.randint(0, 600))
        fields = _validation_fields("rejected", rng.choice(who), at, at - timedelta(days=14))
        return fields | {"rejection_reason": rng.choice(REJECTION_REASONS)}
    days = rng.randint(380, 700) if roll > 0.82 else rng.randint(1, 330)
    at = validators.now - timedelta(days=days, minutes=rng.randint(0, 600))
    return _validation_fields("validated", rng.choice(who), at, at - timedelta(days=21))


def _validation_fields(status, validator, at, created) -> dict:
    return {
        "validation_status": status,
        "validated_by_id": validator,
        "validated_at": at,
        "rejection_reason": "",
        "created_at": created,
        "updated_at": at or created,
    }


def deactivation(rng: random.Random, now: datetime) -> dict:
    """About one in a hundred people is no longer active, with a reason."""
    if rng.random() >= 0.01:
        return {"active": True, "deactivation_reason": None, "deactivated_at": None}
    return {
        "active": False,
        "deactivation_reason": rng.choice(DEACTIVATION_REASONS),
        "deactivated_at": now - timedelta(days=rng.randint(1, 120)),
    }


def recipient_row(
    rng: random.Random, person: Person, home: Household, validators: Validators, serial: int
) -> dict:
    """One ``recipient`` row for a bulk insert."""
    source = weighted(rng, SOURCES)
    warnings = record_warnings(person.nik, home.kk, person.sex, person.birth_date)
    return {
        "nik": person.nik,
        "kk": home.kk,
        "name": person.name,
        "sex": person.sex,
        "birth_place": person.birth_place,
        "birth_date": person.birth_date,
        "address": home.address,
        "phone": phone(rng),
        "desa_id": home.place.desa_id,
        "kecamatan_id": home.place.kecamatan_id,
        "source": source,
        "source_id": "" if source == "MANUAL" else f"{source}-{serial:08d}",
        "warnings": ",".join(warnings),
        **validation(rng, home.place.kecamatan_id, validators),
        **deactivation(rng, validators.now),
    }
