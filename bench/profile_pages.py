"""Where an officer page's server time goes: ``python bench/profile_pages.py [page] [-n N]``
prints each page's median in-process time and, for the named page, a cProfile of N
requests (sorted by cumulative time). A tool, not a benchmark (run.py skips it)."""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import bench_app, fresh_database
from bench.demo_pages import OFFICER, page_paths, seed
from bench.page_times import logged_in_client, server_times


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("page", nargs="?")
    parser.add_argument("-n", type=int, default=200)
    parser.add_argument("--lines", type=int, default=45)
    args = parser.parse_args(argv)
    with fresh_database() as url:
        app = bench_app(url)
        seed(app)
        paths = page_paths(app)
        client = logged_in_client(app, OFFICER.email, OFFICER.password)
        for name, ms in server_times(client, paths).items():
            print(f"{name:20} {ms:6.2f} ms")
        if args.page:
            path = paths[args.page]
            profile = cProfile.Profile()
            profile.enable()
            for _ in range(args.n):
                client.get(path)
            profile.disable()
            stats = pstats.Stats(profile).strip_dirs().sort_stats("cumulative")
            stats.print_stats(args.lines)
            stats.sort_stats("tottime").print_stats(25)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
