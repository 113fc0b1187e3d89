"""The codes a contribution and a recipient share: target groups and sectors (skills or
business interest), and the tables that hold an owner's set of them. Their labels are in
``portal.core.labels``."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, String, Table

from portal.extensions import db
from portal.models.base import in_check

TARGET_GROUPS = (
    "wrse",  # socially/economically vulnerable women
    "elderly",
    "disability",
    "neglected_children",
    "kube",  # joint business groups
    "pre_prosperous",
)
SECTORS = (
    "food",
    "sewing",
    "retail",
    "motor_workshop",
    "multimedia",
    "agriculture",
    "fishing",
    "other",
)


def code_table(name: str, owner: str, codes: tuple[str, ...]) -> Table:
    """The set of codes of one ``owner`` row: (``<owner>_id``, ``code``), each one of ``codes``."""
    return Table(
        name,
        db.metadata,
        Column(f"{owner}_id", ForeignKey(f"{owner}.id", ondelete="CASCADE"), primary_key=True),
        Column("code", String(24), primary_key=True),
        in_check("code", codes),
    )
