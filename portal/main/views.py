"""Home pages, the language switch and the load balancers' health check."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, redirect, request, session, url_for
from flask_login import current_user
from sqlalchemy import text

from portal.auth.views import safe_next
from portal.core.policy import ANY_USER, PUBLIC, access
from portal.extensions import db
from portal.htmx import render
from portal.main.services import summary_for

bp = Blueprint("main", __name__)


@bp.route("/")
@access(ANY_USER)
def home():
    """Each role lands on its own home page, scoped to its kecamatan, desa or company."""
    return render(f"main/home_{current_user.role}.html", summary=summary_for(current_user))


@bp.route("/locale", methods=["POST"])
@access(PUBLIC)
def set_locale():
    """Switch between Bahasa Indonesia and English (kept on the account when logged in)."""
    locale = request.form.get("locale", "")
    if locale in current_app.config["LANGUAGES"]:
        session["locale"] = locale
        if current_user.is_authenticated:
            current_user.locale = locale
            db.session.commit()
    return redirect(safe_next(request.form.get("next")) or url_for("main.home"))


@bp.route("/healthz")
@access(PUBLIC)
def healthz():
    """200 with the database reachable, 503 without: for load balancers."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # any driver error means "not reachable"
        db.session.rollback()
        return jsonify(status="error", database="unreachable"), 503
    return jsonify(status="ok", database="ok")
