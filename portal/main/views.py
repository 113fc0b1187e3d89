"""Home pages, the language switch and the load balancers' health check."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, redirect, request, session, url_for
from flask_login import current_user
from sqlalchemy import text

from portal.auth.views import safe_next
from portal.core.forms import ANY, NONE_CHOSEN
from portal.core.policy import ANY_USER, PUBLIC, access
from portal.extensions import db
from portal.htmx import render
from portal.main.services import desa_options, summary_for

bp = Blueprint("main", __name__)


@bp.route("/")
@access(ANY_USER)
def home():
    """Each role lands on its own home page, scoped to its kecamatan, desa or company."""
    return render(f"main/home_{current_user.role}.html", summary=summary_for(current_user))


@bp.route("/regions/desa-options")
@access(ANY_USER)
def desa_options_view():
    """The <option>s of a desa list for the chosen kecamatan (``kecamatan`` or
    ``kecamatan_id``; none: every desa the user may choose), for a desa list that
    follows its kecamatan list. ``empty=all`` starts the list with "All"."""
    raw = request.args.get("kecamatan") or request.args.get("kecamatan_id") or ""
    kecamatan_id = int(raw) if raw.isdigit() else None
    empty = ANY if request.args.get("empty") == "all" else NONE_CHOSEN
    return render(
        "main/_desa_options.html",
        desas=desa_options(current_user, kecamatan_id),
        empty=empty,
        chosen=request.args.get("desa") or request.args.get("desa_id") or "",
    )


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
