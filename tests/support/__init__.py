"""Helpers and fixtures that more than one test module uses."""
