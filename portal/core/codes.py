"""Target groups and sectors: the codes a recipient or a contribution carries, each kept
in a pair of code tables beside its record (one row per code)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import delete, insert, select

from portal.extensions import db
from portal.models import Contribution, Recipient
from portal.models.contributions import contribution_sector, contribution_target_group
from portal.models.registry import recipient_sector, recipient_target_group

# For each kind of record: the key column, then its target-group and sector tables.
TABLES = {
    Recipient: ("recipient_id", recipient_target_group, recipient_sector),
    Contribution: ("contribution_id", contribution_target_group, contribution_sector),
}


def codes_of(record: Recipient | Contribution) -> tuple[list[str], list[str]]:
    """The record's target groups and sectors, each sorted."""
    key, *tables = TABLES[type(record)]
    groups, sectors = (
        sorted(db.session.scalars(select(table.c.code).where(table.c[key] == record.id)))
        for table in tables
    )
    return groups, sectors


def set_codes(
    record: Recipient | Contribution, target_groups: Iterable[str], sectors: Iterable[str]
) -> None:
    """Replace the record's target groups and sectors (each code once)."""
    key, *tables = TABLES[type(record)]
    for table, codes in zip(tables, (target_groups, sectors), strict=True):
        db.session.execute(delete(table).where(table.c[key] == record.id))
        rows = [{key: record.id, "code": code} for code in dict.fromkeys(codes)]
        if rows:
            db.session.execute(insert(table), rows)
