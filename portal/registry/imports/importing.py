"""Bulk imports of recipients and other programmes' aid history.

An upload becomes an ImportBatch (the audit record of the import). ``analyse``
is a dry run over the whole file that counts what would be added, updated,
left unchanged or refused and why, and keeps the rows it cleaned (ImportRows);
``commit`` writes those kept rows, never reading the file again, deciding
against the database as it is then, in chunks, each chunk
one transaction together with the batch's counters, so other users keep
working, no row is ever half-written and a stopped batch resumes where it
stopped or is rolled back. Upload page, background task, CLI and benchmark all
call these same functions.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import delete, select

from portal.core import audit
from portal.core.dates import utcnow
from portal.core.text import N_
from portal.extensions import db
from portal.models import Attachment, ImportBatch, ImportRowError, ImportRows
from portal.registry.imports.aid import AidRows
from portal.registry.imports.parsing import Table, UnreadableFile, read_table
from portal.registry.imports.recipients import RecipientRows
from portal.registry.imports.rows import Issue, Outcome, RawCells, jsonable
from portal.registry.imports.village import VillageRows

CHUNK_SIZE = 10000  # rows per transaction: about half a second of writing
PREVIEW_ROWS = 10
PREVIEW_CHARS = 200  # of a cell, on the mapping page
STOPPED = N_("The check stopped because of an error. The administrator has been told.")
STALLED_AFTER = timedelta(minutes=10)
RESUMABLE = ("interrupted", "failed")
ProgressFn = Callable[[int], None]


class ImportRefused(ValueError):
    """The batch cannot do that now; the message is an English source string."""


def create_batch(
    actor,
    kind: str,
    source: str,
    filename: str,
    data: bytes,
    kecamatan_id: int | None,
    default_category_id: int | None = None,
    desa_id: int | None = None,
) -> ImportBatch:
    """Store the file and open a batch with the guessed column mapping (caller commits).
    ``desa_id`` makes it a village operator's file of proposals for that desa.

    Reads the header and the first rows only (``UnreadableFile`` when they already show
    the file is not usable); counting and checking every row is the background job's."""
    table = read_table(data)
    first_rows = [(n, [_preview_cell(c) for c in cells]) for n, cells in _head(table)]
    batch = ImportBatch(
        kind=kind,
        source=source,
        filename=filename[:255],
        kecamatan_id=kecamatan_id,
        uploaded_by_id=getattr(actor, "id", None),
        total_rows=0,
        default_category_id=default_category_id,
        desa_id=desa_id,
        summary={"header": table.header, "preview": first_rows},
    )
    batch.mapping = rows_handler(batch).guess_mapping(table.header)
    db.session.add(batch)
    db.session.flush()
    batch.attachment_id = _store_file(batch, actor, filename, data).id
    return batch


def _head(table: Table) -> list[tuple[int, list]]:
    return [row for _, row in zip(range(PREVIEW_ROWS), table.rows, strict=False)]


def _preview_cell(value: object) -> object:
    value = jsonable(value)
    if isinstance(value, str) and len(value) > PREVIEW_CHARS:
        return value[:PREVIEW_CHARS] + "…"
    return value


def _store_file(batch: ImportBatch, actor, filename: str, data: bytes) -> Attachment:
    attachment = Attachment(
        owner_type="import_batch",
        owner_id=batch.id,
        kind="import_file",
        filename=filename[:255],
        content_type="text/csv" if not data.startswith(b"PK") else "application/vnd.ms-excel",
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        data=data,
        uploaded_by_id=getattr(actor, "id", None),
    )
    db.session.add(attachment)
    db.session.flush()
    return attachment


def rows_handler(batch: ImportBatch) -> RecipientRows | AidRows:
    if batch.kind != "recipients":
        return AidRows(batch)
    return VillageRows(batch) if batch.desa_id else RecipientRows(batch)


def file_data(batch: ImportBatch) -> bytes:
    return db.session.get(Attachment, batch.attachment_id).data


