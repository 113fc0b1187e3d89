"""Logging in and out, passwords and password resets."""
