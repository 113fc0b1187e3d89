"""Dinsos administration: users, companies and settings."""
