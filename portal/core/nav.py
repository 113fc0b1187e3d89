"""The navigation bar: one list, each entry shown only to roles its view admits."""

from __future__ import annotations

from flask import current_app, render_template, request, url_for
from flask_babel import get_locale
from flask_login import current_user

from portal.core.policy import allows
from portal.core.text import lazy_gettext as _l
from portal.core.text import rendered

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
    ("monitoring.index", _l("Monitoring"), None),
    ("reports.evaluation", _l("Monthly evaluation"), None),
    ("reports.impact_report", _l("Impact report"), None),
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


class RoleNavigation:
    """What one role sees, worked out once per process: the bar's entries, the grouped
    ones, and which endpoints it may open (asked by pages for their own links)."""

    def __init__(self, views: dict, user):
        self.views = views
        self.user = user
        self.openable: dict[str, bool] = {}
        entries, menus = [], {}
        if user.is_authenticated:
            for endpoint, label, menu in ENTRIES:
                if endpoint not in views or not self.can_open(endpoint):
                    continue
                if menu is ADMIN_MENU and user.role != "admin":
                    continue
                if menu is None:
                    entries.append((endpoint, label))
                else:
                    menus.setdefault(menu, []).append((endpoint, label))
        self.entries = tuple(entries)
        self.menus = {menu: tuple(links) for menu, links in menus.items()}

    def can_open(self, endpoint: str) -> bool:
        allowed = self.openable.get(endpoint)
        if allowed is None:
            view = self.views.get(endpoint or "")
            allowed = allows(self.user, getattr(view, "access_rule", None))
            self.openable[endpoint] = allowed
        return allowed


class _Role:
    """Stands in for any user of a role: the access rules look at nothing else."""

    def __init__(self, role: str | None):
        self.role = role
        self.is_authenticated = role is not None


def role_navigation(role: str | None) -> RoleNavigation:
    """The navigation of ``role`` (None: not logged in), cached on the app."""
    cache = current_app.extensions.setdefault("portal_navigation", {})
    navigation = cache.get(role)
    if navigation is None:
        navigation = cache[role] = RoleNavigation(current_app.view_functions, _Role(role))
    return navigation


def nav_links(role: str | None):
    """The bar's links of ``role`` as HTML, rendered once per process for each role,
    language, application root and current page (the same few hundred strings whoever
    asks; a page used to build every link and translate every label anew)."""
    key = (role, str(get_locale()), request.script_root, request.endpoint)
    cache = current_app.extensions.setdefault("portal_nav_links", {})
    html = cache.get(key)
    if html is None:
        navigation = role_navigation(role)
        html = cache[key] = rendered(
            render_template(
                "_macros/nav_links.html",
                nav_entries=navigation.entries,
                nav_menus=navigation.menus,
                current=request.endpoint,
            )
        )
    return html


def fixed_url(endpoint: str, **values) -> str:
    """``url_for`` for links that are the same on every page (the stylesheets, the logo,
    the header's forms), worked out once per process and application root."""
    key = (request.script_root, endpoint, tuple(sorted(values.items())))
    cache = current_app.extensions.setdefault("portal_fixed_urls", {})
    url = cache.get(key)
    if url is None:
        url = cache[key] = url_for(endpoint, **values)
    return url


def navigation_context() -> dict:
    """Template context: the current user's bar of links, and ``can_open(endpoint)`` for
    a page's own links to other views."""
    user = current_user._get_current_object()
    role = user.role if user.is_authenticated else None
    navigation = role_navigation(role)
    return {
        "nav_links": lambda: nav_links(role),
        "fixed_url": fixed_url,
        "can_open": navigation.can_open,
    }
