"""Registration, invitations and the password-reset request answer the same whether or
not an account already uses the address; the address's owner is told by e-mail."""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from portal import create_app
from portal.extensions import db as _db
from portal.models import Company, CompanyInvitation, User
from tests import factories
from tests.conftest import TEST_PASSWORD, app_config

EXISTING = "rina@mahakam.example"
NEW = "dewi@mahakam.example"
FORM = {
    "sector": "plantation",
    "address": "Jl. Mulawarman No. 10, Loa Kulu",
    "phone": "0541 765432",
    "contact_name": "Rina Marlina",
    "representative_name": "H. Ahmad Fauzi",
    "representative_title": "Direktur Utama",
    "name": "Rina Marlina",
    "password": "kata-sandi-panjang",
    "confirm": "kata-sandi-panjang",
}


class OwnContextClient(FlaskClient):
    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


def new_client(app) -> FlaskClient:
    return OwnContextClient(app, app.response_class, use_cookies=True)


@pytest.fixture()
def mail_app(database_url, db, sent):
    app = create_app(
        app_config(
            database_url,
            MAIL_SERVER="smtp.contoh.example",
            PUBLIC_BASE_URL="https://sinergi.kukarkab.go.id",
        )
    )
    yield app
    with app.app_context():
        _db.engine.dispose()


