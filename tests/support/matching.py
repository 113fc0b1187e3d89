"""Helpers for the matching tests: an accepted contribution with items, target groups and
sectors, its draft match, and validated people with their codes."""

from __future__ import annotations

from datetime import date

from portal.core.codes import set_codes
from portal.core.dates import utcnow
from portal.extensions import db
from tests.factories import ContributionFactory, ContributionItemFactory, MatchFactory
from tests.support.registry import categories, validated


def contribution(groups=("wrse",), sectors=("food",), quantities=(10,), kind="equipment", **kw):
    """An accepted equipment contribution of Tenggarong (category EQUIPMENT) with one item
    per quantity given."""
    code = "TRAINING" if kind == "training" else "EQUIPMENT"
    kw.setdefault("aid_category_id", categories()[code])
    kw.setdefault("submitted_at", utcnow())
    made = ContributionFactory(status="accepted", kind=kind, **kw)
    names = ("Oven gas", "Mixer", "Loyang", "Kompor")
    for n, quantity in enumerate(quantities):
        ContributionItemFactory(contribution=made, name=names[n], quantity=quantity, position=n)
    set_codes(made, groups, sectors)
    db.session.flush()
    db.session.refresh(made)
    return made


def match_for(made=None, **kw):
    made = made or contribution()
    match = MatchFactory(contribution=made, **kw)
    db.session.flush()
    return match


def candidate(name="Siti Aminah", groups=(), sectors=(), **kw):
    """A validated recipient of Tenggarong with these target groups and sectors."""
    made = validated(name=name, **kw)
    set_codes(made, groups, sectors)
    db.session.flush()
    return made


ON = date.today()