def header(batch: ImportBatch) -> list[str]:
    return list(batch.summary.get("header", []))


def preview(batch: ImportBatch) -> list[tuple[int, list]]:
    """The first rows of the file as read at upload, for the mapping page."""
    if "preview" in batch.summary:
        return [(number, cells) for number, cells in batch.summary["preview"]]
    return _head(read_table(file_data(batch)))  # a batch uploaded before previews were kept


def set_mapping(batch: ImportBatch, mapping: dict[str, int]) -> None:
    """Keep the officer's column choices; refuse when a required field has no column."""
    if batch.status not in ("uploaded", "previewed"):
        raise ImportRefused(N_("This import can no longer be changed."))
    missing = rows_handler(batch).missing_fields(mapping)
    if missing:
        raise ImportRefused(N_("Choose a column for every required field."))
    batch.mapping = {field: int(index) for field, index in mapping.items()}
    batch.status = "uploaded"


def _rows(table: Table, skip: int = 0) -> Iterator[tuple[int, list]]:
    for index, row in enumerate(table.rows):
        if index >= skip:
            yield row


def _clear_error(batch: ImportBatch) -> None:
    if "error" in batch.summary:
        batch.summary = {k: v for k, v in batch.summary.items() if k != "error"}


def _chunks(rows: Iterator) -> Iterator[list]:
    size = CHUNK_SIZE
    chunk = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def analyse(batch: ImportBatch, progress: ProgressFn | None = None) -> dict:
    """Dry run over the whole file: what would happen and why; stores and returns the
    summary, and keeps the checked rows for the commit."""
    if batch.status not in ("uploaded", "previewed", "analysing"):
        raise ImportRefused(N_("This import can no longer be changed."))
    counts, reasons, examples, issues = _check_file(batch, progress)
    _replace_issues(batch, issues)
    batch.summary = {
        **batch.summary,
        "counts": dict(counts),
        "reasons": [[reason, n] for reason, n in reasons.most_common()],
        "examples": examples,
    }
    batch.status = "previewed"
    db.session.commit()
    return batch.summary


def _check_file(batch: ImportBatch, progress: ProgressFn | None) -> tuple:
    """The one pass over the file: each chunk's rows cleaned, counted against the
    database and kept in ImportRows (replacing an earlier check's)."""
    table = read_table(file_data(batch))
    _clear_error(batch)
    batch.total_rows = table.estimate_rows()
    db.session.execute(delete(ImportRows).where(ImportRows.batch_id == batch.id))
    db.session.commit()
    handler = rows_handler(batch)
    counts: Counter = Counter()
    reasons: Counter = Counter()
    examples: dict = {}
    issues: list[Issue] = []
    done = 0
    for chunk in _chunks(_rows(table)):
        checked = Outcome()
        records = handler.check(chunk, checked)
        refused = (checked.counts["refused"], [issue.as_row(batch.id) for issue in checked.issues])
        outcome = handler.classify(records, write=False, outcome=checked)
        kept = _kept_rows(batch, handler, (done, len(chunk)), records, refused, outcome.known)
        db.session.execute(ImportRows.__table__.insert(), [kept])
        counts.update(outcome.counts)
        reasons.update(outcome.reasons)
        for reason, example in outcome.examples.items():
            examples.setdefault(reason, example)
        issues.extend(outcome.issues)
        done += len(chunk)
        if progress:
            progress(done)
    batch.total_rows = done
    return counts, reasons, examples, issues


def _kept_rows(batch, handler, span: tuple, records: list, refused: tuple, known) -> dict:
    """One chunk as ImportRows: where it is in the file, what the check refused, the rows
    that passed (and the raw cells of those whose person exists)."""
    values, cells = handler.dump(records, known)
    return {
        "batch_id": batch.id,
        "position": span[0],
        "row_count": span[1],
        "refused": refused[0],
        "issues": json.dumps(refused[1], ensure_ascii=False),
        "records": values,
        "cells": cells,
    }


