"""``flask`` commands: one-time setup, reference data and demo data."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_migrate import upgrade
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import User
from portal.registry.imports.cli import commands as import_commands

DEMO_PUBLIC_URL = "http://127.0.0.1:5000"


@click.command("load-regions")
@with_appcontext
def load_regions_command():
    """Load (or refresh) Kukar's kecamatan and desa/kelurahan from the shipped data file."""
    from portal.core.regions import load_regions

    added, updated = load_regions()
    click.echo(f"Regions: {added} added, {updated} updated.")


@click.command("load-aid-categories")
@with_appcontext
def load_aid_categories_command():
    """Add the default aid categories and pairs that are missing; never changes edited ones."""
    from portal.core.reference import load_aid_categories

    categories, pairs = load_aid_categories()
    db.session.commit()
    click.echo(f"Aid categories: {categories} added, {pairs} pairs added.")


@click.command("seed-demo")
@click.option("--force", is_flag=True, help="Seed even though the database already has users.")
@with_appcontext
def seed_demo_command(force: bool):
    """Fill an empty database with reproducible demo data."""
    from portal.demo.seed import SeedRefused, seed_demo

    try:
        summary = seed_demo(force=force)
    except SeedRefused as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo("Demo data: " + ", ".join(f"{v} {k}" for k, v in summary.items()))


@click.command("setup")
@click.option("--demo/--no-demo", default=True, help="Load demo data into an empty database.")
@click.option(
    "--public-url",
    default=None,
    help="The portal's public address, recorded for letters' QR codes when "
    "PUBLIC_BASE_URL is unset (the demo records http://127.0.0.1:5000).",
)
@with_appcontext
def setup_command(demo: bool, public_url: str | None):
    """Upgrade the database, load the regions, create the signing certificate authority
    and, if the database holds no users, the demo data."""
    from portal.core.reference import load_aid_categories
    from portal.core.regions import load_regions
    from portal.demo.seed import seed_demo
    from portal.signing.authority import ensure_authority

    record_public_url(public_url or (DEMO_PUBLIC_URL if demo else None))
    if ensure_authority():
        click.echo("Signing certificate authority created.")
    upgrade(directory=current_app.extensions["migrate"].directory)
    load_regions()
    load_aid_categories()
    db.session.commit()
    if demo and not db.session.scalar(select(func.count()).select_from(User)):
        summary = seed_demo()
        click.echo("Demo data: " + ", ".join(f"{v} {k}" for k, v in summary.items()))
    click.echo("Database ready.")


def record_public_url(url: str | None) -> None:
    """Keep the portal's public address under instance/ once, unless the environment
    names it (PUBLIC_BASE_URL wins); the app reads it at start."""
    from portal.config import PUBLIC_BASE_URL_FILE

    if not url or current_app.config.get("PUBLIC_BASE_URL"):
        return
    path = Path(current_app.config["INSTANCE_DIR"]) / PUBLIC_BASE_URL_FILE
    if not path.exists():
        path.write_text(url.rstrip("/") + "\n")
    current_app.config["PUBLIC_BASE_URL"] = path.read_text().strip()


commands = [
    load_regions_command,
    load_aid_categories_command,
    seed_demo_command,
    setup_command,
    *import_commands,
]
