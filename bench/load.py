"""Load over real HTTP: ``wrk`` when installed (2 threads × 16 connections), else a
small generator of threads, each with its own ``http.client`` connection."""

from __future__ import annotations

import http.client
import re
import shutil
import statistics
import subprocess
import threading
import time
from dataclasses import dataclass

THREADS = 2
CONNECTIONS = 16


@dataclass(frozen=True)
class Load:
    """Throughput and latency of one page under load."""

    rps: float
    p50_ms: float
    p99_ms: float
    errors: int = 0


def measure(port: int, path: str, seconds: float, cookie: str = "") -> Load:
    if shutil.which("wrk"):
        return _wrk(port, path, seconds, cookie)
    return _threads(port, path, seconds, cookie)


def _wrk(port: int, path: str, seconds: float, cookie: str) -> Load:
    command = ["wrk", f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{seconds:g}s", "--latency"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    output = subprocess.run(
        [*command, f"http://127.0.0.1:{port}{path}"],
        capture_output=True,
        text=True,
        check=True,
        timeout=seconds + 30,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return Load(
        rps,
        _wrk_ms(re.search(r"^\s+50%\s+(\S+)", output, re.M).group(1)),
        _wrk_ms(re.search(r"^\s+99%\s+(\S+)", output, re.M).group(1)),
        int(errors.group(1)) if errors else 0,
    )


def _wrk_ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def _threads(port: int, path: str, seconds: float, cookie: str) -> Load:
    latencies: list[float] = []
    errors = [0]
    stop = time.perf_counter() + seconds
    headers = {"Cookie": cookie} if cookie else {}

    def worker():
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine = []
        while time.perf_counter() < stop:
            start = time.perf_counter()
            try:
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                response.read()
                if response.status >= 400:
                    errors[0] += 1
            except (OSError, http.client.HTTPException):
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                errors[0] += 1
                continue
            mine.append((time.perf_counter() - start) * 1000)
        latencies.extend(mine)

    workers = [threading.Thread(target=worker) for _ in range(CONNECTIONS)]
    begun = time.perf_counter()
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join()
    elapsed = time.perf_counter() - begun
    cuts = statistics.quantiles(latencies, n=100)
    return Load(len(latencies) / elapsed, cuts[49], cuts[98], errors[0])
