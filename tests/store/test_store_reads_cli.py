"""Two tills of one store on the command line (real subprocesses, one data folder each): a catalog
imported on one is listed on the other after ``caja sync``, ``caja history`` and ``caja reprint``
cover every register, ``caja eod --register all`` adds up by register, and with the store down
``caja history`` searches this till and says so."""

from __future__ import annotations

import json
import os
from pathlib import Path

from app.journal import Journal
from app.printing.decoder import decode_job
from app.services.cash import CashSessionService
from app.services.users import UsersService
from tests.helpers.pgserver import free_port
from tests.store.test_store_cli import caja

LINE = "Coca-Cola 600 ml|1|2.50"


def _till(tmp_path: Path, code: str, sandbox, api_key, store_url: str) -> dict:
    base = tmp_path / code
    env = {
        **os.environ,
        "CAJA_DATA_DIR": str(base / "data"),
        "CAJA_CONFIG_DIR": str(base / "config"),
        "CAJA_LOG_DIR": str(base / "log"),
        "OCOTE_API_URL": sandbox.base_url,
        "OCOTE_API_KEY": api_key,
        "CAJA_PRINTER": "dummy:",
        "CAJA_STORE_URL": store_url,
    }
    (base / "config").mkdir(parents=True)
    (base / "config" / "settings.json").write_text(
        json.dumps({"branch_code": "M001", "register_code": code, "language": "en"})
    )
    with Journal.open(base / "data" / "journal.sqlite3") as journal:
        users = UsersService(journal)
        cashier = users.add(f"Cajero {code}", "cashier", "1234")
        CashSessionService(journal, users, register=f"M001{code}").open(cashier, "20.00")
    return env


def test_two_tills_on_the_command_line(tmp_path, sandbox, api_key, store_url, pg_server):
    a = _till(tmp_path, "P001", sandbox, api_key, store_url)
    b = _till(tmp_path, "P002", sandbox, api_key, store_url)
    catalog = tmp_path / "precios.csv"
    catalog.write_text("codigo;descripcion;precio\nAZ1;Azúcar 1 kg;1,15\n", encoding="utf-8")

    imported = caja(a, "catalog", "import", str(catalog), "--json")
    assert imported.returncode == 0, imported.stderr
    assert json.loads(imported.stdout)["store"]["sent"] >= 1
    sold_a = json.loads(caja(a, "sell", "--line", LINE, "--json").stdout)
    sold_b = json.loads(caja(b, "sell", "--line", "Pan|2|0.25", "--json").stdout)
    for env in (a, b):
        synced = caja(env, "sync", "--json")
        assert synced.returncode == 0, synced.stderr
    # A synced before B sold: its second sync sends its ticket PDF already; B's sync pulls the catalog.
    listed = caja(b, "catalog", "list", "--json")
    assert [p["code"] for p in json.loads(listed.stdout)] == ["AZ1"]

    history = json.loads(caja(b, "history", "--json").stdout)
    assert history["source"] == "store" and history["notice"] == ""
    assert {s["external_ref"]: s["register"] for s in history["sales"]} == {
        sold_a["external_ref"]: "M001P001",
        sold_b["external_ref"]: "M001P002",
    }
    only_a = json.loads(caja(b, "history", "--register", "M001P001", "--json").stdout)
    assert [s["external_ref"] for s in only_a["sales"]] == [sold_a["external_ref"]]
    # "all" is the whole store, and the register part alone (as set in Settings) is this branch's register.
    every = json.loads(caja(b, "history", "--register", "all", "--json").stdout)
    assert {s["external_ref"] for s in every["sales"]} == {sold_a["external_ref"], sold_b["external_ref"]}
    short = json.loads(caja(b, "history", "--register", "p001", "--json").stdout)
    assert [s["external_ref"] for s in short["sales"]] == [sold_a["external_ref"]]
    short_eod = json.loads(caja(b, "eod", "--register", "P001", "--json").stdout)
    assert short_eod["register"] == "M001P001"
    for command in (("history", "--register", "P009"), ("eod", "--register", "M001P009", "--json")):
        unknown = caja(b, *command)
        assert unknown.returncode == 2, unknown.stdout
        assert "M001P009" in unknown.stderr and "M001P001" in unknown.stderr

    paper = tmp_path / "copy.bin"
    copied = caja(b, "reprint", sold_a["external_ref"], "--printer", f"file:{paper}")
    assert copied.returncode == 0, copied.stderr
    assert decode_job(paper.read_bytes()).labels == ["COPIA"]

    eod = caja(b, "eod", "--register", "all", "--json")
    assert eod.returncode == 0, eod.stderr
    report = json.loads(eod.stdout)
    assert set(report["by_register"]) == {"M001P001", "M001P002"}
    assert report["totals"]["gross"] == "3.00"
    assert sum(float(r["totals"]["gross"]) for r in report["by_register"].values()) == 3.0
    assert {s["register"] for s in report["sessions"]} == {"M001P001", "M001P002"}
    for done in (imported, eod, copied):
        assert pg_server.password not in done.stdout + done.stderr

    down = {**b, "CAJA_STORE_URL": f"postgresql://caja:pw@127.0.0.1:{free_port()}/store"}
    fallback = caja(down, "history", "--json")
    assert fallback.returncode == 0, fallback.stderr
    data = json.loads(fallback.stdout)
    assert data["source"] == "till" and "store cannot be reached" in data["notice"]
    assert [s["external_ref"] for s in data["sales"]] == [sold_b["external_ref"]]
    assert "store cannot be reached" in fallback.stderr


def test_a_user_added_on_one_till_is_sent_at_once(tmp_path, sandbox, api_key, store_url, pg_server):
    a = _till(tmp_path, "P001", sandbox, api_key, store_url)
    b = _till(tmp_path, "P002", sandbox, api_key, store_url)

    added = caja(a, "users", "add", "Ana", "--role", "cashier", "--pin", "4321")
    assert added.returncode == 0, added.stderr
    disabled = caja(a, "users", "disable", "Cajero P001")
    assert disabled.returncode == 0, disabled.stderr
    # No `caja sync` on till A: the change went to the store with the command itself.
    assert caja(b, "sync", "--json").returncode == 0
    users = {u["name"]: u["active"] for u in json.loads(caja(b, "users", "list", "--json").stdout)}
    assert users.get("Ana") is True and users.get("Cajero P001") is False, users
    for done in (added, disabled):
        assert pg_server.password not in done.stdout + done.stderr