def count(db, model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


CSRF = re.compile(r'("X-CSRFToken": "|name="csrf_token" value=")[^"]+"')


def visible(client, response) -> tuple:
    """What a visitor can tell from a response: status, target, and the page it leads to
    (with the address typed replaced, since the visitor typed it, and the session's own
    CSRF token left out)."""
    location = response.headers.get("Location")
    page = client.get(location).get_data(as_text=True) if location else ""
    page = CSRF.sub(r'\1"', page.replace(EXISTING, "@").replace(NEW, "@"))
    return response.status_code, location, page


def register(client, email: str, company: str):
    return client.post("/partners/register", data=dict(FORM, email=email, company_name=company))


# --- registration ------------------------------------------------------------------


@pytest.mark.parametrize("with_mail", [False, True], ids=["no mail", "mail"])
def test_registration_answers_the_same_for_a_taken_and_a_new_address(
    request, app, db, make_user, with_mail
):
    app = request.getfixturevalue("mail_app") if with_mail else app
    make_user("officer", email=EXISTING)
    taken_client, new_client_ = new_client(app), new_client(app)
    taken = visible(taken_client, register(taken_client, EXISTING, "PT Satu"))
    fresh = visible(new_client_, register(new_client_, NEW, "PT Dua"))
    assert taken == fresh
    assert taken[0] == 302
    # Neither visitor is logged in by it: the next page is the same for both.
    assert visible(taken_client, taken_client.get("/")) == visible(
        new_client_, new_client_.get("/")
    )
    assert count(db, Company, Company.name == "PT Satu") == 0
    assert count(db, Company, Company.name == "PT Dua") == 1
    assert count(db, User, User.email == EXISTING) == 1


def test_registration_with_a_taken_address_tells_its_owner_by_mail(mail_app, sent, make_user, db):
    owner = make_user("officer", email=EXISTING)
    before = owner.password_hash
    register(new_client(mail_app), "Rina@Mahakam.example", "PT Satu")
    [(to, _, body)] = sent
    assert to == EXISTING
    assert "https://sinergi.kukarkab.go.id/login" in body
    assert "https://sinergi.kukarkab.go.id/password/forgot" in body
    db.session.refresh(owner)
    assert owner.password_hash == before


def test_a_new_registration_is_confirmed_by_mail(mail_app, sent, db):
    register(new_client(mail_app), NEW, "PT Dua")
    assert [to for to, _, _ in sent] == [NEW]


def test_a_registered_applicant_logs_in_and_waits(app, db):
    client = new_client(app)
    register(client, NEW, "PT Dua")
    response = client.post("/login", data={"email": NEW, "password": FORM["password"]})
    assert response.status_code == 302
    page = client.get("/partners/waiting")
    assert page.status_code == 200
    assert "PT Dua" in page.get_data(as_text=True)


def test_the_registration_form_does_not_flag_a_taken_address(app, db, make_user):
    make_user("officer", email=EXISTING)
    data = dict(FORM, email=EXISTING, company_name="PT Satu", confirm="lain")
    page = new_client(app).post("/partners/register", data=data).get_data(as_text=True)
    assert 'id="email-error"' not in page
    assert 'id="confirm-error"' in page


# --- invitations -------------------------------------------------------------------


def inviter_client(app):
    inviter = factories.user_for_role("partner", company=factories.CompanyFactory())
    _db.session.commit()
    client = new_client(app)
    client.post("/login", data={"email": inviter.email, "password": TEST_PASSWORD})
    return client, inviter


def invite(client, email):
    return client.post("/partners/company/invitations", data={"email": email})


def _neutral(client, response, token_free: bool = True) -> tuple:
    status, location, page = visible(client, response)
    if token_free:  # the one-time link differs by its token only
        page = re.sub(r"/partners/invitations/[\w-]+", "/partners/invitations/T", page)
        page = re.sub(
            r"/partners/company/invitations/\d+/", "/partners/company/invitations/N/", page
        )
    return status, location, page


@pytest.mark.parametrize("with_mail", [False, True], ids=["no mail", "mail"])
def test_inviting_a_taken_address_looks_like_inviting_a_new_one(
    request, app, db, make_user, with_mail
):
    app = request.getfixturevalue("mail_app") if with_mail else app
    make_user("officer", email=EXISTING)
    client, _ = inviter_client(app)
    taken = _neutral(client, invite(client, EXISTING))
    invitation = db.session.scalar(select(CompanyInvitation))
    db.session.delete(invitation)
    db.session.commit()
    fresh = _neutral(client, invite(client, NEW))
    assert taken == fresh
    assert taken[0] == 302


def test_with_mail_the_owner_of_a_taken_address_gets_a_notice_without_a_link(
    mail_app, sent, make_user, db
):
    make_user("officer", email=EXISTING)
    client, inviter = inviter_client(mail_app)
    invite(client, EXISTING)
    invite(client, NEW)
    [(to_taken, _, notice), (to_new, _, invitation)] = sent
    assert (to_taken, to_new) == (EXISTING, NEW)
    assert "/partners/invitations/" not in notice
    assert "https://sinergi.kukarkab.go.id/login" in notice
    assert inviter.company.name in notice
    assert "/partners/invitations/" in invitation


def test_accepting_an_invitation_for_a_taken_address_creates_nothing(app, db, make_user):
    make_user("officer", email=EXISTING)
    client, _ = inviter_client(app)
    invite(client, EXISTING)
    page = client.get("/partners/company").get_data(as_text=True)
    link = re.search(r'value="https?://[^/"]+(/partners/invitations/[^"]+)"', page).group(1)
    client.post("/logout")
    response = client.post(
        link, data={"name": "Orang Lain", "password": "sungai-mahakam", "confirm": "sungai-mahakam"}
    )
    assert response.status_code == 410
    html = response.get_data(as_text=True)
    assert "sudah ada" not in html.lower()
    assert count(db, User, User.email == EXISTING) == 1
    assert db.session.scalar(select(User).where(User.email == EXISTING)).role == "officer"


# --- the password-reset request ----------------------------------------------------


def test_a_reset_request_answers_the_same_for_a_known_and_an_unknown_address(
    mail_app, sent, make_user, db
):
    make_user("officer", email=EXISTING)
    answers = []
    for email in (EXISTING, NEW):
        client = new_client(mail_app)
        answers.append(visible(client, client.post("/password/forgot", data={"email": email})))
    assert answers[0] == answers[1]
    assert [to for to, _, _ in sent] == [EXISTING]
