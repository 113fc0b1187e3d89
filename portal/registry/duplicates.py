"""Regency-wide checks for the admin: people who may be registered twice.

The same NIK cannot exist twice (a unique index), so what is left to review is the
same name and birth date under different NIKs, and one KK spread over several kecamatan.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, func, select, tuple_

from portal.core.paging import Page
from portal.extensions import db
from portal.models import Recipient


@dataclass
class Group:
    """People who may be one person (or one family), listed for review."""

    key: str
    birth_date: date | None
    members: list[Recipient]


def _name_key():
    return func.lower(func.trim(Recipient.name))


def same_name_and_birth() -> Select:
    """(name, birth date) shared by recipients with different NIKs."""
    key = _name_key().label("name_key")
    return (
        select(key, Recipient.birth_date)
        .where(Recipient.nik.is_not(None), Recipient.birth_date.is_not(None))
        .group_by(key, Recipient.birth_date)
        .having(func.count(func.distinct(Recipient.nik)) > 1)
        .order_by(key, Recipient.birth_date)
    )


def kk_over_kecamatan() -> Select:
    """KK numbers whose members are registered in more than one kecamatan."""
    return (
        select(Recipient.kk)
        .where(Recipient.kk.is_not(None))
        .group_by(Recipient.kk)
        .having(func.count(func.distinct(Recipient.kecamatan_id)) > 1)
        .order_by(Recipient.kk)
    )


def _page_of(query: Select, page: int, per_page: int) -> tuple[list, int]:
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    rows = db.session.execute(query.limit(per_page).offset((page - 1) * per_page)).all()
    return rows, total or 0


def duplicate_groups(kind: str, page: int = 1, per_page: int = 20) -> Page:
    """One page of suspected duplicates: ``kind`` is "name" or "kk"."""
    page = max(page, 1)
    if kind == "kk":
        rows, total = _page_of(kk_over_kecamatan(), page, per_page)
        kks = [row.kk for row in rows]
        members = db.session.scalars(
            select(Recipient).where(Recipient.kk.in_(kks)).order_by(Recipient.kecamatan_id)
        )
        by_kk: dict[str, list] = {}
        for person in members:
            by_kk.setdefault(person.kk, []).append(person)
        groups = [Group(key=kk, birth_date=None, members=by_kk.get(kk, [])) for kk in kks]
        return Page(items=groups, page=page, per_page=per_page, total=total)
    rows, total = _page_of(same_name_and_birth(), page, per_page)
    keys = [(row.name_key, row.birth_date) for row in rows]
    by_key: dict[tuple, list] = {}
    if keys:
        members = db.session.scalars(
            select(Recipient)
            .where(tuple_(_name_key(), Recipient.birth_date).in_(keys))
            .order_by(Recipient.kecamatan_id, Recipient.id)
        )
        for person in members:
            by_key.setdefault((person.name.strip().lower(), person.birth_date), []).append(person)
    groups = [
        Group(key=name, birth_date=born, members=by_key.get((name, born), []))
        for name, born in keys
    ]
    return Page(items=groups, page=page, per_page=per_page, total=total)
