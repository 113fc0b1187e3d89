"""The navigation bar: one list, each entry shown only to roles its view admits."""

from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from portal.core.policy import can_open

# (endpoint, label) in display order. Areas add their entries here.
ENTRIES = (
    ("main.home", _l("Home")),
    ("registry.recipients", _l("Recipients")),
    ("registry.proposals", _l("Proposals")),
    ("registry.duplicates_report", _l("Duplicates")),
    ("registry.categories", _l("Aid categories")),
    ("contributions.index", _l("Contributions")),
    ("admin.users", _l("Users")),
    ("partners.company", _l("Our company")),
    ("partners.queue", _l("Registrations")),
    ("admin.companies", _l("Companies")),
    ("imports.index", _l("Imports")),
    ("admin.settings", _l("Settings")),
)


def navigation_context() -> dict:
    """Template context: the entries the current user may open."""
    if not current_user.is_authenticated:
        return {"nav_entries": []}
    views = current_app.view_functions
    entries = [
        (endpoint, label)
        for endpoint, label in ENTRIES
        if endpoint in views and can_open(current_user, endpoint)
    ]
    return {"nav_entries": entries}
