"""A search that may carry a NIK is read only from the request body: a NIK in the query
string searches nothing and is not echoed back (it would sit in access logs and history)."""

from __future__ import annotations

import pytest

from tests.support.registry import person

HX = {"HX-Request": "true"}


@pytest.mark.parametrize("headers", [{}, HX], ids=["page", "htmx"])
def test_a_nik_in_the_query_string_searches_nothing(client, login_as, db, headers):
    login_as("officer")
    wanted = person(name="Warga Dicari")
    person(name="Warga Lain")
    db.session.commit()
    response = client.get(f"/registry/recipients?q={wanted.nik}", headers=headers)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Warga Dicari" in html and "Warga Lain" in html  # the list, unsearched
    assert f'value="{wanted.nik}"' not in html


def test_a_name_in_the_query_string_searches_nothing_either(client, login_as, db):
    login_as("officer")
    person(name="Warga Dicari")
    person(name="Warga Lain")
    db.session.commit()
    html = client.get("/registry/recipients?q=Dicari&state=pending").get_data(as_text=True)
    assert "Warga Lain" in html and 'value="Dicari"' not in html


def test_the_search_form_is_a_real_post_form_that_searches(client, login_as, db):
    login_as("officer")
    wanted = person(name="Warga Dicari")
    person(name="Warga Lain")
    db.session.commit()
    page = client.get("/registry/recipients").get_data(as_text=True)
    assert 'id="recipient-search" method="post"' in page
    html = client.post("/registry/recipients", data={"q": wanted.nik}).get_data(as_text=True)
    assert "Warga Dicari" in html and "Warga Lain" not in html


def test_a_nik_in_the_lookup_query_string_looks_nothing_up(client, login_as, db):
    login_as("officer")
    wanted = person(name="Warga Dicari")
    db.session.commit()
    html = client.get(f"/registry/lookup?nik={wanted.nik}").get_data(as_text=True)
    assert "Warga Dicari" not in html and wanted.nik not in html
