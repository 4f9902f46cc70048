"""Benchmark the customer directory's search and the scale-label scan (a script, not a test).

    .venv/bin/python tests/benchmarks/bench_customers_scale.py [--customers 20000] [--products 20000]

1. Fills a journal's directory with ``--customers`` customers (names with accents, DUI/NIT/NRC,
   e-mails), then times ``CustomerDirectory.search`` for what a cashier types in F5: a few letters,
   a full name without accents, a DUI with and without hyphen, a NIT prefix (median and max over
   10 runs each). F5 runs these on the ``reader`` executor; the figure is how soon the list updates.
2. Times ``scale_line`` (a price label resolved against an in-memory index of ``--products``
   products) and the exact-code lookup every scan does first: the extra cost of a scale label.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from app.domain.cart import ProductIndex  # noqa: E402
from app.domain.customers import SavedCustomer  # noqa: E402
from app.domain.identity import dui_check_digit  # noqa: E402
from app.domain.scale import DEFAULT_FORMAT, encode_label, scale_line  # noqa: E402
from app.journal import Journal, Product  # noqa: E402
from app.services.customers import CustomerDirectory  # noqa: E402

FIRST = ["José", "María", "Ana", "Luis", "Óscar", "Inés", "Raúl", "Sofía", "Jesús", "Ángela", "Martín", "Lucía"]
LAST = ["Pérez", "Núñez", "Hernández", "López", "Martínez", "Ramírez", "Gómez", "Díaz", "Cruz", "Flores"]


def timed(fn, repeat: int = 10) -> tuple[float, float]:
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - start) * 1000)
    return statistics.median(runs), max(runs)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--customers", type=int, default=20000)
    parser.add_argument("--products", type=int, default=20000)
    args = parser.parse_args()
    rng = random.Random(13)
    with tempfile.TemporaryDirectory() as folder, Journal.open(Path(folder) / "j.sqlite3") as journal:
        start = time.perf_counter()
        duis = []
        with journal.transaction():
            for i in range(args.customers):
                body = f"{i:08d}"
                dui = f"{body}-{dui_check_digit(body)}"
                duis.append(dui)
                name = f"{rng.choice(FIRST)} {rng.choice(LAST)} {rng.choice(LAST)} {i}"
                journal.customers.add(
                    SavedCustomer(None, name, dui=dui, nrc=str(100000 + i), email=f"cliente{i}@correo.sv"),
                    used=bool(i % 3),
                )
        print(f"{args.customers} customers saved in {time.perf_counter() - start:.1f} s")
        directory = CustomerDirectory(journal)
        directory.search("")  # the one-time import of older sales (none here)
        probe = duis[args.customers // 2]
        for label, text in (
            ("empty (most used)", ""),
            ("3 letters 'jos'", "jos"),
            ("name without accents 'jose perez'", "jose perez"),
            ("DUI with hyphen", probe),
            ("DUI digits", probe.replace("-", "")),
            ("e-mail part 'cliente1234@'", "cliente1234@"),
            ("no match 'zzzz'", "zzzz"),
        ):
            median, worst = timed(lambda text=text: directory.search(text, 12))
            print(f"search {label:<36} median {median:6.2f} ms  max {worst:6.2f} ms")
    products = [
        Product(f"{i:05d}", f"Producto {i}", Decimal("1.25"), f"74{i:011d}", True) for i in range(args.products)
    ]
    index = ProductIndex(products)
    code = encode_label("01234", Decimal("3.27"))
    n = 20000
    start = time.perf_counter()
    for _ in range(n):
        scale_line(code, DEFAULT_FORMAT, index.find)
    per_label = (time.perf_counter() - start) / n * 1e6
    start = time.perf_counter()
    for _ in range(n):
        index.find("7400000001234")
    per_find = (time.perf_counter() - start) / n * 1e6
    print(f"scale label -> sale line ({args.products} products): {per_label:.1f} µs; exact find: {per_find:.2f} µs")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
