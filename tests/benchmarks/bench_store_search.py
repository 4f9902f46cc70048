"""Part 2 of ``bench_store.py``: store-wide history search over 1,000,000 sales (target <= 50 ms).

    .venv/bin/python tests/benchmarks/bench_store.py search [N]

Builds a store (every migration applied) holding N sales (default 1,000,000) of four registers
over 365 business days, generated in SQL (``generate_series``): about 30 % of them to named
customers (900 names), 10 % with a NIT and 10 % with a DUI, amounts from $1.00 to $200.99, states
as a till leaves them (mostly issued; contingency, voided, rejected, queued), and a document with a
control number for each one Ocote registered. ``ANALYZE``, then times
:func:`app.store.reads.search` — the query History and ``caja history`` run with a store — for
every criterion of the till's search (``SaleQuery``), median and max over several values each,
on a warm server (a till's searches come one after another).
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

FIRST = ["ana", "jose", "maria", "carlos", "rosa", "luis", "carmen", "jorge", "elena", "miguel"] * 3
LAST = ["lopez", "martinez", "hernandez", "garcia", "rodriguez", "perez", "ramirez", "flores", "rivera", "cruz"] * 3
FIRST = [f + ("" if i < 10 else str(i // 10)) for i, f in enumerate(FIRST)]  # 30 distinct
LAST = [f + ("" if i < 10 else str(i // 10)) for i, f in enumerate(LAST)]
START = date(2026, 1, 1)
DAYS = 365
REGISTERS = 4

_GENERATE = """
INSERT INTO sales (external_ref, till_id, local_id, register, cashier, business_day, created_at, updated_at,
                   state, draft, line_count, customer_name, customer_key, customer_nit, customer_dui,
                   payment_method, payment_condition, total_gross, total_discount, total_taxable, total_vat,
                   total_cents)
SELECT ref, md5(reg)::uuid, i, reg, 'Ana', day, at, at, state, '{{}}'::jsonb, 1, name, name, nit, dui, '01', 1,
       cents / 100.0, 0, round(cents / 113.0, 2), cents / 100.0 - round(cents / 113.0, 2), cents
FROM (
    SELECT i, reg, day, at,
           reg || '-' || to_char(day, 'YYYYMMDD') || '-' || lpad(seq::text, 6, '0') AS ref,
           CASE WHEN i % 50 = 0 THEN 'contingency' WHEN i % 97 = 0 THEN 'voided'
                WHEN i % 131 = 0 THEN 'rejected' WHEN i % 211 = 0 THEN 'queued' ELSE 'issued' END AS state,
           CASE WHEN i % 10 < 3 THEN ({first})[1 + (i / 10) % 30] || ' ' || ({last})[1 + (i / 300) % 30]
                ELSE 'consumidor final' END AS name,
           CASE WHEN i % 10 = 1 THEN lpad(((i::bigint * 7919) % 100000000000000)::text, 14, '0') ELSE '' END AS nit,
           CASE WHEN i % 10 = 2 THEN lpad(((i::bigint * 104729) % 1000000000)::text, 9, '0') ELSE '' END AS dui,
           100 + (i::bigint * 7919) % 20000 AS cents
    FROM (
        SELECT i, 'M001P00' || (1 + k % {registers}) AS reg, k / {registers} + 1 AS seq,
               {start}::date + d AS day,
               ({start}::date + d)::timestamp AT TIME ZONE 'America/El_Salvador'
                   + interval '7 hours' + k * (interval '13 hours' / {per_day}) AS at
        FROM (SELECT i, (i - 1) / {per_day} AS d, (i - 1) % {per_day} AS k
              FROM generate_series(1, {n}) AS g (i)) AS x
    ) AS y
) AS z
"""

_DOCUMENTS = """
INSERT INTO documents (external_ref, till_id, document_id, control_number, success, dte_success, contingency,
                       created_at, updated_at)
SELECT external_ref, till_id, md5(external_ref), 'DTE-01-' || register || '-' || lpad(local_id::text, 15, '0'),
       true, state <> 'contingency', state = 'contingency', created_at, created_at
