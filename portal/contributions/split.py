"""The split screen's data: which kecamatan were chosen and each one's quantities.

The grid has one input per kecamatan and item (``q-<kecamatan>-<item>``), or one per
kecamatan for a training's seats (``seats-<kecamatan>``). A first visit proposes an
even division; a refused post comes back with what the admin typed.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from sqlalchemy import select

from portal.contributions.routing import Share, even_shares
from portal.core.text import lazy_gettext as _l
from portal.extensions import db
from portal.models import Contribution, Kecamatan


def _ids(values) -> list[int]:
    ids = []
    for value in values:
        if str(value).isdigit() and int(value) not in ids:
            ids.append(int(value))
    return ids


def _plain(value) -> str:
    return "" if value is None else format(Decimal(value).normalize(), "f")


def split_context(contribution: Contribution, source, posted: bool) -> dict:
    """Kecamatan list, chosen kecamatan, the grid's values and any errors so far."""
    kecamatans = list(db.session.scalars(select(Kecamatan).order_by(Kecamatan.name)))
    by_id = {k.id: k for k in kecamatans}
    chosen = [by_id[i] for i in _ids(source.getlist("kecamatan")) if i in by_id]
    values: dict[str, str] = {}
    if posted:
        for kecamatan in chosen:
            for item in contribution.items:
                key = f"q-{kecamatan.id}-{item.id}"
                values[key] = source.get(key, "").strip()
            values[f"seats-{kecamatan.id}"] = source.get(f"seats-{kecamatan.id}", "").strip()
    else:
        for share in even_shares(contribution, [k.id for k in chosen]):
            for item_id, quantity in share.quantities.items():
                values[f"q-{share.kecamatan_id}-{item_id}"] = _plain(quantity)
            values[f"seats-{share.kecamatan_id}"] = _plain(share.seats)
    errors: dict[str, list] = {}
    if posted and len(chosen) < 2:
        errors["kecamatan"] = [_l("Choose at least two different kecamatan.")]
    return {"kecamatans": kecamatans, "chosen": chosen, "values": values, "errors": errors}


def parse_shares(contribution: Contribution, context: dict) -> tuple[list[Share], dict]:
    """The typed grid as shares, or the cells' errors keyed by input name."""
    shares, errors = [], {}
    values = context["values"]
    for kecamatan in context["chosen"]:
        share = Share(kecamatan_id=kecamatan.id)
        for item in contribution.items:
            key = f"q-{kecamatan.id}-{item.id}"
            text = values.get(key, "").replace(",", ".") or "0"
            try:
                quantity = Decimal(text)
                if not quantity.is_finite() or quantity < 0:
                    raise InvalidOperation
            except InvalidOperation:
                errors[key] = [_l("Enter a number of zero or more.")]
                continue
            if quantity.as_tuple().exponent < -3:  # the column keeps three decimals
                errors[key] = [_l("Enter a number with at most three decimals.")]
                continue
            share.quantities[item.id] = quantity
        if contribution.kind == "training":
            key = f"seats-{kecamatan.id}"
            text = values.get(key, "") or "0"
            if not text.isdigit():
                errors[key] = [_l("Enter a whole number of zero or more.")]
            else:
                share.seats = int(text)
        shares.append(share)
    return shares, errors
