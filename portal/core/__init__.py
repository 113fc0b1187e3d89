"""Shared pieces every area uses: access policy, audit, notifications, formatting, dates,
the background queue.

Nothing in here imports a feature area.
"""
