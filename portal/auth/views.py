"""Log in, log out, change a password, reset a forgotten one by e-mail."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, request, session, url_for
from flask_login import current_user, login_user, logout_user
from werkzeug.security import check_password_hash

from portal.auth import services
from portal.auth.forms import ChangePasswordForm, ForgotPasswordForm, LoginForm, ResetPasswordForm
from portal.auth.mail import send_reset_link
from portal.core.policy import ANY_USER, PUBLIC, access
from portal.core.text import lazy_gettext as _l
from portal.extensions import db
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


@bp.route("/login", methods=["GET", "POST"])
@access(PUBLIC)
def login():
    """The login page; a failure never says whether the e-mail exists."""
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is not None:
            session.permanent = True
            login_user(user)
            return redirect(safe_next(form.next.data) or url_for("main.home"))
        form.password.errors.append(LOGIN_FAILED)
    return render(
        "auth/login.html", form=form, mail_enabled=bool(current_app.config.get("MAIL_SERVER"))
    )


@bp.route("/logout", methods=["POST"])
@access(ANY_USER)
def logout():
    """Log out (a POST, so no link or prefetch can do it)."""
    logout_user()
    session.pop("locale", None)
    flash(_l("You have logged out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@access(ANY_USER)
def change_password():
    """Every user changes their own password; required after an admin reset."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if not check_password_hash(current_user.password_hash, form.current_password.data):
            form.current_password.errors.append(_l("The current password is wrong."))
        else:
            services.set_password(current_user, form.new_password.data)
            db.session.commit()
            # The session token changed with the password: this session carries the new one.
            login_user(current_user._get_current_object())
            flash(_l("Your password has been changed."), "success")
            return redirect(url_for("main.home"))
    return render("auth/change_password.html", form=form)


@bp.route("/password/forgot", methods=["GET", "POST"])
@access(PUBLIC)
def forgot_password():
    """Ask for a reset link by e-mail (only where SMTP is configured)."""
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
    except services.AuthError:
        flash(_l("This reset link is invalid or has expired. Please ask for a new one."), "danger")
        return redirect(url_for("auth.forgot_password"))
    form = ResetPasswordForm()
    if form.validate_on_submit():
        services.set_password(user, form.new_password.data)
        db.session.commit()
        flash(_l("Your password has been set. You can log in now."), "success")
        return redirect(url_for("auth.login"))
    return render("auth/reset_password.html", form=form, token=token)
