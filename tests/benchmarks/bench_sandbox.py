"""Throughput of the sandbox over loopback: issue invoices, read status, render tickets.

Run on demand: ``python tests/benchmarks/bench_sandbox.py [N]`` from the repository root.
Prints requests per second and per-request latency percentiles for each kind of request.
"""

from __future__ import annotations

import secrets
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import httpx  # noqa: E402

from app.sandbox.server import SandboxServer  # noqa: E402


def measure(label: str, n: int, call) -> None:
    times = []
    start = time.perf_counter()
    for i in range(n):
        t0 = time.perf_counter()
        call(i)
        times.append(time.perf_counter() - t0)
    total = time.perf_counter() - start
    times.sort()
    print(f"{label:<22} {n / total:8.1f} req/s   p50 {statistics.median(times) * 1000:6.1f} ms"
          f"   p95 {times[int(len(times) * 0.95) - 1] * 1000:6.1f} ms")


def main(n: int = 300) -> None:
    key = "odt_" + secrets.token_hex(28)
    body = {"lines": [{"description": "Cuaderno espiral", "quantity": 2, "unit_price": 5.65,
                       "discount_percentage": 10}] * 5}
    with SandboxServer(rate_limit_minute=10**9, rate_limit_hour=10**9) as server, \
            httpx.Client(base_url=server.base_url, headers={"Authorization": f"Bearer {key}"}) as c:
        measure("POST /invoice", n, lambda i: c.post("/invoice", json={**body, "external_ref": f"B-{i}"}))
        measure("GET /status", n, lambda i: c.get(f"/status/B-{i}"))
        measure("GET /file ticket", max(n // 5, 1), lambda i: c.get(f"/file/B-{i}", params={"type": "ticket"}))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 300)
