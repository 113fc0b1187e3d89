"""The regency's charts for Dinsos: contributions by kecamatan, company, sector, target
group, status and month, people served by month and target group; each bar links to the
filtered list that holds exactly that many rows."""

from __future__ import annotations

from flask import url_for

from portal.core.charts import bar_chart
from portal.core.formatting import rupiah
from portal.core.labels import (
    CONTRIBUTION_STATE_LABELS,
    SECTOR_LABELS,
    TARGET_GROUP_LABELS,
    label,
)
from portal.core.text import lazy_gettext as _l
from portal.dashboards import figures, queries
from portal.models import User


def _list_url(**filters) -> str:
    return url_for("contributions.index", received="y", **filters)


def _counts(title, rows, link, labels=None):
    return bar_chart(
        str(title),
        (
            (label(labels, r.label) if labels else r.label, r.count, str(r.count), link(r))
            for r in rows
        ),
    )


def regency_charts(user: User) -> dict:
    """The regency's charts, for the dashboard and Dinsos's home page."""
    kecamatan = queries.by_kecamatan()
    return {
        "kecamatan": _counts(
            _l("Contributions by kecamatan"), kecamatan, lambda r: _list_url(kecamatan=r.key)
        ),
        "value": bar_chart(
            str(_l("Estimated value by kecamatan")),
            ((r.label, r.value, rupiah(r.value), _list_url(kecamatan=r.key)) for r in kecamatan),
        ),
        "company": _counts(
            _l("Companies contributing most"),
            queries.by_company(),
            lambda r: _list_url(company=r.key),
        ),
        "sector": _counts(
            _l("Contributions by sector"),
            queries.by_sector(),
            lambda r: _list_url(sector=r.key),
            SECTOR_LABELS,
        ),
        "target_group": _counts(
            _l("Contributions by target group"),
            queries.by_target_group(),
            lambda r: _list_url(group=r.key),
            TARGET_GROUP_LABELS,
        ),
        "status": _counts(
            _l("Contributions by status"),
            queries.by_status(),
            lambda r: _list_url(status=r.key),
            CONTRIBUTION_STATE_LABELS,
        ),
        "month": _counts(
            _l("Contributions sent in, month by month"),
            queries.by_month(),
            lambda r: _list_url(month=r.key),
        ),
        "served_month": _counts(
            _l("People served, month by month"),
            figures.served_by_month(user),
            lambda r: url_for("dashboards.people", month=r.key),
        ),
        "served_group": _counts(
            _l("People served by target group"),
            figures.reached_by_group(user),
            lambda r: url_for("dashboards.people", group=r.key),
            TARGET_GROUP_LABELS,
        ),
    }
