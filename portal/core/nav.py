"""The navigation bar: one list, each entry shown only to roles its view admits."""

from __future__ import annotations

from flask import current_app
from flask_login import current_user

from portal.core.policy import can_open
from portal.core.text import lazy_gettext as _l

# (endpoint, label, menu) in display order; entries with a menu are grouped under it so
# the admin's bar stays one line. Areas add their entries here.
ADMIN_MENU = _l("Administration")
ENTRIES = (
    ("main.home", _l("Home"), None),
    ("dashboards.regency", _l("Regency dashboard"), None),
    ("registry.recipients", _l("Recipients"), None),
    ("registry.proposals", _l("Village proposals"), None),
    ("contributions.index", _l("Contributions"), None),
    ("matching.index", _l("Handover plans"), None),
    ("matching.queue", _l("Approvals"), None),
    ("letters.index", _l("Handover letters"), None),
    ("imports.index", _l("Imports"), None),
    ("partners.company", _l("Our company"), None),
    ("partners.queue", _l("Registrations"), ADMIN_MENU),
    ("admin.companies", _l("Companies"), ADMIN_MENU),
    ("admin.users", _l("Users"), ADMIN_MENU),
    ("registry.categories", _l("Aid categories"), ADMIN_MENU),
    ("registry.duplicates_report", _l("Duplicates"), ADMIN_MENU),
    ("imports.conflicts", _l("Import conflicts"), ADMIN_MENU),
    ("jobs.index", _l("Background work"), ADMIN_MENU),
    ("admin.settings", _l("Settings"), ADMIN_MENU),
)


def navigation_context() -> dict:
    """Template context: the entries the current user may open, the grouped ones, and
    ``can_open(endpoint)`` for a page's own links to other views."""
    if not current_user.is_authenticated:
        return {"nav_entries": [], "nav_menus": {}, "can_open": _may_open}
    views = current_app.view_functions
    entries, menus = [], {}
    for endpoint, label, menu in ENTRIES:
        if endpoint not in views or not can_open(current_user, endpoint):
            continue
        if menu is ADMIN_MENU and current_user.role != "admin":
            continue
        if menu is None:
            entries.append((endpoint, label))
        else:
            menus.setdefault(menu, []).append((endpoint, label))
    return {"nav_entries": entries, "nav_menus": menus, "can_open": _may_open}


def _may_open(endpoint: str) -> bool:
    return can_open(current_user, endpoint)
