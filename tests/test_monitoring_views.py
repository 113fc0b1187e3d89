"""The monitoring pages (issue 12): who may list, open and record visits; every refusal
of the visit form beside its field, in Indonesian, with what was typed kept; the counts
shown equal the rows listed; the sections on the recipient's and the match's pages; the
visits export with the filters on screen."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

import pytest
from PIL import Image
from sqlalchemy import select
from werkzeug.test import EnvironBuilder

from portal.contributions.uploads import MAX_BYTES
from portal.core.dates import local_today
from portal.extensions import db
from portal.models import Attachment, AuditEvent, MonitoringVisit
from tests import factories
from tests.support.monitoring import handed, visits_of
from tests.support.pages import field_error, shown


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), (20, 120, 30)).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture()
def setting(db):
    """A match of two people handed over 100 days ago: each has a recorded-able 1-month
    visit (overdue), a 3-month visit overdue and a 6-month visit due later."""
    match, cast, entry = handed(people=2, days_ago=100)
    db.session.commit()
    return match, cast, entry


def today_text(days: int = 0) -> str:
    return (local_today() + timedelta(days=days)).strftime("%d/%m/%Y")


def valid_form(**changes) -> dict:
    return {
        "visited_on": today_text(),
        "aid_in_use": "yes",
        "business_running": "no",
        "income_before": "1.500.000",
        "income_after": "0",
        "notes": "Warung tutup sejak Juli",
    } | changes


# --- access ----------------------------------------------------------------------------


def _people(cast):
    other = factories.kecamatan("64.02.10")
    return {
        "officer": cast.officer,
        "camat": cast.camat,
        "admin": cast.admin,
        "partner": cast.partner,
        "other partner": factories.user_for_role("partner"),
        "other officer": factories.user_for_role("officer", kecamatan=other),
        "other camat": factories.user_for_role("camat", kecamatan=other),
        "village": factories.user_for_role("village"),
    }


LIST = {
    "officer": 200,
    "camat": 200,
    "admin": 200,
    "partner": 403,
    "other partner": 403,
    "other officer": 200,
    "other camat": 200,
    "village": 403,
}
SHOW = LIST | {"other officer": 404, "other camat": 404}
RECORD = {
    "officer": 302,
    "camat": 403,
    "admin": 403,
    "partner": 403,
    "other partner": 403,
    "other officer": 404,
    "other camat": 403,
    "village": 403,
}


@pytest.mark.parametrize("who", list(LIST))
def test_access_matrix(client, auth, setting, who):
    match, cast, entry = setting
    user = _people(cast)[who]
    db.session.commit()
    visit = visits_of(match)[0]
    auth.login(user)
    listed = client.get("/pemantauan/")
    assert listed.status_code == LIST[who]
    if listed.status_code == 200:
        assert (f"/pemantauan/{visit.id}" in listed.text) == (SHOW[who] == 200)
    assert client.get(f"/pemantauan/{visit.id}").status_code == SHOW[who]
    recorded = client.post(f"/pemantauan/{visit.id}/record", data=valid_form())
    assert recorded.status_code == RECORD[who]
    closed = client.post(f"/pemantauan/{visit.id}/close", data={"reason": "moved"})
    assert closed.status_code == RECORD[who]
    db.session.expire_all()
    assert (db.session.get(MonitoringVisit, visit.id).status == "due") == (who != "officer")


def test_anonymous_users_are_sent_to_login(client, setting):
    match, cast, entry = setting
    visit = visits_of(match)[0]
    for path in ("/pemantauan/", f"/pemantauan/{visit.id}", f"/pemantauan/{visit.id}/foto"):
        assert "/login" in client.get(path).headers["Location"]
    response = client.post(f"/pemantauan/{visit.id}/record", data=valid_form())
    assert "/login" in response.headers["Location"]
    assert visits_of(match)[0].status == "due"


def test_the_navigation_offers_monitoring_to_staff_only(client, auth, setting):
    match, cast, entry = setting
    for user, offered in (
        (cast.officer, True),
        (cast.camat, True),
        (cast.admin, True),
        (cast.partner, False),
    ):
        auth.login(user)
        assert ('href="/pemantauan/"' in client.get("/").text) == offered
        auth.logout()


def test_the_camat_reads_but_gets_no_form(client, auth, setting):
    match, cast, entry = setting
    auth.login(cast.camat)
    page = client.get(f"/pemantauan/{visits_of(match)[0].id}").text
    assert "/record" not in page and "/close" not in page


# --- recording through the page ----------------------------------------------------------


@pytest.mark.parametrize("amount", ["1.500.000", "1500000", "Rp 1.500.000"])
def test_the_officer_records_a_visit_with_income_written_either_way(client, auth, setting, amount):
    match, cast, entry = setting
    visit = visits_of(match)[0]
    auth.login(cast.officer)
    response = client.post(f"/pemantauan/{visit.id}/record", data=valid_form(income_before=amount))
    assert response.headers["Location"].endswith(f"/pemantauan/{visit.id}")
    db.session.expire_all()
    visit = db.session.get(MonitoringVisit, visit.id)
    assert (visit.status, visit.income_before, visit.income_after) == ("recorded", 1_500_000, 0)
    assert (visit.aid_in_use, visit.business_running) == (True, False)
    page = client.get(f"/pemantauan/{visit.id}").text
    assert "Rp 1.500.000" in page and "/record" not in page


def test_a_photo_is_kept_and_served_to_staff(client, auth, setting):
    match, cast, entry = setting
    visit = visits_of(match)[0]
    auth.login(cast.officer)
    data = valid_form(photo=(io.BytesIO(png()), "foto kunjungan.png"))
    response = client.post(
        f"/pemantauan/{visit.id}/record", data=data, content_type="multipart/form-data"
    )
    assert response.status_code == 302
    stored = db.session.scalar(
        select(Attachment).where(Attachment.owner_type == "monitoring_visit")
    )
    assert (stored.owner_id, stored.content_type) == (visit.id, "image/png")
    served = client.get(f"/pemantauan/{visit.id}/foto")
    assert served.status_code == 200 and served.data == png()
    auth.logout()
    other = factories.user_for_role("officer", kecamatan=factories.kecamatan("64.02.10"))
    db.session.commit()
    auth.login(other)
    assert client.get(f"/pemantauan/{visit.id}/foto").status_code == 404


def test_recording_twice_is_refused_politely(client, auth, setting):
    match, cast, entry = setting
    visit = visits_of(match)[0]
    auth.login(cast.officer)
    client.post(f"/pemantauan/{visit.id}/record", data=valid_form())
    again = client.post(
        f"/pemantauan/{visit.id}/record", data=valid_form(notes="kedua"), follow_redirects=True
    )
    assert again.status_code == 200
    assert shown(client.application, "This visit has already been recorded.") in again.text
    db.session.expire_all()
    assert db.session.get(MonitoringVisit, visit.id).notes == "Warung tutup sejak Juli"
    assert (
        len(
            db.session.scalars(
                select(AuditEvent).where(AuditEvent.action == "visit_recorded")
            ).all()
        )
        == 1
    )


FORM_ERRORS = [
    ({"visited_on": ""}, "visited_on", "Please give the date of the visit."),
    (
        {"visited_on": "31/02/2025"},
        "visited_on",
        "Write the date as dd/mm/yyyy, for example 14/05/2025.",
    ),
    (
        {"visited_on": "kemarin"},
        "visited_on",
        "Write the date as dd/mm/yyyy, for example 14/05/2025.",
    ),
    ({"visited_on": today_text(1)}, "visited_on", "The visit date cannot be in the future."),
    ({"aid_in_use": ""}, "aid_in_use", "Choose yes or no."),
    ({"aid_in_use": "mungkin"}, "aid_in_use", "Choose one of the options offered."),
    ({"business_running": ""}, "business_running", "Choose yes or no."),
    ({"income_before": "-500.000"}, "income_before", "The income cannot be negative."),
    (
        {"income_before": "satu juta"},
        "income_before",
        "Write whole Rupiah, for example 1.500.000 or 1500000.",
    ),
    (
        {"income_after": "1,5 juta"},
        "income_after",
        "Write whole Rupiah, for example 1.500.000 or 1500000.",
    ),
    (
        {"income_after": "1.50.000"},
        "income_after",
        "Write whole Rupiah, for example 1.500.000 or 1500000.",
    ),
    (
        {"income_after": "9" * 14},
        "income_after",
        "Write whole Rupiah, for example 1.500.000 or 1500000.",
    ),
    ({"notes": "x" * 2001}, "notes", "At most %(max)d characters."),
]


@pytest.mark.parametrize(("changes", "field", "message"), FORM_ERRORS)
def test_every_form_error_is_shown_beside_its_field_and_keeps_the_entry(
    client, auth, setting, changes, field, message
):
    match, cast, entry = setting
    visit = visits_of(match)[0]
    auth.login(cast.officer)
    response = client.post(f"/pemantauan/{visit.id}/record", data=valid_form(**changes))
    assert response.status_code == 422
    params = {"max": 2000} if "%(max)d" in message else {}
    assert field_error(response.text, field) == shown(client.application, message, **params)
    if field != "notes":
        assert "Warung tutup sejak Juli</textarea>" in response.text
    if field != "income_before":
        assert 'value="1.500.000"' in response.text
    assert visits_of(match)[0].status == "due"


def test_a_visit_before_the_handover_is_refused(client, auth, setting):
    match, cast, entry = setting
    visit = visits_of(match)[0]
    auth.login(cast.officer)
    before = (entry.handed_over_on - timedelta(days=1)).strftime("%d/%m/%Y")
    response = client.post(f"/pemantauan/{visit.id}/record", data=valid_form(visited_on=before))
    assert response.status_code == 422
    date_text = entry.handed_over_on.strftime("%d/%m/%Y")
    expected = shown(
        client.application, "The visit cannot be before the handover (%(date)s).", date=date_text
    )
    assert field_error(response.text, "visited_on") == expected


def test_a_negative_income_reads_in_indonesian(client, auth, setting):
    match, cast, entry = setting
    auth.login(cast.officer)
    response = client.post(
        f"/pemantauan/{visits_of(match)[0].id}/record", data=valid_form(income_after="-1")
    )
    assert field_error(response.text, "income_after") == "Penghasilan tidak boleh negatif."


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (
            b"bukan gambar",
            "foto.png",
            "%(name)s is not a PDF, JPEG or PNG file (judged by its content).",
        ),
        (b"%PDF-1.4\n%%EOF\n", "foto.pdf", "The photo must be a JPEG or PNG image."),
    ],
)
def test_a_photo_is_judged_by_its_content(client, auth, setting, data, name, message):
    match, cast, entry = setting
    auth.login(cast.officer)
    form = valid_form(photo=(io.BytesIO(data), name))
    response = client.post(
        f"/pemantauan/{visits_of(match)[0].id}/record",
        data=form,
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert field_error(response.text, "photo") == shown(client.application, message, name=name)
    assert (
        db.session.scalar(select(Attachment).where(Attachment.owner_type == "monitoring_visit"))
        is None
    )


def test_a_photo_over_5_mb_is_refused(client, auth, setting):
    match, cast, entry = setting
    auth.login(cast.officer)
    big = png() + b"\0" * MAX_BYTES
    builder = EnvironBuilder(
        path=f"/pemantauan/{visits_of(match)[0].id}/record",
        method="POST",
        data=valid_form(photo=(io.BytesIO(big), "besar.png")),
        content_type="multipart/form-data",
    )
    environ = builder.get_environ()
    try:
        response = client.open(environ)
    finally:
        environ["wsgi.input"].close()
        builder.close()
    assert response.status_code == 422
    expected = shown(
        client.application, "%(name)s is larger than %(size)s MB.", name="besar.png", size=5
    )
    assert field_error(response.text, "photo") == expected


# --- closing ------------------------------------------------------------------------------


def test_closing_the_schedule_needs_a_reason_and_ends_the_persons_visits(client, auth, setting):
    match, cast, entry = setting
    visits = visits_of(match)
    auth.login(cast.officer)
    url = f"/pemantauan/{visits[0].id}/close"
    refused = client.post(url, data={"reason": ""})
    assert refused.status_code == 422
    assert field_error(refused.text, "reason") == shown(
        client.application, "Choose why the visits end."
    )
    refused = client.post(url, data={"reason": "other", "note": ""})
    assert field_error(refused.text, "note") == shown(
        client.application, "Please say why the visits end."
    )
    assert client.post(url, data={"reason": "deceased"}).status_code == 302
    db.session.expire_all()
    assert [v.status for v in visits_of(match)] == ["closed"] * 3 + ["due"] * 3


def test_recording_and_closing_everything_makes_the_match_monitored(client, auth, setting):
    match, cast, entry = setting
    visits = visits_of(match)
    auth.login(cast.officer)
    for visit in visits[:3]:
        client.post(f"/pemantauan/{visit.id}/record", data=valid_form())
    client.post(f"/pemantauan/{visits[3].id}/close", data={"reason": "moved"})
    db.session.expire_all()
    assert db.session.get(type(match), match.id).status == "monitored"


# --- the list -------------------------------------------------------------------------------


def _count(html: str, state: str) -> int:
    found = re.search(rf'data-state="{state}"><span class="figure">(\d+)</span>', html)
    return int(found.group(1))


def test_each_count_shown_equals_the_rows_its_link_lists(client, auth, setting):
    match, cast, entry = setting
    visits = visits_of(match)
    auth.login(cast.officer)
    client.post(f"/pemantauan/{visits[0].id}/record", data=valid_form())
    client.post(f"/pemantauan/{visits[3].id}/close", data={"reason": "moved"})
    page = client.get("/pemantauan/").text
    # Hand-computed: handed over 100 days ago, so the 1- and 3-month visits are overdue.
    expected = {"recorded": 1, "closed": 3, "overdue": 1, "due": 1}
    assert {state: _count(page, state) for state in expected} == expected
    for state, count in expected.items():
        listed = client.get(f"/pemantauan/?state={state}").text
        assert listed.count('class="visit-row"') == count, state
        assert _count(listed, state) == count


def test_the_list_filters_by_desa_sorts_by_due_date_and_answers_htmx_with_the_results(
    client, auth, setting
):
    match, cast, entry = setting
    visits = visits_of(match)
    auth.login(cast.officer)
    desa = visits[0].recipient.desa_id
    page = client.get(f"/pemantauan/?desa={desa}&sort=-due").text
    dates = re.findall(r'/pemantauan/(\d+)">', page)
    wanted = [v for v in visits if v.desa_id == desa]
    assert len(dates) == len(wanted)
    due = [db.session.get(MonitoringVisit, int(i)).due_on for i in dates]
    assert due == sorted(due, reverse=True)
    fragment = client.get("/pemantauan/?state=due", headers={"HX-Request": "true"})
    assert fragment.text.lstrip().startswith('<section id="visit-results"')
    assert "<html" not in fragment.text
    assert client.get("/pemantauan/?state=nonsense&desa=abc&page=-1").status_code == 200


def test_the_admin_sees_every_kecamatan_and_filters_by_one(client, auth, setting):
    match, cast, entry = setting
    auth.login(cast.admin)
    page = client.get("/pemantauan/").text
    assert _count(page, "overdue") == 4
    other = factories.kecamatan("64.02.10").id
    db.session.commit()
    assert _count(client.get(f"/pemantauan/?kecamatan={other}").text, "overdue") == 0


# --- the sections on other pages and the export ----------------------------------------------


def test_the_recipient_and_match_pages_list_the_visits(client, auth, setting):
    match, cast, entry = setting
    visits = visits_of(match)
    auth.login(cast.officer)
    client.post(f"/pemantauan/{visits[0].id}/record", data=valid_form())
    person = visits[0].recipient_id
    page = client.get(f"/registry/recipients/{person}").text
    section = page.split('id="recipient-visits"')[1]
    assert section.count("/pemantauan/") == 3
    match_page = client.get(f"/penyaluran/{match.id}").text
    assert match_page.split('id="match-visits"')[1].count("<tr>") == 1 + 6
    auth.logout()
    auth.login(cast.partner)
    partner_page = client.get(f"/penyaluran/{match.id}").text
    section = partner_page.split('id="match-visits"')[1]
    assert "/pemantauan/" not in section and "Warung" not in section


def test_the_export_holds_the_filtered_list_and_is_audited(client, auth, setting):
    match, cast, entry = setting
    visits = visits_of(match)
    auth.login(cast.officer)
    client.post(f"/pemantauan/{visits[0].id}/record", data=valid_form(notes="=HYPERLINK(1)"))
    response = client.post("/ekspor/visits", data={"format": "csv", "state": "recorded"})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 2
    assert rows[1][0] == visits[0].recipient.nik
    assert rows[1][-1] == "'=HYPERLINK(1)"
    assert 'action="/ekspor/visits"' in client.get("/pemantauan/").text
    auth.logout()
    auth.login(cast.partner)
    assert client.post("/ekspor/visits", data={"format": "csv"}).status_code == 404


def test_the_list_costs_the_same_for_more_rows(client, auth, db):
    from tests.support.queries import counted

    match, cast, entry = handed(people=1, days_ago=10)
    db.session.commit()
    auth.login(cast.officer)
    client.get("/pemantauan/")
    with counted() as few:
        client.get("/pemantauan/")
    more, *_ = handed(people=4, days_ago=20)
    db.session.commit()
    with counted() as many:
        page = client.get("/pemantauan/").text
    assert page.count('class="visit-row"') == 15
    assert len(many) == len(few)