FROM sales WHERE state IN ('issued', 'contingency', 'voided', 'rejected')
"""


def build(conn: Any, n: int) -> None:
    per_day = -(-n // DAYS)

    def array(words: list[str]) -> str:  # our own plain ASCII words: safe to write into the SQL
        return "ARRAY[" + ", ".join(f"'{w}'" for w in words) + "]"

    sql = _GENERATE.format(
        first=array(FIRST), last=array(LAST), registers=REGISTERS, start=f"'{START}'", per_day=per_day, n=int(n)
    )
    conn.execute(sql)
    conn.execute(_DOCUMENTS)


def criteria(n: int) -> dict[str, list[dict[str, Any]]]:
    """Query keywords per criterion: several values each (recent and old, common and rare)."""
    per_day = -(-n // DAYS)
    last_day = START + timedelta(days=(n - 1) // per_day)

    def ref(i: int) -> str:
        d, k = (i - 1) // per_day, (i - 1) % per_day
        return f"M001P00{1 + k % REGISTERS}-{START + timedelta(days=d):%Y%m%d}-{k // REGISTERS + 1:06d}"

    picks = [n, n - 7, n // 2 + 3, n // 3 + 11, 17]
    named = [i for i in (n - 1, n // 2 + 1, n // 5 + 2, 31, 1002) if i % 10 < 3]
    nits = [i for i in range(n - 20, n) if i % 10 == 1][:3] + [i for i in range(11, 60) if i % 10 == 1][:2]
    duis = [i for i in range(n - 20, n) if i % 10 == 2][:3] + [i for i in range(12, 60) if i % 10 == 2][:2]
    return {
        "newest (no criterion)": [{}],
        "date range: the last 7 days": [{"date_from": last_day - timedelta(days=6), "date_to": last_day}],
        "date range: one old day": [{"date_from": START + timedelta(days=40), "date_to": START + timedelta(days=40)}],
        "date range: a whole month": [
            {"date_from": START + timedelta(days=120), "date_to": START + timedelta(days=150)}
        ],
        "ref: whole": [{"ref": ref(i)} for i in picks],
        "ref: beginning (register + day)": [{"ref": ref(i)[:17]} for i in picks],
        "ref: last digits": [{"ref": str(k)} for k in (42, 7, 133, 1, 250)],
        "ref: a number no sale has": [{"ref": "99999"}],
        "control number: whole": [
            {"control_number": f"DTE-01-M001P00{1 + ((i - 1) % per_day) % REGISTERS}-{i:015d}"} for i in picks
        ],
        "control number: last digits": [{"control_number": str(i)} for i in picks],
        "customer: part of a name": [{"customer": f"{FIRST[(i // 10) % 30]} {LAST[(i // 300) % 30]}"} for i in named],
        "customer: one common word": [{"customer": w} for w in ("maria", "lopez", "rosa2")],
        "customer: a rare word (no match)": [{"customer": w} for w in ("zuniga", "xochitl")],
        "customer: NIT": [{"customer": f"{(i * 7919) % 10**14:014d}"} for i in nits],
        "customer: DUI": [{"customer": f"{(i * 104729) % 10**9:09d}"} for i in duis],
        "amount: exact": [{"amount": Decimal(c) / 100} for c in (1234, 19999, 100, 5050, 777)],
        "amount: range": [{"amount_min": Decimal("150.00"), "amount_max": Decimal("150.50")}],
        "register": [{"register": f"M001P00{r}"} for r in (1, 2, 3, 4)],
        "states: contingency or queued": [{"states": ["contingency", "queued"]}],
        "states: one no sale is in": [{"states": ["invalid"]}],
        "amount: a range few sales are in": [{"amount_min": Decimal("200.90")}],
        "register + last 7 days": [
            {"register": "M001P002", "date_from": last_day - timedelta(days=6), "date_to": last_day}
        ],
        "name + date range": [{"customer": "maria", "date_from": last_day - timedelta(days=30), "date_to": last_day}],
    }


def time_queries(
    conn: Any, search: Callable[..., list[Any]], cases: dict[str, list[dict[str, Any]]], repeat: int = 3
) -> list[dict[str, Any]]:
    from app.journal.reports import SaleQuery

    results = []
    for name, variants in cases.items():
        timings, found = [], []
        for kwargs in variants:
            query = SaleQuery(**kwargs)
            search(conn, query)  # warm: a till's searches come one after another
            for _ in range(repeat):
                start = time.perf_counter()
                rows = search(conn, query)
                timings.append((time.perf_counter() - start) * 1000)
            found.append(len(rows))
        results.append(
            {
                "criterion": name,
                "median_ms": round(statistics.median(timings), 2),
                "max_ms": round(max(timings), 2),
                "results": found,
            }
        )
    return results


def bench_search(n: int = 1_000_000) -> None:
    import os

    import psycopg

    from app.store import reads
    from app.store.db import StoreDatabase
    from app.store.migrate import migrate
    from tests.helpers.pgserver import PgServer, find_pg_bindir, new_database_name

    server = None
    admin = os.environ.get("CAJA_TEST_STORE_URL", "").strip()
    if not admin:
        bindir = find_pg_bindir()
        if bindir is None:
            raise SystemExit("PostgreSQL's server programs are not installed")
        server = PgServer(bindir)
        server.init()
        server.start()
        admin = server.url("postgres")
    name = new_database_name()
    try:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        url = admin.rsplit("/", 1)[0] + "/" + name
        db = StoreDatabase(url, statement_timeout_s=3600)
        migrate(db)
        db.close()
        started = time.perf_counter()
        with psycopg.connect(url) as conn:
            build(conn, n)
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("VACUUM ANALYZE")
        built = time.perf_counter() - started
        with psycopg.connect(url) as conn:
            total = conn.execute("SELECT count(*) FROM sales").fetchone()[0]
            version = conn.execute("SHOW server_version").fetchone()[0]
            trgm = conn.execute("SELECT count(*) FROM pg_extension WHERE extname = 'pg_trgm'").fetchone()[0]
            results = time_queries(conn, reads.search, criteria(n))
        report = {
            "sales": total,
            "postgresql": version,
            "pg_trgm": bool(trgm),
            "build_s": round(built, 1),
            "target_ms": 50,
            "criteria": results,
            "all_within_target": all(r["max_ms"] <= 50 for r in results),
        }
        print(json.dumps(report, indent=2, default=str))
    finally:
        try:
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        finally:
            if server is not None:
                server.cleanup()
