"""One helper for every area's "this record, if the user may see it": a record outside the
user's scope answers 404 like one that does not exist, so its existence is never hinted."""

from __future__ import annotations

from collections.abc import Callable

from flask import abort
from flask_login import current_user

from portal.extensions import db


def get_in_scope_or_404(model, object_id, in_scope: Callable | None = None):
    """The ``model`` row ``object_id`` if it exists and ``in_scope(current_user, row)``
    (the area's ``access.in_scope``) holds; 404 otherwise."""
    obj = db.session.get(model, object_id)
    if obj is None or (in_scope is not None and not in_scope(current_user, obj)):
        abort(404)
    return obj
