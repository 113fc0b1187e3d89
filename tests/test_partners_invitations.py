"""Staff invitations: a company's staff bring in colleagues by a one-time link."""

import re
from datetime import timedelta

import pytest
from flask_babel import gettext
from markupsafe import escape
from sqlalchemy import select

from portal.core.audit import history
from portal.core.dates import utcnow
from portal.core.refusals import Refusal
from portal.models import Notification, User
from portal.partners import services
from tests import factories
from tests.conftest import redirect_of

PASSWORD = "kata-sandi-panjang"
USED = "This invitation has already been used. Log in with your account."
EXPIRED = "This invitation has expired. Ask your colleague for a new one."
WITHDRAWN = "This invitation was withdrawn. Ask your colleague for a new one."
NOT_VALID = "This invitation link is not valid. Check that it was copied whole."


def shown(app, message, **params) -> str:
    """A message as the default (Indonesian) page shows it, HTML-escaped."""
    with app.test_request_context():
        return str(escape(gettext(str(message), **params)))


def staff_of(status: str = "active", **kwargs):
    company = factories.CompanyFactory(status=status)
    user = factories.user_for_role("partner", company=company, **kwargs)
    factories.db.session.commit()
    return user


# --- the rules ---------------------------------------------------------------------


def test_invitation_stores_only_the_token_hash(ctx):
    inviter = staff_of()
    invitation, token = services.invite_colleague(inviter, " Budi@Contoh.example ")
    assert invitation.email == "budi@contoh.example"
    assert token not in invitation.token_hash
    assert len(invitation.token_hash) == 64
    assert services.invitation_state(invitation) == "open"
    assert history(invitation)[0].action == "invitation_created"


def test_accepting_creates_a_partner_of_the_inviting_company(ctx):
    inviter = staff_of()
    invitation, token = services.invite_colleague(inviter, "budi@contoh.example")
    user = services.accept_invitation(token, "Budi", PASSWORD)
    ctx.session.commit()
    assert (user.role, user.company_id, user.email) == (
        "partner",
        inviter.company_id,
        invitation.email,
    )
    assert services.invitation_state(invitation) == "accepted"
    note = ctx.session.scalar(select(Notification).where(Notification.user_id == inviter.id))
    assert note.params["name"] == "Budi"


def test_a_used_invitation_is_refused(ctx):
    inviter = staff_of()
    _, token = services.invite_colleague(inviter, "budi@contoh.example")
    services.accept_invitation(token, "Budi", PASSWORD)
    ctx.session.commit()
    with pytest.raises(Refusal) as refused:
        services.accept_invitation(token, "Budi Lagi", PASSWORD)
    assert str(refused.value) == gettext(USED)


def test_an_expired_invitation_is_refused(ctx):
    inviter = staff_of()
    invitation, token = services.invite_colleague(inviter, "budi@contoh.example")
    invitation.expires_at = utcnow() - timedelta(minutes=1)
    ctx.session.commit()
    with pytest.raises(Refusal) as refused:
        services.accept_invitation(token, "Budi", PASSWORD)
    assert str(refused.value) == gettext(EXPIRED)


def test_a_revoked_invitation_is_refused(ctx):
    inviter = staff_of()
    invitation, token = services.invite_colleague(inviter, "budi@contoh.example")
    services.revoke_invitation(inviter, invitation)
    ctx.session.commit()
    with pytest.raises(Refusal) as refused:
        services.accept_invitation(token, "Budi", PASSWORD)
    assert str(refused.value) == gettext(WITHDRAWN)


def test_a_made_up_token_is_refused(ctx):
    with pytest.raises(Refusal) as refused:
        services.invitation_for_token("made-up")
    assert str(refused.value) == gettext(NOT_VALID)


def test_an_address_that_already_has_an_account_is_invited_but_cannot_accept(ctx, make_user):
    inviter = staff_of()
    make_user("officer", email="budi@contoh.example")
    _, token = services.invite_colleague(inviter, "budi@contoh.example")
    with pytest.raises(Refusal) as refused:
        services.accept_invitation(token, "Budi", PASSWORD)
    assert str(refused.value) == gettext(str(services.INVITATION_UNUSABLE))


def test_an_address_with_an_open_invitation_is_not_invited_twice(ctx):
    inviter = staff_of()
    services.invite_colleague(inviter, "budi@contoh.example")
    with pytest.raises(Refusal) as refused:
        services.invite_colleague(inviter, "budi@contoh.example")
    assert refused.value.field == "email"


@pytest.mark.parametrize("status", ["pending", "rejected", "suspended"])
def test_only_staff_of_an_active_company_invite(ctx, status):
    inviter = staff_of(status)
    with pytest.raises(Refusal):
        services.invite_colleague(inviter, "budi@contoh.example")


def test_staff_of_another_company_cannot_revoke_an_invitation(ctx):
    inviter = staff_of()
    stranger = staff_of()
    invitation, _ = services.invite_colleague(inviter, "budi@contoh.example")
    assert services.get_company_invitation(stranger, invitation.id) is None
    with pytest.raises(Refusal):
        services.revoke_invitation(stranger, invitation)
    assert services.invitation_state(invitation) == "open"


