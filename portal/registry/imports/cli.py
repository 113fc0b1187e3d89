"""``flask import-recipients`` and ``flask import-aid``: large files from the command line,
through the same analyse/commit code as the upload page."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from portal.extensions import db
from portal.models import AidCategory, ImportBatch, Kecamatan
from portal.models.aid import AID_SOURCES
from portal.models.registry import RECIPIENT_SOURCES
from portal.registry.imports import importing
from portal.registry.imports.parsing import UnreadableFile


def _kecamatan(code: str) -> Kecamatan:
    kecamatan = db.session.scalar(select(Kecamatan).where(Kecamatan.code == code))
    if kecamatan is None:
        raise click.BadParameter(f"no kecamatan with code {code} (for example 64.02.06)")
    return kecamatan


def _print_summary(title: str, counts: dict, reasons: list, examples: dict | None = None) -> None:
    """The counts, then each refusal reason once with how many rows it refused."""
    click.echo(
        f"{title}: {counts.get('added', 0)} added, {counts.get('updated', 0)} updated, "
        f"{counts.get('unchanged', 0)} unchanged, {counts.get('refused', 0)} refused."
    )
    for reason, count in reasons:
        text = importing.reason_text(reason, (examples or {}).get(reason))
        click.echo(f"  {count:>7}  {text}")


def _run(batch: ImportBatch, dry_run: bool) -> None:
    def progress(done: int) -> None:
        total = f"/{batch.total_rows}" if batch.total_rows else ""
        click.echo(f"\r  {done}{total} rows", nl=False, err=True)

    try:
        summary = importing.analyse(batch, progress=progress)
    except UnreadableFile as error:
        click.echo("", err=True)
        importing.mark_unreadable(batch.id, error)
        importing.rollback(batch, None)
        raise click.ClickException(error.as_text()) from error
    click.echo("", err=True)
    _print_summary(
        "Check",
        summary.get("counts", {}),
        summary.get("reasons", []),
        summary.get("examples", {}),
    )
    if dry_run:
        importing.rollback(batch, None)
        click.echo("Dry run: nothing was written.")
        return
    batch.status = "running"
    db.session.commit()
    importing.commit(batch, progress=progress)
    click.echo("", err=True)
    counts = {k: getattr(batch, k) for k in ("added", "updated", "unchanged", "refused")}
    _print_summary(f"Import batch {batch.id}", counts, [])


def _open(path: str) -> tuple[str, bytes]:
    file = Path(path)
    return file.name, file.read_bytes()


@click.command("import-recipients")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--kecamatan", "code", required=True, help="Kecamatan code, e.g. 64.02.06")
@click.option("--source", type=click.Choice(RECIPIENT_SOURCES), default="DTKS")
@click.option("--dry-run", is_flag=True, help="Check the file and print what would happen.")
@with_appcontext
def import_recipients_command(path: str, code: str, source: str, dry_run: bool):
    """Import a recipient list (CSV or XLSX) for one kecamatan."""
    name, data = _open(path)
    kecamatan_id = _kecamatan(code).id
    batch = _create(None, "recipients", source, name, data, kecamatan_id)
    _check_mapping(batch)
    _run(batch, dry_run)


@click.command("import-aid")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--source", type=click.Choice(AID_SOURCES), required=True)
@click.option("--category", help="Aid category code when the file has no category column.")
@click.option("--kecamatan", "code", help="Kecamatan code the list belongs to (optional).")
@click.option("--dry-run", is_flag=True, help="Check the file and print what would happen.")
@with_appcontext
def import_aid_command(path, source, category, code, dry_run):
    """Import another programme's aid history (PKH, BPNT, BLT-DD, UEP, CSR) by NIK or KK."""
    category_id = None
    if category:
        found = db.session.scalar(select(AidCategory).where(AidCategory.code == category))
        if found is None:
            raise click.BadParameter(f"no aid category with code {category}")
        category_id = found.id
    kecamatan_id = _kecamatan(code).id if code else None
    name, data = _open(path)
    batch = _create(None, "aid_records", source, name, data, kecamatan_id, category_id)
    _check_mapping(batch)
    _run(batch, dry_run)


def _create(*args) -> ImportBatch:
    """The batch, or the reason the file cannot be read, as the upload page says it."""
    try:
        return importing.create_batch(*args)
    except UnreadableFile as error:
        db.session.rollback()
        raise click.ClickException(error.as_text()) from error


def _check_mapping(batch: ImportBatch) -> None:
    missing = importing.rows_handler(batch).missing_fields(batch.mapping)
    if missing:
        db.session.rollback()
        raise click.ClickException(
            "no column recognised for: " + ", ".join(missing) + "; rename the header(s)"
        )
    db.session.commit()


commands = [import_recipients_command, import_aid_command]
