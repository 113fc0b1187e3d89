"""Run every bench/bench_*.py module, each on a fresh migrated database, and print
each figure beside its target.

The database is a uniquely named one on the PostgreSQL server BENCH_DATABASE_URL
points at, or else a temporary SQLite file. Name modules to run only those:
``python bench/run.py pages``.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import Figure, bench_url, fresh_database, is_postgres

BENCH_DIR = Path(__file__).resolve().parent


def modules(selected: list[str]) -> list[str]:
    names = sorted(path.stem for path in BENCH_DIR.glob("bench_*.py"))
    if selected:
        names = [name for name in names if name.removeprefix("bench_") in selected]
    return names


def run_module(name: str) -> list[Figure]:
    module = importlib.import_module(f"bench.{name}")
    with fresh_database() as url:
        return module.run(url)


def table(figures: list[Figure]) -> str:
    rows = [("benchmark", "measured", "target", "result")]
    rows += [
        (f.name, f"{f.value:g} {f.unit}", f.target, "ok" if f.passed else "MISSED") for f in figures
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(line.rstrip() for line in lines)


def main(argv: list[str]) -> int:
    engine = "PostgreSQL" if is_postgres(bench_url()) else "SQLite"
    figures = []
    for name in modules(argv):
        print(f"running {name} on {engine} ...", file=sys.stderr, flush=True)
        figures += run_module(name)
    print(f"\nSinergi benchmarks on {engine}\n")
    print(table(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
