"""Helpers for the matching tests: an accepted contribution with items, target groups and
sectors, its draft match, validated people with their codes; and matches ready for the
camat with the people who act on them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from portal.core.codes import set_codes
from portal.core.dates import utcnow
from portal.extensions import db
from portal.matching import numbering
from portal.models import Contribution, KecamatanOffice, Match, User
from tests import factories
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


@dataclass
class Cast:
    officer: User
    camat: User
    partner: User
    admin: User


def cast_for(contribution: Contribution) -> Cast:
    """The officer and camat of the contribution's kecamatan, its company's staff, Dinsos."""
    kec = contribution.kecamatan
    return Cast(
        officer=factories.user_for_role("officer", kecamatan=kec),
        camat=factories.user_for_role("camat", kecamatan=kec),
        partner=factories.user_for_role("partner", company=contribution.company),
        admin=factories.user_for_role("admin"),
    )


def default_numbering(kec: str) -> None:
    """The kecamatan office numbers letters by the default pattern and class code (the
    offices are kept between tests, and another test may have changed them)."""
    office = db.session.get(KecamatanOffice, factories.kecamatan(kec).id)
    office.class_code = numbering.DEFAULT_CLASS_CODE
    office.letter_pattern = numbering.DEFAULT_PATTERN


def offered(quantity=10, kec: str = "64.02.06", **kwargs) -> Contribution:
    """An accepted contribution of one item (``quantity`` × Rp 1.500.000) in ``kec``,
    whose office numbers letters by the default pattern."""
    default_numbering(kec)
    contribution = factories.ContributionFactory(
        status="accepted", kecamatan=factories.kecamatan(kec), submitted_at=utcnow(), **kwargs
    )
    factories.ContributionItemFactory(contribution=contribution, quantity=quantity)
    return contribution


def planned(contribution: Contribution, people: int = 2, each=1, status: str = "draft") -> Match:
    """A match of ``people`` validated recipients, each receiving ``each`` of the first item."""
    match = factories.MatchFactory(contribution=contribution, status=status, label="Tahap uji")
    item = contribution.items[0] if contribution.items else None
    for n in range(people):
        member = factories.MatchMemberFactory(match=match, position=n)
        if item is not None:
            factories.MatchAllocationFactory(member=member, item=item, quantity=each)
    db.session.flush()
    db.session.refresh(match)
    return match


def training(seats: int = 5, kec: str = "64.02.06") -> Contribution:
    return factories.ContributionFactory(
        status="accepted",
        submitted_at=utcnow(),
        kind="training",
        kecamatan=factories.kecamatan(kec),
        topic="Menjahit",
        sessions=4,
        seats=seats,
        trainer="LKP Uji",
    )
