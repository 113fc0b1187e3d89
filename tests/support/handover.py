"""Helpers for the handover and monitoring tests: an approved match whose quantities are
held (without rendering its letter), and its handover recorded by the officer."""

from __future__ import annotations

from datetime import date, timedelta

from portal.core.dates import local_today, utcnow
from portal.extensions import db
from portal.handovers import services
from portal.matching import transitions
from portal.models import Match
from tests.support.matching import Cast, cast_for, offered, planned
from tests.support.registry import categories


def approved(people: int = 3, quantity: int = 10, each: int = 1, **kwargs) -> Match:
    """An approved match of ``people`` recipients, each holding ``each`` of one item of an
    accepted contribution of ``quantity`` (category EQUIPMENT), approved a week ago."""
    kwargs.setdefault("aid_category_id", categories()["EQUIPMENT"])
    contribution = offered(quantity=quantity, **kwargs)
    match = planned(contribution, people=people, each=each, status="submitted")
    transitions.reserve(match)
    contribution.status = "allocating"
    match.status = "approved"
    match.approved_at = utcnow() - timedelta(days=7)
    match.letter_number = f"400.9/{match.id}/KEC-UJI/{match.approved_at.year}"
    db.session.flush()
    return match


def handed_over(
    match: Match, cast: Cast | None = None, *, absent=(), on: date | None = None, **kwargs
):
    """Record the match's handover by its kecamatan's officer; ``absent`` members (by
    position on the match) did not come."""
    cast = cast or cast_for(match.contribution)
    members = match.active_members
    absences = {members[n].id: services.Absence("absent") for n in absent}
    entry = services.record(
        match,
        cast.officer,
        handed_over_on=on or local_today(),
        place=kwargs.pop("place", "Balai Desa"),
        absent=absences,
        **kwargs,
    )
    db.session.flush()
    return entry
