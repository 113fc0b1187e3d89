"""Writing an export: the rows of a list as the user filtered it, through the one
neutralising writer; small exports answer the request, large ones become a job.

How many rows a request may write itself is ``EXPORT_INLINE_ROWS`` (config, default
2,000: a few hundred milliseconds); anything larger is written by a background task into
an attachment the job's page links to, with progress every chunk.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from flask import current_app
from sqlalchemy import func, literal, select
from werkzeug.datastructures import MultiDict

from portal.core import tabular
from portal.core.text import N_
from portal.exports.lists import CHUNK, LISTS, ExportList
from portal.exports.plan_lists import PLAN_LISTS
from portal.extensions import db
from portal.models import Attachment, AuditEvent, User

FORMATS = {"csv": "text/csv; charset=utf-8", "xlsx": tabular.XLSX_MIMETYPE}
DEFAULT_INLINE_ROWS = 2000
# The search text may be a NIK: the audit names which filters were set, never the text.
UNLOGGED_FIELDS = {"q", "csrf_token", "format", "page"}
DONE_MESSAGE = N_("The file is ready to download.")


def inline_limit() -> int:
    return int(current_app.config.get("EXPORT_INLINE_ROWS", DEFAULT_INLINE_ROWS))


def spec_for(name: str) -> ExportList | None:
    return LISTS.get(name) or PLAN_LISTS.get(name)


def may_export(user: User, spec: ExportList) -> bool:
    return user.role in spec.roles


def count(spec: ExportList, user: User, formdata: MultiDict, limit: int) -> int:
    """Rows the export holds, counted up to ``limit`` (enough to choose the path)."""
    query = spec.query(user, spec.filters(user, formdata))
    capped = (
        query.order_by(None)
        .with_only_columns(literal(1), maintain_column_froms=True)
        .limit(limit)
        .subquery()
    )
    return db.session.scalar(select(func.count()).select_from(capped)) or 0


def _chunks(spec: ExportList, user: User, formdata: MultiDict) -> Iterator[list]:
    query = spec.query(user, spec.filters(user, formdata)).execution_options(yield_per=CHUNK)
    for partition in db.session.scalars(query).partitions(CHUNK):
        yield list(partition)


def rows(spec: ExportList, user: User, formdata: MultiDict, on_chunk=None) -> Iterator[tuple]:
    """The header, then every row; ``on_chunk(rows_so_far)`` after each chunk."""
    yield tuple(str(title) for title in spec.header)
    done = 0
    for chunk in _chunks(spec, user, formdata):
        yield from (tuple(_plain(cell) for cell in row) for row in spec.rows(chunk))
        done += len(chunk)
        if on_chunk is not None:
            on_chunk(done)


def _plain(cell):
    """Lazy labels as the text they read in the user's language."""
    if cell is None or isinstance(cell, str | int | float | date):
        return cell
    return str(cell)


def file_bytes(fmt: str, spec: ExportList, row_iter) -> bytes:
    if fmt == "xlsx":
        return tabular.xlsx_bytes(row_iter, sheet_title=str(spec.title))
    return tabular.csv_bytes(row_iter)


def filename(spec: ExportList, fmt: str, today: date | None = None) -> str:
    stamp = (today or date.today()).isoformat()
    return f"{spec.name}-{stamp}.{fmt}"


def logged_filters(formdata: MultiDict) -> dict:
    """What the audit keeps of the filters: their values, and only whether a search ran."""
    kept = {
        key: formdata.getlist(key)
        for key in formdata
        if key not in UNLOGGED_FIELDS and any(formdata.getlist(key))
    }
    if (formdata.get("q") or "").strip():
        kept["search"] = True
    return kept


def record(user: User, spec: ExportList, fmt: str, formdata: MultiDict, rows_written: int):
    """Audit an export of personal data (the caller commits)."""
    if not spec.personal:
        return
    db.session.add(
        AuditEvent(
            actor_id=user.id,
            action="export",
            object_type="export",
            details={
                "list": spec.name,
                "format": fmt,
                "rows": rows_written,
                "filters": logged_filters(formdata),
            },
        )
    )


def store(user_id: int, spec: ExportList, fmt: str, data: bytes) -> Attachment:
    """Keep a finished export for its job's download link (the caller commits)."""
    import hashlib

    attachment = Attachment(
        owner_type="export",
        owner_id=None,
        kind="export",
        filename=filename(spec, fmt),
        content_type=FORMATS[fmt],
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        data=data,
        uploaded_by_id=user_id,
    )
    db.session.add(attachment)
    return attachment
