"""Exporting the handover plans list (/penyaluran) and the letters list (/surat): the
filters on screen, each user's scope, formulas written as text, and no personal data."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from portal.extensions import db
from portal.letters.services import issue_letter
from portal.models import AuditEvent
from tests.factories import CompanyFactory, kecamatan, user_for_role
from tests.support.letters import approved_match
from tests.support.matching import offered, planned

FORMULAS = ("=cmd|' /C calc'!A0", "+1", "@x")


def _csv(response) -> list[list[str]]:
    assert response.status_code == 200, response.status_code
    text = response.get_data(as_text=True).lstrip("\ufeff")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def _plans(company=None, kec="64.02.06"):
    """A draft plan labelled by each formula-like name, of one company's contribution."""
    company = company or CompanyFactory(name='=HYPERLINK("http://x")')
    contribution = offered(kec=kec, company=company, title="Paket oven")
    matches = []
    for label in FORMULAS:
        match = planned(contribution, people=2)
        match.label = label
        matches.append(match)
    db.session.commit()
    return matches


def _login(auth, user):
    db.session.commit()
    assert auth.login(user).status_code == 302


def test_plans_export_neutralises_formula_like_names(client, auth, english):
    matches = _plans()
    _login(auth, user_for_role("officer", kecamatan=kecamatan("64.02.06")))
    rows = _csv(client.post("/ekspor/matches", data={"format": "csv"}))
    assert rows[0][:3] == ["Plan", "Contribution", "Company"]
    assert sorted(row[0] for row in rows[1:]) == sorted(f"'{label}" for label in FORMULAS)
    assert {row[2] for row in rows[1:]} == {'\'=HYPERLINK("http://x")'}
    assert {row[6] for row in rows[1:]} == {"2"}  # recipients counted
    assert len(matches) == 3


def test_plans_export_follows_the_search_and_status_of_the_screen(client, auth):
    matches = _plans()
    matches[0].status = "submitted"
    db.session.commit()
    _login(auth, user_for_role("officer", kecamatan=kecamatan("64.02.06")))
    rows = _csv(client.post("/ekspor/matches", data={"q": "+1", "format": "csv"}))
    assert [row[0] for row in rows[1:]] == ["'+1"]
    rows = _csv(client.post("/ekspor/matches", data={"status": "submitted", "format": "csv"}))
    assert [row[0] for row in rows[1:]] == [f"'{FORMULAS[0]}"]
    # not personal: no audit event
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "export")) is None


def test_plans_export_keeps_to_the_scope_and_a_partner_gets_no_names(client, auth):
    company = CompanyFactory(name="PT Sendiri")
    mine = _plans(company)
    _plans(CompanyFactory(name="PT Lain"), kec="64.02.10")
    partner = user_for_role("partner", company=company)
    _login(auth, partner)
    response = client.post("/ekspor/matches", data={"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.data)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
    assert {row[2] for row in values} == {"PT Sendiri"}
    assert len(values) == len(mine)
    text = str(values)
    for member in mine[0].members:
        assert member.recipient.name not in text and member.recipient.nik[:6] not in text
    assert all(not str(v).startswith(("=", "+", "@")) for row in values for v in row if v)


def test_the_plans_and_letters_lists_offer_the_export_with_their_filters(client, auth):
    _login(auth, user_for_role("officer", kecamatan=kecamatan("64.02.06")))
    page = client.get("/penyaluran/?status=draft&q=oven").get_data(as_text=True)
    assert 'action="/ekspor/matches"' in page
    assert 'name="status" value="draft"' in page and 'name="q" value="oven"' in page
    page = client.get("/surat?status=valid").get_data(as_text=True)
    assert 'action="/ekspor/letters"' in page and 'name="status" value="valid"' in page


@pytest.fixture()
def letters(ctx, public_address):
    made = []
    for name in ("@x", "PT Biasa"):
        match = approved_match(1, company=CompanyFactory(name=name, representative_name="Budi"))
        number = f"400.9/00{len(made) + 1}/CSR-64.02.06/V/2025"
        made.append(issue_letter(match, number))
        match.letter_number = number
    db.session.commit()
    return made


def test_letters_export_neutralises_names_and_follows_the_search(client, auth, letters):
    officer = user_for_role("officer", kecamatan=letters[0].match.kecamatan)
    _login(auth, officer)
    rows = _csv(client.post("/ekspor/letters", data={"format": "csv"}))
    assert sorted(row[3] for row in rows[1:]) == ["'@x", "PT Biasa"]
    first = next(row for row in rows[1:] if row[3] == "'@x")
    assert first[0] == letters[0].number and first[5] == letters[0].verification_code
    rows = _csv(client.post("/ekspor/letters", data={"q": "PT Biasa", "format": "csv"}))
    assert [row[3] for row in rows[1:]] == ["PT Biasa"]
    rows = _csv(client.post("/ekspor/letters", data={"status": "replaced", "format": "csv"}))
    assert rows[1:] == []


def test_a_partner_exports_only_their_letters_without_personal_data(client, auth, letters):
    partner = user_for_role("partner", company=letters[1].match.contribution.company)
    person = letters[1].match.members[0].recipient
    person.address = "Jl. Rahasia No. 9"
    _login(auth, partner)
    rows = _csv(client.post("/ekspor/letters", data={"format": "csv"}))
    assert [row[3] for row in rows[1:]] == ["PT Biasa"]
    text = str(rows)
    assert person.name not in text and person.nik[:6] not in text
    assert person.address not in text


def test_a_village_operator_cannot_export_plans_or_letters(client, auth):
    _login(auth, user_for_role("village"))
    assert client.post("/ekspor/matches", data={"format": "csv"}).status_code == 404
    assert client.post("/ekspor/letters", data={"format": "csv"}).status_code == 404
