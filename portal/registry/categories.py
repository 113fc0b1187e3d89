"""Aid categories and the pairs that may go together: reference data the admin edits
(DESIGN sections 3 and 4). Categories are never deleted, only deactivated, because aid
records point at them. The double-aid rule reads the pairs in ``double_aid``."""

from __future__ import annotations

from sqlalchemy import func, select

from portal.core.audit import record
from portal.core.refusals import Refusal
from portal.core.text import lazy_gettext as _l
from portal.extensions import db
from portal.models import AidCategory, AidCategoryPair, User


def all_categories() -> list[AidCategory]:
    return list(db.session.scalars(select(AidCategory).order_by(AidCategory.name)))


def all_pairs() -> list[tuple[AidCategory, AidCategory]]:
    pairs = db.session.scalars(select(AidCategoryPair))
    return sorted(
        (
            (db.session.get(AidCategory, p.first_id), db.session.get(AidCategory, p.second_id))
            for p in pairs
        ),
        key=lambda pair: (pair[0].name, pair[1].name),
    )


def _admin(actor: User) -> None:
    if actor.role != "admin":
        raise Refusal(_l("Only the Dinsos administrator edits aid categories."))


def _clean_code(code: str) -> str:
    return code.strip().upper().replace(" ", "-")


def save_category(
    actor: User, category: AidCategory | None, code: str, name: str, description: str
) -> AidCategory:
    """Create a category, or rename one; codes are unique (ignoring case)."""
    _admin(actor)
    code = _clean_code(code)
    if not code:
        raise Refusal(_l("Give the category a short code."), "code")
    taken = select(AidCategory.id).where(func.upper(AidCategory.code) == code)
    if category is not None:
        taken = taken.where(AidCategory.id != category.id)
    if db.session.scalar(taken) is not None:
        raise Refusal(_l("Another category already has this code."), "code")
    if not name.strip():
        raise Refusal(_l("Give the category a name."), "name")
    if category is None:
        category = AidCategory(
            code=code, name=name.strip(), description=description.strip(), active=True
        )
        db.session.add(category)
        db.session.flush()
        record(actor, "category_created", category, None, "active")
        return category
    changed = [
        attr
        for attr, value in (
            ("code", code),
            ("name", name.strip()),
            ("description", description.strip()),
        )
        if getattr(category, attr) != value
    ]
    for attr in changed:
        setattr(
            category,
            attr,
            {"code": code, "name": name.strip(), "description": description.strip()}[attr],
        )
    if changed:
        record(actor, "category_updated", category, changed=changed)
    return category


def set_category_active(actor: User, category: AidCategory, active: bool) -> None:
    """Deactivate a category (no new aid in it) or bring it back."""
    _admin(actor)
    if category.active == active:
        raise Refusal(
            _l("This category is already active.")
            if active
            else _l("This category is already inactive.")
        )
    category.active = active
    state = ("inactive", "active") if active else ("active", "inactive")
    record(actor, "category_activated" if active else "category_deactivated", category, *state)


def add_pair(actor: User, first_id: int | None, second_id: int | None) -> None:
    """Declare that two categories may be received together."""
    _admin(actor)
    first = db.session.get(AidCategory, first_id) if first_id else None
    second = db.session.get(AidCategory, second_id) if second_id else None
    if first is None or second is None:
        raise Refusal(_l("Choose two categories."), "first_id")
    if first.id == second.id:
        raise Refusal(_l("Choose two different categories."), "second_id")
    low, high = sorted((first.id, second.id))
    if db.session.get(AidCategoryPair, (low, high)) is not None:
        raise Refusal(_l("These two categories may already go together."), "second_id")
    db.session.add(AidCategoryPair(first_id=low, second_id=high))
    record(actor, "pair_added", first, pair=[low, high])
    record(actor, "pair_added", second, pair=[low, high])


def remove_pair(actor: User, first_id: int, second_id: int) -> None:
    """Stop treating two categories as allowed together."""
    _admin(actor)
    low, high = sorted((first_id, second_id))
    pair = db.session.get(AidCategoryPair, (low, high))
    if pair is None:
        raise Refusal(_l("These two categories are not paired."))
    db.session.delete(pair)
    for category_id in (low, high):
        record(actor, "pair_removed", db.session.get(AidCategory, category_id), pair=[low, high])
