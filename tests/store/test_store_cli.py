"""``caja sell``/``caja sync``/``caja store``/``caja doctor`` with a store, as a user runs them
(real subprocesses), and the store password: never in output, logs, the settings file or errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from app.domain.redaction import strip_password
from app.journal import Journal
from app.services.cash import CashSessionService
from app.services.users import UsersService
from tests.helpers.pgserver import free_port

ROOT = Path(__file__).resolve().parents[2]
LINE = "Coca-Cola 600 ml|2|5.65|10"


def caja(env: dict, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "app", *args], capture_output=True, text=True, cwd=ROOT, env=env, timeout=90, input=stdin
    )


def _env(sandbox, api_key, **extra: str) -> dict:
    with Journal.open() as journal:
        users = UsersService(journal)
        CashSessionService(journal, users, register="M001P001").open(users.add("Ana", "cashier", "1234"), "50.00")
    return {
        **os.environ,
        "OCOTE_API_URL": sandbox.base_url,
        "OCOTE_API_KEY": api_key,
        "CAJA_PRINTER": "dummy:",
        **extra,
    }


def _everything_written(env: dict) -> str:
    """Every file Caja wrote (settings, logs, key files), as text."""
    out = []
    for var in ("CAJA_CONFIG_DIR", "CAJA_LOG_DIR"):
        for path in Path(env[var]).rglob("*"):
            if path.is_file():
                out.append(path.read_text(errors="replace"))
    return "\n".join(out)


def test_sell_then_sync_reaches_the_store(sandbox, api_key, store_url, pg_server, store_db):
    env = _env(sandbox, api_key, CAJA_STORE_URL=store_url)
    sold = caja(env, "sell", "--line", LINE, "--json")
    assert sold.returncode == 0, sold.stderr
    ref = json.loads(sold.stdout)["external_ref"]
    synced = caja(env, "sync", "--json")
    assert json.loads(synced.stdout)["store"] == {"written": synced_written(synced), "backlog": 0, "error": ""}
    with store_db.connection() as conn:
        assert conn.execute("SELECT external_ref, register FROM sales").fetchall() == [(ref, "M001P001")]
    status = caja(env, "store", "status", "--json")
    facts = json.loads(status.stdout)
    assert status.returncode == 0 and facts["reachable"] and facts["claimed_by_this_till"] and facts["backlog"] == 0
    doctor = caja(env, "doctor", "--json")
    (store_check,) = [c for c in json.loads(doctor.stdout)["checks"] if c["id"] == "store"]
    assert store_check["status"] == "pass"
    for done in (sold, synced, status, doctor):
        assert pg_server.password not in done.stdout + done.stderr
    assert pg_server.password not in _everything_written(env)


def synced_written(done: subprocess.CompletedProcess) -> int:
    return int(json.loads(done.stdout)["store"]["written"])


def test_store_down_never_stops_a_sale_and_never_shows_the_password(sandbox, api_key):
    secret = "s3cret-store-pw"
    dead = f"postgresql://caja:{secret}@127.0.0.1:{free_port()}/store"
    env = _env(sandbox, api_key, CAJA_STORE_URL=dead)
    sold = caja(env, "-v", "sell", "--line", LINE, "--json")
    assert sold.returncode == 0, sold.stderr
    assert json.loads(sold.stdout)["state"] == "issued"
    synced = caja(env, "-v", "sync", "--json")
    store = json.loads(synced.stdout)["store"]
    assert store["written"] == 0 and store["backlog"] > 0 and store["error"]
    doctor = caja(env, "doctor", "--json")
    (store_check,) = [c for c in json.loads(doctor.stdout)["checks"] if c["id"] == "store"]
    assert store_check["status"] == "warn"
    status = caja(env, "store", "status")
    assert status.returncode == 1
    for done in (sold, synced, doctor, status):
        assert secret not in done.stdout + done.stderr
    assert secret not in _everything_written(env)


def test_store_set_keeps_the_password_out_of_the_settings_file(sandbox, api_key, store_url, pg_server):
    env = _env(sandbox, api_key)
    bare = strip_password(store_url)
    done = caja(env, "store", "set", bare, "--password-stdin", stdin=pg_server.password + "\n")
    assert done.returncode == 0, done.stderr
    settings = (Path(env["CAJA_CONFIG_DIR"]) / "settings.json").read_text()
    assert json.loads(settings)["store_url"] == bare
    # No keyring on a headless till (the tests' "fail" backend): a user-only file holds it.
    password_file = Path(env["CAJA_CONFIG_DIR"]) / "store-password"
    assert password_file.read_text().strip() == pg_server.password
    assert password_file.stat().st_mode & 0o077 == 0
    status = caja(env, "store", "status", "--json")
    assert json.loads(status.stdout)["reachable"] is True, status.stdout
    assert json.loads(status.stdout)["password_source"] == "file"
    assert pg_server.password not in settings + status.stdout + status.stderr
    forgot = caja(env, "store", "forget")
    assert forgot.returncode == 0 and not password_file.exists()
