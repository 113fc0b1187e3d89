"""The matching blueprint and what its pages share: the ``may_*`` flags and the scope
check that gives a 404."""

from __future__ import annotations

from flask import Blueprint
from flask_login import current_user

from portal.core.scope import get_in_scope_or_404
from portal.matching.access import in_scope, page_flags
from portal.models import Match

bp = Blueprint("matching", __name__, url_prefix="/penyaluran")


@bp.context_processor
def access_flags() -> dict[str, bool]:
    """The matching pages' ``may_*`` flags (templates read these, never the role)."""
    return page_flags(current_user)


def get_match_or_404(match_id: int) -> Match:
    """The match, if the current user may see it (404 otherwise, as if it did not exist)."""
    return get_in_scope_or_404(Match, match_id, in_scope)
