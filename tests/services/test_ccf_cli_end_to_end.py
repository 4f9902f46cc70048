"""Issue 14's "done means" as a new user runs it: a CCF with withholding, a partial and a full note,
``caja status --json`` (withheld VAT and the total to pay from the signed DTE), voiding a CCF past
its window (said before confirming), and ``caja eod --json`` (by document type, notes negative, no
"-0.00"). Real sandbox over 127.0.0.1, real journal, the real ``caja`` process."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime, timedelta

import httpx
import pytest

from app.journal import Journal
from app.journal.db import ts
from tests.services.test_ccf_cli import CCF
from tests.services.test_sell_cli import caja, cli_env


@pytest.fixture
def env(sandbox, api_key):
    return cli_env(sandbox, api_key)


def _json(done):
    assert done.stdout.count("\n") == 1, done.stdout + done.stderr
    return json.loads(done.stdout)


def _age(sandbox, api_key, ref: str, days: float) -> None:
    """Move the document ``days`` into the past at the sandbox and in the journal (its issue time)."""
    answer = httpx.post(
        f"{sandbox.base_url}/_sandbox/age",
        json={"ref": ref, "days": days},
        headers={"Authorization": f"Bearer {api_key}"},
    )
    assert answer.status_code == 200, answer.text
    with Journal.open() as journal:
        path = journal.path
    with sqlite3.connect(path) as db:
        then = ts(datetime.now().astimezone() - timedelta(days=days))
        db.execute(
            "UPDATE documents SET created_at = ? WHERE sale_id = (SELECT id FROM sales WHERE external_ref = ?)",
            (then, ref),
        )


def test_status_shows_the_withheld_vat_and_the_total_to_pay(env):
    sale = _json(caja(env, "sell", *CCF, "--line", "Cemento gris|20|11.30", "--line", "Varilla 3/8|10|5.65", "--json"))
    ref = sale["external_ref"]  # 282.50 gross: base 250.00, VAT 32.50, 2.50 withheld, 280.00 to pay

    journal = _json(caja(env, "status", ref, "--json"))["journal"]
    assert (journal["total"], journal["withheld"], journal["to_pay"]) == ("282.50", "2.50", "280.00")
    text = caja(env, "status", ref).stdout
    assert "$2.50" in text and "$280.00" in text


def test_voiding_a_ccf_past_its_window_says_so_before_confirming_and_records_the_note(env, sandbox, api_key):
    sale = _json(caja(env, "sell", *CCF, "--line", "Harina 50 lb|5|22.60", "--json"))
    ref = sale["external_ref"]
    _age(sandbox, api_key, ref, 3)

    asked = caja(env, "void", ref, "--reason", "Devolvió todo")
    assert asked.returncode == 2
    assert "nota de crédito" in asked.stderr or "credit note" in asked.stderr, asked.stderr
    assert "--yes" in asked.stderr

    done = caja(env, "void", ref, "--reason", "Devolvió todo", "--yes", "--supervisor", "Beto", "--pin", "5678")
    assert done.returncode == 0, done.stderr
    assert "DTE-05-" in done.stdout
    status = _json(caja(env, "status", ref, "--json"))["journal"]
    assert status["state"] == "issued"  # adjusted by Ocote's note, not voided


def test_end_of_day_by_document_type_with_notes_negative_and_no_negative_zero(env):
    ccf = _json(caja(env, "sell", *CCF, "--line", "Cemento gris|20|11.30", "--json"))["external_ref"]
    assert caja(env, "credit-note", ccf, "--line", "Cemento gris|2|11.30", "--json").returncode in (0, 5)
    other = _json(caja(env, "sell", *CCF, "--line", "Azúcar 50 lb|4|28.25", "--json"))["external_ref"]
    assert caja(env, "credit-note", other, "--full", "--json").returncode in (0, 5)

    done = caja(env, "eod", "--json")
    report = json.loads(done.stdout)
    by_type = report["by_doc_type"]
    assert by_type["03"]["gross"] == "339.00" and by_type["03"]["withheld"] == "3.00"
    assert by_type["05"]["gross"] == "-135.60" and by_type["05"]["count"] == 2
    assert by_type["05"]["withheld"] == "-1.00"  # the partial note's base is under $100: none returned
    assert report["totals"]["gross"] == "203.40"
    assert "-0.00" not in done.stdout
