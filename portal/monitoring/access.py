"""Who sees and records monitoring visits.

- the officer of the visit's kecamatan records a visit that is still due, or closes the
  rest of a recipient's schedule (they moved or died);
- the camat of that kecamatan reads them; the admin reads every kecamatan's;
- a partner sees, on the match page of their own contribution, whether the aid is in use
  and the business running, never the notes, income or photo; a village operator none.
"""

from __future__ import annotations

from sqlalchemy import Select, select

from portal.core.refusals import Refusal, refusal_of
from portal.core.text import lazy_gettext as _l
from portal.matching.transitions import AlreadyDone
from portal.models import MonitoringVisit, User

# Roles that open the visits list and a visit's page (each within their scope).
READERS = ("officer", "camat", "admin")


def visible(user: User, query: Select | None = None) -> Select:
    """The visits ``user`` may list: their kecamatan's, every one for the admin."""
    query = select(MonitoringVisit) if query is None else query
    if user.role == "admin":
        return query
    if user.role in ("officer", "camat") and user.kecamatan_id:
        return query.where(MonitoringVisit.kecamatan_id == user.kecamatan_id)
    return query.where(False)


def in_scope(user: User, visit: MonitoringVisit) -> bool:
    """Whether ``visible(user)`` holds this one visit."""
    if user.role == "admin":
        return True
    if user.role in ("officer", "camat"):
        return user.kecamatan_id is not None and user.kecamatan_id == visit.kecamatan_id
    return False


def is_recorder(user: User, visit: MonitoringVisit) -> bool:
    """The officer of the visit's kecamatan."""
    return (
        user.role == "officer"
        and user.kecamatan_id is not None
        and user.kecamatan_id == visit.kecamatan_id
    )


def check_record(actor: User, visit: MonitoringVisit) -> None:
    """May ``actor`` record this visit (or close the schedule it belongs to)?"""
    if not is_recorder(actor, visit):
        raise Refusal(_l("Only the officer of this kecamatan records its monitoring visits."))
    if visit.status == "recorded":
        raise AlreadyDone(_l("This visit has already been recorded."))
    if visit.status == "closed":
        raise AlreadyDone(_l("This visit was closed: the recipient's schedule has ended."))


def record_refusal(actor: User, visit: MonitoringVisit) -> Refusal | None:
    return refusal_of(check_record, actor, visit)


def can_record(actor: User, visit: MonitoringVisit) -> bool:
    return record_refusal(actor, visit) is None


def page_flags(user: User) -> dict[str, bool]:
    """What the monitoring pages and sections offer this user, as ``may_*`` flags."""
    role = getattr(user, "role", None)
    return {
        "may_record_visits": role == "officer",
        "may_see_all_visits": role == "admin",
        # Notes, income and photos are about a household: staff only.
        "may_see_visit_details": role in READERS,
    }


def sees_visits(user: User) -> bool:
    """Whether the recipient page lists the visits (kecamatan staff and Dinsos)."""
    return getattr(user, "role", None) in READERS


def sees_match_visits(user: User) -> bool:
    """Whether the match page lists visits per member (partners in outline only)."""
    return getattr(user, "role", None) in (*READERS, "partner")
