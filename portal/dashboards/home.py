"""What each role's home page shows as its dashboard: the figures of ``figures`` and
``queries`` drawn as charts (``core.charts``), every bar and number with the link to the
list behind it, which holds exactly that many rows."""

from __future__ import annotations

from dataclasses import dataclass

from flask import url_for

from portal.core.charts import bar_chart
from portal.core.dates import local_today
from portal.core.formatting import rupiah
from portal.core.labels import CONTRIBUTION_STATE_LABELS, TARGET_GROUP_LABELS, label
from portal.core.text import lazy_gettext as _l
from portal.dashboards import figures, queries
from portal.dashboards.regency import regency_charts
from portal.matching import lists as matching_lists
from portal.models import User

PARTNER_STATES = ("draft", "submitted", "accepted", "allocating", "completed")
KECAMATAN_STATES = ("submitted", "accepted", "allocating", "completed")
PLACES_SHOWN = 15


@dataclass(frozen=True)
class Stat:
    """One number on a dashboard, with the list behind it."""

    figure: int | str
    label: str
    href: str


def _status_chart(counts: dict, states, title) -> object:
    return bar_chart(
        str(title),
        (
            (
                label(CONTRIBUTION_STATE_LABELS, code),
                counts.get(code, 0),
                str(counts.get(code, 0)),
                url_for("contributions.index", status=code),
            )
            for code in states
        ),
    )


def _people_chart(title, rows, arg: str, labels=None) -> object:
    return bar_chart(
        str(title),
        (
            (
                label(labels, r.label) if labels else r.label,
                r.count,
                str(r.count),
                url_for("dashboards.people", **{arg: r.key}),
            )
            for r in rows[:PLACES_SHOWN]
        ),
    )


def _visit_rows(user: User) -> list[dict]:
    """Per scheduled month: recorded visits, aid in use and businesses running, with links."""
    rows = []
    for result in figures.visit_results(user):
        link = {"when": "recorded", "months": result.months}
        rows.append(
            {
                "result": result,
                "recorded": url_for("dashboards.visits", **link),
                "in_use": url_for("dashboards.visits", in_use="y", **link),
                "running": url_for("dashboards.visits", running="y", **link),
            }
        )
    return rows


def partner_dashboard(user: User, summary: dict) -> dict:
    """A company's contributions by status, what it handed over, whom it reached where,
    and what the visits found at each scheduled month."""
    people, value = figures.reached(user)
    return {
        "stats": [
            Stat(people, str(_l("People reached")), url_for("dashboards.people")),
            Stat(rupiah(value), str(_l("Value handed over")), url_for("dashboards.people")),
        ],
        "charts": {
            "status": _status_chart(
                summary.get("contributions", {}), PARTNER_STATES, _l("Your contributions by status")
            ),
            "group": _people_chart(
                _l("People reached by target group"),
                figures.reached_by_group(user),
                "group",
                TARGET_GROUP_LABELS,
            ),
            "desa": _people_chart(
                _l("People reached by desa"), figures.reached_by_desa(user), "desa"
            ),
            "kecamatan": _people_chart(
                _l("People reached by kecamatan"), figures.reached_by_kecamatan(user), "kecamatan"
            ),
        },
        "visits": _visit_rows(user),
    }


def kecamatan_dashboard(user: User, summary: dict) -> dict:
    """A kecamatan's contributions, plans waiting, this month's handovers, visits due and
    overdue, people served by target group and desa, flags kept with a reason."""
    today = local_today()
    late, soon = figures.visits_open(user, today)
    people, _ = figures.reached(user)
    waiting = matching_lists.count_waiting(user)
    month = today.strftime("%Y-%m")
    waiting_label = _l("Plans waiting for your approval") if user.role == "camat" else None
    return {
        "stats": [
            Stat(
                waiting,
                str(waiting_label or _l("Plans waiting for the camat")),
                url_for("matching.index", status="submitted"),
            ),
            Stat(
                figures.handovers_in_month(user, today),
                str(_l("Handovers this month")),
                url_for("matching.index", handed=month),
            ),
            Stat(late, str(_l("Visits overdue")), url_for("dashboards.visits", when="overdue")),
            Stat(
                soon,
                str(_l("Visits due in the next 30 days")),
                url_for("dashboards.visits", when="soon"),
            ),
            Stat(people, str(_l("People served")), url_for("dashboards.people")),
            Stat(
                figures.kept_flags(user),
                str(_l("Flags overridden with a reason")),
                url_for("dashboards.overrides"),
            ),
        ],
        "charts": {
            "status": _status_chart(
                summary.get("contributions", {}), KECAMATAN_STATES, _l("Contributions by status")
            ),
            "group": _people_chart(
                _l("People served by target group"),
                figures.reached_by_group(user),
                "group",
                TARGET_GROUP_LABELS,
            ),
            "desa": _people_chart(
                _l("People served by desa"), figures.reached_by_desa(user), "desa"
            ),
        },
    }


def dashboard_for(user: User, summary: dict) -> dict:
    """What the user's home page adds as its dashboard (nothing for a village operator)."""
    if user.role == "partner":
        return {"dashboard": partner_dashboard(user, summary)}
    if user.role in ("officer", "camat"):
        return {"dashboard": kecamatan_dashboard(user, summary)}
    if user.role == "admin":
        validated = summary.get("validated_by_kecamatan")
        return {"charts": regency_charts(user), "coverage": queries.coverage(user, validated)}
    return {}
