"""The partner's CSR impact report (issue 12): every figure against a hand-built year of
one company's handovers and visits, the PDF's text (pypdf) with nothing personal in it
and only shareable photos, the same figures as XLSX, who may read it, and the period's
form errors."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from portal.core.codes import set_codes
from portal.extensions import db
from portal.handovers import services
from portal.models import Desa
from portal.reports.impact import render_pdf
from portal.reports.impact_data import impact
from portal.reports.periods import Period
from tests import factories
from tests.support.matching import cast_for, offered
from tests.support.reports import approve, hand_over, letter, photo, visit

YEAR = Period(date(2025, 1, 1), date(2025, 12, 31))
YEAR_ARGS = {"start": "01/01/2025", "end": "31/12/2025"}
ADDRESS = "Jl. Rahasia Pribadi No. 7"
SHARED, PRIVATE = "Serah terima oven di Loa Ipuh", "Wajah penerima dari dekat"


def _people(match, desa, settings):
    """Give each active member of ``match`` the (sex, source, kk, groups) in ``settings``."""
    for member, (sex, source, kk, groups) in zip(match.active_members, settings, strict=True):
        person = member.recipient
        person.sex, person.source, person.kk, person.desa_id = sex, source, kk, desa.id
        person.address = ADDRESS
        set_codes(person, groups, ())
    db.session.flush()


@pytest.fixture()
def year(db):
    kinds = factories.aid_category_ids()
    company = factories.CompanyFactory(name="PT Mahakam Lestari")
    oven = offered(
        10, company=company, title="Oven untuk usaha kue", aid_category_id=kinds["EQUIPMENT"]
    )
    desas = list(
        db.session.scalars(
            db.select(Desa)
            .where(Desa.kecamatan_id == oven.kecamatan_id)
            .order_by(Desa.code)
            .limit(2)
        )
    )
    family = factories.new_kk()
    first = approve(oven, 3, submitted=date(2025, 5, 5), approved=date(2025, 5, 8))
    _people(
        first,
        desas[0],
        [
            ("P", "DTKS", family, ("wrse",)),
            ("L", "MANUAL", None, ()),
            ("L", "PKH", family, ("elderly", "disability")),
        ],
    )
    may = hand_over(first, date(2025, 5, 20), absent=[1])
    second = approve(oven, 2, each=2, submitted=date(2025, 6, 20), approved=date(2025, 6, 25))
    _people(
        second, desas[1], [("P", "MANUAL", None, ()), ("P", "PUSKESOS", factories.new_kk(), ())]
    )
    july = hand_over(second, date(2025, 7, 1))
    # Outside the report: a reversed handover, one of 2024, another company's.
    other = offered(5, company=company, aid_category_id=kinds["EQUIPMENT"])
    reversed_plan = approve(other, 2, submitted=date(2025, 3, 1), approved=date(2025, 3, 2))
    hand_over(reversed_plan, date(2025, 3, 5))
    services.reverse(reversed_plan, cast_for(other).officer, "Salah catat")
    old = approve(other, 1, submitted=date(2024, 12, 1), approved=date(2024, 12, 2))
    hand_over(old, date(2024, 12, 31))
    stranger = offered(5, aid_category_id=kinds["EQUIPMENT"])
    hand_over(
        approve(stranger, 2, submitted=date(2025, 5, 1), approved=date(2025, 5, 2)),
        date(2025, 5, 3),
    )
    # Visits: the first plan's two people, the second plan's two at one month.
    one, three = first.active_members[0], first.active_members[2]
    visit(may, one, 1, use=True, running=True)
    visit(may, one, 3, use=True, running=False)
    visit(may, three, 1, use=False, running=False)
    visit(may, three, 3, status="closed")
    visit(may, three, 6, status="closed")
    for member in second.active_members:
        visit(july, member, 1, use=True, running=True)
    photo(may, shareable=True, caption=SHARED)
    photo(may, shareable=False, caption=PRIVATE)
    letter(first, "400.9/001/CSR-640206/V/2025", "KODEUJI1")
    letter(second, "400.9/002/CSR-640206/VI/2025", "KODEUJI2")
    letter(second, "400.9/000/CSR-640206/VI/2025", "KODELAMA", status="replaced")
    db.session.commit()
    people = [m.recipient for m in (*first.members, *second.members)]
    return {"company": company, "desas": desas, "people": people, "oven": oven}


def report_of(year, user=None):
    user = user or factories.user_for_role("partner", company=year["company"])
    return impact(user, year["company"], YEAR)


def test_reach_by_desa_and_households(year):
    r = report_of(year)
    assert (r.people, r.households, r.women) == (4, 3, 3)
    first, second = (d.name for d in year["desas"])
    kec = factories.kecamatan().name
    assert [(a.kecamatan, a.desa, a.people, a.households) for a in r.areas] == sorted(
        [(kec, first, 2, 1), (kec, second, 2, 2)]
    )


def test_sources_and_target_groups(year):
    r = report_of(year)
    assert {s.code: s.count for s in r.sources} == {"DTKS": 1, "PKH": 1, "MANUAL": 1, "PUSKESOS": 1}
    assert r.from_lists == 2 and r.share(r.from_lists) == 50
    assert (r.group("wrse"), r.group("elderly"), r.group("disability"), r.group("kube")) == (
        1,
        1,
        1,
        0,
    )


def test_value_kind_and_delivery(year):
    [given] = report_of(year).given
    assert (given.title, given.kind, given.handovers, given.people) == (
        "Oven untuk usaha kue",
        "equipment",
        2,
        4,
    )
    assert (given.offered_value, given.value) == (15_000_000, 9_000_000)
    assert (given.first_day, given.last_day) == (date(2025, 5, 20), date(2025, 7, 1))
    [item] = given.items
    assert (item.offered, item.handed_over, item.value) == (10, 6, 9_000_000)


def test_use_after_one_three_and_six_months(year):
    r = report_of(year)
    rows = [
        (u.months, u.scheduled, u.recorded, u.in_use, u.running, u.closed, u.overdue) for u in r.use
    ]
    assert rows == [(1, 4, 4, 3, 3, 0, 0), (3, 4, 1, 1, 0, 1, 2), (6, 4, 0, 0, 0, 1, 3)]
    assert (r.running_now, r.visited) == (2, 4)


def test_only_shareable_photos_and_valid_letters(year):
    r = report_of(year)
    assert [p.caption for p in r.photos] == [SHARED]
    assert [(x.number, x.code) for x in r.letters] == [
        ("400.9/001/CSR-640206/V/2025", "KODEUJI1"),
        ("400.9/002/CSR-640206/VI/2025", "KODEUJI2"),
    ]
    assert r.letters[0].url.endswith("/verifikasi/KODEUJI1")


def pdf_text(data: bytes) -> tuple[str, int]:
    reader = PdfReader(io.BytesIO(data))
    text = "\n".join(page.extract_text() for page in reader.pages)
    # Pages share one resource dictionary: count each image once.
    images = len({image.name for page in reader.pages for image in page.images})
    return text, images


def test_the_pdf_says_it_and_nothing_personal(year):
    data = render_pdf(report_of(year))
    assert data.startswith(b"%PDF")
    text, images = pdf_text(data)
    flat = " ".join(text.split())
    assert "PT Mahakam Lestari" in flat and "Oven untuk usaha kue" in flat
    assert "KODEUJI1" in flat and "400.9/002/CSR-640206/VI/2025" in flat and "KODELAMA" not in flat
    assert SHARED in flat and PRIVATE not in flat
    assert images == 1
    assert "Rp 9.000.000" in flat
    for person in year["people"]:
        assert person.nik not in flat.replace(" ", "")
        if person.kk:
            assert person.kk not in flat.replace(" ", "")
        assert person.birth_date.strftime("%d/%m/%Y") not in flat
        assert person.birth_date.isoformat() not in flat
        assert "14 Mei 1980" not in flat
    assert ADDRESS not in flat


def test_the_xlsx_holds_the_same_figures(client, login_as, year):
    login_as("partner", company=year["company"])
    response = client.get("/laporan/dampak/unduh", query_string={**YEAR_ARGS, "format": "xlsx"})
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data))
    summary = dict(list(book.worksheets[0].values)[1:])
    values = list(summary.values())
    assert values[3:8] == [4, 3, 3, 2, 9_000_000]  # people, households, women, lists, Rp
    reach = list(book.worksheets[1].values)[1:]
    assert sorted(row[2:] for row in reach) == [(2, 1), (2, 2)]
    use = list(book.worksheets[5].values)[1:]
    assert use[0] == (1, 4, 4, 3, 3, 0, 0)
    everything = " ".join(str(c) for sheet in book.worksheets for row in sheet.values for c in row)
    for person in year["people"]:
        assert person.nik not in everything and person.name not in everything
    assert ADDRESS not in everything


def test_the_partner_downloads_the_pdf(client, login_as, year):
    login_as("partner", company=year["company"])
    response = client.get("/laporan/dampak/unduh", query_string={**YEAR_ARGS, "format": "pdf"})
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert "dampak-csr-2025-01-01_2025-12-31.pdf" in response.headers["Content-Disposition"]
    assert "KODEUJI2" in pdf_text(response.data)[0]


# --- who may read it, and the period's errors --------------------------------------------


@pytest.mark.parametrize("role, status", [("officer", 403), ("camat", 403), ("village", 403)])
def test_kecamatan_and_village_staff_do_not_read_impact_reports(
    client, login_as, year, role, status
):
    login_as(role)
    assert client.get("/laporan/dampak").status_code == status
    assert client.get("/laporan/dampak/unduh", query_string=YEAR_ARGS).status_code == status


def test_an_anonymous_visitor_is_sent_to_log_in(client, year):
    response = client.get("/laporan/dampak/unduh", query_string=YEAR_ARGS)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_partner_of_another_company_gets_their_own(client, login_as, year):
    login_as("partner")
    response = client.get(
        "/laporan/dampak/unduh",
        query_string={**YEAR_ARGS, "format": "pdf", "company": year["company"].id},
    )
    text = pdf_text(response.data)[0]
    assert "PT Mahakam Lestari" not in text and "KODEUJI1" not in text


def test_the_admin_reads_any_company_and_must_choose_one(client, login_as, year):
    login_as("admin")
    page = client.get("/laporan/dampak").get_data(as_text=True)
    assert "PT Mahakam Lestari" in page  # among the companies offered
    missing = client.get("/laporan/dampak/unduh", query_string={**YEAR_ARGS, "format": "pdf"})
    assert missing.status_code == 422 and 'id="company-error"' in missing.get_data(as_text=True)
    response = client.get(
        "/laporan/dampak/unduh",
        query_string={**YEAR_ARGS, "format": "pdf", "company": year["company"].id},
    )
    assert "KODEUJI1" in pdf_text(response.data)[0]


@pytest.mark.parametrize(
    "args, field",
    [
        ({"start": "01/06/2025", "end": "31/05/2025"}, "end"),
        ({"start": "01/01/2023", "end": "01/01/2025"}, "end"),
        ({"start": "31/02/2025", "end": "31/05/2025"}, "start"),
        ({"start": "", "end": "31/05/2025"}, "start"),
    ],
)
def test_a_bad_period_is_refused_beside_its_field(client, login_as, year, args, field):
    login_as("partner", company=year["company"])
    response = client.get("/laporan/dampak/unduh", query_string={**args, "format": "pdf"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f'id="{field}-error"' in page
    assert args["end"] in page  # what was typed is kept


def test_the_partner_home_links_the_report(client, login_as, year):
    login_as("partner", company=year["company"])
    assert "/laporan/dampak" in client.get("/").get_data(as_text=True)


def test_photos_are_downscaled_without_their_metadata():
    from PIL import Image

    from portal.reports.evidence import PHOTO_PX, downscaled

    exif = Image.Exif()
    exif[0x010F] = "Kamera HP"  # Make
    camera = io.BytesIO()
    Image.new("RGB", (2048, 1536), (90, 120, 60)).save(camera, format="JPEG", exif=exif)
    small = Image.open(io.BytesIO(downscaled(camera.getvalue())))
    assert small.format == "JPEG" and max(small.size) == PHOTO_PX
    assert small.size == (PHOTO_PX, PHOTO_PX * 3 // 4)
    assert not small.getexif() and "exif" not in small.info
