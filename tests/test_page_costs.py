"""What a page costs the database: the user, their login session and their scope in one
query, and lists whose queries do not grow with their rows. The navigation is worked out
once per role, and each role still sees only its own."""

from __future__ import annotations

from tests import factories
from tests.support.contributions import make_contribution
from tests.support.queries import counted


def test_a_form_page_costs_the_login_and_its_own_query(login_as, client):
    login_as("officer")
    client.get("/account/password")
    with counted() as statements:
        assert client.get("/account/password").status_code == 200
    # The session with its user and scope, then the page's list of live sessions.
    assert len(statements) == 2, statements


def test_the_contribution_list_costs_the_same_for_more_rows(login_as, client):
    login_as("officer")
    company = factories.CompanyFactory(status="active")
    make_contribution(company)
    client.get("/contributions/")
    with counted() as few:
        client.get("/contributions/")
    for _ in range(4):
        make_contribution(company)
    with counted() as many:
        page = client.get("/contributions/").get_data(as_text=True)
    assert page.count('href="/contributions/') >= 5
    assert len(many) == len(few)


def test_each_role_sees_its_own_navigation_in_one_process(make_user, auth, client):
    pages = {}
    for user in (make_user("officer"), make_user("admin"), make_user("officer")):
        auth.login(user)
        pages.setdefault(user.role, []).append(client.get("/").get_data(as_text=True))
        auth.logout()
    assert all('href="/admin/users"' in page for page in pages["admin"])
    assert all('href="/admin/users"' not in page for page in pages["officer"])
    assert all('href="/registry/imports/"' in page for page in pages["officer"])


def test_the_kept_navigation_follows_the_language_and_marks_the_current_page(login_as, client):
    login_as("officer")
    client.post("/locale", data={"locale": "en"})
    english = client.get("/contributions/").get_data(as_text=True)
    assert '<a href="/registry/recipients">Recipients</a>' in english
    assert '<a href="/contributions/" aria-current="page">Contributions</a>' in english
    client.post("/locale", data={"locale": "id"})
    indonesian = client.get("/registry/recipients").get_data(as_text=True)
    assert '<a href="/registry/recipients" aria-current="page">Penerima</a>' in indonesian
    assert '<a href="/contributions/">' in indonesian
