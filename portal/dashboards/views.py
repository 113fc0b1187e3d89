"""The regency dashboard for Dinsos (its charts are built in ``regency``) and the
coverage per kecamatan; each bar and number links to the filtered list that holds exactly
that many rows. Every role's own dashboard is its home page (``home``)."""

from __future__ import annotations

from flask_login import current_user

from portal.core.policy import access
from portal.dashboards import queries
from portal.dashboards.blueprint import bp
from portal.dashboards.regency import regency_charts
from portal.htmx import render


@bp.route("/")
@access("admin")
def regency():
    """The regency dashboard: every chart of the regency and the coverage per kecamatan."""
    return render(
        "dashboards/regency.html",
        charts=regency_charts(current_user),
        coverage=queries.coverage(current_user),
    )
