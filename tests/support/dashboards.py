"""A hand-made world for the dashboards' tests: two companies' handovers in two
kecamatan, one reversed, the visits of each set by hand, a plan waiting, flags kept.

The figures it should give are spelled out in ``EXPECTED`` (computed by hand from what
is made here, not by the code under test)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select

from portal.core.codes import set_codes
from portal.core.dates import local_today, utcnow
from portal.extensions import db
from portal.handovers import services
from portal.models import Company, MonitoringVisit, User
from tests import factories
from tests.support.handover import approved, handed_over
from tests.support.matching import cast_for, offered, planned

TENGGARONG, KEMBANG_JANGGUT = "64.02.06", "64.02.10"
FAR = 100  # days ahead: neither overdue nor due soon


@dataclass
class World:
    company: Company
    partner: User
    officer: User
    camat: User
    admin: User
    other_partner: User
    other_officer: User


def _visits(entry) -> list[MonitoringVisit]:
    query = select(MonitoringVisit).where(MonitoringVisit.handover_id == entry.id)
    return list(
        db.session.scalars(query.order_by(MonitoringVisit.member_id, MonitoringVisit.months))
    )


def _far(visits) -> None:
    for visit in visits:
        visit.due_on = local_today() + timedelta(days=FAR)


def _record(visit, in_use: bool, running: bool) -> None:
    visit.status, visit.visited_on = "recorded", visit.due_on
    visit.aid_in_use, visit.business_running = in_use, running


def make_world() -> World:
    today = local_today()
    company = factories.CompanyFactory(name="PT Sumber Uji")
    # A: Tenggarong, 3 people, one absent: 2 served (Rp 1.500.000 each), today.
    a = approved(people=3, company=company)
    cast = cast_for(a.contribution)
    for member, groups in zip(a.active_members, (["wrse", "elderly"], ["wrse"], []), strict=True):
        set_codes(member.recipient, groups, [])
    a_entry = handed_over(a, cast, absent=(2,))
    # B: Kembang Janggut, same company, 2 served, today.
    b = approved(people=2, company=company, kec=KEMBANG_JANGGUT)
    b_cast = cast_for(b.contribution)
    b_entry = handed_over(b, b_cast)
    # C: Tenggarong, another company, 1 served, last month.
    c = approved(people=1)
    c.approved_at = utcnow() - timedelta(days=70)
    c_entry = handed_over(c, cast, on=today.replace(day=1) - timedelta(days=1))
    # D: Tenggarong, this company, handed over and reversed: counts nowhere.
    d = approved(people=2, company=company)
    handed_over(d, cast)
    services.reverse(d, cast.officer, "Salah catat tanggal")
    # Visits, by hand.
    _far(_visits(a_entry) + _visits(b_entry) + _visits(c_entry))
    served_visits = _visits(a_entry)
    first, second = served_visits[:3], served_visits[3:]  # each: 1, 3, 6 months
    _record(first[0], True, True)
    _record(first[1], True, False)
    _record(second[0], True, False)
    _record(second[1], False, False)
    c1, c3, _ = _visits(c_entry)
    c1.due_on = today + timedelta(days=10)  # due soon
    c3.due_on = today - timedelta(days=5)  # overdue
    b_visits = _visits(b_entry)
    b_visits[0].due_on = today - timedelta(days=3)  # overdue, in Kembang Janggut
    # A plan waiting for the camat in Tenggarong, with one flag kept with a reason.
    waiting = planned(offered(quantity=5), people=2, status="submitted")
    waiting.submitted_at = utcnow()
    waiting.members[0].flags = [{"category": "EQUIPMENT", "date": "2026-01-05", "source": "PKH"}]
    waiting.members[0].flag_reason = "Usaha berbeda, alat rusak"
    waiting.members[1].flags = [{"category": "EQUIPMENT", "date": "2026-02-05", "source": "PKH"}]
    waiting.members[1].flag_reason = ""  # not kept with a reason (yet)
    # A kept flag in Kembang Janggut: not Tenggarong's.
    elsewhere = planned(offered(quantity=5, kec=KEMBANG_JANGGUT), people=1)
    elsewhere.members[0].flags = [{"category": "FOOD", "date": "2026-03-01", "source": "BPNT"}]
    elsewhere.members[0].flag_reason = "Disetujui Dinsos"
    db.session.commit()
    return World(
        company=company,
        partner=cast.partner,
        officer=cast.officer,
        camat=cast.camat,
        admin=cast.admin,
        other_partner=factories.user_for_role("partner"),
        other_officer=b_cast.officer,
    )


# What the world gives, counted by hand.
EXPECTED = {
    "partner_reached": (4, 6_000_000),  # A: 2, B: 2 (D reversed)
    "partner_by_kecamatan": {TENGGARONG: 2, KEMBANG_JANGGUT: 2},
    "partner_by_group": {"wrse": 2, "elderly": 1},
    # months: (recorded, in use, running)
    "partner_visits": {1: (2, 2, 1), 3: (2, 1, 0)},
    "officer_reached": 3,  # A: 2, C: 1
    "officer_visits_open": (1, 1),  # overdue C3; due soon C1 (B's overdue is Kembang Janggut's)
    "officer_handovers_this_month": 1,  # A (C last month, D reversed)
    "officer_waiting": 1,
    "officer_kept_flags": 1,
}
