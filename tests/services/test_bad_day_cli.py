"""``caja sell``, ``caja sync`` and ``caja drafts`` on a bad day, as a user runs them: real
subprocesses against misbehaving servers and the loopback sandbox. (Times are measured in
``tests/benchmarks/bench_offline.py`` and by hand, never asserted here.)"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from app.journal import Journal, SaleState
from app.services.checkout import RECEIPT_ACTION
from tests.api.misbehaving import MisbehavingServer, Mode
from tests.services.test_sell_cli import LINE, caja, cli_env, journal_sale


@pytest.fixture
def env(sandbox, api_key):
    """The sandbox and a dummy printer through the environment, and an open cash session."""
    return cli_env(sandbox, api_key)


def sell(env: dict, *args: str) -> tuple[int, dict, str]:
    done = caja(env, "sell", "--line", LINE, *args, "--json", timeout=60)
    assert done.stdout.count("\n") == 1, done.stdout + done.stderr
    return done.returncode, json.loads(done.stdout), done.stderr


@pytest.mark.parametrize("mode", [Mode.REFUSE, Mode.SILENT, Mode.TRICKLE_HEAD])
def test_an_unreachable_ocote_queues_with_a_provisional_receipt_then_sync_finishes_each_once(
    env, sandbox, documents_for, mode
):
    with MisbehavingServer(mode, interval=0.5) as server:
        offline = {**env, "OCOTE_API_URL": server.base_url}
        first = sell(offline, "--tendered", "20.00")  # cash received, printed with the change
        asked = len(server.requests)
        second = sell(offline, "--payment", "02")
        assert len(server.requests) == asked  # known down: the second sale asks nothing
    for code, out, _err in (first, second):
        assert (code, out["state"], out["receipt"], out["printed"]) == (4, "queued", "provisional", False)
    refs = [first[1]["external_ref"], second[1]["external_ref"]]
    with Journal.open() as journal:
        for ref in refs:
            sale = journal.sales.find(ref)
            assert [a.detail for a in journal.audit.trail(sale.id, action=RECEIPT_ACTION)] == ["provisional"]
        assert journal.sales.find(refs[0]).tendered == Decimal("20.00")
    done = caja(env, "sync", "--json")
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert [(r["external_ref"], r["state"], r["printed"], r["receipt"]) for r in out["results"]] == [
        (ref, "issued", True, "fiscal") for ref in refs
    ]
    assert out["pending"] == 0 and out["drafts"] == [] and out["link"]["link"] == "online"
    assert [len(documents_for(ref)) for ref in refs] == [1, 1]
    again = json.loads(caja(env, "sync", "--json").stdout)
    assert again["results"] == []  # finished once, printed once


# The CLI speaks the till's language (Spanish by default).
@pytest.mark.parametrize(
    ("mode", "what"),
    [
        (Mode.NOT_FOUND, "revise la dirección de la API"),
        (Mode.REDIRECT_301, "revise la dirección de la API"),
        (Mode.UNAUTHORIZED, "revise la clave de API"),
    ],
)
def test_a_wrong_address_or_key_exits_1_and_keeps_the_sale(env, mode, what):
    with MisbehavingServer(mode) as server:
        code, out, err = sell({**env, "OCOTE_API_URL": server.base_url})
    assert code == 1 and what in err and "Sin conexión" not in err
    assert (out["outcome"], out["receipt"]) == ("misconfigured", "none") and what in out["message"]
    sale = journal_sale(out["external_ref"])
    assert sale.state is SaleState.INVALID and sale.editable


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs POSIX FIFOs")
def test_a_stuck_printer_ends_the_sale_with_exit_5(env, tmp_path):
    fifo = tmp_path / "lp0"
    os.mkfifo(fifo)  # nobody reads it: opening it for writing blocks
    code, out, _err = sell(env, "--printer", f"file:{fifo}")
    assert (code, out["state"], out["printed"], out["receipt"]) == (5, "issued", False, "none")


def crashed_draft(price: str = "5.00") -> str:
    """Journal a sale as checkout does, a while ago, and never send it (the process died)."""
    from app.domain.invoice import InvoiceDraft, SaleLine

    past = datetime.now(UTC) - timedelta(minutes=10)
    with Journal.open(clock=lambda: past) as journal:
        draft = InvoiceDraft(lines=(SaleLine("Pan dulce", Decimal(1), Decimal(price)),))
        return journal.sales.create(draft, register="M001P001", state=SaleState.DRAFT).external_ref


def test_sync_lists_unfinished_sales_and_drafts_sends_or_discards_them(env, documents_for):
    keep, drop = crashed_draft("5.00"), crashed_draft("7.25")
    out = json.loads(caja(env, "sync", "--json").stdout)
    assert [(d["external_ref"], d["total"]) for d in out["drafts"]] == [(keep, "5.00"), (drop, "7.25")]
    assert out["results"] == [] and documents_for(keep) == documents_for(drop) == []
    listed = json.loads(caja(env, "drafts", "list", "--json").stdout)
    assert [d["external_ref"] for d in listed["drafts"]] == [keep, drop]
    assert caja(env, "drafts", "discard", drop).returncode == 2  # needs --yes
    done = caja(env, "drafts", "discard", drop, "--yes", "--reason", "rung up again")
    assert done.returncode == 0, done.stderr
    done = caja(env, "drafts", "send", keep, "--json")
    assert done.returncode == 0, done.stderr
    sent = json.loads(done.stdout)
    assert (sent["external_ref"], sent["state"], sent["receipt"]) == (keep, "issued", "fiscal")
    assert caja(env, "drafts", "send", drop).returncode == 1  # discarded: never sent
    out = json.loads(caja(env, "sync", "--json").stdout)
    assert out["drafts"] == [] and out["results"] == []
    assert len(documents_for(keep)) == 1 and documents_for(drop) == []
    assert journal_sale(drop).state is SaleState.INVALID
