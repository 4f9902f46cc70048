"""F12 to next-sale-ready on a bad day, at the service level: how long ``CheckoutService.checkout``
takes to return (the cart frees when it does) with Ocote healthy, refusing, silent, trickling,
and known down.

    .venv/bin/python tests/benchmarks/bench_offline.py [N]

Each case runs N sales (default 5) in a fresh journal with the dummy printer (the provisional
receipt or the fiscal ticket is composed and rasterised, as on a till). The client is the one the
till uses (``open_api_client``: default connect timeout, retries and the sale deadline). For
"refusing", "silent" and "trickling" the first sale of each journal meets the failure (the link
state starts unknown) and the next ones find Ocote known down; they are reported apart.

Targets (issue 10): known down <= 1 s; first failure <= connect timeout + 1 s; silent <= sale
deadline.
"""

from __future__ import annotations

import platform
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from app.api.errors import NotSent  # noqa: E402
from app.config import Settings  # noqa: E402
from app.domain.invoice import InvoiceDraft, SaleLine  # noqa: E402
from app.journal import Journal  # noqa: E402
from app.printing.ticket_printer import TicketPrinter  # noqa: E402
from app.sandbox.server import SandboxServer  # noqa: E402
from app.services.checkout import CheckoutService  # noqa: E402
from app.services.connectivity import Connectivity  # noqa: E402
from app.services.container import open_api_client  # noqa: E402
from tests.api.misbehaving import MisbehavingServer, Mode  # noqa: E402

DRAFT = InvoiceDraft(lines=(SaleLine("Café molido 1 lb", Decimal("2"), Decimal("5.65"), Decimal("10")),))


def _run(base_url: str, n: int, *, known_down: bool = False) -> list[tuple[float, str, str]]:
    """Time ``n`` checkouts against ``base_url``: [(seconds, outcome, receipt)]."""
    key = "odt_" + secrets.token_hex(28)
    settings = Settings(api_url=base_url, api_key=key, cashier="Bench")
    with (
        tempfile.TemporaryDirectory() as folder,
        Journal.open(Path(folder) / "journal.sqlite3") as journal,
        open_api_client(settings) as client,
    ):
        link = Connectivity(journal, client)
        if known_down:
            link.record_failure(NotSent("bench"))
        service = CheckoutService(journal, client, TicketPrinter("dummy:"), settings, connectivity=link)
        out = []
        for _ in range(n):
            started = time.perf_counter()
            result = service.checkout(DRAFT)
            out.append((time.perf_counter() - started, result.outcome.value, result.receipt.value))
        service.printer.close()
    return out


def _row(name: str, runs: list[tuple[float, str, str]]) -> str:
    seconds = [r[0] for r in runs]
    outcomes = ", ".join(sorted({f"{r[1]}/{r[2]}" for r in runs}))
    return f"| {name} | {len(runs)} | {statistics.median(seconds):.2f} | {max(seconds):.2f} | {outcomes} |"


def main(n: int = 5) -> None:
    rows = []
    with SandboxServer(rate_limit_minute=10**6, rate_limit_hour=10**7) as sandbox:
        rows.append(_row("healthy (sandbox)", _run(sandbox.base_url, n)))
    for mode, label in ((Mode.REFUSE, "refusing"), (Mode.SILENT, "silent"), (Mode.TRICKLE_HEAD, "trickling")):
        with MisbehavingServer(mode, interval=0.5, lifetime=300) as server:
            runs = _run(server.base_url, n)
        rows.append(_row(f"{label}: first sale", runs[:1]))
        rows.append(_row(f"{label}: next sales (known down)", runs[1:]))
    with MisbehavingServer(Mode.SILENT, lifetime=300) as server:
        rows.append(_row("known down from the start", _run(server.base_url, n, known_down=True)))
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT, check=False
    ).stdout.strip()
    print(
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, commit {commit}, {platform.machine()} "
        f"{platform.processor() or ''} Python {platform.python_version()}, sale deadline "
        f"{Settings().sale_deadline_s:g} s"
    )
    print("| Ocote | sales | median s | max s | outcome/receipt |")
    print("|---|---|---|---|---|")
    for row in rows:
        print(row)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
