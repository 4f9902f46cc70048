"""How long keeping the open cart in the journal takes (issue 13: "measure").

The window writes the cart a moment after the last change, on the ``backend`` executor (never on
the GUI thread), and once more on the GUI thread when the window closes. This times
``OpenCart.save`` and ``OpenCart.load`` on a real journal file for carts of 1, 20 and 100 lines.

Usage::

    python tests/benchmarks/bench_open_cart.py
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from app.domain.invoice import InvoiceDraft, SaleLine  # noqa: E402
from app.journal import Journal  # noqa: E402
from app.services.open_cart import OpenCart  # noqa: E402

RUNS = 200


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        journal = Journal.open(Path(folder) / "journal.sqlite3")
        store = OpenCart(journal.state)
        print(f"{'lines':>5} {'save median':>12} {'save p95':>9} {'load median':>12}")
        for n in (1, 20, 100):
            draft = InvoiceDraft(
                lines=tuple(
                    SaleLine(f"Producto {i}", Decimal(i % 5 + 1), Decimal("1.25"), code=f"P{i:03}") for i in range(n)
                )
            )
            saves, loads = [], []
            for _ in range(RUNS):
                t = time.perf_counter()
                store.save(draft)
                saves.append((time.perf_counter() - t) * 1000)
                t = time.perf_counter()
                assert store.load() is not None
                loads.append((time.perf_counter() - t) * 1000)
            saves.sort()
            print(
                f"{n:>5} {statistics.median(saves):>10.2f}ms {saves[int(RUNS * 0.95)]:>7.2f}ms "
                f"{statistics.median(loads):>10.2f}ms"
            )
        journal.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
