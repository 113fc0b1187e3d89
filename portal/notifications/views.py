"""The current user's notifications: a list, marking read, and the header's unread badge."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_login import current_user

from portal.core.paging import page_number, paginate
from portal.core.policy import ANY_USER, access
from portal.core.text import lazy_gettext as _l
from portal.extensions import db
from portal.htmx import htmx, render, trigger
from portal.notifications import services

bp = Blueprint("notifications", __name__, url_prefix="/notifications")
PER_PAGE = 20
CHANGED = "notifications-changed"


@bp.app_template_global()
def notification_text(note) -> str:
    return services.message_text(note)


def _list_args(source) -> dict:
    """The list's own filter and page, from the query string or a mark-read form."""
    args = {}
    if source.get("show") == "unread":
        args["show"] = "unread"
    page = page_number(source.get("page"))
    if page > 1:
        args["page"] = page
    return args


def _list(args: dict):
    page = paginate(
        services.notifications_query(current_user, unread_only=args.get("show") == "unread"),
        PER_PAGE,
        page=args.get("page", 1),
    )
    filters = {k: v for k, v in args.items() if k != "page"}
    return render(
        "notifications/index.html",
        block="results",
        page=page,
        args=filters,
        show=args.get("show", "all"),
        unread=services.unread_count(current_user),
    )


@bp.route("")
@access(ANY_USER)
def index():
    """Newest first; the filter reloads only the list (and pushes the URL)."""
    return _list(_list_args(request.args))


@bp.route("/<int:note_id>/read", methods=["POST"])
@access(ANY_USER)
def mark_read(note_id: int):
    """Mark one notification read; HTMX gets the list back, others a redirect."""
    note = services.get_own(current_user, note_id)
    if note is None:
        abort(404)
    services.mark_read(note)
    db.session.commit()
    return _after_change(_list_args(request.form))


@bp.route("/read-all", methods=["POST"])
@access(ANY_USER)
def mark_all_read():
    """Mark every notification read."""
    count = services.mark_all_read(current_user)
    db.session.commit()
    if not htmx.request and count:
        flash(_l("All notifications are marked as read."), "success")
    return _after_change(_list_args(request.form))


def _after_change(args: dict):
    if htmx.request:
        return trigger(_list(args), CHANGED)
    return redirect(url_for("notifications.index", **args))


@bp.route("/badge")
@access(ANY_USER)
def badge():
    """The header's link with the unread count, polled by HTMX; a browser opening it
    directly goes to the list."""
    if not htmx.request:
        return redirect(url_for("notifications.index"))
    return render(
        "notifications/_badge.html", block="badge", unread=services.unread_count(current_user)
    )
