"""CI cannot pass with the server groups skipped: under CI=true a skipped browser,
PostgreSQL or Redis test fails the run that must exercise it (tests/conftest.py); and a
redirect loop fails its test at once."""

from __future__ import annotations

import pytest

from tests.conftest import required_groups

pytest_plugins = ["pytester"]

INNER_CONFTEST = """
from tests.conftest import pytest_runtest_makereport  # noqa: F401 - the hook under test
"""
INNER_TESTS = """
import pytest

@pytest.mark.browser
@pytest.mark.skipif(True, reason="/usr/bin/chromium is missing")
def test_browser():
    pass

@pytest.mark.postgres
def test_postgres():
    pytest.skip("TEST_DATABASE_URL is not set: no PostgreSQL server to test against")

def test_redis_without_its_mark():
    pytest.skip("TEST_REDIS_URL is not set: no Redis server to test against")

def test_something_else_skipped():
    pytest.skip("not relevant on this platform")
"""


@pytest.mark.parametrize(
    ("environ", "groups"),
    [
        ({}, set()),
        ({"TEST_DATABASE_URL": "postgresql://x", "TEST_REDIS_URL": "redis://x"}, set()),
        ({"CI": "false"}, set()),
        ({"CI": "true"}, {"browser"}),
        ({"CI": "true", "TEST_REDIS_URL": "redis://x"}, {"browser", "redis"}),
        ({"CI": "true", "TEST_DATABASE_URL": "postgresql://x"}, {"browser", "postgres", "redis"}),
    ],
)
def test_the_groups_each_run_must_exercise(environ, groups):
    assert required_groups(environ) == groups


def run_inner(pytester, monkeypatch, **environ):
    for name in ("CI", "TEST_DATABASE_URL", "TEST_REDIS_URL"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    pytester.makeconftest(INNER_CONFTEST)
    pytester.makepyfile(test_inner=INNER_TESTS)
    return pytester.runpytest_inprocess("-p", "no:cacheprovider", "-p", "no:timeout")


def outcomes(result) -> dict:
    counted = result.parseoutcomes()
    return {
        key: counted[key] for key in ("passed", "failed", "skipped", "errors") if key in counted
    }


def test_outside_ci_every_skip_stays_a_skip(pytester, monkeypatch):
    result = run_inner(pytester, monkeypatch)
    assert outcomes(result) == {"skipped": 4}


def test_the_sqlite_ci_run_fails_on_a_skipped_browser_test_only(pytester, monkeypatch):
    result = run_inner(pytester, monkeypatch, CI="true")
    assert outcomes(result) == {"skipped": 3, "errors": 1}
    result.stdout.fnmatch_lines(["*CI=true: this run must run the browser tests*chromium*"])


def test_the_server_ci_run_fails_on_every_skipped_server_test(pytester, monkeypatch):
    result = run_inner(
        pytester, monkeypatch, CI="true", TEST_DATABASE_URL="postgresql://x", TEST_REDIS_URL="r"
    )
    # The browser one is skipped at setup (an error), the other two in the call (failures).
    assert outcomes(result) == {"failed": 2, "skipped": 1, "errors": 1}
    result.stdout.fnmatch_lines(["*must run the redis tests*TEST_REDIS_URL is not set*"])


# --- a redirect loop fails fast instead of eating memory ------------------------------------


def test_a_growing_redirect_loop_fails_the_test(app, client):
    """A loop Werkzeug cannot see (each URL longer than the last) stops at MAX_REDIRECTS."""
    from flask import redirect, request

    from tests.conftest import MAX_REDIRECTS

    hops = []

    def loop():
        hops.append(request.full_path)
        return redirect(f"/login?next={request.full_path}")

    view = app.view_functions["auth.login"]
    loop.access_rule = view.access_rule
    app.view_functions["auth.login"] = loop
    try:
        with pytest.raises(AssertionError, match="redirects in a row"):
            client.get("/login", follow_redirects=True)
    finally:
        app.view_functions["auth.login"] = view
    assert len(hops) == MAX_REDIRECTS + 1
