"""Home pages, the language switch and the load balancers' health check."""

from __future__ import annotations

import functools
import hashlib
import io
from pathlib import Path

from flask import (
    Blueprint,
    current_app,
    jsonify,
    redirect,
    request,
    send_file,
    session,
    url_for,
)
from flask_login import current_user
from sqlalchemy import text

from portal.admin.branding import current_logo
from portal.auth.views import safe_next
from portal.core.forms import ANY, NONE_CHOSEN
from portal.core.policy import ANY_USER, PUBLIC, access
from portal.dashboards.home import dashboard_for
from portal.extensions import db
from portal.htmx import render
from portal.main.services import desa_options, summary_for

bp = Blueprint("main", __name__)
DEFAULT_LOGO = "img/logo.svg"


@bp.route("/")
@access(ANY_USER)
def home():
    """Each role lands on its own home page, scoped to its kecamatan, desa or company: its
    shortcuts and its dashboard (charts drawn on the server, every number a link)."""
    summary = summary_for(current_user)
    return render(
        f"main/home_{current_user.role}.html",
        summary=summary,
        **dashboard_for(current_user, summary),
    )


@bp.route("/branding/logo")
@access(PUBLIC)
def logo():
    """The portal's logo for the header and the favicon: the one an admin uploaded, or the
    neutral default. Not personal data, so browsers may keep it (revalidating by ETag)."""
    uploaded = current_logo()
    if uploaded is None:
        data, mimetype = _default_logo(current_app.static_folder), "image/svg+xml"
    else:
        data, mimetype = uploaded.data, uploaded.content_type
    response = send_file(io.BytesIO(data), mimetype=mimetype, etag=False)
    response.set_etag(hashlib.sha256(data).hexdigest())
    response.headers["Cache-Control"] = "public, no-cache"
    response.headers["Content-Disposition"] = "inline"
    return response.make_conditional(request)


@functools.cache
def _default_logo(static_folder: str) -> bytes:
    return (Path(static_folder) / DEFAULT_LOGO).read_bytes()


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
