"""Benchmark the supervisor's reads on a big journal (a script run on demand, not a test).

    /tmp/venv/bin/python tests/benchmarks/bench_journal.py [--sales 100000] [--days 100]

1. Builds a journal of ``--sales`` sales (default 100,000) spread over ``--days`` business days and
   two registers, with one day of 2,000 sales on register M001P001, in one SQL transaction on the
   journal's own schema (made by ``Journal.open``): realistic customers (names, some NIT/DUI),
   amounts, states (mostly issued; some contingency, rejected, voided, queued, invalid) and
   documents with control numbers.
2. Times ``ReprintService.search`` for each kind of criterion (targets <= 50 ms), median and max
   over ``--repeat`` different values each; ``Journal.sales.search`` (the same search on the
   journal's own connection) is timed on the same queries.
3. Times the end-of-day summary of the 2,000-sale day (target <= 1 s), nothing to refresh.
4. Against an in-process sandbox: issues a day of sales of which some end in contingency or stay
   queued, runs the end of day and compares the ``GET /status`` requests the sandbox saw with the
   number of non-final documents (they must be equal).
"""

from __future__ import annotations

import argparse
import json
import random
import secrets
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from app.journal import Journal, fold  # noqa: E402
from app.journal.reports import SaleQuery  # noqa: E402
from app.services.eod import EndOfDayService  # noqa: E402
from app.services.reprint import ReprintService  # noqa: E402

REGISTERS = ("M001P001", "M001P002")
EOD_REGISTER = "M001P001"
FIRST = [
    "María",
    "José",
    "Ana",
    "Juan",
    "Carlos",
    "Rosa",
    "Luis",
    "Carmen",
    "Jorge",
    "Sofía",
    "Miguel",
    "Elena",
    "Pedro",
    "Lucía",
    "Ramón",
    "Gloria",
    "Óscar",
    "Marta",
    "Raúl",
    "Teresa",
    "Mario",
    "Patricia",
    "Jesús",
    "Andrea",
    "Héctor",
    "Verónica",
    "Ernesto",
    "Claudia",
    "René",
    "Beatriz",
]
LAST = [
    "Hernández",
    "López",
    "Martínez",
    "González",
    "Rodríguez",
    "Pérez",
    "Ramírez",
    "Flores",
    "Rivera",
    "Cruz",
    "Díaz",
    "Romero",
    "Morales",
    "Reyes",
    "Alvarado",
    "Mejía",
    "Ayala",
    "Castillo",
    "Orellana",
    "Portillo",
    "Guevara",
    "Menjívar",
    "Quintanilla",
    "Argueta",
    "Escobar",
    "Bonilla",
]
STATES = [("issued", 9500), ("contingency", 100), ("rejected", 100), ("voided", 100), ("queued", 100), ("invalid", 100)]
PAYMENTS = [("01", 70), ("02", 12), ("03", 12), ("05", 4), ("99", 2)]
CENT = Decimal("0.01")


def _pick(rng: random.Random, weighted: list[tuple[str, int]]) -> str:
    return rng.choices([v for v, _w in weighted], [w for _v, w in weighted])[0]


