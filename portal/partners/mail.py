"""The invitation e-mail, sent by the background mail task where SMTP is configured."""

from __future__ import annotations

from flask import current_app, url_for
from flask_babel import force_locale, get_locale, gettext

from portal.core.mail import deliver
from portal.models import CompanyInvitation
from portal.partners.services import INVITATION_DAYS


def invitation_url(token: str) -> str:
    """The absolute link to accept an invitation, on PUBLIC_BASE_URL when set."""
    if base := current_app.config.get("PUBLIC_BASE_URL"):
        return base.rstrip("/") + url_for("partners.register_invited", token=token)
    return url_for("partners.register_invited", token=token, _external=True)


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
