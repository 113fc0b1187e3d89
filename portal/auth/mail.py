"""The password-reset e-mail: a signed link, sent by the background mail task."""

from __future__ import annotations

from flask_babel import force_locale, get_locale, gettext

from portal.auth.services import RESET_MAX_AGE, reset_token
from portal.core.mail import deliver, public_url
from portal.core.notify import path_for
from portal.models import User


def reset_url(token: str) -> str:
    """The absolute reset link, on PUBLIC_BASE_URL (never the request's Host header)."""
    return public_url(path_for("auth.reset_password", token=token))


def send_reset_link(user: User) -> None:
    """Queue an e-mail to ``user`` with a link to choose a new password, in their language."""
    link = reset_url(reset_token(user))
    with force_locale(user.locale or str(get_locale())):
        subject = gettext("Sinergi: choose a new password")
        body = gettext(
            "Hello %(name)s,\n\n"
            "Someone asked to reset the password of your Sinergi account. "
            "Open this link to choose a new one:\n\n%(link)s\n\n"
            "The link works once and for %(minutes)s minutes. "
            "If you did not ask for it, ignore this e-mail; your password stays as it is.",
            name=user.name,
            link=link,
            minutes=RESET_MAX_AGE // 60,
        )
    deliver(user.email, subject, body)
