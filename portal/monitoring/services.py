"""Recording a monitoring visit and closing the rest of a recipient's schedule (DESIGN
section 3, issue 12). Each change is audited on the visit and, once nothing of the match is
due any more, moves the match to ``monitored`` (``schedule.monitor_if_done``). The caller
commits (views use ``attempt``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from portal.core import audit
from portal.core.dates import local_today, utcnow
from portal.core.refusals import Refusal
from portal.core.text import lazy_gettext as _l
from portal.extensions import db
from portal.models import Attachment, MonitoringVisit, User
from portal.models.monitoring import ATTACHMENT_OWNER, VISIT_CLOSE_REASONS
from portal.monitoring import access, schedule

NOTES_MAX = 2000
PHOTO_KIND = "photo"


@dataclass(frozen=True)
class VisitReport:
    """What the officer saw on a visit."""

    visited_on: date | None
    aid_in_use: bool | None
    business_running: bool | None
    income_before: int | None = None
    income_after: int | None = None
    notes: str = ""


def record_visit(
    visit: MonitoringVisit, actor: User, report: VisitReport, photo=None, *, at=None
) -> MonitoringVisit:
    """due → recorded: the visit's findings and, if given, its photo (a checked upload,
    see ``portal.contributions.uploads.check_upload``). ``at`` backdates the moment of
    recording (the demo); by default it is now."""
    access.check_record(actor, visit)
    _check_report(visit, report)
    visit.status = "recorded"
    visit.visited_on = report.visited_on
    visit.aid_in_use = report.aid_in_use
    visit.business_running = report.business_running
    visit.income_before = report.income_before
    visit.income_after = report.income_after
    visit.notes = (report.notes or "").strip()
    visit.recorded_by_id = actor.id
    visit.recorded_at = at or utcnow()
    db.session.flush()
    if photo is not None:
        _add_photo(visit, actor, photo)
    event = audit.record(
        actor,
        "visit_recorded",
        visit,
        "due",
        "recorded",
        match=visit.match_id,
        recipient=visit.recipient_id,
        months=visit.months,
        visited_on=report.visited_on.isoformat(),
        aid_in_use=report.aid_in_use,
        business_running=report.business_running,
    )
    if at is not None:
        event.at = at
    schedule.monitor_if_done(visit.match, actor)
    return visit


def close_schedule(
    visit: MonitoringVisit, actor: User, reason: str, note: str = ""
) -> list[MonitoringVisit]:
    """Close every still-due visit of the recipient on this handover (they moved, died or
    cannot be visited for another reason given); returns the visits closed."""
    access.check_record(actor, visit)
    note = (note or "").strip()
    if reason not in VISIT_CLOSE_REASONS:
        raise Refusal(_l("Choose why the visits end."), field="reason")
    if reason == "other" and not note:
        raise Refusal(_l("Please say why the visits end."), field="note")
    if len(note) > NOTES_MAX:
        raise Refusal(_l("At most %(count)s characters.", count=NOTES_MAX), field="note")
    remaining = db.session.scalars(
        select(MonitoringVisit)
        .where(
            MonitoringVisit.handover_id == visit.handover_id,
            MonitoringVisit.member_id == visit.member_id,
            MonitoringVisit.status == "due",
        )
        .order_by(MonitoringVisit.due_on)
    ).all()
    now = utcnow()
    for each in remaining:
        each.status, each.close_reason, each.notes = "closed", reason, note
        each.recorded_by_id, each.recorded_at = actor.id, now
        audit.record(
            actor,
            "visit_closed",
            each,
            "due",
            "closed",
            note,
            code=reason,
            match=each.match_id,
            recipient=each.recipient_id,
        )
    db.session.flush()
    schedule.monitor_if_done(visit.match, actor)
    return list(remaining)


def photo_of(visit: MonitoringVisit) -> Attachment | None:
    """The visit's photo, if one was taken."""
    return db.session.scalar(
        select(Attachment)
        .where(Attachment.owner_type == ATTACHMENT_OWNER, Attachment.owner_id == visit.id)
        .order_by(Attachment.id.desc())
        .limit(1)
    )


# --- checks --------------------------------------------------------------------------


def _check_report(visit: MonitoringVisit, report: VisitReport) -> None:
    on = report.visited_on
    if on is None:
        raise Refusal(_l("Please give the date of the visit."), field="visited_on")
    if on > local_today():
        raise Refusal(_l("The visit date cannot be in the future."), field="visited_on")
    handed_over_on = visit.handover.handed_over_on
    if on < handed_over_on:
        raise Refusal(
            _l(
                "The visit cannot be before the handover (%(date)s).",
                date=handed_over_on.strftime("%d/%m/%Y"),
            ),
            field="visited_on",
        )
    if report.aid_in_use is None:
        raise Refusal(_l("Say whether the aid is in use."), field="aid_in_use")
    if report.business_running is None:
        raise Refusal(_l("Say whether the business is running."), field="business_running")
    for name in ("income_before", "income_after"):
        value = getattr(report, name)
        if value is not None and value < 0:
            raise Refusal(_l("The income cannot be negative."), field=name)
    if len(report.notes or "") > NOTES_MAX:
        raise Refusal(_l("At most %(count)s characters.", count=NOTES_MAX), field="notes")


def _add_photo(visit: MonitoringVisit, actor: User, checked) -> Attachment:
    if not checked.content_type.startswith("image/"):
        raise Refusal(_l("The photo must be a JPEG or PNG image."), field="photo")
    attachment = checked.without_metadata().stored(ATTACHMENT_OWNER, visit.id, PHOTO_KIND, actor)
    db.session.flush()
    return attachment
