"""A temporary password and an invitation link are kept on the server, shown once after
the redirect, and never travel in the (signed, not encrypted) session cookie."""

from __future__ import annotations

import json
import re

from sqlalchemy import func, select

from portal.models import AuditEvent
from tests import factories
from tests.conftest import OwnContextClient

TEMPORARY = re.compile(r'<code id="temporary-password">([^<]+)</code>')
LINK = re.compile(r'value="(https?://[^"]+/partners/invitations/([^"]+))"')


def session_contents(client) -> str:
    """The session cookie decoded with the app's own serializer, as text."""
    cookie = client.get_cookie("session")
    if cookie is None:
        return ""
    app = client.application
    data = app.session_interface.get_signing_serializer(app).loads(cookie.value)
    return json.dumps(data, default=str)


def resets_of(db, user) -> int:
    query = select(func.count()).where(
        AuditEvent.action == "password_reset", AuditEvent.object_id == user.id
    )
    return db.session.scalar(query)


def test_a_reset_password_is_shown_once_and_never_in_the_cookie(client, login_as, make_user, db):
    login_as("admin")
    village = make_user("village")
    response = client.post(f"/admin/users/{village.id}/password")
    assert response.status_code == 302
    cookie_after_post = session_contents(client)

    page = client.get(response.headers["Location"])
    match = TEMPORARY.search(page.get_data(as_text=True))
    assert match, "the temporary password is shown after the redirect"
    password = match.group(1)
    assert password not in cookie_after_post
    assert password not in session_contents(client)
    assert "no-store" in page.headers["Cache-Control"]

    db.session.refresh(village)
    hash_after_reset = village.password_hash
    refreshed = client.get(response.headers["Location"])
    assert refreshed.status_code == 200
    assert password not in refreshed.get_data(as_text=True)
    assert TEMPORARY.search(refreshed.get_data(as_text=True)) is None
    db.session.refresh(village)
    assert village.password_hash == hash_after_reset  # a refresh resets nothing
    assert resets_of(db, village) == 1


def test_a_new_accounts_password_is_not_in_the_cookie(client, login_as, db):
    login_as("admin")
    data = {
        "email": "baru@kukar.example",
        "name": "Siti Rahmawati",
        "title": "Operator Puskesos",
        "role": "admin",
    }
    response = client.post("/admin/users/new", data=data)
    assert response.status_code == 302
    cookie_after_post = session_contents(client)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    password = TEMPORARY.search(page).group(1)
    assert password not in cookie_after_post
    assert TEMPORARY.search(client.get(response.headers["Location"]).get_data(as_text=True)) is None


def test_only_the_admin_who_reset_sees_the_password(app, client, login_as, make_user, db):
    login_as("admin")
    village = make_user("village")
    other_admin = make_user("admin")
    response = client.post(f"/admin/users/{village.id}/password")

    other = OwnContextClient(app, app.response_class, use_cookies=True)
    other.post("/login", data={"email": other_admin.email, "password": "rahasia-uji-123"})
    assert TEMPORARY.search(other.get(response.headers["Location"]).get_data(as_text=True)) is None
    # ... and it is still there for the admin who asked.
    assert TEMPORARY.search(client.get(response.headers["Location"]).get_data(as_text=True))


def test_the_password_belongs_to_the_user_page_it_was_issued_for(client, login_as, make_user, db):
    login_as("admin")
    village, officer = make_user("village"), make_user("officer")
    client.post(f"/admin/users/{village.id}/password")
    assert TEMPORARY.search(client.get(f"/admin/users/{officer.id}").get_data(as_text=True)) is None
    assert TEMPORARY.search(client.get(f"/admin/users/{village.id}").get_data(as_text=True))


def test_an_invitation_link_is_shown_once_and_never_in_the_cookie(client, auth, db):
    inviter = factories.user_for_role("partner", company=factories.CompanyFactory())
    db.session.commit()
    auth.login(inviter)
    response = client.post("/partners/company/invitations", data={"email": "budi@contoh.example"})
    assert response.status_code == 302
    cookie_after_post = session_contents(client)

    page = client.get("/partners/company")
    match = LINK.search(page.get_data(as_text=True))
    assert match, "the invitation link is shown after the redirect"
    link, token = match.groups()
    assert token not in cookie_after_post
    assert token not in session_contents(client)
    assert "no-store" in page.headers["Cache-Control"]
    assert token not in client.get("/partners/company").get_data(as_text=True)


def test_a_colleague_of_the_same_company_does_not_see_the_link(app, client, auth, db):
    company = factories.CompanyFactory()
    inviter = factories.user_for_role("partner", company=company)
    colleague = factories.user_for_role("partner", company=company)
    db.session.commit()
    auth.login(inviter)
    client.post("/partners/company/invitations", data={"email": "budi@contoh.example"})

    other = OwnContextClient(app, app.response_class, use_cookies=True)
    other.post("/login", data={"email": colleague.email, "password": "rahasia-uji-123"})
    assert LINK.search(other.get("/partners/company").get_data(as_text=True)) is None
    assert LINK.search(client.get("/partners/company").get_data(as_text=True))


def test_an_unseen_secret_expires_and_is_swept(client, login_as, make_user, db):
    from datetime import timedelta

    from sqlalchemy import update

    from portal.core.dates import utcnow
    from portal.core.handover import HandOver

    login_as("admin")
    village, officer, camat = make_user("village"), make_user("officer"), make_user("camat")
    client.post(f"/admin/users/{village.id}/password")
    client.post(f"/admin/users/{officer.id}/password")
    db.session.execute(update(HandOver).values(expires_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    assert TEMPORARY.search(client.get(f"/admin/users/{village.id}").get_data(as_text=True)) is None
    # The next hand-over sweeps the ones nobody came to see.
    client.post(f"/admin/users/{camat.id}/password")
    assert db.session.scalars(select(HandOver.subject_id)).all() == [camat.id]