def _replace_issues(batch: ImportBatch, issues: list[Issue]) -> None:
    db.session.execute(delete(ImportRowError).where(ImportRowError.batch_id == batch.id))
    _add_issues(batch, [issue.as_row(batch.id) for issue in issues])


def _add_issues(batch: ImportBatch, rows: list[dict]) -> None:
    if rows:
        db.session.execute(ImportRowError.__table__.insert(), rows)


def commit(batch: ImportBatch, progress: ProgressFn | None = None) -> ImportBatch:
    """Write the checked rows in chunks, resuming after the rows already processed. The
    file is not read again (only a batch checked before rows were kept is checked now)."""
    if batch.status != "running":
        raise ImportRefused(N_("Check the file before importing it."))
    if not _has_kept_rows(batch):
        _check_file(batch, None)
    if batch.processed_rows == 0:
        _replace_issues(batch, [])
    _clear_error(batch)
    batch.heartbeat_at = utcnow()
    db.session.commit()
    handler = rows_handler(batch)
    for chunk in _kept_chunks(batch):
        _commit_chunk(batch, handler, chunk)
        if progress:
            progress(batch.processed_rows)
    batch.status = "completed"
    batch.finished_at = utcnow()
    handler.after_commit()
    audit.record(
        None,
        "import_completed",
        batch,
        "running",
        "completed",
        added=batch.added,
        updated=batch.updated,
        refused=batch.refused,
    )
    db.session.execute(delete(ImportRows).where(ImportRows.batch_id == batch.id))
    db.session.commit()
    return batch


def _has_kept_rows(batch: ImportBatch) -> bool:
    query = select(ImportRows.id).where(ImportRows.batch_id == batch.id).limit(1)
    return db.session.scalar(query) is not None


KEPT = ImportRows.__table__.c


def _kept_chunks(batch: ImportBatch) -> Iterator:
    """The kept chunks not yet written, in file order, loaded one at a time (their raw
    cells only when a row of theirs is refused)."""
    query = (
        select(KEPT.id)
        .where(KEPT.batch_id == batch.id, KEPT.position >= batch.processed_rows)
        .order_by(KEPT.position)
    )
    columns = (KEPT.id, KEPT.position, KEPT.row_count, KEPT.refused, KEPT.issues, KEPT.records)
    for chunk_id in list(db.session.scalars(query)):
        yield db.session.execute(select(*columns).where(KEPT.id == chunk_id)).one()


def _cells_of(batch: ImportBatch, chunk_id: int) -> RawCells:
    """The chunk's raw cells: kept by the check, or (for a row whose person was
    registered only after the check) read from the file."""

    def kept() -> dict:
        return json.loads(db.session.scalar(select(KEPT.cells).where(KEPT.id == chunk_id)))

    def from_file() -> dict:
        return {str(number): cells for number, cells in read_table(file_data(batch)).rows}

    return RawCells(kept, from_file)


def _commit_chunk(batch: ImportBatch, handler, chunk) -> None:
    """One transaction: the rows, their refusals and the batch's counters move together."""
    records = handler.load(chunk.records, _cells_of(batch, chunk.id))
    outcome = handler.classify(records, write=True)
    _add_issues(batch, json.loads(chunk.issues))
    _add_issues(batch, [issue.as_row(batch.id) for issue in outcome.issues])
    batch.added += outcome.counts["added"]
    batch.updated += outcome.counts["updated"]
    batch.unchanged += outcome.counts["unchanged"]
    batch.refused += chunk.refused + outcome.counts["refused"]
    batch.processed_rows = chunk.position + chunk.row_count
    batch.heartbeat_at = utcnow()
    db.session.commit()


def is_stalled(batch: ImportBatch, now=None) -> bool:
    """A running batch whose worker stopped writing (crash, killed worker)."""
    if batch.status != "running" or batch.heartbeat_at is None:
        return False
    beat = batch.heartbeat_at
    if beat.tzinfo is None:  # SQLite gives naive UTC datetimes back
        beat = beat.replace(tzinfo=(now or utcnow()).tzinfo)
    return (now or utcnow()) - beat > STALLED_AFTER


