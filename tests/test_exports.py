"""Exports of the lists: the file holds what the screen shows (filters and search, posted
in the body), through the neutralising writer; large lists are written in the background;
exports of personal data are audited without the search text; scope holds."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook
from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEvent, Job
from tests.factories import ContributionFactory, RecipientFactory, kecamatan


def _csv_rows(response) -> list[list[str]]:
    text = response.get_data(as_text=True).lstrip("\ufeff")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def _people(*names, code="64.02.06", **kwargs):
    people = [RecipientFactory(name=name, code=code, **kwargs) for name in names]
    db.session.commit()
    return people


def test_recipient_export_follows_the_search_in_the_body_and_neutralises_formulas(
    client, login_as, english
):
    login_as("officer")
    _people('=HYPERLINK("http://x")', "Siti Aminah", "Budi Hartono")
    response = client.post("/ekspor/recipients", data={"q": "Siti", "format": "csv"})
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    rows = _csv_rows(response)
    assert rows[0][:3] == ["NIK", "KK number", "Name"]
    assert [row[2] for row in rows[1:]] == ["Siti Aminah"]

    everyone = _csv_rows(client.post("/ekspor/recipients", data={"format": "csv"}))
    names = sorted(row[2] for row in everyone[1:])
    assert '\'=HYPERLINK("http://x")' in names
    assert len(names) == 3


def test_recipient_export_keeps_to_the_officers_kecamatan(client, login_as):
    login_as("officer")
    _people("Orang Tenggarong")
    _people("Orang Kembang Janggut", code="64.02.10")
    rows = _csv_rows(client.post("/ekspor/recipients", data={"format": "csv"}))
    assert [row[2] for row in rows[1:]] == ["Orang Tenggarong"]


def test_xlsx_export_writes_text_cells_never_formulas(client, login_as):
    login_as("officer")
    _people("@SUM(A1:A9)")
    response = client.post("/ekspor/recipients", data={"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.data)).active
    values = [cell.value for cell in next(sheet.iter_rows(min_row=2, max_row=2))]
    assert "'@SUM(A1:A9)" in values


def test_personal_export_is_audited_without_the_search_text(client, login_as):
    officer = login_as("officer")
    person = _people("Siti Aminah")[0]
    client.post("/ekspor/recipients", data={"q": person.nik, "state": "pending", "format": "csv"})
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "export"))
    assert event.actor_id == officer.id
    assert event.details["list"] == "recipients" and event.details["rows"] == 1
    assert event.details["filters"] == {"state": ["pending"], "search": True}
    assert person.nik not in str(event.details)


def test_partner_cannot_export_recipients_and_sees_only_own_contributions(client, login_as):
    partner = login_as("partner")
    ContributionFactory(company=partner.company, title="Milik sendiri")
    ContributionFactory(title="Milik orang lain", status="submitted")
    db.session.commit()
    assert client.post("/ekspor/recipients", data={"format": "csv"}).status_code == 404
    rows = _csv_rows(client.post("/ekspor/contributions", data={"format": "csv"}))
    assert [row[1] for row in rows[1:]] == ["Milik sendiri"]
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "export")) is None


def test_contribution_export_applies_the_filters(client, login_as):
    login_as("admin")
    ContributionFactory(title="Pelatihan menjahit", kind="training", status="submitted")
    ContributionFactory(title="Oven", status="submitted")
    db.session.commit()
    response = client.post("/ekspor/contributions", data={"kind": "training", "format": "csv"})
    rows = _csv_rows(response)
    assert [row[1] for row in rows[1:]] == ["Pelatihan menjahit"]


def test_unknown_list_or_format_is_refused(client, login_as):
    login_as("admin")
    assert client.post("/ekspor/nothing", data={"format": "csv"}).status_code == 404
    assert client.post("/ekspor/recipients", data={"format": "exe"}).status_code == 400
    assert client.get("/ekspor/recipients").status_code == 405


def test_a_large_export_runs_as_a_job_whose_file_only_its_owner_downloads(
    app, client, login_as, auth, make_user, monkeypatch
):
    monkeypatch.setitem(app.config, "EXPORT_INLINE_ROWS", 2)
    officer = login_as("officer")
    _people("Satu", "Dua", "Tiga")
    response = client.post("/ekspor/recipients", data={"format": "xlsx"})
    assert response.status_code == 303
    job = db.session.scalar(select(Job).where(Job.kind == "export"))
    assert job.state == "done" and job.created_by_id == officer.id and job.progress == 3
    page = client.get(f"/jobs/{job.id}").get_data(as_text=True)
    assert f"/ekspor/unduh/{job.id}" in page
    download = client.get(f"/ekspor/unduh/{job.id}")
    sheet = load_workbook(io.BytesIO(download.data)).active
    assert sheet.max_row == 4

    other = make_user("officer", kecamatan=kecamatan())
    client.post("/logout")
    auth.login(other)
    assert client.get(f"/ekspor/unduh/{job.id}").status_code == 404


def test_the_lists_offer_the_export_with_their_filters(client, login_as):
    login_as("officer")
    page = client.get("/registry/recipients?state=pending").get_data(as_text=True)
    assert 'action="/ekspor/recipients"' in page
    assert 'name="state" value="pending"' in page
    page = client.get("/contributions/?kind=goods").get_data(as_text=True)
    assert 'action="/ekspor/contributions"' in page
    assert 'name="kind" value="goods"' in page


def test_admin_exports_companies_and_users_with_their_filters(client, login_as):
    from tests.factories import CompanyFactory

    admin = login_as("admin")
    CompanyFactory(name="+PT Rumus", status="pending")
    CompanyFactory(name="PT Aktif", status="active")
    db.session.commit()
    rows = _csv_rows(client.post("/ekspor/companies", data={"status": "pending", "format": "csv"}))
    assert [row[0] for row in rows[1:]] == ["'+PT Rumus"]
    rows = _csv_rows(client.post("/ekspor/users", data={"q": admin.email, "format": "csv"}))
    assert [row[1] for row in rows[1:]] == [admin.email]
    page = client.get("/admin/users").get_data(as_text=True)
    assert 'action="/ekspor/users"' in page


def test_only_the_admin_exports_companies_and_users(client, login_as):
    login_as("officer")
    for name in ("companies", "users"):
        assert client.post(f"/ekspor/{name}", data={"format": "csv"}).status_code == 404
