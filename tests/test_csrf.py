"""CSRF protection on every POST, HTMX requests included, with a clear message."""

from __future__ import annotations

import json
import re

import pytest
from flask_babel import gettext
from markupsafe import escape

from portal import create_app
from portal.core.errors import CSRF_MESSAGE
from portal.extensions import db as _db
from tests.conftest import TEST_PASSWORD, app_config, redirect_of


@pytest.fixture()
def csrf_app(database_url, db):
    app = create_app(app_config(database_url, WTF_CSRF_ENABLED=True))
    yield app
    with app.app_context():
        _db.engine.dispose()


@pytest.fixture()
def csrf_client(csrf_app):
    return csrf_app.test_client()


def csrf_message(app) -> str:
    with app.test_request_context():
        return str(escape(gettext(str(CSRF_MESSAGE))))


def header_token(html: str) -> str:
    """The token the layout hands to HTMX in the body's ``hx-headers``."""
    match = re.search(r"<body hx-headers='([^']*)'", html)
    assert match, "the layout must set hx-headers on <body>"
    return json.loads(match.group(1))["X-CSRFToken"]


@pytest.mark.parametrize("htmx", [False, True], ids=["form", "htmx"])
@pytest.mark.parametrize("path", ["/login", "/locale", "/logout", "/password/forgot"])
def test_post_without_token_is_refused_with_a_message(csrf_app, csrf_client, path, htmx):
    headers = {"HX-Request": "true"} if htmx else {}
    response = csrf_client.post(path, data={"email": "a@b.example"}, headers=headers)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert csrf_message(csrf_app) in html
    assert "Traceback" not in html and "CSRFError" not in html
    assert ("<html" in html) is not htmx  # a fragment for HTMX, a page otherwise


def test_post_with_a_wrong_token_is_refused(csrf_client):
    csrf_client.get("/login")
    response = csrf_client.post("/login", data={"csrf_token": "forged"})
    assert response.status_code == 400


def test_htmx_header_token_from_the_layout_is_accepted(csrf_client, make_user):
    user = make_user("officer")
    token = header_token(csrf_client.get("/login").get_data(as_text=True))
    response = csrf_client.post(
        "/login",
        data={"email": user.email, "password": TEST_PASSWORD},
        headers={"X-CSRFToken": token, "HX-Request": "true"},
    )
    assert redirect_of(response) == "/"
    token = header_token(csrf_client.get("/").get_data(as_text=True))
    response = csrf_client.post(
        "/locale", data={"locale": "en", "next": "/"}, headers={"X-CSRFToken": token}
    )
    assert redirect_of(response) == "/"
    assert (
        csrf_client.get("/").get_data(as_text=True).startswith('<!doctype html>\n<html lang="en"')
    )


def test_login_form_carries_a_csrf_token(csrf_client, make_user):
    html = csrf_client.get("/login").get_data(as_text=True)
    match = re.search(r'<form method="post" action="/login".*?</form>', html, re.S)
    assert match
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', match.group(0))
    assert token, "the login form needs its csrf_token field"
    user = make_user("admin")
    data = {"csrf_token": token.group(1), "email": user.email, "password": TEST_PASSWORD}
    assert redirect_of(csrf_client.post("/login", data=data)) == "/"


def test_every_post_form_in_the_layout_carries_a_token(csrf_client, make_user):
    user = make_user("camat")
    token = header_token(csrf_client.get("/login").get_data(as_text=True))
    csrf_client.post(
        "/login",
        data={"email": user.email, "password": TEST_PASSWORD},
        headers={"X-CSRFToken": token},
    )
    html = csrf_client.get("/").get_data(as_text=True)
    forms = re.findall(r'<form method="post".*?</form>', html, re.S)
    assert len(forms) >= 2  # log out, language
    assert all('name="csrf_token"' in form for form in forms)
