"""Synthetic aid history for demo and benchmark data: what other programmes (PKH, BPNT,
BLT-DD) and earlier CSR gave households over the last two years, linked by NIK and KK.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from portal.demo.people import Household, PeopleMaker, Person, Place


@dataclass(frozen=True)
class Programme:
    """A programme paid in tranches: share of households, category, value per tranche."""

    source: str
    category: str
    share: float
    tranches: int
    every_days: int
    values: tuple[int, ...]


PROGRAMMES = (
    Programme("PKH", "PKH", 0.25, 8, 91, (600_000, 750_000, 900_000, 1_000_000)),
    Programme("BPNT", "BPNT", 0.35, 8, 91, (600_000,)),
    Programme("BLT-DD", "BLT-DD", 0.10, 4, 91, (900_000,)),
)
CSR_GIFTS = (
    ("EQUIPMENT", "Paket peralatan usaha kue (oven, mixer, loyang)", 4_500_000),
    ("EQUIPMENT", "Mesin jahit portable dan perlengkapan", 3_200_000),
    ("EQUIPMENT", "Perahu ketinting dan jaring", 7_500_000),
    ("EQUIPMENT", "Alat semprot dan bibit sayur", 1_800_000),
    ("FOOD", "Paket sembako", 350_000),
    ("TRAINING", "Pelatihan tata boga 5 hari", 1_500_000),
)
CSR_DONORS = ("PT Mahakam Batubara Lestari", "PT Sawit Kartanegara Makmur", "PT Energi Delta")


@dataclass(frozen=True)
class AidContext:
    """What every aid row needs: category ids by code, today, and the insert time."""

    categories: dict[str, int]
    today: date
    now: datetime


def aid_row(ctx: AidContext, person_nik: str, kk: str, recipient_id, category: str, **fields):
    """One ``aid_record`` row for a bulk insert (all rows carry the same keys)."""
    return {
        "nik": person_nik,
        "kk": kk,
        "recipient_id": recipient_id,
        "category_id": ctx.categories[category],
        "source": fields["source"],
        "programme": fields.get("programme", ""),
        "contribution_id": None,
        "received_on": fields["received_on"],
        "description": fields.get("description", ""),
        "value": fields.get("value"),
        "import_batch_id": None,
        "created_at": ctx.now,
    }


def _payee(home: Household) -> Person:
    """PKH and BPNT are paid to the mother of the family where there is one."""
    return next((m for m in home.members if m.sex == "P" and m.role != "child"), home.head)


def household_aid(
    rng: random.Random, home: Household, recipient_ids: dict[str, int], ctx: AidContext
) -> list[dict]:
    """Tranches of the cash programmes this household is on, most recent first."""
    rows = []
    payee = _payee(home)
    for programme in PROGRAMMES:
        if rng.random() >= programme.share:
            continue
        value = rng.choice(programme.values)
        last = ctx.today - timedelta(days=rng.randint(5, 60))
        for tranche in range(programme.tranches):
            received = last - timedelta(days=tranche * programme.every_days)
            label = f"{programme.source} tahap {(received.month - 1) // 3 + 1} {received.year}"
            rows.append(
                aid_row(
                    ctx,
                    payee.nik,
                    home.kk,
                    recipient_ids.get(payee.nik),
                    programme.category,
                    source=programme.source,
                    programme=label,
                    received_on=received,
                    value=value,
                )
            )
    return rows + csr_aid(rng, home, recipient_ids, ctx)


def csr_aid(
    rng: random.Random, home: Household, recipient_ids: dict[str, int], ctx: AidContext
) -> list[dict]:
    """Earlier CSR gifts, before the portal: to about one person in twenty."""
    rows = []
    for person in home.members:
        if person.role == "child" or rng.random() >= 0.05:
            continue
        category, description, value = rng.choice(CSR_GIFTS)
        rows.append(
            aid_row(
                ctx,
                person.nik,
                home.kk,
                recipient_ids.get(person.nik),
                category,
                source="CSR",
                programme=f"CSR {rng.choice(CSR_DONORS)}",
                received_on=ctx.today - timedelta(days=rng.randint(30, 720)),
                description=description,
                value=value,
            )
        )
    return rows


def outsider_aid(
    rng: random.Random, maker: PeopleMaker, places: list[Place], count: int, ctx: AidContext
) -> list[dict]:
    """Programme lists also name people not (yet) in the registry: no recipient link."""
    rows = []
    for _ in range(count):
        home = maker.household(rng.choice(places), 1)
        rows += [dict(row, recipient_id=None) for row in household_aid(rng, home, {}, ctx)]
    return rows
