"""Nothing sent to a logged-in user is cached: pages, fragments, forms and downloads all
carry ``Cache-Control: no-store``; static files stay cacheable."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.models import Attachment, ImportBatch
from tests import factories
from tests.factories import new_kk
from tests.support.imports import csv_of, people, upload
from tests.support.registry import person

HX = {"HX-Request": "true"}


@pytest.fixture()
def world(db, make_user):
    """One of everything the pages below show, in the officers' kecamatan."""
    company = factories.CompanyFactory()
    contribution = factories.ContributionFactory(company=company, status="submitted")
    factories.ContributionItemFactory(contribution=contribution)
    attachment = Attachment(
        owner_type="contribution",
        owner_id=contribution.id,
        kind="other",
        filename="surat.pdf",
        content_type="application/pdf",
        size=8,
        sha256="0" * 64,
        data=b"%PDF-1.4",
    )
    db.session.add(attachment)
    resident = person(kk=new_kk())
    db.session.commit()
    return {
        "company": company,
        "contribution": contribution,
        "attachment": attachment,
        "recipient": resident,
    }


def _batch(client, db):
    assert upload(client, csv_of(people(2))).status_code == 302
    return db.session.scalar(select(ImportBatch).order_by(ImportBatch.id.desc()))


PAGES = {
    "officer": [
        "/",
        "/registry/recipients",
        "/registry/recipients/{recipient}",
        "/registry/recipients/{recipient}/edit",
        "/registry/recipients/{recipient}/reject",
        "/registry/recipients/new",
        "/registry/proposals",
        "/registry/imports/",
        "/registry/imports/new",
        "/registry/imports/{batch}",
        "/registry/imports/{batch}/mapping",
        "/registry/imports/{batch}/refused.csv",
        "/contributions/",
        "/notifications",
        "/notifications/badge",
        "/account/password",
    ],
    "admin": [
        "/",
        "/admin/users",
        "/admin/users/new",
        "/admin/users/{user}",
        "/admin/users/{user}/edit",
        "/admin/companies",
        "/admin/companies/{company}",
        "/admin/companies/{company}/edit",
        "/admin/companies/pending",
        "/admin/companies/{company}/review",
        "/admin/duplicates",
        "/admin/duplicates?kind=kk",
        "/admin/categories",
        "/admin/settings",
        "/admin/offices",
        "/registry/recipients/{recipient}",
        "/registry/imports/conflicts",
        "/registry/imports/{batch}/refused.csv",
        "/contributions/{contribution}",
        "/jobs/",
    ],
    "village": [
        "/registry/recipients",
        "/registry/proposals",
        "/registry/recipients/new",
        "/registry/imports/new",
    ],
    "camat": ["/", "/registry/recipients"],
    "partner": [
        "/",
        "/contributions/",
        "/contributions/new",
        "/contributions/{contribution}",
        "/contributions/{contribution}/attachments/{attachment}",
        "/partners/company",
        "/notifications",
    ],
}
CASES = [(role, path) for role, paths in PAGES.items() for path in paths]


@pytest.mark.parametrize(("role", "path"), CASES)
def test_every_response_to_a_logged_in_user_is_no_store(client, db, login_as, world, role, path):
    user = login_as(role, **({"company": world["company"]} if role == "partner" else {}))
    values = {k: getattr(v, "id", v) for k, v in world.items()}
    values["user"] = user.id
    if "{batch}" in path:
        if role != "officer" and role != "admin":
            pytest.skip("only officers and the admin import")
        uploader = user if role == "officer" else None
        if uploader is None:
            client.post("/logout")
            login_as("officer")
        values["batch"] = _batch(client, db).id
        if uploader is None:
            client.post("/logout")
            login_as("admin")
    url = path.format(**values)
    for headers in ({}, HX):
        response = client.get(url, headers=headers)
        assert response.status_code in (200, 302), (url, response.status_code)
        assert response.headers.get("Cache-Control") == "no-store", (url, headers)
        response.get_data()  # a streamed download ends its contexts once read


@pytest.mark.parametrize(
    "post",
    [
        ("/registry/recipients", {"q": "Siti"}),
        ("/registry/lookup", {"nik": "6402060000000000"}),
    ],
)
def test_answers_to_searches_are_no_store_too(client, login_as, world, post):
    login_as("officer")
    response = client.post(post[0], data=post[1], headers=HX)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"


def test_error_pages_for_a_logged_in_user_are_no_store(client, login_as):
    login_as("officer")
    response = client.get("/registry/recipients/999999")
    assert response.status_code == 404 and response.headers["Cache-Control"] == "no-store"


def test_static_files_stay_cacheable(client, login_as):
    login_as("officer")
    response = client.get("/static/css/portal.css")
    assert response.status_code == 200
    assert "no-store" not in response.headers.get("Cache-Control", "")
    response.close()
