"""The figures each role's home page shows, limited to that role's scope."""

from __future__ import annotations

from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Company, Contribution, Recipient, User
from portal.registry.validity import state_column


def _count(query) -> int:
    return db.session.scalar(select(func.count()).select_from(query.subquery())) or 0


def contributions_by_status(**filters) -> dict[str, int]:
    query = select(Contribution.status, func.count()).group_by(Contribution.status)
    for column, value in filters.items():
        query = query.where(getattr(Contribution, column) == value)
    return dict(db.session.execute(query).all())


def recipients_by_validation(**filters) -> dict[str, int]:
    """Active people by validation state: pending, validated, expired or rejected, by the
    registry's own definition (a validation past its period is expired, not validated)."""
    people = select(state_column().label("state")).where(Recipient.active.is_(True))
    for column, value in filters.items():
        people = people.where(getattr(Recipient, column) == value)
    people = people.subquery()
    query = select(people.c.state, func.count()).group_by(people.c.state)
    return dict(db.session.execute(query).all())


def admin_summary() -> dict:
    return {
        "contributions": contributions_by_status(),
        "recipients": recipients_by_validation(),
        "pending_companies": _count(select(Company).where(Company.status == "pending")),
        "active_users": _count(select(User).where(User.active.is_(True))),
        "unrouted": _count(
            select(Contribution).where(
                Contribution.kecamatan_id.is_(None), Contribution.status == "submitted"
            )
        ),
    }


def kecamatan_summary(kecamatan_id: int) -> dict:
    return {
        "contributions": contributions_by_status(kecamatan_id=kecamatan_id),
        "recipients": recipients_by_validation(kecamatan_id=kecamatan_id),
    }


def desa_summary(desa_id: int) -> dict:
    return {"recipients": recipients_by_validation(desa_id=desa_id)}


def company_summary(company_id: int) -> dict:
    return {"contributions": contributions_by_status(company_id=company_id)}


def summary_for(user: User) -> dict:
    """The home page figures for this user's role and scope."""
    if user.role == "admin":
        return admin_summary()
    if user.role in ("officer", "camat"):
        return kecamatan_summary(user.kecamatan_id)
    if user.role == "village":
        return desa_summary(user.desa_id)
    return company_summary(user.company_id)
