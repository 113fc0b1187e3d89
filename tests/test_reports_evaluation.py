"""The monthly evaluation (issue 12): each figure of May 2025 against a hand-built month
in Tenggarong, the area each role may read, the month's form errors, and the export
through the neutralising writer, audited."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from portal.extensions import db
from portal.handovers import services
from portal.models import AuditEvent
from portal.reports import queries
from portal.reports.periods import Period
from tests import factories
from tests.support.matching import cast_for, offered
from tests.support.registry import aid, person
from tests.support.reports import approve, at, hand_over, visit

TENGGARONG, LOA_KULU = "64.02.06", "64.02.02"
MAY = Period.month(2025, 5)
MAY_ARGS = {"month": "5", "year": "2025"}
FLAG = {
    "category": "Alat usaha",
    "date": "2025-03-01",
    "source": "PKH",
    "programme": "PKH 2025",
    "family": False,
    "who": "",
    "planned": False,
    "same_category": True,
}
REASON = "Usaha berbeda dari bantuan sebelumnya"


def sent(quantity: int, when: datetime, kec: str = TENGGARONG, **kw):
    contribution = offered(quantity=quantity, kec=kec, **kw)
    contribution.submitted_at = when
    return contribution


@pytest.fixture()
def may(db):
    """May 2025 in Tenggarong, and what lies just outside it."""
    kinds = factories.aid_category_ids()
    # Sent in: two in May (WITA), one the evening before, one just after (still May in UTC).
    equipment = sent(10, at(date(2025, 5, 3)), aid_category_id=kinds["EQUIPMENT"])
    sent(4, datetime(2025, 5, 31, 15, 30, tzinfo=UTC), kind="goods")  # 23.30 WITA
    sent(2, datetime(2025, 4, 30, 15, 30, tzinfo=UTC))  # 23.30 WITA, April
    sent(2, datetime(2025, 5, 31, 16, 30, tzinfo=UTC))  # 00.30 WITA, 1 June
    sent(3, at(date(2025, 5, 9)), kec=LOA_KULU)
    # A plan submitted and approved in May, handed over on 20 May with one person absent.
    plan = approve(equipment, 3, submitted=date(2025, 5, 5), approved=date(2025, 5, 8))
    kept = plan.active_members[0]
    kept.flags, kept.flag_reason = [FLAG], REASON
    record = hand_over(plan, date(2025, 5, 20), absent=[1])
    # A plan of April handed over in May and reversed: no handover of May.
    april = sent(5, at(date(2025, 4, 2)), aid_category_id=kinds["EQUIPMENT"])
    mistaken = approve(april, 2, submitted=date(2025, 4, 28), approved=date(2025, 4, 29))
    hand_over(mistaken, date(2025, 5, 12))
    services.reverse(mistaken, cast_for(april).officer, "Tanggal salah")
    # Families: two records in May (registered), two (not registered, KK of Tenggarong),
    # one in May and one in April, and two in May in Loa Kulu.
    twice = person(name="Rina Wati", kk=factories.new_kk(TENGGARONG))
    aid("PKH", date(2025, 5, 2), nik=twice.nik, kk=twice.kk, recipient=twice)
    aid("BPNT", date(2025, 5, 15), nik=twice.nik, kk=twice.kk, recipient=twice, source="BPNT")
    stranger_kk = factories.new_kk(TENGGARONG)
    aid("PKH", date(2025, 5, 2), nik=factories.new_nik(), kk=stranger_kk)
    aid("PKH", date(2025, 5, 3), nik=factories.new_nik(), kk=stranger_kk)
    once = person(name="Sekali Saja", kk=factories.new_kk(TENGGARONG))
    aid("PKH", date(2025, 5, 2), nik=once.nik, kk=once.kk, recipient=once)
    aid("PKH", date(2025, 4, 2), nik=once.nik, kk=once.kk, recipient=once)
    elsewhere = person(LOA_KULU, name="Di Loa Kulu", kk=factories.new_kk(LOA_KULU))
    aid("PKH", date(2025, 5, 2), nik=elsewhere.nik, kk=elsewhere.kk, recipient=elsewhere)
    aid("PKH", date(2025, 5, 4), nik=elsewhere.nik, kk=elsewhere.kk, recipient=elsewhere)
    db.session.commit()
    return {"plan": plan, "record": record, "twice": twice, "stranger_kk": stranger_kk}


def evaluation_of(role_user, kec_code=TENGGARONG, period=MAY):
    kec = factories.kecamatan(kec_code) if kec_code else None
    return queries.evaluation(role_user, kec, period)


def test_the_month_in_figures(may):
    officer = factories.user_for_role("officer")
    report = evaluation_of(officer)
    assert [(r.kind, r.count, r.value) for r in report.contributions] == [
        ("equipment", 1, 15_000_000),
        ("goods", 1, 6_000_000),
    ]
    assert (report.submitted.plans, report.submitted.people) == (1, 3)
    assert report.submitted.value == 4_500_000
    assert (report.approved.plans, report.approved.people) == (1, 3)
    handed = report.handed_over
    assert (handed.handovers, handed.received, handed.absent, handed.value) == (1, 2, 1, 3_000_000)


def test_the_flag_kept_is_listed_with_its_reason(may):
    report = evaluation_of(factories.user_for_role("camat"))
    [flag] = report.flags
    member = may["plan"].active_members[0]
    assert flag.reason == REASON
    assert flag.masked_nik == member.recipient.nik[:6] + "********" + member.recipient.nik[-2:]
    assert "PKH 2025" in flag.flags[0]


def test_households_served_twice_in_the_month(may):
    report = evaluation_of(factories.user_for_role("officer"))
    twice = may["twice"]
    assert [(h.masked_kk, h.records) for h in report.households] == sorted(
        [
            (twice.kk[:6] + "********" + twice.kk[-2:], 2),
            (may["stranger_kk"][:6] + "********" + may["stranger_kk"][-2:], 2),
        ],
        key=lambda row: row[0],
    )
    registered = next(
        h for h in report.households if h.masked_kk.endswith(twice.kk[-2:]) and h.desa
    )
    assert [line.name for line in registered.lines] == ["Rina Wati", "Rina Wati"]
    assert all(twice.nik not in line.masked_nik for line in registered.lines)


def test_the_regency_adds_up_every_kecamatan(may):
    admin = factories.user_for_role("admin")
    report = evaluation_of(admin, None)
    assert report.received == 3
    assert len(report.households) == 3
    loa_kulu = evaluation_of(admin, LOA_KULU)
    assert (loa_kulu.received, len(loa_kulu.households), loa_kulu.handed_over.handovers) == (
        1,
        1,
        0,
    )


def test_monitoring_in_the_month_after(may):
    record, plan = may["record"], may["plan"]
    first, third = plan.active_members[0], plan.active_members[2]
    visit(record, first, 1, use=True, running=False, on=date(2025, 6, 19))
    visit(record, third, 3, status="closed", on=date(2025, 6, 25))
    db.session.commit()
    june = evaluation_of(factories.user_for_role("officer"), period=Period.month(2025, 6))
    assert [(v.months, v.recorded, v.in_use, v.running) for v in june.monitoring.visits] == [
        (1, 1, 1, 0)
    ]
    assert june.monitoring.closed == 1
    assert june.monitoring.due_open == 1  # the third person's visit due on 20 June
    assert june.handed_over.handovers == 0


# --- the page and who may read it ------------------------------------------------------


@pytest.mark.parametrize(
    "role, kec, status",
    [
        ("officer", TENGGARONG, 200),
        ("camat", TENGGARONG, 200),
        ("admin", None, 200),
        ("partner", None, 403),
        ("village", None, 403),
    ],
)
def test_who_may_open_the_evaluation(client, login_as, may, role, kec, status):
    kwargs = {"kecamatan": factories.kecamatan(kec)} if kec else {}
    login_as(role, **kwargs)
    assert client.get("/laporan/evaluasi", query_string=MAY_ARGS).status_code == status


def test_an_anonymous_visitor_is_sent_to_log_in(client, may):
    response = client.get("/laporan/evaluasi")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_an_officer_of_another_kecamatan_sees_only_their_own(client, login_as, may):
    login_as("officer", kecamatan=factories.kecamatan(LOA_KULU))
    page = client.get(
        "/laporan/evaluasi",
        query_string={**MAY_ARGS, "kecamatan": factories.kecamatan(TENGGARONG).id},
    ).get_data(as_text=True)
    assert "Loa Kulu" in page
    assert REASON not in page and "Rina Wati" not in page


def test_the_admin_chooses_a_kecamatan_or_the_regency(client, login_as, may):
    login_as("admin")
    kec = factories.kecamatan(TENGGARONG)
    page = client.get("/laporan/evaluasi", query_string={**MAY_ARGS, "kecamatan": kec.id})
    assert REASON in page.get_data(as_text=True)
    regency = client.get("/laporan/evaluasi", query_string=MAY_ARGS).get_data(as_text=True)
    assert "Di Loa Kulu" in regency and "Rina Wati" in regency


def test_the_page_opens_on_this_month_and_renders_whole_for_htmx(client, login_as, may):
    login_as("officer")
    assert client.get("/laporan/evaluasi").status_code == 200
    fragment = client.get(
        "/laporan/evaluasi", query_string=MAY_ARGS, headers={"HX-Request": "true"}
    )
    text = fragment.get_data(as_text=True)
    assert 'id="evaluation-results"' in text and "<html" not in text
    assert "HX-Request" in fragment.headers["Vary"]


@pytest.mark.parametrize(
    "args, field, message",
    [
        ({"month": "5", "year": "2099"}, "year", "Tulis tahun"),
        ({"month": "13", "year": "2025"}, "month", "Pilih salah satu"),
        ({"month": "5", "year": "dua ribu"}, "year", "Tulis tahun"),
    ],
)
def test_a_bad_month_is_refused_beside_its_field(client, login_as, may, args, field, message):
    login_as("officer")
    response = client.get("/laporan/evaluasi", query_string=args)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f'id="{field}-error"' in page and message in page
    assert args["year"] in page  # what was typed is kept


def test_a_month_yet_to_come_is_refused(client, login_as, db):
    from portal.core.dates import add_months, local_today

    later = add_months(local_today(), 1)
    login_as("officer")
    response = client.get(
        "/laporan/evaluasi", query_string={"month": later.month, "year": later.year}
    )
    if later.year > local_today().year:
        assert response.status_code == 422
    else:
        assert response.status_code == 422 and "bulan yang sudah dimulai" in response.get_data(
            as_text=True
        )


def test_the_print_stylesheet_leaves_the_navigation_out(client, login_as, may):
    login_as("officer")
    page = client.get("/laporan/evaluasi", query_string=MAY_ARGS).get_data(as_text=True)
    assert "data-print" in page
    css = (Path(client.application.static_folder) / "css" / "portal.css").read_text()
    print_rules = css[css.index("@media print {\n  .site-header") :]
    assert ".site-header" in print_rules.split("}")[0]


# --- the export ---------------------------------------------------------------------------


def test_the_export_is_neutralised_and_audited(client, login_as, may):
    record = may["record"]
    member = may["plan"].active_members[0]
    member.flag_reason = '=HYPERLINK("http://x")'
    db.session.commit()
    officer = login_as("officer")
    response = client.post("/laporan/evaluasi/ekspor", data={**MAY_ARGS, "format": "xlsx"})
    assert response.status_code == 200
    assert "evaluasi-640206-2025-05.xlsx" in response.headers["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.data))
    flags = list(book.worksheets[1].values)
    assert flags[1][-1] == '\'=HYPERLINK("http://x")'
    assert book.worksheets[1].cell(2, 8).data_type == "s"
    households = list(book.worksheets[2].values)
    assert len(households) == 1 + 4  # two families, two records each
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "export"))
    assert event.actor_id == officer.id
    assert event.details["list"] == "evaluation"
    assert event.details["filters"]["month"] == "2025-05"
    assert record.id  # the handover stays as it was


def test_the_csv_export_holds_the_same_sections(client, login_as, may):
    login_as("officer")
    response = client.post("/laporan/evaluasi/ekspor", data={**MAY_ARGS, "format": "csv"})
    text = response.data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[4][1:] == ["2", "", "21000000"]  # contributions received: count, value
    assert len([row for row in rows if len(row) == 1]) == 3  # the three sections' titles
    assert any(REASON in cell for row in rows for cell in row)


def test_a_bad_export_format_or_month_is_refused(client, login_as, may):
    login_as("officer")
    assert (
        client.post("/laporan/evaluasi/ekspor", data={**MAY_ARGS, "format": "exe"}).status_code
        == 422
    )
    assert (
        client.post("/laporan/evaluasi/ekspor", data={"month": "13", "year": "2025"}).status_code
        == 422
    )
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "export")) is None


def test_a_partner_cannot_export_the_evaluation(client, login_as, may):
    login_as("partner")
    assert client.post("/laporan/evaluasi/ekspor", data=MAY_ARGS).status_code == 403
