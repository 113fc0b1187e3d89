"""Dashboards: the figures over time each role reads, drawn on the server (core/charts.py),
every number a link to the list behind it. ``queries`` computes them in SQL."""
