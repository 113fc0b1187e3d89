"""Bulk receipts: the 500 receipts of one match as one PDF, made the way the background
task makes them (``render_receipts``: chunks rendered by a pool of two worker processes,
joined with pypdf), against the floor measured in the same run: one simple receipt page
rendered alone in this process, times the pages, over the two cores."""

from __future__ import annotations

import io
import os
import time

from pypdf import PdfReader

from bench.common import Figure, median, timed
from portal.letters.receipt_pdf import DEFAULT_PROCESSES, pool, render_chunk, render_receipts
from portal.letters.sample import sample_receipts

RECIPIENTS = 500
ROUNDS = 3
FLOOR_ROUNDS = 9
TARGET_S = 12


def run(database_url: str) -> list[Figure]:  # noqa: ARG001 - plain data, no database
    batch = sample_receipts(RECIPIENTS)
    one = sample_receipts(1)
    start = time.perf_counter()
    list(pool(DEFAULT_PROCESSES).map(_nothing, range(DEFAULT_PROCESSES)))  # workers started
    pool_start = time.perf_counter() - start
    render_chunk(one, 0, 1)  # this process's stylesheet and fonts
    runs, floor = [], []
    for _ in range(ROUNDS):  # the floor between the runs, so both see the same load
        seconds, pdf = timed(lambda: render_receipts(batch, processes=DEFAULT_PROCESSES))
        runs.append(seconds)
        floor += [timed(lambda: render_chunk(one, 0, 1))[0] for _ in range(FLOOR_ROUNDS // 3)]
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    if pages != RECIPIENTS:
        raise RuntimeError(f"{pages} pages for {RECIPIENTS} receipts")
    page_ms = median(floor) * 1000
    ideal = page_ms * RECIPIENTS / DEFAULT_PROCESSES / 1000
    load = os.getloadavg()[0]
    return [
        Figure(
            f"receipts for {RECIPIENTS} recipients, one PDF, {DEFAULT_PROCESSES} processes, median",
            round(median(runs), 1),
            "s",
            f"≤ {TARGET_S} s (floor {ideal:.1f} s: {page_ms:.0f} ms a lone page × "
            f"{RECIPIENTS} ÷ {DEFAULT_PROCESSES}; load {load:.1f})",
            median(runs) <= TARGET_S,
        ),
        Figure(
            "receipts: starting the two worker processes (once per process)",
            round(pool_start, 1),
            "s",
            "reported",
            True,
        ),
        Figure(
            "receipts: single simple receipt page, median", round(page_ms), "ms", "reported", True
        ),
    ]


def _nothing(_: int) -> None:
    """Runs in each worker so the pool is up before the clock starts."""
