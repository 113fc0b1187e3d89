"""One password rule for every form that sets a password: 8 to 64 characters, not among
the most common passwords, not built on the account's own e-mail name; no composition rules."""

from __future__ import annotations

import re

import pytest
from flask_babel import gettext
from markupsafe import escape
from sqlalchemy import select

from portal.auth import passwords
from portal.auth.services import reset_token
from portal.demo.accounts import DEMO_ACCOUNTS
from portal.models import Company, User
from portal.partners import services as partner_services
from tests import factories
from tests.conftest import TEST_PASSWORD

REFUSED = {
    "a common number": "1234567890",
    "one letter repeated": "aaaaaaaaaa",
    "a common word twice": "passwordpassword",
    "too short": "kucing7",
    "too long": "k" + "ata-sandi-" * 7,
}
GOOD = "sungai-mahakam-pagi"
TOO_COMMON = (
    "This password is too easy to guess: it is one of the most used ones. "
    "A few words that only you would put together make a good password."
)
REGISTRATION = {
    "company_name": "PT Sandi Lestari",
    "sector": "plantation",
    "address": "Jl. Mulawarman No. 10, Loa Kulu",
    "phone": "0541 765432",
    "contact_name": "Rina Marlina",
    "representative_name": "H. Ahmad Fauzi",
    "representative_title": "Direktur Utama",
    "name": "Rina Marlina",
    "email": "rina.marlina@sandi.example",
}


def field_error(html: str, field_id: str) -> str:
    match = re.search(rf'<small class="field-error" id="{field_id}-error">([^<]*)</small>', html)
    return match.group(1) if match else ""


# --- the rule ----------------------------------------------------------------------


@pytest.mark.parametrize("password", REFUSED.values(), ids=REFUSED.keys())
def test_weak_passwords_are_refused(app, password):
    with app.test_request_context():
        assert passwords.password_problem(password, "budi@contoh.example") is not None


@pytest.mark.parametrize(
    "password", ["delapan8", "x" * 10 + "-sungai-" + "y" * 46, GOOD, "Tiga kata saja"]
)
def test_long_enough_uncommon_passwords_pass_without_composition_rules(app, password):
    assert 8 <= len(password) <= 64
    with app.test_request_context():
        assert passwords.password_problem(password, "budi@contoh.example") is None


@pytest.mark.parametrize(
    ("password", "email"),
    [
        ("rina.marlina-2025", "rina.marlina@sandi.example"),
        ("RinaMarlina2025", "rina.marlina@sandi.example"),
        ("saya-budisantoso!", "budi_santoso+csr@contoh.example"),
    ],
)
def test_a_password_containing_the_email_name_is_refused(app, password, email):
    with app.test_request_context():
        assert passwords.password_problem(password, email) is not None


def test_the_common_list_is_large_and_loaded_once():
    common = passwords.common_passwords()
    assert len(common) >= 10_000
    assert {"123456", "password", "qwerty"} <= common
    assert passwords.common_passwords() is common


def test_common_passwords_are_refused_whatever_their_case(app):
    with app.test_request_context():
        assert passwords.password_problem("PassWord1", "x@contoh.example") is not None


@pytest.mark.parametrize("account", DEMO_ACCOUNTS, ids=lambda a: a.email)
def test_every_demo_password_keeps_the_rule(app, account):
    with app.test_request_context():
        assert passwords.password_problem(account.password, account.email) is None


def test_the_test_password_keeps_the_rule(app):
    with app.test_request_context():
        assert passwords.password_problem(TEST_PASSWORD, "user1@uji.example") is None


# --- every form that sets a password -----------------------------------------------


def _change(client, login_as, db, password):
    user = login_as("officer")
    data = {"current_password": TEST_PASSWORD, "new_password": password, "confirm": password}
    return client.post("/account/password", data=data), "new_password", user


def _reset(client, login_as, db, password):
    user = factories.user_for_role("officer")
    db.session.commit()
    token = reset_token(user)
    data = {"new_password": password, "confirm": password}
    return client.post(f"/password/reset/{token}", data=data), "new_password", user


def _invitation(client, login_as, db, password):
    inviter = factories.user_for_role("partner", company=factories.CompanyFactory())
    db.session.commit()
    _, token = partner_services.invite_colleague(inviter, "budi@contoh.example")
    db.session.commit()
    data = {"name": "Budi", "password": password, "confirm": password}
    return client.post(f"/partners/invitations/{token}", data=data), "password", None


def _registration(client, login_as, db, password):
    data = dict(REGISTRATION, password=password, confirm=password)
    return client.post("/partners/register", data=data), "password", None


FORMS = {
    "change": _change,
    "reset by link": _reset,
    "invitation": _invitation,
    "registration": _registration,
}


@pytest.mark.parametrize("password", REFUSED.values(), ids=REFUSED.keys())
@pytest.mark.parametrize("send", FORMS.values(), ids=FORMS.keys())
def test_every_password_form_refuses_a_weak_password_beside_the_field(
    app, client, login_as, ctx, send, password
):
    response, field, user = send(client, login_as, ctx, password)
    assert response.status_code == 200
    assert field_error(response.get_data(as_text=True), field)
    if user is not None:
        before = user.password_hash
        ctx.session.refresh(user)
        assert user.password_hash == before
    assert ctx.session.scalar(select(User).where(User.email == "budi@contoh.example")) is None
    assert ctx.session.scalar(select(Company).where(Company.name == "PT Sandi Lestari")) is None


def test_registration_refuses_a_password_built_on_the_email_name(app, client, ctx):
    response = client.post(
        "/partners/register",
        data=dict(REGISTRATION, password="RinaMarlina-2025", confirm="RinaMarlina-2025"),
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert field_error(html, "password") == gettext(
        "Do not use the name of your e-mail address in the password."
    )
    assert 'value="rina.marlina@sandi.example"' in html  # what was typed is kept


def test_invitation_acceptance_refuses_the_invited_email_name(client, ctx):
    inviter = factories.user_for_role("partner", company=factories.CompanyFactory())
    ctx.session.commit()
    _, token = partner_services.invite_colleague(inviter, "budi.santoso@contoh.example")
    ctx.session.commit()
    data = {"name": "Budi", "password": "budi.santoso-99", "confirm": "budi.santoso-99"}
    response = client.post(f"/partners/invitations/{token}", data=data)
    assert response.status_code == 200
    assert field_error(response.get_data(as_text=True), "password")


def test_a_reset_refuses_the_accounts_own_email_name(client, ctx):
    user = factories.user_for_role("officer", email="yusuf.hamdani@kukar.example")
    ctx.session.commit()
    data = {"new_password": "YusufHamdani88", "confirm": "YusufHamdani88"}
    response = client.post(f"/password/reset/{reset_token(user)}", data=data)
    assert response.status_code == 200
    assert field_error(response.get_data(as_text=True), "new_password")


def test_the_message_is_in_indonesian_beside_the_field(client, login_as, ctx):
    response, field, _ = _change(client, login_as, ctx, "passwordpassword")
    message = field_error(response.get_data(as_text=True), field)
    assert message == str(escape(gettext(TOO_COMMON)))
    assert message != TOO_COMMON
    assert "sandi" in message.lower()


@pytest.mark.parametrize("send", FORMS.values(), ids=FORMS.keys())
def test_every_password_form_accepts_a_good_password(client, login_as, ctx, send):
    response, _, _ = send(client, login_as, ctx, GOOD)
    assert response.status_code == 302
