"""The registry list: the officer's search and filters, the candidates matching draws
from, and a count that stops early. Every query is limited by ``access.visible``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, exists, func, or_, select, union
from sqlalchemy.orm import joinedload

from portal.core.dates import add_months, as_utc, utcnow
from portal.extensions import db
from portal.models import AidRecord, Desa, Recipient, User
from portal.models.registry import recipient_sector, recipient_target_group
from portal.registry.access import visible
from portal.registry.validity import state_condition


@dataclass
class RecipientFilters:
    """What the officer asked the list for; ``q`` may carry a NIK and never goes in a URL."""

    q: str = ""
    kecamatan_id: int | None = None
    desa_id: int | None = None
    target_group: str | None = None
    sector: str | None = None
    state: str | None = None
    aid_months: int | None = None
    inactive: bool = False
    warned: bool = False


def _digits(text: str) -> str:
    return text.replace(" ", "").replace(".", "").lstrip("'")


def _prefix_range(column, prefix: str):
    """Numbers of 16 digits starting with ``prefix``: a range the column's index serves."""
    pad = 16 - len(prefix)
    return column.between(prefix + "0" * pad, prefix + "9" * pad)


def contains(column, text: str):
    """Case-insensitive substring match (SQLite's LIKE already ignores ASCII case)."""
    pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    if db.engine.dialect.name == "sqlite":
        return column.like(pattern, escape="\\")
    return column.ilike(pattern, escape="\\")


def search_condition(q: str, user: User):
    """Name or desa name for words; NIK or KK prefix for digits, each by its own index.

    Desa names are looked up first (a few hundred rows) so that a plain name search stays
    a single condition the name index serves in order, stopping after one page."""
    digits = _digits(q)
    if digits.isdigit() and len(digits) <= 16:
        # A union, so each arm walks its own index (an OR would read the whole scope).
        ids = visible(user, select(Recipient.id))
        by_nik = ids.where(_prefix_range(Recipient.nik, digits))
        by_kk = ids.where(_prefix_range(Recipient.kk, digits))
        return Recipient.id.in_(union(by_nik, by_kk))
    desas = list(db.session.scalars(select(Desa.id).where(contains(Desa.name, q))))
    if desas:
        return or_(contains(Recipient.name, q), Recipient.desa_id.in_(desas))
    return contains(Recipient.name, q)


def carries(table, code: str):
    """The recipient carries this target group or sector (``table`` is its code table)."""
    return exists().where(table.c.recipient_id == Recipient.id, table.c.code == code)


def recipient_query(
    user: User, f: RecipientFilters, now: datetime | None = None, places: bool = True
) -> Select:
    """The registry list for ``user`` with the filters applied, ordered by name; each
    person's desa and kecamatan loaded with them unless ``places`` is false (an export
    reads the few places once instead)."""
    query = visible(user)
    if f.q.strip():
        query = query.where(search_condition(f.q.strip(), user))
    if f.kecamatan_id and user.role == "admin":
        query = query.where(Recipient.kecamatan_id == f.kecamatan_id)
    if f.desa_id:
        query = query.where(Recipient.desa_id == f.desa_id)
    if not f.inactive:
        query = query.where(Recipient.active.is_(True))
    if f.target_group:
        query = query.where(carries(recipient_target_group, f.target_group))
    if f.sector:
        query = query.where(carries(recipient_sector, f.sector))
    if f.state:
        query = query.where(state_condition(f.state, as_utc(now or utcnow())))
    if f.warned:
        query = query.where(Recipient.warnings != "")
    if f.aid_months:
        since = add_months(as_utc(now or utcnow()), -f.aid_months).date()
        query = query.where(
            exists().where(
                or_(AidRecord.recipient_id == Recipient.id, AidRecord.nik == Recipient.nik),
                AidRecord.received_on >= since,
            )
        )
    if places:
        query = query.options(joinedload(Recipient.desa), joinedload(Recipient.kecamatan))
    return query.order_by(Recipient.name, Recipient.id)


def candidates_query(kecamatan_id: int, now: datetime | None = None) -> Select:
    """Who may be matched to aid in a kecamatan: active, validated and not expired
    (DESIGN section 4). Deactivated and erased people drop out; their history stays."""
    return (
        select(Recipient)
        .where(
            Recipient.kecamatan_id == kecamatan_id,
            Recipient.active.is_(True),
            Recipient.erased_at.is_(None),
            state_condition("validated", as_utc(now or utcnow())),
        )
        .order_by(Recipient.name, Recipient.id)
    )


def count_up_to(query: Select, limit: int) -> int:
    """How many rows a query gives, counting no further than ``limit`` (search results
    say "more than" instead of scanning the whole regency to count them)."""
    capped = query.order_by(None).options().with_only_columns(Recipient.id).limit(limit)
    return db.session.scalar(select(func.count()).select_from(capped.subquery())) or 0
