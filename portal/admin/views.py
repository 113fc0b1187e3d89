"""Admin pages (filled in by the admin area work)."""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")
