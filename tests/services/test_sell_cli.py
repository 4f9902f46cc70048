"""``caja sell``, ``caja status`` and ``caja sync`` as a user runs them: real subprocesses against
the loopback sandbox, including a sale whose process is killed while its request is in flight."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from app.journal import Journal, SaleState

ROOT = Path(__file__).resolve().parents[2]
LINE = "Coca-Cola 600 ml|2|5.65|10"


@pytest.fixture
def env(sandbox, api_key):
    """The sandbox and a dummy printer through the environment, and an open cash session (a
    command sells only in one)."""
    return cli_env(sandbox, api_key)


def cli_env(sandbox, api_key) -> dict:
    """:func:`env`'s body, for other modules' fixtures."""
    from app.services.cash import CashSessionService
    from app.services.users import UsersService

    with Journal.open() as journal:
        users = UsersService(journal)
        CashSessionService(journal, users, register="M001P001").open(users.add("Ana", "cashier", "1234"), "50.00")
        users.add("Beto", "supervisor", "5678")
    return {**os.environ, "OCOTE_API_URL": sandbox.base_url, "OCOTE_API_KEY": api_key, "CAJA_PRINTER": "dummy:"}


def caja(env: dict, *args: str, timeout: float = 90) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "app", *args], capture_output=True, text=True, cwd=ROOT, env=env, timeout=timeout
    )


def sell_json(env: dict, *args: str) -> tuple[int, dict]:
    done = caja(env, "sell", "--line", LINE, *args, "--json")
    assert done.stdout.count("\n") == 1, done.stdout + done.stderr
    return done.returncode, json.loads(done.stdout)


def wait_until(condition, seconds: float = 30.0) -> None:
    """Poll ``condition`` until it holds (the sandbox offers no event to wait on)."""
    deadline = time.monotonic() + seconds
    tick = threading.Event()
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        tick.wait(0.02)


def journal_sale(ref: str):
    with Journal.open() as journal:
        return journal.sales.find(ref)


def test_sell_issued(env, sandbox, documents_for):
    code, out = sell_json(env, "--payment", "02", "--customer-name", "Ana López")
    assert code == 0
    assert out["state"] == "issued" and out["printed"] is True and out["control_number"].startswith("DTE-01-")
    sale = journal_sale(out["external_ref"])
    assert sale.state is SaleState.ISSUED and sale.printed and sale.customer_name == "Ana López"
    assert sale.payment_method == "02"
    assert len(documents_for(out["external_ref"])) == 1


def test_sell_contingency_rejected_and_invalid_exit_codes(env, sandbox):
    sandbox.set_next("contingency")
    assert sell_json(env)[0] == 0
    sandbox.set_next("rejected")
    code, out = sell_json(env, "--customer-name", "Ana", "--dui", "00016297-5", "--email", "ana@example.com")
    assert (code, out["state"], out["printed"]) == (3, "rejected", False) and out["observaciones"]
    code, out = caja(env, "sell", "--line", "Nada|0|1.00", "--json").returncode, None
    assert code == 2
    code, out = sell_json(env, "--dui", "12345678-0")  # bad check digit, no name
    assert code == 2 and out["state"] == "invalid" and {e["field"] for e in out["field_errors"]} >= {"customer.dui"}


def test_sell_not_printed_then_status(env, sandbox, closed_port):
    code, out = sell_json(env, "--printer", f"tcp://127.0.0.1:{closed_port}")
    assert (code, out["state"], out["printed"]) == (5, "issued", False) and out["print_error"]
    status = caja(env, "status", out["external_ref"], "--json")
    assert status.returncode == 0, status.stderr
    shown = json.loads(status.stdout)
    assert shown["journal"]["state"] == "issued" and shown["journal"]["printed"] is False
    assert shown["ocote"]["state"] == "issued" and shown["ocote"]["control_number"] == out["control_number"]


def test_status_settles_a_contingency_sale(env, sandbox):
    sandbox.set_next("contingency")
    code, out = sell_json(env)
    assert (code, out["state"]) == (0, "contingency")
    wait_until(lambda: caja_status_state(env, out["external_ref"]) == "issued")
    assert journal_sale(out["external_ref"]).state is SaleState.ISSUED


def caja_status_state(env: dict, ref: str) -> str:
    done = caja(env, "status", ref, "--json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)["journal"]["state"]


def test_sell_refuses_production_without_a_key(sandbox):
    env = {k: v for k, v in os.environ.items() if k not in ("OCOTE_API_URL", "OCOTE_API_KEY")}
    done = caja(env, "sell", "--line", LINE, "--json")
    assert done.returncode == 1 and "OCOTE_API_KEY" in done.stderr and done.stdout == ""
    assert sandbox.requests == []
    with Journal.open() as journal:
        assert journal.sales.search() == []


def test_queued_sale_is_finished_by_sync(env, sandbox, documents_for):
    for _ in range(4):  # every automatic retry of the client loses its answer too
        sandbox.set_next("drop_after_commit")
    code, out = sell_json(env)
    assert (code, out["state"], out["printed"]) == (4, "queued", False)
    assert journal_sale(out["external_ref"]).state is SaleState.QUEUED
    done = caja(env, "sync", "--json")
    assert done.returncode == 0, done.stderr
    synced = json.loads(done.stdout)
    assert synced["pending"] == 0
    assert [(r["external_ref"], r["state"], r["printed"]) for r in synced["results"]] == [
        (out["external_ref"], "issued", True)
    ]
    assert len(documents_for(out["external_ref"])) == 1


def test_sigkill_while_the_request_is_in_flight_ends_with_one_document(env, sandbox, documents_for):
    sandbox.set_next("delay", 60)  # Ocote registers the invoice, then takes a minute to answer
    proc = subprocess.Popen(
        [sys.executable, "-m", "app", "sell", "--line", LINE, "--json"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        wait_until(lambda: len(sandbox.documents()) == 1)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    ref = sandbox.documents()[0]["external_ref"]
    assert journal_sale(ref).state is SaleState.PENDING  # journaled before the request, no answer
    done = caja(env, "sync", "--json")
    assert done.returncode == 0, done.stderr
    assert [(r["external_ref"], r["state"], r["printed"]) for r in json.loads(done.stdout)["results"]] == [
        (ref, "issued", True)
    ]
    assert len(documents_for(ref)) == 1 and len(sandbox.documents()) == 1
    sale = journal_sale(ref)
    assert sale.state is SaleState.ISSUED and sale.printed
    assert sandbox.requests.count(("POST", "/api/connect/invoice")) == 1  # /status found it: no re-POST


def test_the_api_key_is_stored_nowhere(env, sandbox, api_key, closed_port):
    sell_json(env, "--customer-name", "Ana López")
    sandbox.set_next("contingency")
    sell_json(env)
    sandbox.set_next("rejected")
    sell_json(env, "--customer-name", "Ana", "--dui", "00016297-5", "--email", "ana@example.com")
    sell_json(env, "--printer", f"tcp://127.0.0.1:{closed_port}")
    sandbox.set_next("drop_after_commit")
    _code, queued = sell_json(env)
    caja(env, "sync")
    caja(env, "status", queued["external_ref"])
    data_dir = Path(os.environ["CAJA_DATA_DIR"])
    files = [p for p in data_dir.rglob("*") if p.is_file()]
    assert any(p.name == "journal.sqlite3" for p in files)
    secret = api_key.encode()
    leaks = [str(p) for p in files if secret in p.read_bytes() or secret[4:].lower() in p.read_bytes().lower()]
    assert leaks == []


def test_human_output_shows_each_problem_once(env, sandbox):
    done = caja(env, "sell", "--line", "Nada|0|1.00", "--line", "|1|1.00")
    assert done.returncode == 2
    lines = done.stdout.splitlines()
    assert len(lines) == 2 and len(set(lines)) == 2, done.stdout  # one line per problem, no repeats
    sandbox.set_next("rejected")
    code, out = sell_json(env, "--customer-name", "Ana", "--dui", "00016297-5", "--email", "ana@example.com")
    assert code == 3
    status = caja(env, "status", out["external_ref"])
    assert status.returncode == 0, status.stderr
    for note in out["observaciones"]:
        assert status.stdout.count(note) == 1, status.stdout
    assert "rejected" not in status.stdout  # Ocote's state is shown with its label, not the code


def test_status_of_a_voided_sale_shows_ocote_voided_not_issued(env, sandbox):
    code, out = sell_json(env)
    assert code == 0
    done = caja(
        env, "void", out["external_ref"], "--reason", "devolución", "--yes", "--supervisor", "Beto", "--pin", "5678"
    )
    assert done.returncode == 0, done.stderr
    shown = json.loads(caja(env, "status", out["external_ref"], "--json").stdout)
    assert shown["journal"]["state"] == "voided" and shown["ocote"]["invalidated"] is True
    lines = caja(env, "status", out["external_ref"]).stdout.splitlines()
    voided_label = lines[0].split("): ", 1)[1].split(",")[0]  # the journal's state, as shown
    (ocote_line,) = [line for line in lines if "INVALIDADO" in line]
    assert voided_label in ocote_line, lines  # it said "issued" for an invalidated document
