"""Handovers of approved matches: recording what was handed over, and reversing it."""
