"""The dashboards blueprint (``/dasbor``) and the ``may_*`` flags its pages read."""

from __future__ import annotations

from flask import Blueprint
from flask_login import current_user

from portal.dashboards.access import page_flags

bp = Blueprint("dashboards", __name__, url_prefix="/dasbor")


@bp.context_processor
def access_flags() -> dict[str, bool]:
    """The dashboards' ``may_*`` flags (templates read these, never the role)."""
    return page_flags(current_user)
