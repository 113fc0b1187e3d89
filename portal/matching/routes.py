"""Imports every module that adds routes to the matching blueprint (the app factory
registers ``bp`` from here)."""

from portal.matching import build_views, views
from portal.matching.blueprint import bp

# The routes of these modules are on ``bp`` (imported for that, and so named here).
ROUTE_MODULES = (build_views, views)

__all__ = ["ROUTE_MODULES", "bp"]
