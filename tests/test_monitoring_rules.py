"""Monitoring visits (issue 12): the schedule and overdue logic against hand-computed
dates, recording a visit and its refusals, closing a recipient's remaining visits, and
the match becoming monitored once nothing is due."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from portal.core.dates import local_today
from portal.core.refusals import Refusal
from portal.extensions import db
from portal.matching.transitions import AlreadyDone
from portal.models import AuditEvent, MonitoringVisit
from portal.monitoring import queries, schedule, services
from portal.monitoring.queries import VisitFilters
from portal.monitoring.services import VisitReport
from tests import factories
from tests.support.monitoring import handed, visits_of


def report(on=None, **kwargs) -> VisitReport:
    values = {"aid_in_use": True, "business_running": True} | kwargs
    return VisitReport(visited_on=on or local_today(), **values)


# --- the schedule ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("handed_over_on", "expected"),
    [
        (
            date(2025, 5, 14),
            [(1, date(2025, 6, 14)), (3, date(2025, 8, 14)), (6, date(2025, 11, 14))],
        ),
        # The last day of a month is clamped to the shorter months' last day.
        (
            date(2025, 1, 31),
            [(1, date(2025, 2, 28)), (3, date(2025, 4, 30)), (6, date(2025, 7, 31))],
        ),
        (
            date(2023, 8, 31),
            [(1, date(2023, 9, 30)), (3, date(2023, 11, 30)), (6, date(2024, 2, 29))],
        ),
        # Across the year's end.
        (date(2025, 11, 3), [(1, date(2025, 12, 3)), (3, date(2026, 2, 3)), (6, date(2026, 5, 3))]),
    ],
)
def test_due_dates_follow_the_default_schedule(ctx, handed_over_on, expected):
    assert schedule.due_dates(handed_over_on) == expected


def test_due_dates_of_another_schedule_are_sorted_once_each(ctx):
    assert schedule.due_dates(date(2025, 3, 10), [12, 2, 2]) == [
        (2, date(2025, 5, 10)),
        (12, date(2026, 3, 10)),
    ]


def test_a_visit_is_overdue_only_after_its_due_date(ctx):
    visit = MonitoringVisit(status="due", due_on=date(2025, 6, 14))
    assert not schedule.is_overdue(visit, date(2025, 6, 13))
    assert not schedule.is_overdue(visit, date(2025, 6, 14))
    assert schedule.is_overdue(visit, date(2025, 6, 15))
    assert queries.shown_state(visit, date(2025, 6, 14)) == "due"
    assert queries.shown_state(visit, date(2025, 6, 15)) == "overdue"
    visit.status = "recorded"
    assert not schedule.is_overdue(visit, date(2026, 1, 1))
    assert queries.shown_state(visit, date(2026, 1, 1)) == "recorded"


def test_each_person_who_received_gets_three_visits_from_the_handover_date(ctx):
    match, cast, entry = handed(people=2, days_ago=40)
    on = entry.handed_over_on
    visits = visits_of(match)
    assert [(v.months, v.due_on) for v in visits] == [
        (m, d) for _ in range(2) for m, d in schedule.due_dates(on, [1, 3, 6])
    ]
    assert {v.kecamatan_id for v in visits} == {match.kecamatan_id}


def test_counts_and_list_split_due_and_overdue_at_the_given_day(ctx):
    match, cast, entry = handed(people=2, days_ago=100)
    on = entry.handed_over_on
    visits = visits_of(match)
    services.record_visit(visits[0], cast.officer, report(on + timedelta(days=30)))
    services.close_schedule(visits[3], cast.officer, "moved")  # the second person's three
    db.session.flush()
    # Hand-computed: on the day the 3-month visit falls due it is still "due".
    day = schedule.due_dates(on, [3])[0][1]
    f = VisitFilters()
    assert queries.state_counts(cast.officer, f, day) == {"recorded": 1, "closed": 3, "due": 2}
    after = day + timedelta(days=1)
    assert queries.state_counts(cast.officer, f, after) == {
        "recorded": 1,
        "closed": 3,
        "overdue": 1,
        "due": 1,
    }
    overdue = db.session.scalars(
        queries.list_query(cast.officer, VisitFilters(state="overdue"), after)
    ).all()
    assert [(v.member_id, v.months) for v in overdue] == [(visits[1].member_id, 3)]


# --- recording -------------------------------------------------------------------------


def test_recording_a_visit_keeps_what_was_found_and_audits_it(ctx):
    match, cast, entry = handed(people=1, days_ago=35)
    visit = visits_of(match)[0]
    services.record_visit(
        visit,
        cast.officer,
        report(
            local_today(),
            business_running=False,
            income_before=1_500_000,
            income_after=0,
            notes=" Warung tutup ",
        ),
    )
    assert visit.status == "recorded"
    assert (visit.aid_in_use, visit.business_running) == (True, False)
    assert (visit.income_before, visit.income_after) == (1_500_000, 0)
    assert visit.notes == "Warung tutup"
    assert visit.recorded_by_id == cast.officer.id
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "visit_recorded"))
    assert (event.object_id, event.from_state, event.to_state) == (visit.id, "due", "recorded")
    assert "Warung" not in str(event.details)


def test_recording_twice_is_refused_as_already_done(ctx):
    match, cast, entry = handed(people=1, days_ago=35)
    visit = visits_of(match)[0]
    services.record_visit(visit, cast.officer, report())
    with pytest.raises(AlreadyDone):
        services.record_visit(visit, cast.officer, report())


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"on": "tomorrow"}, "visited_on"),
        ({"on": "before"}, "visited_on"),
        ({"aid_in_use": None}, "aid_in_use"),
        ({"business_running": None}, "business_running"),
        ({"income_before": -1}, "income_before"),
        ({"income_after": -5}, "income_after"),
        ({"notes": "x" * 2001}, "notes"),
    ],
)
def test_a_bad_report_is_refused_beside_its_field(ctx, change, field):
    match, cast, entry = handed(people=1, days_ago=5)
    visit = visits_of(match)[0]
    on = {
        "tomorrow": local_today() + timedelta(days=1),
        "before": entry.handed_over_on - timedelta(days=1),
    }
    change = dict(change)
    if "on" in change:
        change["on"] = on[change["on"]]
    with pytest.raises(Refusal) as refused:
        services.record_visit(visit, cast.officer, report(**change))
    assert refused.value.field == field
    assert visit.status == "due"


def test_a_visit_on_the_handover_day_is_accepted(ctx):
    match, cast, entry = handed(people=1, days_ago=5)
    visit = visits_of(match)[0]
    services.record_visit(visit, cast.officer, report(entry.handed_over_on))
    assert visit.visited_on == entry.handed_over_on


def test_only_the_kecamatan_officer_records(ctx):
    match, cast, entry = handed(people=1, days_ago=5)
    visit = visits_of(match)[0]
    other = factories.user_for_role("officer", kecamatan=factories.kecamatan("64.02.10"))
    for user in (cast.camat, cast.admin, cast.partner, other):
        with pytest.raises(Refusal):
            services.record_visit(visit, user, report())
    assert visit.status == "due"


# --- closing and monitored -------------------------------------------------------------


def test_closing_ends_only_that_persons_due_visits_with_the_reason(ctx):
    match, cast, entry = handed(people=2, days_ago=40)
    visits = visits_of(match)
    services.record_visit(visits[0], cast.officer, report())
    closed = services.close_schedule(visits[1], cast.officer, "deceased")
    assert [v.months for v in closed] == [3, 6]
    assert [v.status for v in visits] == ["recorded", "closed", "closed", "due", "due", "due"]
    assert visits[2].close_reason == "deceased"
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "visit_closed")).all()
    assert sorted(e.object_id for e in events) == sorted(v.id for v in closed)
    assert match.status == "handed_over"


@pytest.mark.parametrize(
    ("reason", "note", "field"),
    [("", "", "reason"), ("gone", "", "reason"), ("other", " ", "note")],
)
def test_closing_needs_a_reason(ctx, reason, note, field):
    match, cast, entry = handed(people=1, days_ago=5)
    visit = visits_of(match)[0]
    with pytest.raises(Refusal) as refused:
        services.close_schedule(visit, cast.officer, reason, note)
    assert refused.value.field == field
    assert visit.status == "due"


def test_the_match_is_monitored_once_nothing_is_due(ctx):
    match, cast, entry = handed(people=2, days_ago=200)
    visits = visits_of(match)
    for visit in visits[:3]:
        services.record_visit(visit, cast.officer, report())
        assert match.status == "handed_over"
    services.close_schedule(visits[3], cast.officer, "moved")
    assert match.status == "monitored"
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "match_monitored"))
