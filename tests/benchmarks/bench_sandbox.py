"""Throughput of the sandbox over loopback: issue invoices, read status, render tickets.

Run on demand: ``python tests/benchmarks/bench_sandbox.py [N]`` from the repository root.
Prints requests per second and per-request latency percentiles for each kind of request, first
in memory, then with a state file (``state_path``: each document fsynced before its answer), where
the invoices are issued in rounds of N to show that the cost does not grow with the documents
already kept (the state file lives in a temporary folder on the same disk as the system's temp).
"""

from __future__ import annotations

import secrets
import statistics
import sys
import tempfile
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
    print(
        f"{label:<22} {n / total:8.1f} req/s   p50 {statistics.median(times) * 1000:6.1f} ms"
        f"   p95 {times[int(len(times) * 0.95) - 1] * 1000:6.1f} ms   max {times[-1] * 1000:6.1f} ms"
    )


def main(n: int = 300) -> None:
    key = "odt_" + secrets.token_hex(28)
    body = {
        "lines": [{"description": "Cuaderno espiral", "quantity": 2, "unit_price": 5.65, "discount_percentage": 10}] * 5
    }
    with (
        SandboxServer(rate_limit_minute=10**9, rate_limit_hour=10**9) as server,
        httpx.Client(base_url=server.base_url, headers={"Authorization": f"Bearer {key}"}) as c,
    ):
        measure("POST /invoice", n, lambda i: c.post("/invoice", json={**body, "external_ref": f"B-{i}"}))
        measure("GET /status", n, lambda i: c.get(f"/status/B-{i}"))
        measure("GET /file ticket", max(n // 5, 1), lambda i: c.get(f"/file/B-{i}", params={"type": "ticket"}))
    with (
        tempfile.TemporaryDirectory() as folder,
        SandboxServer(
            rate_limit_minute=10**9, rate_limit_hour=10**9, state_path=Path(folder) / "sandbox.json"
        ) as server,
        httpx.Client(base_url=server.base_url, headers={"Authorization": f"Bearer {key}"}) as c,
    ):
        for round_ in range(1, 5):
            measure(
                f"POST /invoice state #{round_}",
                n,
                lambda i: c.post("/invoice", json={**body, "external_ref": f"S{round_}-{i}"}),
            )
        measure("GET /status state", n, lambda i: c.get(f"/status/S1-{i}"))
        started = time.perf_counter()
        reloaded = SandboxServer(state_path=Path(folder) / "sandbox.json")
        elapsed = time.perf_counter() - started
        print(f"start on a state of {len(reloaded.documents())} documents: {elapsed * 1000:.0f} ms")
        reloaded.stop()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 300)
