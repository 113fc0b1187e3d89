"""The lists behind the dashboards' figures: the people served, the monitoring visits and
the flags kept with a reason, each limited to the user's scope (``access``) and filtered
by its query string, so the number a dashboard shows is the number of rows here."""

from __future__ import annotations

from flask import request
from flask_login import current_user

from portal.core import settings
from portal.core.dates import local_today
from portal.core.paging import paginate
from portal.core.policy import access
from portal.dashboards import lists
from portal.dashboards.access import LIST_READERS, page_flags
from portal.dashboards.blueprint import bp
from portal.dashboards.forms import OverrideForm, PeopleForm, VisitForm
from portal.htmx import render
from portal.matching.flag_text import flag_lines

PER_PAGE = 50


@bp.route("/penerima")
@access(*LIST_READERS)
def people():
    """The people the user's handovers served, by target group, desa, kecamatan or month."""
    flags = page_flags(current_user)
    form = PeopleForm(current_user, request.args, show_kecamatan=flags["may_filter_kecamatan"])
    page = paginate(lists.people_query(current_user, form.filters()), PER_PAGE)
    return render("dashboards/people.html", form=form, page=page, args=form.url_args())


@bp.route("/kunjungan")
@access(*LIST_READERS)
def visits():
    """The monitoring visits of the user's matches: overdue, due soon or recorded."""
    schedule = sorted({1, 3, 6, *settings.get("monitoring_schedule")})
    form = VisitForm(current_user, request.args, schedule=schedule)
    query = lists.visit_query(current_user, form.filters(), local_today())
    page = paginate(query, PER_PAGE)
    return render("dashboards/visits.html", form=form, page=page, args=form.url_args())


@bp.route("/tanda")
@access(*LIST_READERS)
def overrides():
    """The people kept on the user's plans despite a double-aid flag, with the reasons."""
    form = OverrideForm(current_user, request.args)
    form.validate()
    page = paginate(lists.override_query(current_user, form.number("desa")), PER_PAGE)
    return render(
        "dashboards/overrides.html",
        form=form,
        page=page,
        args=form.url_args(),
        flag_lines=flag_lines,
    )
