"""One definition of "validated": a validation older than the configured period has
expired, on the home page as in the registry list's filter."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from portal.main.services import summary_for
from tests.support.registry import person


def figure(html: str, label: str) -> int:
    found = re.search(r'<span class="figure">(\d+)</span>' + re.escape(label) + "<", html)
    assert found, f"no figure labelled {label!r}"
    return int(found.group(1))


def test_an_expired_person_is_counted_neither_on_the_home_page_nor_in_the_filter(
    client, login_as, db
):
    officer = login_as("officer")
    person(name="Warga Terkini", validation_status="validated", validated_at=datetime.now(UTC))
    person(
        name="Warga Kedaluwarsa",
        validation_status="validated",
        validated_at=datetime(2020, 1, 1, tzinfo=UTC),
    )
    db.session.commit()
    counts = summary_for(officer)["recipients"]
    assert counts.get("validated") == 1 and counts.get("expired") == 1
    home = client.get("/").get_data(as_text=True)
    assert figure(home, "Tervalidasi") == 1
    assert figure(home, "Validasi kedaluwarsa") == 1
    listed = client.get("/registry/recipients?state=validated").get_data(as_text=True)
    assert "Warga Terkini" in listed and "Warga Kedaluwarsa" not in listed
    expired = client.get("/registry/recipients?state=expired").get_data(as_text=True)
    assert "Warga Kedaluwarsa" in expired and "Warga Terkini" not in expired


def test_the_admin_home_page_counts_expired_people_apart(client, login_as, db):
    login_as("admin")
    person(validation_status="validated", validated_at=datetime(2020, 1, 1, tzinfo=UTC))
    db.session.commit()
    home = client.get("/").get_data(as_text=True)
    assert figure(home, "Tervalidasi") == 0
    assert figure(home, "Validasi kedaluwarsa") == 1
