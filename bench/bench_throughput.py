"""Throughput of the eight officer pages under gunicorn as ``make serve`` runs it
(2 sync workers) on the demo data, against a bare Flask + Jinja page rendering a 50-row
table under the same settings; and the same pages' median server time in-process.

Load: ``wrk`` 2 threads × 16 connections when installed, else bench/load.py's threads;
BENCH_SECONDS a page (default 10) and BENCH_RUNS runs (default 3), medians quoted."""

from __future__ import annotations

import http.client
import os
import re
import socket
import subprocess
import sys
import time
import urllib.parse
from contextlib import contextmanager

from bench.common import ROOT, Figure, bench_app, median
from bench.demo_pages import OFFICER, PAGE_NAMES, page_paths, seed
from bench.load import Load, measure
from bench.page_times import logged_in_client, server_times

SECONDS = float(os.environ.get("BENCH_SECONDS") or 10)
RUNS = int(os.environ.get("BENCH_RUNS") or 3)
TARGET_RATIO = 0.5
FORM_MS, LIST_MS = 1.0, 2.5
BARE = "bare Flask + Jinja, 50-row table"


def run(database_url: str) -> list[Figure]:
    app = bench_app(database_url)
    seed(app)
    paths = page_paths(app)
    client = logged_in_client(app, OFFICER.email, OFFICER.password)
    times = server_times(client, paths)
    with app.app_context():
        from portal.extensions import db

        db.engine.dispose()
    loads = _loads(database_url, paths)
    return _server_figures(times) + _load_figures(loads)


def _loads(database_url: str, paths: dict[str, str]) -> dict[str, list[Load]]:
    loads: dict[str, list[Load]] = {name: [] for name in (*PAGE_NAMES, BARE)}
    with gunicorn("wsgi:app", database_url) as port:
        cookie = login(port, OFFICER.email, OFFICER.password)
        with gunicorn("bench.bare_app:app", database_url) as bare_port:
            for _ in range(RUNS):
                for name, path in paths.items():
                    loads[name].append(_checked(measure(port, path, SECONDS, cookie), path))
                loads[BARE].append(_checked(measure(bare_port, "/", SECONDS), "bare page"))
    return loads


def _checked(load: Load, what: str) -> Load:
    if load.errors:
        raise RuntimeError(f"{what}: {load.errors} error responses under load")
    return load


def _server_figures(times: dict[str, float]) -> list[Figure]:
    figures = []
    for name, ms in times.items():
        target, passed = "reported", True
        if name == "password form":
            target, passed = f"<= {FORM_MS:g} ms", ms <= FORM_MS
        elif name in ("recipient list", "contribution list"):
            target, passed = f"<= {LIST_MS:g} ms", ms <= LIST_MS
        figures.append(
            Figure(f"server time in-process: {name}", round(ms, 2), "ms", target, passed)
        )
    return figures


def _load_figures(loads: dict[str, list[Load]]) -> list[Figure]:
    figures = []
    medians = {}
    for name, runs in loads.items():
        medians[name] = median([load.rps for load in runs])
        p50 = median([load.p50_ms for load in runs])
        p99 = median([load.p99_ms for load in runs])
        figures.append(
            Figure(
                f"gunicorn {name} (p50 {p50:.1f} ms, p99 {p99:.1f} ms)",
                round(medians[name]),
                "req/s",
                "reported",
                True,
            )
        )
    ratio = median([medians[name] for name in PAGE_NAMES]) / medians[BARE]
    figures.append(
        Figure(
            f"median of the eight pages / bare page (median of {RUNS} runs)",
            round(ratio, 2),
            "x",
            f">= {TARGET_RATIO}",
            ratio >= TARGET_RATIO,
        )
    )
    return figures


@contextmanager
def gunicorn(target: str, database_url: str):
    """``target`` under gunicorn with ``make serve``'s settings on a free port."""
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": "bench-secret",
        "PYTHONPATH": str(ROOT),
    }
    command = [sys.executable, "-m", "gunicorn", "--workers", "2"]
    command += ["--bind", f"127.0.0.1:{port}", target]
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        _wait_for(port, process)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=30)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for(port: int, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("gunicorn stopped at start-up")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not start")


def login(port: int, email: str, password: str) -> str:
    """Log in over HTTP like a browser (CSRF token from the form); the session cookie."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", "/login")
    response = connection.getresponse()
    page = response.read().decode()
    cookie = _cookie(response)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    body = urllib.parse.urlencode({"csrf_token": token, "email": email, "password": password})
    headers = {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"}
    connection.request("POST", "/login", body=body, headers=headers)
    response = connection.getresponse()
    response.read()
    if response.status != 302:
        raise RuntimeError(f"login over HTTP gave {response.status}")
    connection.close()
    return _cookie(response)


def _cookie(response: http.client.HTTPResponse) -> str:
    for header in response.headers.get_all("Set-Cookie") or []:
        if header.startswith("session="):
            return header.split(";", 1)[0]
    raise RuntimeError("no session cookie")
