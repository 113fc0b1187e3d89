"""The figures each role's home page shows, limited to that role's scope by the areas'
own ``access.visible``: a home page counts exactly what the area's list would show."""

from __future__ import annotations

from sqlalchemy import func, select

from portal.contributions import access as contribution_access
from portal.core.dates import utcnow
from portal.extensions import db
from portal.matching import lists as matching_lists
from portal.models import Company, Contribution, Desa, Recipient, User
from portal.registry import access as registry_access
from portal.registry.validity import state_column, state_condition

# Which figures each role's home page shows.
FIGURES = {
    "admin": ("contributions", "recipients"),
    "officer": ("contributions", "recipients"),
    "camat": ("contributions", "recipients"),
    "village": ("recipients",),
    "partner": ("contributions",),
}


def _count(query) -> int:
    return db.session.scalar(select(func.count()).select_from(query.subquery())) or 0


def contributions_by_status(user: User) -> dict[str, int]:
    """The contributions ``user`` may see, counted by state."""
    query = (
        contribution_access.visible(user)
        .with_only_columns(Contribution.status, func.count())
        .group_by(Contribution.status)
    )
    return dict(db.session.execute(query).all())


def recipients_by_validation(user: User) -> dict[str, int]:
    """Active people ``user`` may see by validation state: pending, validated, expired or
    rejected, by the registry's own definition (a validation past its period is expired,
    not validated)."""
    people = select(state_column().label("state")).where(Recipient.active.is_(True))
    people = registry_access.visible(user, people).subquery()
    query = select(people.c.state, func.count()).group_by(people.c.state)
    return dict(db.session.execute(query).all())


def recipients_by_kecamatan_and_state(user: User) -> dict[tuple[int, str], int]:
    """Active people ``user`` may see, counted by kecamatan and validation state at once
    (Dinsos's home page reads both its registry figures and its coverage from this).
    Grouped by the stored columns in the order of ``ix_recipient_active_validation``,
    with the expired among the validated counted in the same pass: no state computed
    per row to group on."""
    expired = state_condition("expired", utcnow())
    query = select(
        Recipient.kecamatan_id,
        Recipient.validation_status,
        func.count(),
        func.count().filter(expired),
    ).where(Recipient.active.is_(True))
    query = registry_access.visible(user, query).group_by(
        Recipient.validation_status, Recipient.kecamatan_id
    )
    grid = {}
    for kecamatan, status, people, late in db.session.execute(query):
        grid[(kecamatan, status)] = people - late
        grid[(kecamatan, "expired")] = grid.get((kecamatan, "expired"), 0) + late
    return {key: n for key, n in grid.items() if n}


def admin_figures() -> dict:
    """What only Dinsos's home page adds: companies waiting, accounts, unrouted proposals."""
    return {
        "pending_companies": _count(select(Company).where(Company.status == "pending")),
        "active_users": _count(select(User).where(User.active.is_(True))),
        "unrouted": _count(
            select(Contribution).where(
                Contribution.kecamatan_id.is_(None), Contribution.status == "submitted"
            )
        ),
    }


def summary_for(user: User) -> dict:
    """The home page figures for this user's role and scope."""
    figures = FIGURES.get(user.role, ())
    summary = {}
    if "contributions" in figures:
        summary["contributions"] = contributions_by_status(user)
    if user.role == "admin":
        grid = recipients_by_kecamatan_and_state(user)
        summary["recipients"] = {}
        for (_kec, state), n in grid.items():
            summary["recipients"][state] = summary["recipients"].get(state, 0) + n
        summary["validated_by_kecamatan"] = {
            kec: n for (kec, state), n in grid.items() if state == "validated"
        }
    elif "recipients" in figures:
        summary["recipients"] = recipients_by_validation(user)
    if user.role == "admin":
        summary.update(admin_figures())
    if user.role in ("camat", "admin"):
        summary["waiting_matches"] = matching_lists.count_waiting(user)
    return summary


def desa_options(user: User, kecamatan_id: int | None) -> list[Desa]:
    """The desa a desa list offers ``user`` once a kecamatan is chosen: the registry's
    own list for the user's area, narrowed to that kecamatan."""
    desas = registry_access.desas_for(user)
    if kecamatan_id is None:
        return desas
    return [desa for desa in desas if desa.kecamatan_id == kecamatan_id]
