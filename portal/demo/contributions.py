"""Demo contributions in every state, with line items and the audit trail of how each
got there (who submitted, accepted, rejected, returned, withdrew or divided it, and when)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy import insert

from portal.core import audit
from portal.extensions import db
from portal.models import Contribution, ContributionItem, User
from portal.models.contributions import contribution_sector, contribution_target_group


@dataclass(frozen=True)
class Spec:
    company: str  # key into the seed's companies
    title: str
    kind: str
    category: str
    kecamatan: str | None  # None: "let Dinsos decide"
    status: str
    items: tuple = ()  # (name, quantity, unit, unit value in Rupiah)
    groups: tuple = ()
    sectors: tuple = ()
    reason: str = ""
    returned: str = ""  # a draft that came back with this note
    training: dict = field(default_factory=dict)
    days_ago: int = 30
    split_into: tuple = ()  # kecamatan codes: Dinsos divided it evenly among them


SPECS = (
    Spec(
        "mahakam",
        "Paket peralatan usaha kue untuk perempuan kepala keluarga",
        "equipment",
        "EQUIPMENT",
        "64.02.06",
        "accepted",  # completed by the demo's handovers (portal/demo/handovers.py)
        (
            ("Oven gas 2 rak", 5, "unit", 2_750_000),
            ("Mixer 5 liter", 5, "unit", 1_200_000),
            ("Set loyang dan cetakan kue", 10, "set", 185_000),
        ),
        ("wrse",),
        ("food",),
        days_ago=450,
    ),
    Spec(
        "mahakam",
        "Pelatihan menjahit dan desain busana",
        "training",
        "TRAINING",
        "64.02.10",
        "allocating",
        groups=("wrse", "kube"),
        sectors=("sewing",),
        days_ago=60,
        training={
            "topic": "Menjahit pakaian dan desain busana muslim",
            "sessions": 6,
            "seats": 20,
            "trainer": "LKP Citra Busana Tenggarong",
            "place": "Balai Desa Kembang Janggut",
        },
    ),
    Spec(
        "mahakam",
        "Mesin jahit untuk kelompok usaha bersama",
        "equipment",
        "EQUIPMENT",
        "64.02.10",
        "accepted",
        (("Mesin jahit portable", 10, "unit", 2_150_000), ("Mesin obras", 3, "unit", 3_400_000)),
        ("kube",),
        ("sewing",),
        days_ago=25,
    ),
    Spec(
        "mahakam",
        "Paket sembako untuk lansia",
        "goods",
        "FOOD",
        "64.02.02",
        "submitted",
        (
            ("Beras premium", Decimal("1000"), "kg", 14_500),
            ("Minyak goreng", Decimal("400"), "liter", 18_000),
            ("Gula pasir", Decimal("200"), "kg", 17_500),
        ),
        ("elderly",),
        days_ago=6,
    ),
    Spec(
        "mahakam",
        "Peralatan bengkel motor",
        "equipment",
        "EQUIPMENT",
        None,
        "submitted",
        (
            ("Kompresor angin 1 HP", 4, "unit", 3_600_000),
            ("Set kunci bengkel lengkap", 4, "set", 1_250_000),
        ),
        ("pre_prosperous",),
        ("motor_workshop",),
        days_ago=4,
    ),
    Spec(
        "mahakam",
        "Kursi roda dan alat bantu jalan",
        "equipment",
        "ASSISTIVE",
        "64.02.06",
        "draft",
        (("Kursi roda standar", 15, "unit", 1_450_000), ("Tongkat kaki tiga", 20, "unit", 175_000)),
        ("disability", "elderly"),
        days_ago=2,
    ),
    Spec(
        "mahakam",
        "Perahu ketinting untuk nelayan sungai",
        "equipment",
        "EQUIPMENT",
        "64.02.02",
        "rejected",
        (
            ("Perahu ketinting dengan mesin 6,5 PK", 5, "unit", 8_500_000),
            ("Jaring insang", 10, "buah", 650_000),
        ),
        ("pre_prosperous",),
        ("fishing",),
        days_ago=70,
        reason="Nelayan Loa Kulu sudah menerima perahu dari APBD tahun ini; "
        "mohon diarahkan ke kecamatan hulu.",
    ),
    Spec(
        "sawit",
        "Alat pertanian untuk kelompok tani",
        "equipment",
        "EQUIPMENT",
        "64.02.10",
        "accepted",  # completed by the demo's handovers (portal/demo/handovers.py)
        (
            ("Hand traktor", 2, "unit", 24_500_000),
            ("Sprayer elektrik 16 liter", 20, "unit", 650_000),
            ("Paket bibit sayur", 50, "paket", 45_000),
        ),
        ("kube", "pre_prosperous"),
        ("agriculture",),
        days_ago=300,
    ),
    Spec(
        "sawit",
        "Paket sembako untuk keluarga prasejahtera",
        "goods",
        "FOOD",
        "64.02.06",
        "allocating",
        (("Paket sembako (beras 10 kg, minyak 2 liter, gula 2 kg)", 150, "paket", 285_000),),
        ("pre_prosperous",),
        days_ago=40,
    ),
    Spec(
        "sawit",
        "Etalase dan modal barang untuk warung",
        "equipment",
        "EQUIPMENT",
        None,
        "draft",
        (
            ("Etalase kaca 1 meter", 8, "unit", 1_100_000),
            ("Paket barang dagangan awal", 8, "paket", 1_500_000),
        ),
        ("wrse",),
        ("retail",),
        days_ago=1,
    ),
    Spec(
        "sawit",
        "Perlengkapan usaha multimedia",
        "equipment",
        "EQUIPMENT",
        "64.02.06",
        "withdrawn",
        (("Laptop", 4, "unit", 7_800_000), ("Printer foto", 2, "unit", 3_250_000)),
        groups=("pre_prosperous",),
        sectors=("multimedia",),
        days_ago=90,
        reason="Anggaran CSR dialihkan untuk tanggap darurat banjir.",
    ),
    Spec(
        "sawit",
        "Bibit dan pupuk untuk pekarangan",
        "goods",
        "EQUIPMENT",
        "64.02.02",
        "accepted",
        (("Bibit cabai", 500, "polybag", 3_500), ("Pupuk organik", Decimal("250.5"), "kg", 4_000)),
        ("pre_prosperous",),
        ("agriculture",),
        days_ago=18,
    ),
    Spec(
        "energi",
        "Freezer untuk usaha olahan ikan",
        "equipment",
        "EQUIPMENT",
        "64.02.02",
        "accepted",
        (("Freezer 200 liter", 6, "unit", 3_900_000),),
        ("kube",),
        ("fishing", "food"),
        days_ago=20,
    ),
    Spec(
        "migas",
        "Paket sembako menjelang Ramadan",
        "goods",
        "FOOD",
        "64.02.10",
        "completed",
        (("Paket sembako Ramadan", 200, "paket", 250_000),),
        ("elderly", "pre_prosperous"),
        days_ago=260,
    ),
    Spec(
        "agro",
        "Gerobak dan peralatan usaha kuliner",
        "equipment",
        "EQUIPMENT",
        None,
        "submitted",
        (
            ("Gerobak dorong aluminium", 6, "unit", 4_200_000),
            ("Kompor dan tabung gas 3 kg", 6, "set", 650_000),
        ),
        ("wrse",),
        ("food",),
        days_ago=3,
    ),
    Spec(
        "energi",
        "Pompa air dan selang untuk kelompok tani sawah",
        "equipment",
        "EQUIPMENT",
        None,
        "split",
        (("Pompa air 3 inci", 6, "unit", 2_400_000), ("Selang spiral 20 meter", 6, "rol", 450_000)),
        ("kube",),
        ("agriculture",),
        days_ago=12,
        split_into=("64.02.10", "64.02.06"),
    ),
    Spec(
        "loakulu",
        "Alat bantu dengar",
        "equipment",
        "ASSISTIVE",
        "64.02.02",
        "draft",
        (("Alat bantu dengar digital", 12, "unit", 2_300_000),),
        ("disability",),
        days_ago=15,
        returned="Mohon lengkapi spesifikasi alat dan jumlah penerima per desa.",
    ),
)

# The states a contribution passes through to reach each state (after "draft").
PATHS = {
    "draft": (),
    "submitted": ("submitted",),
    "accepted": ("submitted", "accepted"),
    "rejected": ("submitted", "rejected"),
    "allocating": ("submitted", "accepted", "allocating"),
    "completed": ("submitted", "accepted", "allocating", "completed"),
    "withdrawn": ("submitted", "withdrawn"),
    "split": ("submitted", "split"),
}
# The category is confirmed when the kecamatan accepts the contribution.
CATEGORY_CONFIRMED = ("accepted", "allocating", "completed")
# Audit action names as the contributions area writes them.
ACTIONS = {
    "created": "contribution_created",
    "returned": "contribution_returned",
    "submitted": "contribution_submitted",
    "accepted": "contribution_accepted",
    "rejected": "contribution_rejected",
    "allocating": "contribution_allocation_started",
    "completed": "contribution_completed",
    "withdrawn": "contribution_withdrawn",
    "split": "contribution_split",
    "split_from": "contribution_split_from",
}


@dataclass(frozen=True)
class Cast:
    """Who acts: partner staff by company key, officers by kecamatan code; ids by code."""

    companies: dict
    partners: dict
    officers: dict
    kecamatan_ids: dict
    categories: dict
    now: datetime
    admin: User | None = None  # routes and divides "Dinsos decides" proposals


def create_contributions(cast: Cast) -> tuple[int, int]:
    """Add every demo contribution with its items and audit trail; returns (count, events)."""
    events, count = 0, len(SPECS)
    for spec in SPECS:
        contribution = _contribution(spec, cast)
        events += _history(spec, contribution, cast)
        if spec.split_into:
            events += _split(spec, contribution, cast)
            count += len(spec.split_into)
    return count, events


def _contribution(spec: Spec, cast: Cast) -> Contribution:
    start = cast.now - timedelta(days=spec.days_ago)
    contribution = Contribution(
        company_id=cast.companies[spec.company].id,
        title=spec.title,
        kind=spec.kind,
        kecamatan_id=cast.kecamatan_ids.get(spec.kecamatan),
        aid_category_id=cast.categories[spec.category]
        if spec.status in CATEGORY_CONFIRMED
        else None,
        status=spec.status,
        planned_date=(start + timedelta(days=45)).date(),
        description=f"Usulan CSR {cast.companies[spec.company].name}: {spec.title.lower()}.",
        status_reason=spec.reason or spec.returned,
        created_by_id=cast.partners[spec.company].id,
        created_at=start,
        **spec.training,
    )
    contribution.items = [
        ContributionItem(position=n, name=name, quantity=Decimal(qty), unit=unit, unit_value=value)
        for n, (name, qty, unit, value) in enumerate(spec.items)
    ]
    db.session.add(contribution)
    db.session.flush()
    _tags(contribution.id, spec)
    return contribution


def _tags(contribution_id: int, spec: Spec) -> None:
    if spec.groups:
        rows = [{"contribution_id": contribution_id, "code": code} for code in spec.groups]
        db.session.execute(insert(contribution_target_group), rows)
    if spec.sectors:
        rows = [{"contribution_id": contribution_id, "code": code} for code in spec.sectors]
        db.session.execute(insert(contribution_sector), rows)


def _history(spec: Spec, contribution: Contribution, cast: Cast) -> int:
    """Audit events for each transition, a few days apart, by whoever makes it."""
    at = contribution.created_at
    partner = cast.partners[spec.company]
    officer = cast.officers.get(spec.kecamatan)
    steps = [(partner, ACTIONS["created"], None, "draft", "")]
    if spec.returned:
        steps += [(partner, ACTIONS["submitted"], "draft", "submitted", "")]
        steps += [(officer, ACTIONS["returned"], "submitted", "draft", spec.returned)]
    state = "draft"
    for target in PATHS[spec.status]:
        actor = partner if target in ("submitted", "withdrawn") else officer
        if target == "split":
            actor = cast.admin
        reason = spec.reason if target in ("rejected", "withdrawn") else ""
        steps.append((actor, ACTIONS[target], state, target, reason))
        state = target
    gap = (cast.now - at) / (len(steps) + 1)
    for n, (actor, action, before, after, reason) in enumerate(steps):
        event = audit.record(actor, action, contribution, before, after, reason)
        event.at = at + gap * n
        if after == "submitted":
            contribution.submitted_at = event.at
    return len(steps)


def _split(spec: Spec, parent: Contribution, cast: Cast) -> int:
    """The submitted children of a divided proposal, one per kecamatan, each item's
    quantity shared evenly (the rest to the first), as ``routing.split`` leaves them."""
    split_at = max(e.at for e in audit.history(parent))
    n = len(spec.split_into)
    for index, code in enumerate(spec.split_into):
        child = Contribution(
            company_id=parent.company_id,
            parent_id=parent.id,
            title=parent.title,
            kind=parent.kind,
            kecamatan_id=cast.kecamatan_ids[code],
            status="submitted",
            planned_date=parent.planned_date,
            description=parent.description,
            created_by_id=parent.created_by_id,
            created_at=split_at,
            submitted_at=split_at,
        )
        for item in parent.items:
            base, rest = divmod(item.quantity, n)
            child.items.append(
                ContributionItem(
                    position=item.position,
                    name=item.name,
                    quantity=base + (rest if index == 0 else 0),
                    unit=item.unit,
                    unit_value=item.unit_value,
                )
            )
        db.session.add(child)
        db.session.flush()
        _tags(child.id, spec)
        event = audit.record(
            cast.admin, ACTIONS["split_from"], child, None, "submitted", parent=parent.id
        )
        event.at = split_at
    return n
