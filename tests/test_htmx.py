"""Pages and fragments: HTMX gets the named block, everyone else the whole page,
and every response carries the Content-Security-Policy."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from portal.jobs.services import create_job

HX = {"HX-Request": "true"}


@pytest.fixture()
def job_of(db):
    def make(user, **kwargs):
        job = create_job("worker_check", actor=user, **kwargs)
        db.session.commit()
        return job

    return make


def test_job_page_is_whole_without_htmx(client, login_as, job_of):
    job = job_of(login_as("officer"), total=10)
    response = client.get(f"/jobs/{job.id}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html.startswith("<!doctype html>")
    assert 'id="job-status"' in html and "<h1>" in html
    assert "HX-Request" in response.headers["Vary"]


def test_job_page_is_only_the_status_block_for_htmx(client, login_as, job_of):
    job = job_of(login_as("officer"), total=10)
    response = client.get(f"/jobs/{job.id}", headers=HX)
    html = response.get_data(as_text=True).strip()
    assert response.status_code == 200
    assert html.startswith('<section id="job-status"') and html.endswith("</section>")
    assert "<h1>" not in html and "<html" not in html
    assert f'hx-get="/jobs/{job.id}"' in html  # keeps polling while it runs
    assert "HX-Request" in response.headers["Vary"]


def test_finished_job_stops_polling(client, login_as, job_of, db):
    job = job_of(login_as("partner"))
    job.state = "done"
    db.session.commit()
    html = client.get(f"/jobs/{job.id}", headers=HX).get_data(as_text=True)
    assert "hx-get" not in html and "hx-trigger" not in html


def test_history_restore_gets_the_whole_page(client, login_as, job_of):
    job = job_of(login_as("officer"))
    headers = {**HX, "HX-History-Restore-Request": "true"}
    html = client.get(f"/jobs/{job.id}", headers=headers).get_data(as_text=True)
    assert html.startswith("<!doctype html>")


@pytest.mark.parametrize("headers", [{}, HX], ids=["page", "htmx"])
def test_another_users_job_is_not_found(client, login_as, make_user, job_of, headers):
    other = make_user("officer")
    job = job_of(other)
    login_as("officer")
    assert client.get(f"/jobs/{job.id}", headers=headers).status_code == 404


def test_an_admin_may_follow_any_job(client, login_as, make_user, job_of):
    job = job_of(make_user("village"))
    login_as("admin")
    assert client.get(f"/jobs/{job.id}").status_code == 200


@pytest.mark.parametrize(
    ("method", "path", "code"),
    [("get", "/jobs/nope", 404), ("post", "/jobs/check", 403), ("get", "/logout", 405)],
)
def test_error_pages_are_fragments_for_htmx(client, login_as, method, path, code):
    login_as("officer")
    page = getattr(client, method)(path)
    fragment = getattr(client, method)(path, headers=HX)
    assert page.status_code == fragment.status_code == code
    assert page.get_data(as_text=True).startswith("<!doctype html>")
    html = fragment.get_data(as_text=True).strip()
    assert html.startswith('<article class="error-page"') and "<html" not in html
    assert f"{code}" in html
    assert "HX-Request" in fragment.headers["Vary"]


def test_every_response_carries_the_csp(client, login_as, job_of):
    anonymous = [
        client.get("/login"),
        client.get("/"),  # redirect
        client.get("/healthz"),
        client.get("/static/css/portal.css"),
        client.get("/no-such-page"),
        client.get("/", headers=HX),
    ]
    job = job_of(login_as("camat"))
    logged_in = [
        client.get("/"),
        client.get(f"/jobs/{job.id}"),
        client.get(f"/jobs/{job.id}", headers=HX),
        client.get("/jobs/missing", headers=HX),
        client.get("/logout"),
    ]
    for response in anonymous + logged_in:
        response.close()  # the static file's handle
        csp = response.headers.get("Content-Security-Policy", "")
        assert "default-src 'self'" in csp and "script-src 'self'" in csp, response.request.path
        assert "unsafe-inline" not in csp
        assert response.headers["X-Content-Type-Options"] == "nosniff"


class InlineFinder(HTMLParser):
    """Collects what a strict CSP would block: inline scripts, styles and handlers."""

    def __init__(self):
        super().__init__()
        self.problems: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        names = {name for name, _ in attrs}
        if tag == "script":
            self._in_script = True
            if "src" not in names:
                self.problems.append("<script> without src")
        if tag == "style":
            self.problems.append("<style> element")
        if "style" in names:
            self.problems.append(f"style attribute on <{tag}>")
        self.problems += [f"{name} on <{tag}>" for name in names if name.startswith("on")]
        self.problems += [f"hx-on on <{tag}>" for name in names if name.startswith("hx-on")]

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.problems.append("inline script content")


def inline_problems(html: str) -> list[str]:
    finder = InlineFinder()
    finder.feed(html)
    return finder.problems


@pytest.mark.parametrize("role", ["admin", "officer", "camat", "village", "partner"])
def test_layout_has_no_inline_script_or_style(client, login_as, job_of, role):
    user = login_as(role)
    job = job_of(user, total=4)
    for path in ("/", "/jobs/", f"/jobs/{job.id}", "/account/password", "/jobs/missing"):
        assert inline_problems(client.get(path).get_data(as_text=True)) == [], path


def test_login_pages_have_no_inline_script_or_style(client):
    for path in ("/login", "/password/forgot"):
        assert inline_problems(client.get(path).get_data(as_text=True)) == [], path


@pytest.mark.parametrize(
    ("state", "label"),
    [
        ("queued", "Menunggu"),
        ("running", "Sedang berjalan"),
        ("done", "Selesai"),
        ("failed", "Gagal"),
    ],
)
def test_job_kind_and_state_are_labelled(client, login_as, job_of, db, state, label):
    user = login_as("officer")
    job = job_of(user)
    job.state = state
    db.session.commit()
    html = client.get("/jobs/").get_data(as_text=True)
    row = re.search(rf'<a href="/jobs/{job.id}">([^<]*)</a>.*?</tr>', html, re.S)
    assert row, "the job is not listed"
    assert row.group(1) == "Pemeriksaan proses latar belakang"
    assert f'<span class="badge badge-{state}">{label}</span>' in row.group(0)
    assert "worker_check" not in html and f">{state}<" not in html