def test_an_invitation_joins_only_an_active_or_suspended_company(ctx):
    inviter = staff_of()
    _, token = services.invite_colleague(inviter, "budi@contoh.example")
    inviter.company.status = "rejected"
    with pytest.raises(Refusal):
        services.accept_invitation(token, "Budi", PASSWORD)
    inviter.company.status = "suspended"
    assert services.accept_invitation(token, "Budi", PASSWORD).company_id == inviter.company_id


# --- through HTTP ------------------------------------------------------------------


def _link_from(page: str) -> str:
    match = re.search(r'value="https?://[^/"]+(/partners/invitations/[^"]+)"', page)
    assert match, "the invitation link is shown once"
    return match.group(1)


def test_without_smtp_the_link_is_shown_once_to_the_inviter(client, auth, db):
    inviter = staff_of()
    auth.login(inviter)
    response = client.post("/partners/company/invitations", data={"email": "budi@contoh.example"})
    assert redirect_of(response) == "/partners/company"
    page_response = client.get("/partners/company")
    assert page_response.headers["Cache-Control"] == "no-store"
    link = _link_from(page_response.get_data(as_text=True))
    again = client.get("/partners/company").get_data(as_text=True)
    assert link not in again
    assert "budi@contoh.example" in again  # listed as an open invitation


def test_with_smtp_the_invitation_is_e_mailed(app, client, auth, db, monkeypatch):
    sent = []
    monkeypatch.setattr("portal.core.mail.send_now", lambda to, s, b: sent.append((to, s, b)))
    monkeypatch.setitem(app.config, "MAIL_SERVER", "smtp.contoh.example")
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", "https://sinergi.contoh.example")
    monkeypatch.setitem(app.config, "MAIL_SENDER", "sinergi@contoh.example")
    inviter = staff_of()
    auth.login(inviter)
    client.post("/partners/company/invitations", data={"email": "budi@contoh.example"})
    assert [to for to, _, _ in sent] == ["budi@contoh.example"]
    assert "/partners/invitations/" in sent[0][2]
    assert "/partners/invitations/" not in client.get("/partners/company").get_data(as_text=True)


def test_an_invitee_accepts_through_the_page_and_is_logged_in(app, client, auth, db):
    inviter = staff_of()
    auth.login(inviter)
    client.post("/partners/company/invitations", data={"email": "budi@contoh.example"})
    link = _link_from(client.get("/partners/company").get_data(as_text=True))
    auth.logout()
    page = client.get(link)
    assert page.status_code == 200
    assert "budi@contoh.example" in page.get_data(as_text=True)
    response = client.post(link, data={"name": "Budi", "password": PASSWORD, "confirm": PASSWORD})
    assert redirect_of(response) == "/"
    user = db.session.scalar(select(User).where(User.email == "budi@contoh.example"))
    assert user.company_id == inviter.company_id
    assert client.get("/partners/company").status_code == 200
    # The link is spent.
    auth.logout()
    spent = client.get(link)
    assert spent.status_code == 410
    assert shown(app, USED) in spent.get_data(as_text=True)


def test_accept_form_errors_keep_the_name(client, db, app):
    inviter = staff_of()
    with app.test_request_context():
        _, token = services.invite_colleague(inviter, "budi@contoh.example")
    db.session.commit()
    response = client.post(
        f"/partners/invitations/{token}", data={"name": "Budi", "password": "pendek", "confirm": ""}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'value="Budi"' in page
    assert 'id="password-error"' in page
    assert db.session.scalar(select(User).where(User.email == "budi@contoh.example")) is None


def test_an_expired_link_is_refused_clearly(client, db, app):
    inviter = staff_of()
    with app.test_request_context():
        invitation, token = services.invite_colleague(inviter, "budi@contoh.example")
    invitation.expires_at = utcnow() - timedelta(days=1)
    db.session.commit()
    response = client.get(f"/partners/invitations/{token}")
    assert response.status_code == 410
    assert shown(app, EXPIRED) in response.get_data(as_text=True)


def test_invite_errors_are_shown_beside_the_field(client, auth, db):
    auth.login(staff_of())
    response = client.post("/partners/company/invitations", data={"email": "bukan-email"})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'id="email-error"' in page
    assert 'value="bukan-email"' in page


def test_a_partner_cannot_revoke_another_companys_invitation_by_changing_the_id(
    client, auth, db, app
):
    inviter = staff_of()
    with app.test_request_context():
        invitation, _ = services.invite_colleague(inviter, "budi@contoh.example")
    db.session.commit()
    auth.login(staff_of())
    assert client.post(f"/partners/company/invitations/{invitation.id}/revoke").status_code == 404
    db.session.refresh(invitation)
    assert invitation.revoked_at is None


def test_a_partner_revokes_an_own_invitation(client, auth, db, app):
    inviter = staff_of()
    with app.test_request_context():
        invitation, _ = services.invite_colleague(inviter, "budi@contoh.example")
    db.session.commit()
    auth.login(inviter)
    revoke = f"/partners/company/invitations/{invitation.id}/revoke"
    assert redirect_of(client.post(revoke)) == "/partners/company"
    db.session.refresh(invitation)
    assert invitation.revoked_at is not None


def test_the_company_page_lists_only_own_staff(client, auth, db):
    me = staff_of(name="Saya Sendiri")
    other = staff_of(name="Orang Lain")
    auth.login(me)
    page = client.get("/partners/company").get_data(as_text=True)
    assert "Saya Sendiri" in page
    assert "Orang Lain" not in page
    assert other.company.name not in page
