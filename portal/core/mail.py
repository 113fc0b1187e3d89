"""E-mail through SMTP, sent by a Huey task so no request waits on the mail server."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage

from flask import current_app
from flask_babel import force_locale, gettext
from sqlalchemy import event
from sqlalchemy.orm import Session

from portal.core.queue import app_task
from portal.extensions import db

PENDING_MAIL = "sinergi_pending_mail"


def require_public_address(config) -> None:
    """Refuse to start a portal that sends mail without knowing its public address.

    Links in e-mail are built from PUBLIC_BASE_URL only: the request's Host header is
    whatever the sender typed, so a reset link built from it could point anywhere.
    Refusing (rather than logging a warning nobody reads) stops the deployment before
    the first broken or forged link is mailed."""
    if config.get("MAIL_SERVER") and not config.get("PUBLIC_BASE_URL"):
        raise RuntimeError(
            "MAIL_SERVER is set but PUBLIC_BASE_URL is not: set PUBLIC_BASE_URL to the "
            "portal's public address (e.g. https://sinergi.kukarkab.go.id) so that links in "
            "e-mail never follow the request's Host header, or unset MAIL_SERVER."
        )


def public_url(path: str) -> str:
    """The absolute address of ``path`` for an e-mail: PUBLIC_BASE_URL, never the request."""
    base = current_app.config.get("PUBLIC_BASE_URL")
    if not base:
        raise RuntimeError("PUBLIC_BASE_URL is not set; links in e-mail need it.")
    return base.rstrip("/") + path


def build_message(to: str, subject: str, body: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_SENDER"]
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    return message


def send_now(to: str, subject: str, body: str) -> None:
    """Deliver one message through the configured SMTP server."""
    config = current_app.config
    with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=30) as smtp:
        if config.get("MAIL_USE_TLS"):
            smtp.starttls()
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
        smtp.send_message(build_message(to, subject, body))


@app_task(retries=3, retry_delay=60)
def deliver(to: str, subject: str, body: str) -> None:
    """The background task behind every e-mail."""
    send_now(to, subject, body)


def queue_notification_mail(user, message: str, params: dict, link: str) -> None:
    """Mirror an in-app notification by e-mail, in the user's language. The mail is sent
    only once the change it reports is committed (never for a rolled-back one)."""
    with force_locale(user.locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        text = gettext(message, **params)
        subject = gettext("Sinergi: %(text)s", text=text[:60])
    body = text + (f"\n\n{public_url(link)}" if link else "")
    db.session.info.setdefault(PENDING_MAIL, []).append((user.email, subject, body))


@event.listens_for(Session, "after_commit")
def _send_after_commit(session: Session) -> None:
    for to, subject, body in session.info.pop(PENDING_MAIL, []):
        deliver(to, subject, body)


@event.listens_for(Session, "after_rollback")
def _drop_after_rollback(session: Session) -> None:
    session.info.pop(PENDING_MAIL, None)
