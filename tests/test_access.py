"""Access is denied by default: every view declares who it serves."""

import pytest

from portal import create_app
from portal.core.policy import PUBLIC, rule_for
from tests.conftest import app_config


def test_every_view_declares_an_access_rule(app):
    with app.test_request_context():
        missing = [
            rule.endpoint
            for rule in app.url_map.iter_rules()
            if rule.endpoint != "static" and rule_for(rule.endpoint) is None
        ]
    assert missing == []


def test_only_login_pages_and_health_are_public(app):
    with app.test_request_context():
        public = {
            rule.endpoint
            for rule in app.url_map.iter_rules()
            if rule.endpoint != "static" and PUBLIC in (rule_for(rule.endpoint) or ())
        }
    allowed = {
        "auth.login",
        "auth.forgot_password",
        "auth.reset_password",
        "main.healthz",
        "main.set_locale",
        "main.logo",  # the portal's logo, in the login page's header too
    }
    # Areas may add public pages (registration, letter verification); name them here.
    allowed |= {e for e in public if e.startswith(("partners.register", "letters.verify"))}
    assert public <= allowed


def test_a_view_without_a_rule_is_refused(database_url, db):
    """A fresh app, since routes cannot be added once an app has served requests."""
    app = create_app(app_config(database_url))
    app.add_url_rule("/undeclared-test-view", "undeclared_test_view", lambda: "secret")
    response = app.test_client().get("/undeclared-test-view")
    assert response.status_code == 403
    assert b"secret" not in response.data


@pytest.mark.parametrize("path", ["/", "/account/password", "/jobs/abc"])
def test_anonymous_users_are_sent_to_login(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_anonymous_htmx_request_gets_a_client_redirect(client):
    response = client.get("/", headers={"HX-Request": "true"})
    assert response.headers["HX-Redirect"].startswith("/login")
