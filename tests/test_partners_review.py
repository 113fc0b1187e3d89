"""Partner registration as an applicant meets it: even a tampered choice is refused in
the reader's language, beside its field."""

from __future__ import annotations

from tests.support.pages import field_error, shown
from tests.support.partners import FORM


def test_an_unknown_sector_is_refused_in_indonesian_beside_the_field(app, client, db):
    response = client.post("/partners/register", data=dict(FORM, sector="casino"))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert field_error(page, "sector") == shown(app, "Choose the company's sector.")
    assert FORM["company_name"] in page
