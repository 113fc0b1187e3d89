"""Default reference data an admin edits later: aid categories and the pairs of them a
person may receive together (DESIGN sections 3 and 4, the double-aid rule).

Names are stored in Indonesian, as the programmes are officially called; they are
data, not interface text, so an admin can rename them.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from portal.extensions import db
from portal.models import AidCategory, AidCategoryPair


@dataclass(frozen=True)
class CategorySpec:
    code: str
    name: str
    description: str


DEFAULT_CATEGORIES = (
    CategorySpec(
        "EQUIPMENT",
        "Peralatan usaha produktif (UEP/CSR)",
        "Alat dan perlengkapan usaha ekonomi produktif dari Dinsos atau mitra CSR.",
    ),
    CategorySpec("TRAINING", "Pelatihan keterampilan", "Pelatihan kerja dan keterampilan usaha."),
    CategorySpec("FOOD", "Pangan dan sembako", "Bahan pangan dan kebutuhan pokok."),
    CategorySpec("ASSISTIVE", "Alat bantu disabilitas", "Kursi roda, tongkat, alat bantu dengar."),
    CategorySpec("PKH", "Program Keluarga Harapan (PKH)", "Bantuan sosial bersyarat Kemensos."),
    CategorySpec("BPNT", "Bantuan Pangan Non Tunai (BPNT)", "Bantuan pangan Kemensos (sembako)."),
    CategorySpec("BLT-DD", "BLT Dana Desa", "Bantuan langsung tunai dari Dana Desa."),
    CategorySpec(
        "CASH-OTHER", "Bantuan tunai lainnya", "Bantuan tunai pemerintah daerah dan lain."
    ),
    CategorySpec("OTHER", "Bantuan lainnya", "Bantuan yang tidak masuk kategori lain."),
)
# Categories a person may receive together without a double-aid flag.
DEFAULT_PAIRS = (("PKH", "BPNT"), ("EQUIPMENT", "TRAINING"))


def load_aid_categories() -> tuple[int, int]:
    """Insert the default categories that are missing; returns (categories, pairs) added.

    Never changes an existing category. A default pair is added only together with a
    category it names, so a pair the admin removed stays removed. The caller commits.
    """
    existing = {c.code: c for c in db.session.scalars(select(AidCategory))}
    added = [
        AidCategory(code=spec.code, name=spec.name, description=spec.description, active=True)
        for spec in DEFAULT_CATEGORIES
        if spec.code not in existing
    ]
    db.session.add_all(added)
    db.session.flush()
    new_codes = {category.code for category in added}
    by_code = existing | {category.code: category for category in added}
    pairs = [
        _ordered_pair(by_code[a].id, by_code[b].id)
        for a, b in DEFAULT_PAIRS
        if (a in new_codes or b in new_codes) and a in by_code and b in by_code
    ]
    db.session.add_all(pairs)
    db.session.flush()
    return len(added), len(pairs)


def _ordered_pair(a: int, b: int) -> AidCategoryPair:
    return AidCategoryPair(first_id=min(a, b), second_id=max(a, b))


def category_ids() -> dict[str, int]:
    """Category id by code, for loaders that write aid records."""
    return dict(db.session.execute(select(AidCategory.code, AidCategory.id)).all())
