"""In-process server time of pages: a logged-in test client and the median time of
each page over repeated requests."""

from __future__ import annotations

import time

from bench.common import median

REQUESTS = 60
WARM_UP = 5


def logged_in_client(app, email: str, password: str):
    client = app.test_client()
    response = client.post("/login", data={"email": email, "password": password})
    if response.status_code != 302:
        raise RuntimeError(f"bench login as {email} failed ({response.status_code})")
    return client


def server_times(client, paths: dict[str, str], requests: int = REQUESTS) -> dict[str, float]:
    """Median milliseconds per page, requests interleaved so noise hits every page alike."""
    times: dict[str, list[float]] = {name: [] for name in paths}
    for n in range(WARM_UP + requests):
        for name, path in paths.items():
            start = time.perf_counter()
            response = client.get(path)
            elapsed = (time.perf_counter() - start) * 1000
            if response.status_code != 200:
                raise RuntimeError(f"GET {path} gave {response.status_code}")
            if n >= WARM_UP:
                times[name].append(elapsed)
    return {name: median(values) for name, values in times.items()}
