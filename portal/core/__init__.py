"""Shared pieces every area uses: access policy, audit, notifications, formatting.

Nothing in here imports a feature area.
"""
