"""Who reads which dashboard and the lists behind its figures, and what each of them
covers. The scope is never decided here: it comes from each area's own ``access``
(contributions, matches), so a dashboard counts exactly what its user may see.

- the regency dashboard is Dinsos's (admin);
- the lists behind the figures (people served, visits, kept flags) are for the admin,
  a kecamatan's officer and camat (their kecamatan) and a partner (their company's
  contributions). A partner sees people by name, desa and masked NIK only.
"""

from __future__ import annotations

from sqlalchemy import Select, bindparam, select

from portal.contributions import access as contribution_access
from portal.matching import access as matching_access
from portal.models import AidRecord, Contribution, Match, MatchMember, MonitoringVisit, User

LIST_READERS = ("partner", "officer", "camat", "admin")
# Written into the SQL, not bound: the partial index of PORTAL aid records then serves
# every plan, generic ones included.
PORTAL = bindparam("portal_source", "PORTAL", literal_execute=True)


def visible_contributions(user: User) -> Select:
    """The ids of the contributions ``user`` may see."""
    return contribution_access.visible(user).with_only_columns(Contribution.id)


def served(user: User):
    """The aid records of this portal's standing handovers in the user's scope: a
    handover writes one PORTAL record per person who received, a reversal removes them."""
    return (
        (AidRecord.source == PORTAL)
        & AidRecord.recipient_id.is_not(None)
        & AidRecord.contribution_id.in_(visible_contributions(user))
    )


def visible_matches(user: User) -> Select:
    """The ids of the matches ``user`` may see."""
    return matching_access.visible(user, select(Match.id))


def visible_visits(user: User, query: Select) -> Select:
    """``query`` of monitoring visits limited to the visits of the user's matches."""
    return query.where(MonitoringVisit.match_id.in_(visible_matches(user)))


def visible_members(user: User, query: Select) -> Select:
    """``query`` of match members limited to the members of the user's matches."""
    return query.where(MatchMember.match_id.in_(visible_matches(user)))


def page_flags(user: User) -> dict[str, bool]:
    """What the lists show this user, as ``may_*`` flags."""
    role = getattr(user, "role", None)
    return {
        "may_filter_kecamatan": role in ("admin", "partner"),
        "may_see_companies": role != "partner",
    }
