"""Default aid categories: loaded once, never over an admin's edits."""

from sqlalchemy import delete, func, select

from portal.core.reference import DEFAULT_CATEGORIES, DEFAULT_PAIRS, load_aid_categories
from portal.models import AidCategory, AidCategoryPair


def codes_of_pairs(db) -> set[frozenset[str]]:
    names = dict(db.session.execute(select(AidCategory.id, AidCategory.code)).all())
    pairs = db.session.execute(select(AidCategoryPair.first_id, AidCategoryPair.second_id))
    return {frozenset((names[a], names[b])) for a, b in pairs}


def test_loads_every_default_category_and_pair(db):
    assert load_aid_categories() == (len(DEFAULT_CATEGORIES), len(DEFAULT_PAIRS))
    db.session.commit()
    codes = set(db.session.scalars(select(AidCategory.code)))
    assert {"PKH", "BPNT", "BLT-DD", "EQUIPMENT", "TRAINING", "FOOD", "ASSISTIVE"} <= codes
    assert frozenset(("PKH", "BPNT")) in codes_of_pairs(db)


def test_loading_twice_adds_nothing(db):
    load_aid_categories()
    assert load_aid_categories() == (0, 0)
    assert db.session.scalar(select(func.count()).select_from(AidCategory)) == len(
        DEFAULT_CATEGORIES
    )


def test_admin_edits_survive_a_reload(db):
    load_aid_categories()
    pkh = db.session.scalar(select(AidCategory).where(AidCategory.code == "PKH"))
    pkh.name = "PKH (nama dari admin)"
    pkh.active = False
    db.session.execute(delete(AidCategoryPair))
    db.session.commit()

    assert load_aid_categories() == (0, 0)
    db.session.refresh(pkh)
    assert pkh.name == "PKH (nama dari admin)" and not pkh.active
    assert codes_of_pairs(db) == set()


def test_missing_category_is_added_with_its_pairs(db):
    load_aid_categories()
    db.session.execute(delete(AidCategoryPair))
    db.session.execute(delete(AidCategory).where(AidCategory.code == "BPNT"))
    db.session.commit()

    assert load_aid_categories() == (1, 1)
    assert codes_of_pairs(db) == {frozenset(("PKH", "BPNT"))}


def test_pairs_are_stored_in_id_order(db):
    load_aid_categories()
    pairs = db.session.execute(select(AidCategoryPair.first_id, AidCategoryPair.second_id)).all()
    assert pairs and all(first < second for first, second in pairs)
