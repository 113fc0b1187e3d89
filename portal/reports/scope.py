"""The area a report reads: the matches of a kecamatan (None: every one) that the user
may see through ``matching.access``."""

from __future__ import annotations

from sqlalchemy import Select, select

from portal.matching import access as matching_access
from portal.models import Match, User


def matches_in_area(user: User, kec_id: int | None) -> Select:
    """The ids of the matches of the area ``user`` may see."""
    query = matching_access.visible(user, select(Match.id))
    return query if kec_id is None else query.where(Match.kecamatan_id == kec_id)
