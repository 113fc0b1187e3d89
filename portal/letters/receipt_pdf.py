"""Receipts (tanda terima) as plain data → one PDF, one page per recipient.

Rendering takes only the frozen dataclasses below and returns bytes, so the request (a
small match), the background task and the benchmark run the same code. A large batch is
cut into chunks that a pool of worker processes renders side by side (WeasyPrint is pure
Python and holds the GIL, so threads would not use the second core); pypdf joins the
chunks' pages in order. The pool lives as long as the process that made it, so its
workers keep their parsed stylesheet and fonts from one batch to the next.
"""

from __future__ import annotations

import io
import multiprocessing
import os
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

from pypdf import PdfWriter

from portal.letters.render import TEMPLATES, environment, html_to_pdf, qr_data_uri, stylesheet

TEMPLATE = "letters/receipt.html"
STYLESHEET = TEMPLATES / "letters" / "receipt.css"
# Receipts per WeasyPrint document. WeasyPrint's cost per page grows with the document's
# length (each new page walks every styled element), so short documents are cheaper per
# page: measured 52 ms a page alone, 35 in tens, 43 in twenty-fives.
CHUNK = 10
DEFAULT_PROCESSES = 2


@dataclass(frozen=True)
class Receipt:
    """One recipient's receipt. ``collected_by`` is None before the handover is recorded
    (the officer ticks a box on paper), "" when the recipient collected in person, else
    the name of the proxy who collected for them."""

    name: str
    masked_nik: str
    desa: str
    items: str
    collected_by: str | None = None


@dataclass(frozen=True)
class ReceiptBatch:
    """What every receipt of a match shares: the kop, the BAST it belongs to, where and
    when, and who hands over for the kecamatan."""

    kecamatan: str
    address: str
    phone: str
    company: str
    number: str
    verification_code: str
    verification_url: str
    place: str
    day: str  # "14 Mei 2025", or "" for a line to write the date on
    officer: str
    receipts: tuple[Receipt, ...] = ()
    logo: str | None = None  # a data: URI


def receipts_html(batch: ReceiptBatch, receipts: tuple[Receipt, ...] | None = None) -> str:
    return (
        environment()
        .get_template(TEMPLATE)
        .render(
            batch=batch,
            receipts=batch.receipts if receipts is None else receipts,
            qr=qr_data_uri(batch.verification_url),
        )
    )


def render_chunk(batch: ReceiptBatch, start: int, stop: int) -> bytes:
    """Receipts ``start:stop`` of ``batch`` as one PDF (a worker process runs this)."""
    return html_to_pdf(receipts_html(batch, batch.receipts[start:stop]), STYLESHEET)


def render_receipts(
    batch: ReceiptBatch,
    on_progress: Callable[[int], None] | None = None,
    processes: int = DEFAULT_PROCESSES,
) -> bytes:
    """Every receipt of ``batch`` as one PDF; ``on_progress(receipts_done)`` after each
    chunk. One chunk renders here; more go to ``processes`` worker processes."""
    count = len(batch.receipts)
    bounds = [(start, min(start + CHUNK, count)) for start in range(0, count, CHUNK)]
    if len(bounds) <= 1 or processes <= 1:
        parts = []
        for start, stop in bounds or [(0, 0)]:
            parts.append(render_chunk(batch, start, stop))
            if on_progress is not None:
                on_progress(stop)
        return _joined(parts)
    workers = pool(processes)
    futures = [workers.submit(render_chunk, batch, *bound) for bound in bounds]
    parts = []
    for future, (_start, stop) in zip(futures, bounds, strict=True):
        parts.append(future.result())  # in order, so progress is the receipts done in order
        if on_progress is not None:
            on_progress(stop)
    return _joined(parts)


def _joined(parts: list[bytes]) -> bytes:
    if len(parts) == 1:
        return parts[0]
    writer = PdfWriter()
    for part in parts:
        writer.append(io.BytesIO(part))
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


_pools: dict[int, ProcessPoolExecutor] = {}
_pools_lock = threading.Lock()


def pool(processes: int = DEFAULT_PROCESSES) -> ProcessPoolExecutor:
    """This process's pool of receipt renderers, started on first use. Workers are
    spawned, not forked: the parent may run threads (a Huey consumer, a web server)."""
    with _pools_lock:
        executor = _pools.get(os.getpid())
        if executor is None:
            context = multiprocessing.get_context("spawn")
            executor = ProcessPoolExecutor(
                max_workers=processes, mp_context=context, initializer=_warm
            )
            _pools[os.getpid()] = executor
        return executor


def _warm() -> None:
    """Parse the stylesheet and load the fonts once per worker, before the first chunk."""
    stylesheet(STYLESHEET)
