"""The store database (issue 12): replication catch-up and store-wide search, on a real PostgreSQL.

    .venv/bin/python tests/benchmarks/bench_store.py [replication|search|all] [N]

Starts a throw-away PostgreSQL server (tests/helpers/pgserver.py: PostgreSQL's server programs,
as ``postgres`` when run as root) unless ``CAJA_TEST_STORE_URL`` names one.

* part 1, ``replication`` — N sales (default 10,000) journaled while the store was down, then
  replicated in one catch-up: sales/s (target >= 500 sales/s).
* part 2, ``search`` — store-wide history search over 1,000,000 sales (target <= 50 ms per criterion).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


# ---- part 1: replication catch-up (pg12a)


def bench_replication(n: int = 10_000) -> None:
    raise SystemExit("replication benchmark: not written yet")


# ---- part 2: store-wide search (pg12b)


def bench_search(n: int = 1_000_000) -> None:
    """Store-wide history search (tests/benchmarks/bench_store_search.py has the data and criteria)."""
    from tests.benchmarks.bench_store_search import bench_search as run

    run(n)


PARTS: dict[str, Callable[[int], None]] = {"replication": bench_replication, "search": bench_search}
DEFAULT_N = {"replication": 10_000, "search": 1_000_000}


def main(argv: list[str]) -> int:
    which = argv[0] if argv else "all"
    names = list(PARTS) if which == "all" else [which]
    for name in names:
        if name not in PARTS:
            print(__doc__, file=sys.stderr)
            return 2
        n = int(argv[1]) if len(argv) > 1 else DEFAULT_N[name]
        PARTS[name](n)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
