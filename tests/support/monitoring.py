"""Helpers for the monitoring tests: a match handed over some days ago by its officer, and
its visits in a fixed order."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from portal.core.dates import local_today, utcnow
from portal.extensions import db
from portal.models import MatchMember, MonitoringVisit
from tests.support.handover import approved, handed_over
from tests.support.matching import cast_for


def handed(people: int = 2, days_ago: int = 0, **kwargs):
    """(match, cast, handover record): approved ``days_ago`` + 1 days ago and handed over
    ``days_ago`` days ago (today by default) by the kecamatan's officer."""
    match = approved(people=people, **kwargs)
    if days_ago:
        match.approved_at = utcnow() - timedelta(days=days_ago + 1)
    cast = cast_for(match.contribution)
    entry = handed_over(match, cast, on=local_today() - timedelta(days=days_ago))
    return match, cast, entry


def visits_of(match) -> list[MonitoringVisit]:
    """The match's visits by member position, then months."""
    query = (
        select(MonitoringVisit)
        .join(MatchMember, MatchMember.id == MonitoringVisit.member_id)
        .where(MonitoringVisit.match_id == match.id)
        .order_by(MatchMember.position, MonitoringVisit.months)
    )
    return list(db.session.scalars(query))
