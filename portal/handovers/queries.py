"""Which handovers stand: a handover record no reversal names. Lists and figures that
count handovers (a month's handovers on the dashboards, the plans list's filter) share
this one condition, so a figure and its list agree."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Select, select

from portal.models import HandoverRecord


def standing():
    """A handover of kind ``handover`` that no reversal names."""
    reversed_ids = select(HandoverRecord.reverses_id).where(HandoverRecord.reverses_id.is_not(None))
    return (HandoverRecord.kind == "handover") & HandoverRecord.id.not_in(reversed_ids)


def handed_over_between(first: date, after: date) -> Select:
    """The ids of the matches with a standing handover on ``first`` ≤ day < ``after``."""
    return select(HandoverRecord.match_id).where(
        standing(),
        HandoverRecord.handed_over_on >= first,
        HandoverRecord.handed_over_on < after,
    )
