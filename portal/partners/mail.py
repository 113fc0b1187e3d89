"""The partners' e-mails, sent by the background mail task where SMTP is configured:
an invitation, and the neutral answers to the owner of an address that already has an
account (so the screen never has to say so to whoever typed it)."""

from __future__ import annotations

from flask_babel import force_locale, get_locale, gettext

from portal.core.mail import deliver, public_url
from portal.core.notify import path_for
from portal.models import CompanyInvitation, User
from portal.partners.services import INVITATION_DAYS


def invitation_url(token: str) -> str:
    """The absolute link to accept an invitation, on PUBLIC_BASE_URL (never the Host header)."""
    return public_url(path_for("partners.register_invited", token=token))


def _account_links() -> dict:
    return {
        "login": public_url(path_for("auth.login")),
        "forgot": public_url(path_for("auth.forgot_password")),
    }


def send_invitation(invitation: CompanyInvitation, token: str, inviter_name: str) -> None:
    """Queue the invitation e-mail, in the inviter's language (the invitee has none yet)."""
    with force_locale(str(get_locale())):
        subject = gettext("Sinergi: join %(company)s", company=invitation.company.name)
        body = gettext(
            "Hello,\n\n"
            "%(inviter)s invites you to work for %(company)s in Sinergi, the CSR aid "
            "portal of Kabupaten Kutai Kartanegara. Open this link to set your name "
            "and password:\n\n%(link)s\n\n"
            "The link works once and for %(days)s days. If you did not expect it, "
            "ignore this e-mail.",
            inviter=inviter_name,
            company=invitation.company.name,
            link=invitation_url(token),
            days=INVITATION_DAYS,
        )
    deliver(invitation.email, subject, body)


def send_invitation_to_an_account(
    invitation: CompanyInvitation, owner: User, inviter_name: str
) -> None:
    """Instead of an invitation link: the address already has an account, which an
    invitation cannot create again. Its owner is told how to go on."""
    with force_locale(owner.locale or str(get_locale())):
        subject = gettext("Sinergi: join %(company)s", company=invitation.company.name)
        body = gettext(
            "Hello %(name)s,\n\n"
            "%(inviter)s invited this address to work for %(company)s in Sinergi. "
            "It already has a Sinergi account, so the invitation cannot create another "
            "one. Log in with your account:\n\n%(login)s\n\n"
            "If you forgot your password, ask for a new one here:\n\n%(forgot)s\n\n"
            "If you should move to %(company)s, ask the Dinsos administrator. If you did "
            "not expect this, ignore this e-mail.",
            name=owner.name,
            inviter=inviter_name,
            company=invitation.company.name,
            **_account_links(),
        )
    deliver(owner.email, subject, body)


def send_registration_received(email: str, company_name: str) -> None:
    """Confirm a new registration to the address that registered it."""
    with force_locale(str(get_locale())):
        subject = gettext("Sinergi: registration of %(company)s received", company=company_name)
        body = gettext(
            "Hello,\n\n"
            "We received the registration of %(company)s in Sinergi. Dinas Sosial checks "
            "it and activates the company; until then you can log in to follow it:\n\n"
            "%(login)s\n\n"
            "If you did not register, tell the Dinsos administrator.",
            company=company_name,
            **_account_links(),
        )
    deliver(email, subject, body)


def send_registration_for_an_account(owner: User, company_name: str) -> None:
    """Someone registered a company with an address that already has an account: nothing
    was created; its owner is told how to go on."""
    with force_locale(owner.locale or str(get_locale())):
        subject = gettext("Sinergi: registration of %(company)s received", company=company_name)
        body = gettext(
            "Hello %(name)s,\n\n"
            "Someone registered %(company)s in Sinergi with this address. It already "
            "has a Sinergi account, so no new account or company was created. Log in "
            "with your account:\n\n%(login)s\n\n"
            "If you forgot your password, ask for a new one here:\n\n%(forgot)s\n\n"
            "If you did not do this, ignore this e-mail; your account stays as it is.",
            name=owner.name,
            company=company_name,
            **_account_links(),
        )
    deliver(owner.email, subject, body)
