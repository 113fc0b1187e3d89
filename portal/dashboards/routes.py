"""Imports every module that adds routes to the dashboards blueprint (the app factory
registers ``bp`` from here)."""

from portal.dashboards import list_views, views
from portal.dashboards.blueprint import bp

# The routes of these modules are on ``bp`` (imported for that, and so named here).
ROUTE_MODULES = (list_views, views)

__all__ = ["ROUTE_MODULES", "bp"]