def mark_failed(batch_id: int, message: str = STOPPED, params: dict | None = None) -> None:
    """After an error in a task: the batch can be resumed or rolled back, and its page says
    why it stopped (``message`` an English source string)."""
    db.session.rollback()
    batch = db.session.get(ImportBatch, batch_id)
    if batch is not None and batch.status in ("running", "analysing"):
        batch.status = "failed" if batch.status == "running" else "uploaded"
        batch.summary = {**batch.summary, "error": [message, params or {}]}
        db.session.commit()


def mark_unreadable(batch_id: int, error: UnreadableFile) -> None:
    """The file broke a limit or turned out damaged past its first rows."""
    mark_failed(batch_id, error.message, error.params)


def error_of(batch: ImportBatch) -> tuple[str, dict] | None:
    """Why the batch's last check or import stopped, if it did."""
    error = (batch.summary or {}).get("error")
    return (error[0], error[1]) if error else None


def reason_text(reason: str, example: list | None = None) -> str:
    """A refusal reason counted over many rows, as readable text: filled in with the
    values of the first row it refused, or with its placeholders elided."""
    if example:
        row, params = example
        short = {k: _shorten(v) for k, v in (params or {}).items()}
        try:
            filled = _(reason, **short)
        except (KeyError, ValueError, TypeError):
            filled = None
        if filled is not None:
            return _("%(reason)s (first in row %(row)s)", reason=filled, row=row)
    return re.sub(r"%\(\w+\)s", "…", _(reason))


def _shorten(value: object, limit: int = 60) -> object:
    if isinstance(value, str) and len(value) > limit:
        return value[:limit] + "…"
    return value


def prepare_resume(batch: ImportBatch, actor) -> None:
    """Let a stopped batch continue from its last committed chunk (commits)."""
    if is_stalled(batch):
        batch.status = "interrupted"
    if batch.status not in RESUMABLE:
        raise ImportRefused(N_("Only a stopped import can be resumed."))
    audit.record(actor, "import_resumed", batch, batch.status, "running")
    db.session.commit()


def rollback(batch: ImportBatch, actor) -> dict:
    """Undo a stopped batch: restore what it updated, remove what it added and nobody used."""
    if is_stalled(batch):
        batch.status = "interrupted"
    if batch.status not in (*RESUMABLE, "previewed", "uploaded"):
        raise ImportRefused(N_("Only an import that has not finished can be rolled back."))
    result = rows_handler(batch).undo()
    db.session.execute(delete(ImportRows).where(ImportRows.batch_id == batch.id))
    previous = batch.status
    batch.status = "rolled_back"
    batch.finished_at = utcnow()
    audit.record(actor, "import_rolled_back", batch, previous, "rolled_back", **result)
    db.session.commit()
    return result


def issues_as_rows(batch: ImportBatch) -> Iterator[tuple[int, list, list[ImportRowError]]]:
    """Refused rows grouped by row number, each with its raw cells, for the CSV download."""
    query = (
        select(ImportRowError)
        .where(ImportRowError.batch_id == batch.id)
        .order_by(ImportRowError.row_number, ImportRowError.id)
    )
    current, group = None, []
    for issue in db.session.scalars(query):
        if current is not None and issue.row_number != current:
            yield current, _raw_cells(group), group
            group = []
        current = issue.row_number
        group.append(issue)
    if group:
        yield current, _raw_cells(group), group


def _raw_cells(group: list[ImportRowError]) -> list:
    for issue in group:
        if issue.raw:
            return json.loads(issue.raw)
    return []


def nik_of(issue: ImportRowError) -> str:
    """The NIK a refused row carried, from its raw cells and the batch's mapping."""
    index = issue.batch.mapping.get("nik")
    cells = json.loads(issue.raw) if issue.raw else []
    if index is None or index >= len(cells):
        return ""
    return str(cells[index]).lstrip("'")
