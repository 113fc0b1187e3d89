"""The monitoring schedule (DESIGN section 3): at a handover, each recipient who received
something gets one visit due each number of months the admin's setting
``monitoring_schedule`` names (default 1, 3 and 6), counted from the handover date and
stored, so a later change of the setting leaves schedules already made as they were. A
match is ``monitored`` once none of its visits is still due."""

from __future__ import annotations

from datetime import date

from sqlalchemy import delete, func, select

from portal.core import audit, settings
from portal.core.dates import add_months, local_today
from portal.extensions import db
from portal.models import HandoverRecord, Match, MonitoringVisit


def due_dates(handed_over_on: date, months: list[int] | None = None) -> list[tuple[int, date]]:
    """(months, due date) of each visit after a handover on ``handed_over_on``."""
    months = settings.get("monitoring_schedule") if months is None else months
    return [(m, add_months(handed_over_on, m)) for m in sorted(set(months))]


def schedule_visits(record: HandoverRecord) -> list[MonitoringVisit]:
    """The visits due after ``record``: one per received line and scheduled month."""
    dates = due_dates(record.handed_over_on)
    visits = [
        MonitoringVisit(
            handover_id=record.id,
            match_id=record.match_id,
            member_id=line.member_id,
            recipient_id=line.recipient_id,
            kecamatan_id=record.match.kecamatan_id,
            desa_id=line.recipient.desa_id,
            months=months,
            due_on=due_on,
            status="due",
        )
        for line in record.lines
        if line.received
        for months, due_on in dates
    ]
    db.session.add_all(visits)
    return visits


def started_visits(record: HandoverRecord) -> int:
    """How many of the handover's visits were recorded or closed already."""
    query = select(func.count(MonitoringVisit.id)).where(
        MonitoringVisit.handover_id == record.id, MonitoringVisit.status != "due"
    )
    return db.session.scalar(query) or 0


def drop_schedule(record: HandoverRecord) -> int:
    """Delete the handover's visits, none of which has started (a reversal)."""
    result = db.session.execute(
        delete(MonitoringVisit)
        .where(MonitoringVisit.handover_id == record.id, MonitoringVisit.status == "due")
        .execution_options(synchronize_session=False)
    )
    return result.rowcount


def is_overdue(visit: MonitoringVisit, today: date | None = None) -> bool:
    return visit.status == "due" and visit.due_on < (today or local_today())


def monitor_if_done(match: Match, actor) -> bool:
    """handed_over → monitored once the match has visits and none is due any more."""
    from portal.matching.transitions import move

    if match.status != "handed_over":
        return False
    counts = dict(
        db.session.execute(
            select(MonitoringVisit.status, func.count(MonitoringVisit.id))
            .where(MonitoringVisit.match_id == match.id)
            .group_by(MonitoringVisit.status)
        ).all()
    )
    if not counts or counts.get("due"):
        return False
    if move(match, "handed_over", "monitored"):
        audit.record(actor, "match_monitored", match, "handed_over", "monitored")
        return True
    return False
