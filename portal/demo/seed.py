"""Placeholder until the demo data lands."""


class SeedRefused(Exception):
    pass


def seed_demo(force: bool = False) -> dict:
    return {}
