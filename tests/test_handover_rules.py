"""The handover's rules (issue 11): recording it moves the match, writes aid records the
double-aid rule sees, returns absent people's items, schedules the visits and completes
the contribution; a reversal corrects it without editing what was written."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from portal.core import settings
from portal.core.dates import add_months, local_today
from portal.core.refusals import Refusal
from portal.extensions import db
from portal.handovers import services
from portal.matching.transitions import AlreadyDone
from portal.models import AidRecord, AuditEvent, HandoverRecord, MonitoringVisit, Notification
from portal.monitoring import schedule
from portal.registry.double_aid import double_aid_flags
from tests import factories
from tests.support.handover import approved, handed_over
from tests.support.matching import cast_for


def aid_of(match):
    ids = [m.recipient_id for m in match.active_members]
    query = select(AidRecord).where(AidRecord.recipient_id.in_(ids), AidRecord.source == "PORTAL")
    return list(db.session.scalars(query))


def test_recording_hands_the_match_over_and_writes_aid_records(db):
    match = approved(people=3)
    cast = cast_for(match.contribution)
    entry = handed_over(match, cast, place="Balai Desa Loa Ipuh")
    assert match.status == "handed_over"
    assert entry.place == "Balai Desa Loa Ipuh"
    assert [line.received for line in entry.lines] == [True, True, True]
    records = aid_of(match)
    assert len(records) == 3
    assert {r.received_on for r in records} == {local_today()}
    assert all(r.contribution_id == match.contribution_id for r in records)
    assert all(r.value == 1_500_000 for r in records)
    assert db.session.scalar(
        select(func.count(AuditEvent.id)).where(AuditEvent.action == "match_handed_over")
    )
    partner_notes = db.session.scalars(
        select(Notification).where(Notification.user_id == cast.partner.id)
    ).all()
    assert partner_notes


def test_the_double_aid_rule_sees_the_handover(db):
    match = approved(people=1)
    person = match.active_members[0].recipient
    handed_over(match)
    category = match.contribution.aid_category_id
    flags = double_aid_flags(person.nik, person.kk, category, local_today())
    assert [getattr(f.record, "source", "") for f in flags] == ["PORTAL"]
    assert not getattr(flags[0].record, "planned", False)


def test_absent_people_give_their_items_back(db):
    match = approved(people=3, quantity=10, each=2)
    item = match.contribution.items[0]
    assert item.reserved == Decimal(6)
    entry = handed_over(match, absent=[1])
    db.session.refresh(item)
    assert item.reserved == Decimal(4)
    assert [line.received for line in entry.lines] == [True, False, True]
    assert entry.lines[1].absent_reason == "absent"
    assert len(aid_of(match)) == 2


def test_a_proxy_is_named_on_the_line(db):
    match = approved(people=2)
    first = match.active_members[0]
    entry = handed_over(match, proxies={first.id: "Rahmat (suami)"})
    assert entry.lines[0].collected_by == "Rahmat (suami)"
    assert entry.lines[1].collected_by == ""


def test_visits_follow_the_schedule_in_force_at_handover(db):
    settings.put("monitoring_schedule", "2,4", None)
    match = approved(people=2)
    on = local_today() - timedelta(days=3)
    handed_over(match, on=on, absent=[1])
    visits = db.session.scalars(
        select(MonitoringVisit).where(MonitoringVisit.match_id == match.id)
    ).all()
    assert sorted((v.months, v.due_on) for v in visits) == [
        (2, add_months(on, 2)),
        (4, add_months(on, 4)),
    ]
    assert {v.recipient_id for v in visits} == {match.active_members[0].recipient_id}
    settings.put("monitoring_schedule", "1,3,6", None)
    assert len(db.session.scalars(select(MonitoringVisit)).all()) == 2


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"place": "  "}, "place"),
        ({"days": 1}, "handed_over_on"),  # tomorrow
        ({"days": -30}, "handed_over_on"),  # before the approval a week ago
    ],
)
def test_bad_entries_are_refused_beside_their_field(db, change, field):
    """Days are counted when the test runs (not when collected): WITA's midnight may fall
    between the two."""
    change = dict(change)
    if "days" in change:
        change["on"] = local_today() + timedelta(days=change.pop("days"))
    match = approved(people=2)
    with pytest.raises(Refusal) as refused:
        handed_over(match, **change)
    assert refused.value.field == field
    assert match.status == "approved"


def test_everyone_absent_is_refused(db):
    match = approved(people=2)
    with pytest.raises(Refusal):
        handed_over(match, absent=[0, 1])


def test_only_the_kecamatan_officer_records(db):
    match = approved(people=1)
    cast = cast_for(match.contribution)
    other = factories.user_for_role("officer", kecamatan=factories.kecamatan("64.02.07"))
    for actor in (cast.camat, cast.admin, cast.partner, other):
        with pytest.raises(Refusal):
            services.record(match, actor, handed_over_on=local_today(), place="Balai")


def test_recording_twice_is_already_done(db):
    match = approved(people=1)
    handed_over(match)
    with pytest.raises(AlreadyDone):
        handed_over(match)
    assert len(services.history(match)) == 1


def test_a_draft_cannot_be_handed_over(db):
    match = approved(people=1)
    match.status = "submitted"
    with pytest.raises(Refusal):
        handed_over(match)


def test_handing_over_everything_completes_the_contribution(db):
    match = approved(people=2, quantity=2, each=1)
    handed_over(match)
    assert match.contribution.status == "completed"


def test_something_left_keeps_the_contribution_allocating(db):
    match = approved(people=2, quantity=5, each=1)
    handed_over(match)
    assert match.contribution.status == "allocating"


def test_absent_items_leave_the_contribution_open(db):
    match = approved(people=2, quantity=2, each=1)
    handed_over(match, absent=[0])
    assert match.contribution.status == "allocating"


def test_closed_remainder_completes_at_handover(db):
    match = approved(people=2, quantity=5, each=1)
    match.contribution.remaining_closed_at = match.approved_at
    match.contribution.remaining_closed_reason = "Sisa dialihkan"
    handed_over(match)
    assert match.contribution.status == "completed"


def test_a_reversal_names_the_handover_and_undoes_its_effects(db):
    match = approved(people=3, quantity=3, each=1)
    cast = cast_for(match.contribution)
    original = handed_over(match, cast, absent=[2])
    assert match.contribution.status == "allocating"
    reversal = services.reverse(match, cast.officer, "Tanggal salah dicatat")
    db.session.flush()
    assert match.status == "approved"
    assert reversal.kind == "reversal" and reversal.reverses_id == original.id
    assert len(reversal.details["removed_aid_records"]) == 2
    assert aid_of(match) == []
    assert db.session.scalars(select(MonitoringVisit)).all() == []
    item = match.contribution.items[0]
    db.session.refresh(item)
    assert item.reserved == Decimal(3)
    db.session.refresh(original)
    assert original.is_reversed
    assert len(original.lines) == 3  # what was written stays
    assert services.current_handover(match) is None
    again = handed_over(match, cast)
    assert services.current_handover(match).id == again.id
    assert match.contribution.status == "completed"


def test_a_reversal_reopens_a_completed_contribution(db):
    match = approved(people=1, quantity=1, each=1)
    cast = cast_for(match.contribution)
    handed_over(match, cast)
    assert match.contribution.status == "completed"
    services.reverse(match, cast.officer, "Salah penerima")
    assert match.contribution.status == "allocating"


def test_a_reversal_needs_a_reason(db):
    match = approved(people=1)
    cast = cast_for(match.contribution)
    handed_over(match, cast)
    with pytest.raises(Refusal) as refused:
        services.reverse(match, cast.officer, "  ")
    assert refused.value.field == "reason"


def test_a_reversal_is_refused_once_visits_were_recorded(db):
    match = approved(people=1)
    cast = cast_for(match.contribution)
    entry = handed_over(match, cast)
    visit = db.session.scalars(
        select(MonitoringVisit).where(MonitoringVisit.handover_id == entry.id)
    ).first()
    visit.status = "recorded"
    db.session.flush()
    with pytest.raises(Refusal):
        services.reverse(match, cast.officer, "Salah")
    assert match.status == "handed_over"


def test_the_match_is_monitored_when_no_visit_is_due(db):
    match = approved(people=1)
    cast = cast_for(match.contribution)
    entry = handed_over(match, cast)
    visits = db.session.scalars(
        select(MonitoringVisit).where(MonitoringVisit.handover_id == entry.id)
    ).all()
    assert not schedule.monitor_if_done(match, cast.officer)
    for visit in visits:
        visit.status = "recorded"
    visits[-1].status = "closed"
    visits[-1].close_reason = "moved"
    db.session.flush()
    assert schedule.monitor_if_done(match, cast.officer)
    assert match.status == "monitored"


def test_handover_records_are_kept_in_the_database(db):
    match = approved(people=1)
    handed_over(match)
    assert db.session.scalar(select(func.count(HandoverRecord.id))) == 1
