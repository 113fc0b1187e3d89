"""Contribution rules found missing in review: every field error in the reader's
language (also WTForms' own), values above zero, split cells of at most three
decimals, the filter's companies within scope, absurd ids, e-mail at each hand-off."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from flask_babel import gettext
from sqlalchemy import select

from portal import create_app
from portal.contributions import services
from portal.contributions.services import ContributionData, ItemData
from portal.core.reference import load_aid_categories
from portal.core.refusals import Refusal
from portal.extensions import db as _db
from portal.models import Contribution
from tests import factories
from tests.conftest import app_config, redirect_of
from tests.support.contributions import form_data, make_contribution, text
from tests.support.pages import shown

# --- field errors in Bahasa Indonesia -------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", "x" * 201, ("At most %(max)d characters.", {"max": 200})),
        (
            "planned_date",
            "14 Mei 2025",
            ("Write the date as dd/mm/yyyy, for example 14/05/2025.", {}),
        ),
        ("target", "99999", ("Choose one of the options offered.", {})),
        ("target_groups", "bogus", ("Choose one of the options offered.", {})),
        ("attachment_kind", "bogus", ("Choose one of the options offered.", {})),
    ],
)
def test_every_field_error_reads_in_indonesian_and_keeps_the_input(
    app, client, login_as, field, value, message
):
    login_as("partner")
    response = client.post("/contributions/new", data=form_data(**{field: value}))
    assert response.status_code == 200
    expected = shown(app, message[0], **message[1])
    assert expected in text(response)
    assert _db.session.scalar(select(Contribution)) is None
    if field == "title":
        assert "x" * 201 in text(response)


def test_the_catalogue_translates_the_form_messages(app):
    with app.test_request_context():
        for message in (
            "Write the date as dd/mm/yyyy, for example 14/05/2025.",
            "Choose one of the options offered.",
        ):
            assert gettext(message) != message


# --- quantities and values are positive ------------------------------------------------


def test_a_unit_value_of_zero_is_refused_beside_the_field(app, client, login_as):
    login_as("partner")
    response = client.post("/contributions/new", data=form_data(**{"items-0-unit_value": "0"}))
    row = re.search(
        r'name="items-0-unit_value"[^>]*>\s*<small class="field-error">([^<]*)<', text(response)
    )
    assert row and row.group(1) == shown(app, "The value must be more than zero.")
    assert _db.session.scalar(select(Contribution)) is None


def test_the_service_refuses_a_zero_value(app, db, make_user):
    partner = make_user("partner")
    data = ContributionData(
        title="Oven",
        kind="equipment",
        kecamatan_id=factories.kecamatan().id,
        items=[ItemData("Oven", Decimal("1"), "unit", 0)],
    )
    with app.test_request_context(), pytest.raises(Refusal):
        services.create(partner, data)


# --- splitting: a cell keeps at most three decimals ------------------------------------


def test_split_refuses_a_part_with_more_than_three_decimals(app, client, login_as):
    login_as("admin")
    company = factories.CompanyFactory()
    parent = make_contribution(company, kec=None)
    item = parent.items[0]  # 10 units
    first, second = factories.kecamatan("64.02.06"), factories.kecamatan("64.02.07")
    response = client.post(
        f"/contributions/{parent.id}/split",
        data={
            "kecamatan": [str(first.id), str(second.id)],
            f"q-{first.id}-{item.id}": "9.9999",
            f"q-{second.id}-{item.id}": "0.0001",
        },
    )
    assert response.status_code == 200
    assert shown(app, "Enter a number with at most three decimals.") in text(response)
    assert _db.session.get(Contribution, parent.id).status == "submitted"
    assert len(list(_db.session.scalars(select(Contribution)))) == 1


# --- the list's company filter stays in scope -------------------------------------------


def test_an_officer_filters_only_by_companies_that_sent_to_their_kecamatan(client, login_as):
    officer = login_as("officer", kecamatan=factories.kecamatan("64.02.06"))
    assert officer.kecamatan.code == "64.02.06"
    here = factories.CompanyFactory(name="PT Sungai Dekat")
    elsewhere = factories.CompanyFactory(name="PT Hulu Jauh")
    mine = make_contribution(here, kec="64.02.06", title="Oven untuk Tenggarong")
    theirs = make_contribution(elsewhere, kec="64.02.07", title="Perahu untuk hulu")
    page = text(client.get("/contributions/"))
    assert company_choices(page) == {str(here.id): "PT Sungai Dekat"}
    # Sending the other company's id anyway filters nothing into view.
    page = text(client.get("/contributions/", query_string={"company": elsewhere.id}))
    assert theirs.title not in page
    assert "PT Hulu Jauh" not in page
    page = text(client.get("/contributions/", query_string={"company": here.id}))
    assert mine.title in page and theirs.title not in page


def company_choices(page: str) -> dict[str, str]:
    """The company filter's options but "any": {id: name}."""
    select_ = re.search(r'<select[^>]*name="company"[^>]*>(.*?)</select>', page, re.S).group(1)
    options = re.findall(r'<option[^>]*value="(\d+)"[^>]*>([^<]*)</option>', select_)
    return {value: name.strip() for value, name in options}


# --- an absurd id is a 404 -------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/contributions/99999999999999999999999",
        "/contributions/1/attachments/99999999999999999999999",
    ],
)
def test_an_absurd_id_is_not_found(client, login_as, path):
    login_as("admin")
    assert client.get(path).status_code == 404


# --- e-mail at each hand-off when SMTP is configured -----------------------------------


@pytest.fixture()
def mail_client(database_url, db, smtp):  # noqa: F811 - the fixture above
    app = create_app(
        app_config(
            database_url,
            MAIL_SERVER="127.0.0.1",
            MAIL_PORT=smtp[1],
            PUBLIC_BASE_URL="http://sinergi.uji.example",
        )
    )
    with app.app_context():
        load_aid_categories()
        _db.session.commit()
    yield app, app.test_client(), smtp[0]
    with app.app_context():
        _db.engine.dispose()


def login(client, user):
    from tests.conftest import TEST_PASSWORD

    client.post("/logout")
    response = client.post("/login", data={"email": user.email, "password": TEST_PASSWORD})
    assert redirect_of(response) == "/"


def test_submit_and_reject_are_e_mailed_to_the_other_side(mail_client, make_user):
    app, client, inbox = mail_client
    kecamatan = factories.kecamatan("64.02.06")
    partner = make_user("partner")
    officer = make_user("officer", kecamatan=kecamatan)
    contribution = make_contribution(partner.company, status="draft", kec="64.02.06")
    title, company = contribution.title, partner.company.name

    login(client, partner)
    show = f"/contributions/{contribution.id}"
    assert redirect_of(client.post(f"{show}/submit")) == show
    login(client, officer)
    response = client.post(
        f"/contributions/{contribution.id}/reject", data={"reject-reason": "Sudah ada"}
    )
    assert redirect_of(response) == show

    to_officer = [m for m in inbox.messages if m["To"] == officer.email]
    to_partner = [m for m in inbox.messages if m["To"] == partner.email]
    assert len(to_officer) == 1 and len(to_partner) == 1
    with app.test_request_context():
        assert (
            gettext(
                '%(company)s submitted the contribution "%(title)s".', company=company, title=title
            )
            in to_officer[0].get_content()
        )
        body = to_partner[0].get_content()
        assert "Sudah ada" in body
        assert f"/contributions/{contribution.id}" in body
