"""Copy a journal's sales into the store as replication leaves them (tests of the store's reads).

A stand-in written for the read tests: the same rows the till's replication writes (sales,
documents, original print jobs, cash sessions), with plain INSERT ... ON CONFLICT DO NOTHING.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from app.journal import Journal


def copy_to_store(journal: Journal, db: Any, till_id: str | None = None) -> int:
    """Insert every sale (with its document, original prints and cash sessions) of ``journal``."""
    till = till_id or str(uuid.uuid5(uuid.NAMESPACE_URL, str(journal.path)))
    copied = 0
    with journal._db.reading():  # noqa: SLF001 - a test helper reads the tables as replication does
        sales = [dict(r) for r in journal._db.all("SELECT * FROM sales ORDER BY id")]  # noqa: SLF001
        documents = {r["sale_id"]: dict(r) for r in journal._db.all("SELECT * FROM documents")}  # noqa: SLF001
        prints = [dict(r) for r in journal._db.all("SELECT * FROM print_jobs")]  # noqa: SLF001
        sessions = [dict(r) for r in journal._db.all("SELECT * FROM cash_sessions")]  # noqa: SLF001
        users = {r["id"]: r["name"] for r in journal._db.all("SELECT id, name FROM users")}  # noqa: SLF001
    refs = {s["id"]: s["external_ref"] for s in sales}
    registers = {s["id"]: s["register"] for s in sales}
    with db.connection() as conn:
        for s in sales:
            columns = {k: v for k, v in s.items() if k not in ("id",)}
            columns.update(till_id=till, local_id=s["id"], draft=json.dumps(json.loads(s["draft"])))
            names = ", ".join(columns)
            marks = ", ".join("%s" for _ in columns)
            updates = ", ".join(f"{k} = EXCLUDED.{k}" for k in columns if k != "external_ref")
            conn.execute(
                f"INSERT INTO sales ({names}) VALUES ({marks}) ON CONFLICT (external_ref) DO UPDATE SET {updates}",
                list(columns.values()),
            )
            copied += 1
            d = documents.get(s["id"])
            if d is not None:
                doc = {k: v for k, v in d.items() if k != "sale_id"}
                for flag in ("success", "dte_success", "contingency", "rejected", "is_duplicate"):
                    doc[flag] = bool(doc[flag])
                doc["external_ref"] = s["external_ref"]
                names = ", ".join(doc)
                marks = ", ".join("%s" for _ in doc)
                updates = ", ".join(f"{k} = EXCLUDED.{k}" for k in doc if k != "external_ref")
                conn.execute(
                    f"INSERT INTO documents ({names}) VALUES ({marks}) "
                    f"ON CONFLICT (external_ref) DO UPDATE SET {updates}",
                    list(doc.values()),
                )
        for p in prints:
            conn.execute(
                "INSERT INTO print_jobs (till_id, local_id, register, external_ref, kind, printer, outcome, error, "
                "created_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
                (
                    till,
                    p["id"],
                    registers.get(p["sale_id"], ""),
                    refs.get(p["sale_id"]),
                    p["kind"],
                    p["printer"],
                    p["outcome"],
                    p["error"],
                    p["created_at"],
                ),
            )
        for c in sessions:
            conn.execute(
                "INSERT INTO cash_sessions (till_id, local_id, register, cashier_id, cashier, opened_at, "
                "opening_float, closed_at, expected_cash, counted_cash, difference) "
                "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
                (
                    till,
                    c["id"],
                    c["register"],
                    c["cashier_id"],
                    users.get(c["cashier_id"], ""),
                    c["opened_at"],
                    c["opening_float"],
                    c["closed_at"],
                    c["expected_cash"],
                    c["counted_cash"],
                    c["difference"],
                ),
            )
    return copied
