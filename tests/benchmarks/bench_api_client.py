"""How long the Ocote client takes per call against the in-process sandbox (loopback HTTP).

    /tmp/venv/bin/python tests/benchmarks/bench_api_client.py [N]

Measures submit_invoice, get_status and download_file (ticket) latencies over N invoices, and
the wall time of one automatic recovery from a dropped answer (real backoff sleep included).
The sandbox's rate limits are raised so the figures are the client + sandbox cost, not pacing.
"""

from __future__ import annotations

import secrets
import statistics
import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from app.api import OcoteClient  # noqa: E402
from app.domain.invoice import InvoiceDraft, SaleLine, build_invoice_payload  # noqa: E402
from app.domain.refs import make_external_ref  # noqa: E402
from app.sandbox.server import SandboxServer  # noqa: E402


def _ms(samples: list[float]) -> str:
    samples = sorted(samples)
    p95 = samples[max(0, round(len(samples) * 0.95) - 1)]
    return f"median {statistics.median(samples) * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms"


def main(n: int = 200) -> None:
    key = "odt_" + secrets.token_hex(28)
    draft = InvoiceDraft(lines=(SaleLine("Café molido 1 lb", Decimal("2"), Decimal("5.65"), Decimal("10")),))
    timings: dict[str, list[float]] = {"submit_invoice": [], "get_status": [], "download_file": []}
    with (
        SandboxServer(rate_limit_minute=10**6, rate_limit_hour=10**7) as server,
        OcoteClient(server.base_url, key) as client,
    ):
        for i in range(1, n + 1):
            payload = build_invoice_payload(draft, make_external_ref("M001P001", date(2026, 11, 21), i))
            ref = payload["external_ref"]
            for name, call in (
                ("submit_invoice", lambda: client.submit_invoice(payload)),
                ("get_status", lambda: client.get_status(ref)),
                ("download_file", lambda: client.download_file(ref)),
            ):
                start = time.perf_counter()
                call()
                timings[name].append(time.perf_counter() - start)
        server.set_next("drop_after_commit")
        payload = build_invoice_payload(draft, make_external_ref("M001P001", date(2026, 11, 21), n + 1))
        start = time.perf_counter()
        result = client.submit_invoice(payload)
        recovery = time.perf_counter() - start
        assert result.is_duplicate and len(server.documents()) == n + 1
    for name, samples in timings.items():
        print(f"{name:15s} x{n}: {_ms(samples)}")
    print(
        f"dropped answer -> automatic retry -> duplicate: {recovery * 1000:.0f} ms "
        f"(default backoff 0.25-0.5 s included)"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
