"""Imports every module that adds routes to the matching blueprint (the app factory
registers ``bp`` from here)."""

from portal.matching.blueprint import bp

__all__ = ["bp"]
