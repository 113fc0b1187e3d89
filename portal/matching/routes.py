"""Imports every module that adds routes to the matching blueprint (the app factory
registers ``bp`` from here)."""

from portal.matching import views  # noqa: F401 - the list, match page, queue and moves
from portal.matching.blueprint import bp

__all__ = ["bp"]
