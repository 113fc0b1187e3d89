"""Log in, log out, change a password, reset a forgotten one by e-mail."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, request, url_for
from flask_login import current_user
from werkzeug.security import check_password_hash

from portal.auth import services, sessions
from portal.auth.forms import ChangePasswordForm, ForgotPasswordForm, LoginForm, ResetPasswordForm
from portal.auth.mail import send_reset_link
from portal.auth.session import current_login, log_in, log_out
from portal.core import throttle
from portal.core.policy import ANY_USER, PUBLIC, access
from portal.core.refusals import Refusal
from portal.core.text import lazy_gettext as _l
from portal.extensions import db, limiter
from portal.htmx import render

bp = Blueprint("auth", __name__)
LOGIN_FAILED = _l("The e-mail or password is wrong, or the account is not active.")


def safe_next(target: str | None) -> str | None:
    """Only same-site paths are followed after login.

    Browsers read ``/\\host`` as ``//host`` and drop tabs and newlines, so any
    backslash or control character refuses the target too.
    """
    if not target or "\\" in target or any(ord(c) < 32 or ord(c) == 127 for c in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def _login_page(form: LoginForm, status: int = 200):
    return render(
        "auth/login.html",
        status=status,
        form=form,
        mail_enabled=bool(current_app.config.get("MAIL_SERVER")),
    )


def _login_throttled(limit):
    """Too many failed logins: the form again, with the typed e-mail and how long to wait."""
    form = LoginForm()
    form.form_errors.append(throttle.wait_message(limit))
    return throttle.refused(_login_page(form), limit)


@bp.route("/login", methods=["GET", "POST"])
@access(PUBLIC)
@limiter.limit(
    throttle.configured("LOGIN_LIMIT_PER_ACCOUNT"),
    key_func=throttle.account_key,
    methods=["POST"],
    deduct_when=throttle.failed_login,
    on_breach=_login_throttled,
)
@limiter.limit(
    throttle.configured("LOGIN_LIMIT_PER_ADDRESS"),
    key_func=throttle.address_key,
    methods=["POST"],
    deduct_when=throttle.failed_login,
    on_breach=_login_throttled,
)
def login():
    """The login page; a failure never says whether the e-mail exists.

    Failed attempts are counted per account and per address; past either limit the
    form answers 429 until the window ends, even to the right password.
    """
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is not None:
            log_in(user)
            return redirect(safe_next(form.next.data) or url_for("main.home"))
        form.password.errors.append(LOGIN_FAILED)
    return _login_page(form)


@bp.route("/logout", methods=["POST"])
@access(ANY_USER)
def logout():
    """Log out on this device (a POST, so no link or prefetch can do it)."""
    log_out()
    flash(_l("You have logged out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/logout/all", methods=["POST"])
@access(ANY_USER)
def logout_everywhere():
    """End every session of this account, on every device, this one included."""
    log_out(everywhere=True)
    flash(_l("You have logged out on every device."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@access(ANY_USER)
def change_password():
    """Every user changes their own password; required after an admin reset."""
    form = ChangePasswordForm(account_email=current_user.email)
    if form.validate_on_submit():
        if not check_password_hash(current_user.password_hash, form.current_password.data):
            form.current_password.errors.append(_l("The current password is wrong."))
        else:
            # This device stays logged in; the account's other sessions end.
            services.set_password(current_user, form.new_password.data, keep=current_login())
            db.session.commit()
            flash(_l("Your password has been changed."), "success")
            return redirect(url_for("main.home"))
    devices = sessions.live_for(current_user, current_app.config["PERMANENT_SESSION_LIFETIME"])
    return render(
        "auth/change_password.html", form=form, devices=devices, this_device=current_login()
    )


def _reset_request_throttled(limit):
    if not current_app.config.get("MAIL_SERVER"):
        return None
    form = ForgotPasswordForm()
    form.form_errors.append(throttle.wait_message(limit))
    return throttle.refused(render("auth/forgot_password.html", form=form), limit)


@bp.route("/password/forgot", methods=["GET", "POST"])
@access(PUBLIC)
@limiter.limit(
    throttle.configured("RESET_LIMIT_PER_ACCOUNT"),
    key_func=throttle.account_key,
    methods=["POST"],
    on_breach=_reset_request_throttled,
)
@limiter.limit(
    throttle.configured("RESET_LIMIT_PER_ADDRESS"),
    key_func=throttle.address_key,
    methods=["POST"],
    on_breach=_reset_request_throttled,
)
def forgot_password():
    """Ask for a reset link by e-mail (only where SMTP is configured); every request is
    counted per account and per address, so the form cannot be used to flood a mailbox."""
    if not current_app.config.get("MAIL_SERVER"):
        return render("auth/forgot_password.html", form=None)
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        user = services.find_by_email(form.email.data)
        if user is not None and user.active:
            send_reset_link(user)
        flash(
            _l("If that address belongs to an active account, a reset link is on its way."), "info"
        )
        return redirect(url_for("auth.login"))
    return render("auth/forgot_password.html", form=form)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@access(PUBLIC)
def reset_password(token: str):
    """Choose a new password from an e-mailed link."""
    try:
        user = services.user_for_reset_token(token)
    except Refusal:
        flash(_l("This reset link is invalid or has expired. Please ask for a new one."), "danger")
        return redirect(url_for("auth.forgot_password"))
    form = ResetPasswordForm(account_email=user.email)
    if form.validate_on_submit():
        services.set_password(user, form.new_password.data)
        db.session.commit()
        flash(_l("Your password has been set. You can log in now."), "success")
        return redirect(url_for("auth.login"))
    return render("auth/reset_password.html", form=form, token=token)
