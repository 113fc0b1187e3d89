"""Dinsos routes a "Dinsos decides" contribution to one kecamatan, or splits it into
one contribution per kecamatan whose quantities add up to the offer."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import select

from portal.contributions.access import (
    check_routable,
    company_staff,
    link_to,
    message_params,
)
from portal.core import audit
from portal.core.codes import codes_of, set_codes
from portal.core.dates import utcnow
from portal.core.notify import kecamatan_officers, notify
from portal.core.refusals import Refusal
from portal.core.text import N_
from portal.core.text import lazy_gettext as _l
from portal.extensions import db
from portal.models import Contribution, ContributionItem, Kecamatan, User

# --- routing by Dinsos ---------------------------------------------------------------


def route(actor: User, contribution: Contribution, kecamatan_id: int | None) -> None:
    """A "Dinsos decides" contribution goes to one kecamatan; it stays submitted."""
    check_routable(actor, contribution)
    kecamatan = db.session.get(Kecamatan, kecamatan_id) if kecamatan_id else None
    if kecamatan is None:
        raise Refusal(_l("Choose a kecamatan."), field="kecamatan_id")
    contribution.kecamatan_id = kecamatan.id
    audit.record(
        actor,
        "contribution_routed",
        contribution,
        "submitted",
        "submitted",
        kecamatan=kecamatan.code,
    )
    params = message_params(contribution, kecamatan=kecamatan.name)
    notify(
        kecamatan_officers(kecamatan.id),
        N_('Dinsos sent the contribution "%(title)s" of %(company)s to your kecamatan.'),
        link_to(contribution),
        **params,
    )
    notify(
        company_staff(contribution.company_id),
        N_('Dinsos sent your contribution "%(title)s" to Kecamatan %(kecamatan)s.'),
        link_to(contribution),
        **params,
    )


@dataclass
class Share:
    """One kecamatan's part of a split: quantity per parent item id, or seats."""

    kecamatan_id: int
    quantities: dict[int, Decimal] = field(default_factory=dict)
    seats: int | None = None


def even_shares(contribution: Contribution, kecamatan_ids: list[int]) -> list[Share]:
    """A first proposal for a split: whole units divided evenly, the rest to the first."""
    n = len(kecamatan_ids)
    shares = [Share(kecamatan_id=k) for k in kecamatan_ids]
    if not n:
        return shares
    for item in contribution.items:
        base, rest = divmod(item.quantity, n)
        for i, share in enumerate(shares):
            share.quantities[item.id] = base + (rest if i == 0 else 0)
    if contribution.seats:
        base, rest = divmod(contribution.seats, n)
        for i, share in enumerate(shares):
            share.seats = base + (rest if i == 0 else 0)
    return shares


def split(actor: User, parent: Contribution, shares: list[Share]) -> list[Contribution]:
    """Divide a "Dinsos decides" contribution into one submitted child per kecamatan.

    Each item's quantities over the children must add up to the parent's (seats
    likewise for training); the parent is then ``split`` and keeps its history.
    """
    check_routable(actor, parent)
    kecamatan_ids = [share.kecamatan_id for share in shares]
    if len(kecamatan_ids) < 2 or len(set(kecamatan_ids)) != len(kecamatan_ids):
        raise Refusal(_l("Choose at least two different kecamatan."), field="kecamatan")
    kecamatans = {
        k.id: k
        for k in db.session.scalars(select(Kecamatan).where(Kecamatan.id.in_(kecamatan_ids)))
    }
    if len(kecamatans) != len(kecamatan_ids):
        raise Refusal(_l("Choose a kecamatan."), field="kecamatan")
    _check_split_sums(parent, shares)

    children = []
    target_groups, sectors = codes_of(parent)
    now = utcnow()
    for share in shares:
        child = Contribution(
            company_id=parent.company_id,
            parent_id=parent.id,
            kecamatan_id=share.kecamatan_id,
            status="submitted",
            submitted_at=now,
            created_by_id=parent.created_by_id,
            **{
                name: getattr(parent, name)
                for name in (
                    "title",
                    "kind",
                    "planned_date",
                    "description",
                    "notes",
                    "topic",
                    "sessions",
                    "trainer",
                    "place",
                )
            },
        )
        child.seats = share.seats if parent.kind == "training" else None
        for item in parent.items:
            quantity = share.quantities.get(item.id) or Decimal(0)
            if quantity > 0:
                child.items.append(
                    ContributionItem(
                        position=item.position,
                        name=item.name,
                        quantity=quantity,
                        unit=item.unit,
                        unit_value=item.unit_value,
                    )
                )
        db.session.add(child)
        db.session.flush()
        set_codes(child, target_groups, sectors)
        audit.record(actor, "contribution_split_from", child, None, "submitted", parent=parent.id)
        children.append(child)

    parent.status = "split"
    audit.record(
        actor,
        "contribution_split",
        parent,
        "submitted",
        "split",
        children=[child.id for child in children],
    )
    for child in children:
        kecamatan = kecamatans[child.kecamatan_id]
        notify(
            kecamatan_officers(kecamatan.id),
            N_('Dinsos sent the contribution "%(title)s" of %(company)s to your kecamatan.'),
            link_to(child),
            **message_params(child, kecamatan=kecamatan.name),
        )
    notify(
        company_staff(parent.company_id),
        N_('Dinsos divided your contribution "%(title)s" among %(count)s kecamatan.'),
        link_to(parent),
        **message_params(parent, count=len(children)),
    )
    return children


def _check_split_sums(parent: Contribution, shares: list[Share]) -> None:
    for share in shares:
        if any(q is None or q < 0 for q in share.quantities.values()):
            raise Refusal(_l("Quantities cannot be negative."), field="quantities")
        if share.seats is not None and share.seats < 0:
            raise Refusal(_l("Quantities cannot be negative."), field="quantities")
        gets_something = (
            any((q or 0) > 0 for q in share.quantities.values()) or (share.seats or 0) > 0
        )
        if not gets_something:
            raise Refusal(_l("Every chosen kecamatan must receive something."), field="quantities")
    for item in parent.items:
        total = sum((share.quantities.get(item.id) or Decimal(0)) for share in shares)
        if total != item.quantity:
            raise Refusal(
                _l(
                    "The parts of %(item)s add up to %(total)s, not %(quantity)s.",
                    item=item.name,
                    total=_plain(total),
                    quantity=_plain(item.quantity),
                ),
                field="quantities",
            )
    if parent.kind == "training":
        total = sum(share.seats or 0 for share in shares)
        if total != (parent.seats or 0):
            raise Refusal(
                _l(
                    "The seats add up to %(total)s, not %(quantity)s.",
                    total=total,
                    quantity=parent.seats or 0,
                ),
                field="quantities",
            )


def _plain(value: Decimal) -> str:
    text = format(Decimal(value).normalize(), "f")
    return text