def _ts(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


def build_journal(path: Path, total: int, days: int, eod_day: date, eod_sales: int, seed: int = 7) -> dict:
    """Fill a fresh journal at ``path``; returns samples of what was written (for the searches)."""
    Journal.open(path).close()  # creates the schema through the journal's own migrations
    rng = random.Random(seed)
    first_day = eod_day - timedelta(days=days // 2)
    per_day = [(total - eod_sales) // (days - 1)] * days
    per_day[days // 2] = 0
    per_day[0] += (total - eod_sales) - sum(per_day)
    sequences = {r: 0 for r in REGISTERS}
    samples: dict[str, list] = {k: [] for k in ("ref", "control", "name", "nit", "dui", "amount")}
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    sale_rows, doc_rows = [], []
    sale_id = 0
    for d in range(days):
        day = first_day + timedelta(days=d)
        plan = (
            [(EOD_REGISTER, eod_sales)]
            if d == days // 2
            else [(r, per_day[d] // 2 + (i == 0) * (per_day[d] % 2)) for i, r in enumerate(REGISTERS)]
        )
        for register, count in plan:
            opening = datetime(day.year, day.month, day.day, 8).astimezone()
            for seq in range(1, count + 1):
                sale_id += 1
                created = opening + timedelta(seconds=seq * 12 * 3600 / count)
                ref = f"{register}-{day:%Y%m%d}-{seq:06d}"
                state = _pick(rng, STATES)
                gross = Decimal(rng.randint(100, 50000)) / 100
                taxable = (gross / Decimal("1.13")).quantize(CENT, ROUND_HALF_UP)
                vat = gross - taxable
                discount = (gross * Decimal(rng.choice([0, 0, 0, 5, 10])) / 100).quantize(CENT, ROUND_HALF_UP)
                name, nit, dui = "Consumidor Final", "", ""
                if rng.random() < 0.6:
                    name = f"{rng.choice(FIRST)} {rng.choice(LAST)} {rng.choice(LAST)}"
                    roll = rng.random()
                    if roll < 0.15:
                        dui = f"{rng.randrange(10**9):09d}"
                    elif roll < 0.22:
                        nit = f"{rng.randrange(10**14):014d}"
                draft = json.dumps(
                    {
                        "lines": [
                            {
                                "description": "Producto de prueba",
                                "quantity": "1",
                                "unit_price": str(gross),
                                "discount_pct": "0",
                                "code": None,
                            }
                        ],
                        "customer": None,
                        "customer_name": name,
                        "payment": {"method": "01", "condition": 1},
                    },
                    separators=(",", ":"),
                )
                sale_rows.append(
                    (
                        sale_id,
                        ref,
                        register,
                        "cajero",
                        day.isoformat(),
                        _ts(created),
                        _ts(created),
                        state,
                        draft,
                        1,
                        name,
                        fold(name),
                        nit,
                        dui,
                        _pick(rng, PAYMENTS),
                        1,
                        str(gross),
                        str(discount),
                        str(taxable),
                        str(vat),
                        int(gross * 100),
                    )
                )
                control = ""
                if state in ("issued", "contingency", "rejected", "voided"):
                    sequences[register] += 1
                    control = f"DTE-01-{register}-{sequences[register]:015d}"
                    doc_rows.append(
                        (
                            sale_id,
                            str(uuid.uuid4()),
                            control,
                            str(uuid.uuid4()).upper(),
                            "" if state != "issued" else f"{day:%Y}{secrets.token_hex(18).upper()}",
                            int(state != "rejected"),
                            int(state == "issued"),
                            int(state == "contingency"),
                            int(state == "rejected"),
                            str(gross),
                            str(taxable),
                            str(vat),
                            _ts(created),
                            _ts(created),
                        )
                    )
                if rng.random() < 0.002:
                    samples["ref"].append(ref)
                    samples["amount"].append(gross)
                    if control:
                        samples["control"].append(control)
                    if name != "Consumidor Final":
                        samples["name"].append(name)
                    if nit:
                        samples["nit"].append(nit)
                    if dui:
                        samples["dui"].append(dui)
    with conn:
        conn.executemany(
            "INSERT INTO sales (id, external_ref, register, cashier, business_day, created_at, updated_at, "
            "state, draft, line_count, customer_name, customer_key, customer_nit, customer_dui, "
            "payment_method, payment_condition, total_gross, total_discount, total_taxable, total_vat, "
            "total_cents) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            sale_rows,
        )
        conn.executemany(
            "INSERT INTO documents (sale_id, document_id, control_number, generation_code, reception_stamp, "
            "success, dte_success, contingency, rejected, amount_gross, amount_taxable, amount_vat, "
            "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            doc_rows,
        )
    conn.execute("ANALYZE")
    conn.close()
    samples["first_day"], samples["last_day"] = first_day, first_day + timedelta(days=days - 1)
    return samples


def timed(fn: Callable[[], object], repeat: int) -> tuple[float, float, object]:
    """Median and max milliseconds of ``fn`` over ``repeat`` calls (after one warm-up call)."""
    result = fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), max(times), result


def bench_searches(journal: Journal, samples: dict, repeat: int, rng: random.Random) -> list[tuple]:
    service = ReprintService(journal)
    first, last = samples["first_day"], samples["last_day"]

    def week() -> tuple[date, date]:
        start = first + timedelta(days=rng.randrange((last - first).days - 7))
        return start, start + timedelta(days=6)

    cases = [
        ("ref (whole)", lambda: {"ref": rng.choice(samples["ref"])}),
        ("ref (beginning: register + day)", lambda: {"ref": rng.choice(samples["ref"])[:17]}),
        ("ref (final digits: the sale's number)", lambda: {"ref": rng.choice(samples["ref"])[-6:].lstrip("0") or "1"}),
        ("control number (whole)", lambda: {"control_number": rng.choice(samples["control"])}),
        (
            "control number (final digits)",
            lambda: {"control_number": rng.choice(samples["control"])[-5:].lstrip("0") or "1"},
        ),
        ("customer name (prefix)", lambda: {"customer": rng.choice(samples["name"])[:4]}),
        ("customer name (substring)", lambda: {"customer": rng.choice(samples["name"]).split()[1][1:6]}),
        ("customer name (whole, few sales)", lambda: {"customer": rng.choice(samples["name"])}),
        ("NIT", lambda: {"customer": rng.choice(samples["nit"])}),
        ("DUI", lambda: {"customer": rng.choice(samples["dui"])[:8] + "-" + rng.choice(samples["dui"])[8:]}),
        ("amount (exact)", lambda: {"amount": rng.choice(samples["amount"])}),
        ("amount (range 10.00..10.99)", lambda: {"amount_min": Decimal("10.00"), "amount_max": Decimal("10.99")}),
        ("date range (one week)", lambda: dict(zip(("date_from", "date_to"), week(), strict=True))),
        (
            "customer name + date range",
            lambda: {"customer": rng.choice(LAST)[:5], **dict(zip(("date_from", "date_to"), week(), strict=True))},
        ),
        (
            "customer name + amount range",
            lambda: {"customer": rng.choice(FIRST)[:4], "amount_min": Decimal(100), "amount_max": Decimal(110)},
        ),
    ]
    rows = []
    for label, make in cases:
        ours, theirs = [], []
        hits = 0
        for _ in range(repeat):
            query = SaleQuery(**make())
            start = time.perf_counter()
            found = service.search(query)
            ours.append((time.perf_counter() - start) * 1000)
            hits += len(found)
            start = time.perf_counter()
            journal.sales.search(query)
            theirs.append((time.perf_counter() - start) * 1000)
        rows.append(
            (label, statistics.median(ours), max(ours), hits / repeat, statistics.median(theirs) if theirs else None)
        )
    service.close()
    return rows


def bench_eod_summary(journal: Journal, day: date, repeat: int) -> tuple[float, float, int]:
    def no_api():
        raise AssertionError("the summary of a closed day must not need Ocote")

    # Make the day final first (the benchmark times the summary, the refresh is step 4).
    with sqlite3.connect(journal.path) as conn:
        conn.execute(
            "UPDATE sales SET state = 'issued' WHERE business_day = ? AND state IN "
            "('contingency', 'queued', 'pending')",
            (day.isoformat(),),
        )
    service = EndOfDayService(journal, no_api)
    median, worst, report = timed(lambda: service.run(day, EOD_REGISTER), repeat)
    return median, worst, len(report.documents)


def bench_eod_requests(tmp: Path, api_key: str) -> tuple[int, int, int, dict]:
    """Issue a small day against a sandbox, run the end of day, count ``/status`` requests."""
    from app.api.client import OcoteClient
    from app.domain.invoice import InvoiceDraft, SaleLine, build_invoice_payload
    from app.journal import SaleState
    from app.sandbox.server import SandboxServer

    journal = Journal.open(tmp / "small.sqlite3")
    with SandboxServer(contingency_seconds=0.2) as sandbox, OcoteClient(sandbox.base_url, api_key) as client:
        plan = ["ok"] * 30 + ["contingency"] * 6 + ["queued"] * 3 + ["queued_unsent"] * 2 + ["rejected"] * 2
        for n, outcome in enumerate(plan):
            draft = InvoiceDraft(lines=(SaleLine(f"Artículo {n}", Decimal(1), Decimal("2.50") + n),))
            sale = journal.sales.create(draft, register=EOD_REGISTER)
            if outcome == "queued_unsent":
                journal.sales.set_state(sale.id, SaleState.QUEUED)
                continue
            if outcome in ("contingency", "rejected"):
                sandbox.set_next(outcome)
            result = client.submit_invoice(build_invoice_payload(draft, sale.external_ref))
            if outcome == "queued":  # as after a lost answer: the journal does not know the outcome
                journal.sales.set_state(sale.id, SaleState.QUEUED)
            else:
                journal.documents.record(sale.id, result, state=SaleState(result.state))
        non_final = sum(1 for o in plan if o in ("contingency", "queued", "queued_unsent"))
        before = len(sandbox.requests)
        report = EndOfDayService(journal, client).run(None, EOD_REGISTER)
        status_requests = sum(1 for method, path in sandbox.requests[before:] if method == "GET" and "/status/" in path)
    journal.close()
    return non_final, status_requests, report.requests_made, report.by_state


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sales", type=int, default=100_000)
    parser.add_argument("--days", type=int, default=100)
    parser.add_argument("--eod-sales", type=int, default=2_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--no-sandbox", action="store_true", help="skip step 4")
    args = parser.parse_args()
    rng = random.Random(11)
    with tempfile.TemporaryDirectory(prefix="caja-bench-") as folder:
        tmp = Path(folder)
        path = tmp / "journal.sqlite3"
        eod_day = date(2026, 9, 15)
        start = time.perf_counter()
        samples = build_journal(path, args.sales, args.days, eod_day, args.eod_sales)
        print(
            f"built {args.sales:,} sales over {args.days} days in {time.perf_counter() - start:.1f} s "
            f"({path.stat().st_size / 1e6:.0f} MB)"
        )
        journal = Journal.open(path)
        print("\n| reprint search | median ms | max ms | results (avg) | Journal.sales.search median ms |")
        print("|---|---:|---:|---:|---:|")
        for label, median, worst, hits, theirs in bench_searches(journal, samples, args.repeat, rng):
            flag = "" if worst <= 50 else " (over 50 ms)"
            other = "n/a" if theirs is None else f"{theirs:.1f}"
            print(f"| {label} | {median:.1f} | {worst:.1f}{flag} | {hits:.1f} | {other} |")
        median, worst, count = bench_eod_summary(journal, eod_day, max(5, args.repeat // 3))
        print(
            f"\nend-of-day summary of a {count:,}-sale day: median {median:.0f} ms, max {worst:.0f} ms "
            f"(target <= 1000 ms)"
        )
        journal.close()
        if not args.no_sandbox:
            non_final, seen, made, by_state = bench_eod_requests(tmp, "odt_" + secrets.token_hex(28))
            verdict = "equal" if non_final == seen == made else "DIFFERENT"
            print(
                f"end-of-day requests: {non_final} non-final documents, {seen} GET /status seen by the "
                f"sandbox, {made} reported ({verdict}); states after refresh: {by_state}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
