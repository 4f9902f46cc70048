"""The sandbox's ``state_path``: documents, sequences and idempotency survive a restart.

Every test stops one server and starts another on the same file, then talks raw HTTP to it with
the same key, as the training-mode app does across launches.
"""

from __future__ import annotations

import json
import logging
import os
import re
import signal
import stat
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from app.sandbox import persist
from app.sandbox.persist import StateFile, load_or_create_key
from app.sandbox.rules import parse_invoice
from app.sandbox.server import SandboxServer
from app.sandbox.store import Outcome, SandboxState
from tests.helpers.clock import FakeClock

ROOT = Path(__file__).resolve().parents[2]
FIRST = "DTE-01-M001P001-000000000000001"
SECOND = "DTE-01-M001P001-000000000000002"


@pytest.fixture
def state(tmp_path) -> Path:
    return tmp_path / "training" / "sandbox.json"


@pytest.fixture
def serve(state, api_key, _tls) -> Callable[..., contextmanager]:
    """``with serve(**kwargs) as (server, client):`` a server on the state file and a keyed client."""

    @contextmanager
    def run(key: str = api_key, **kwargs) -> Iterator[tuple[SandboxServer, httpx.Client]]:
        kwargs.setdefault("state_path", state)
        with (
            SandboxServer(**kwargs) as server,
            httpx.Client(
                base_url=server.base_url, headers={"Authorization": f"Bearer {key}"}, timeout=10, verify=_tls
            ) as client,
        ):
            yield server, client

    return run


def _stable(status: dict) -> dict:
    return {k: v for k, v in status.items() if not k.endswith("_url")}  # URLs carry the port


def test_documents_sequence_idempotency_and_files_continue_after_a_restart(serve, invoice, new_key):
    with serve() as (_, c):
        first = c.post("/invoice", json=invoice("R-1")).json()
        assert first["control_number"] == FIRST and first["dte_success"] is True
        dte = c.get("/file/R-1", params={"type": "json"}).json()
        before = c.get("/status/R-1", params={"include_dte": 1}).json()

    with serve() as (server, c):
        after = c.get("/status/R-1", params={"include_dte": 1})
        assert after.status_code == 200
        assert _stable(after.json()) == _stable(before)
        assert after.json()["amount_gross"] == 10.17
        assert c.get(f"/status/{first['document_id']}").json()["external_ref"] == "R-1"
        assert c.get("/file/R-1", params={"type": "json"}).json() == dte
        ticket = c.get("/file/R-1", params={"type": "ticket"})
        assert ticket.status_code == 200 and ticket.content.startswith(b"%PDF")

        again = c.post("/invoice", json=invoice("R-1")).json()
        assert again["is_duplicate"] is True
        assert (again["document_id"], again["control_number"]) == (first["document_id"], FIRST)
        assert c.post("/invoice", json=invoice("R-2")).json()["control_number"] == SECOND
        assert len(server.documents()) == 2

        # Companies stay apart on disk too: another key has nothing and its own sequence.
        other = {"Authorization": f"Bearer {new_key()}"}
        assert c.get("/status/R-1", headers=other).status_code == 404
        assert c.post("/invoice", json=invoice("R-1"), headers=other).json()["control_number"] == FIRST


def test_a_document_is_on_disk_before_its_answer(serve, state, invoice):
    with serve() as (_, c):
        answer = c.post("/invoice", json=invoice("R-1")).json()
        # Read while the server still runs: nothing is left to be written at stop().
        saved = [r["document"] for r in StateFile(state).read() if "document" in r]
        assert [(d["control_number"], d["reception_stamp"]) for d in saved] == [
            (answer["control_number"], answer["reception_stamp"])
        ]


def test_a_document_that_could_not_be_saved_is_never_answered_as_issued(serve, invoice, monkeypatch):
    real_append = StateFile.append
    failures = [OSError(28, "No space left on device")]

    def append(self, record):
        if failures:
            raise failures.pop()
        real_append(self, record)

    monkeypatch.setattr(StateFile, "append", append)
    with serve() as (_, c):
        assert c.post("/invoice", json=invoice("R-1")).status_code == 500
        # The retry finds the document in memory; it is written out before being answered.
        retried = c.post("/invoice", json=invoice("R-1")).json()
        assert retried["control_number"] == FIRST
    with serve() as (_, c):
        assert c.get("/status/R-1").json()["control_number"] == FIRST


def test_a_rejected_document_is_resent_as_the_same_record_after_a_restart(serve, invoice):
    with serve() as (server, c):
        server.set_next("rejected")
        rejected = c.post("/invoice", json=invoice("R-1")).json()
        assert rejected["rejected"] is True

    with serve() as (_, c):
        assert c.get("/status/R-1").json()["observaciones"] == rejected["observaciones"]
        fixed = c.post("/invoice", json=invoice("R-1")).json()
        assert fixed["dte_success"] is True and fixed["is_duplicate"] is False
        assert (fixed["document_id"], fixed["control_number"]) == (rejected["document_id"], FIRST)


def test_contingency_waits_across_a_restart_and_its_stamp_is_kept(serve, invoice):
    with serve(contingency_seconds=3600) as (server, c):
        server.set_next("contingency")
        assert c.post("/invoice", json=invoice("R-1")).json()["contingency"] is True

    with serve(contingency_seconds=3600) as (server, c):
        # Still waiting: the due time is kept as wall-clock time, not reset nor taken as past.
        assert c.get("/status/R-1").json()["contingency"] is True
        assert server.stamp_contingency("R-1") == 1
        stamped = c.get("/status/R-1").json()
        assert stamped["dte_success"] is True and stamped["reception_stamp"]

    with serve() as (server, c):
        assert _stable(c.get("/status/R-1").json()) == _stable(stamped)
        assert server.stamp_contingency() == 0


def test_contingency_due_while_stopped_is_stamped_after_the_restart(serve, invoice, wait_until):
    with serve(contingency_seconds=0.2) as (server, c):
        server.set_next("contingency")
        created = c.post("/invoice", json=invoice("R-1")).json()
        assert created["contingency"] is True

    with serve(contingency_seconds=3600) as (_, c):
        stamped = wait_until(lambda: (s := c.get("/status/R-1").json())["dte_success"] and s)
        assert stamped["control_number"] == created["control_number"]
        assert stamped["contingency"] is False and stamped["reception_stamp"]

    with serve() as (_, c):  # stamped by a /status read: that stamp was saved, not made anew
        assert c.get("/status/R-1").json()["reception_stamp"] == stamped["reception_stamp"]


def test_contingency_due_time_does_not_depend_on_the_monotonic_clock(state, invoice):
    # A monotonic clock starts anew with each boot: the due time must be kept as wall time.
    clock = FakeClock(1000.0)
    first = SandboxState(contingency_seconds=30, clock=clock, state_path=state)
    first.submit("c", parse_invoice(json.dumps(invoice("R-1")).encode()), Outcome("contingency"))
    first.close()
    clock.now = 5.0  # after a reboot
    second = SandboxState(clock=clock, state_path=state)
    assert second.find("c", "R-1").state == "contingency"
    clock.now = 36.0  # the 30 s are over
    assert second.find("c", "R-1").state == "issued"
    second.close()


def test_invalidation_and_age_survive_a_restart(serve, invoice):
    with serve() as (server, c):
        c.post("/invoice", json=invoice("R-1"))
        voided = c.post("/invalidate/R-1").json()
        assert voided["invalidated"] is True
        c.post("/invoice", json=invoice("R-2"))
        httpx.post(server.base_url + "/_sandbox/age", json={"ref": "R-2", "days": 200}).raise_for_status()

    with serve() as (_, c):
        status = c.get("/status/R-1").json()
        assert status["invalidated"] is True and status["dte_state"] == "INVALIDADO"
        assert c.post("/invalidate/R-1").json()["invalidated_at"] == voided["invalidated_at"]
        late = c.post("/invalidate/R-2")
        assert late.status_code == 409 and "venció" in late.json()["detail"]


def test_reset_empties_the_file_too(serve, invoice):
    with serve() as (server, c):
        c.post("/invoice", json=invoice("R-1"))
        server.reset()
    with serve() as (_, c):
        assert c.get("/status/R-1").status_code == 404
        assert c.post("/invoice", json=invoice("R-2")).json()["control_number"] == FIRST


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")
def test_the_state_file_is_private(serve, state, invoice):
    with serve() as (_, c):
        c.post("/invoice", json=invoice("R-1"))
        assert stat.S_IMODE(state.stat().st_mode) == 0o600
    assert stat.S_IMODE(state.stat().st_mode) == 0o600
    assert not [p for p in state.parent.iterdir() if p != state]  # no temp file left behind


@pytest.mark.parametrize(
    "content",
    [
        b"\x00\xff garbage",
        b'{"format": "something else", "version": 1}\n',
        b'{"format": "caja-sandbox-state", "version": 99}\n',
        b'{"format": "caja-sandbox-state", "version": 1}\n{"document": {"company": "x"}}\n',
        b'{"format": "caja-sandbox-state", "version": 1}\n[1, 2]\n{"sequence": ["x", "01", 2026, 5]}\n',
    ],
    ids=["binary", "other-format", "newer-version", "incomplete-document", "not-an-object"],
)
def test_a_corrupt_file_is_moved_aside_and_the_sandbox_starts_empty(serve, state, invoice, caplog, content):
    state.parent.mkdir(parents=True)
    state.write_bytes(content)
    with caplog.at_level(logging.WARNING, logger="app.sandbox"), serve() as (_, c):
        assert c.post("/invoice", json=invoice("R-1")).json()["control_number"] == FIRST
    assert "unusable" in caplog.text
    (bad,) = state.parent.glob("sandbox.json.bad-*")
    assert bad.read_bytes() == content
    with serve() as (_, c):  # the new file is sound
        assert c.get("/status/R-1").status_code == 200


def test_a_torn_last_record_is_dropped_and_the_rest_kept(serve, state, invoice):
    with serve() as (_, c):
        c.post("/invoice", json=invoice("R-1"))
    with state.open("ab") as f:
        f.write(b'{"document": {"company": "half a rec')  # a crash in the middle of an append
    with serve() as (_, c):
        assert c.get("/status/R-1").status_code == 200
        assert c.post("/invoice", json=invoice("R-2")).json()["control_number"] == SECOND
    with serve() as (server, _):  # R-2 was not appended behind the torn bytes
        assert [d["external_ref"] for d in server.documents()] == ["R-1", "R-2"]
    assert not list(state.parent.glob("*.bad-*"))


def test_an_unwritable_state_path_leaves_the_sandbox_in_memory(tmp_path, serve, invoice, caplog):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    with caplog.at_level(logging.WARNING, logger="app.sandbox"), serve(state_path=blocker / "sandbox.json") as (_, c):
        assert c.post("/invoice", json=invoice("R-1")).json()["dte_success"] is True
    assert "in memory only" in caplog.text


def test_the_file_is_compacted_and_keeps_every_document(serve, state, invoice, monkeypatch):
    monkeypatch.setattr(persist, "MIN_RECORDS_BEFORE_COMPACTION", 4)
    with serve() as (server, c):
        for i in range(6):
            c.post("/invoice", json=invoice(f"R-{i}"))
        for _ in range(30):  # each age appends the whole document again
            httpx.post(server.base_url + "/_sandbox/age", json={"ref": "R-0", "days": 0.01}).raise_for_status()
        # Without compaction: header + 36 records. Compacted: header, the sequence, 6 documents
        # and at most the 6 records appended since (more than max(4, 6) triggers a rewrite).
        assert state.read_bytes().count(b"\n") <= 1 + 1 + 6 + 6
        aged = c.get("/status/R-0").json()["created_at"]
    with serve() as (server, c):
        assert len(server.documents()) == 6
        assert c.get("/status/R-0").json()["created_at"] == aged
        assert c.post("/invoice", json=invoice("R-new")).json()["control_number"].endswith("007")


def test_training_key_is_made_once_kept_private_and_reused(tmp_path, caplog):
    path = tmp_path / "training" / "sandbox.key"
    with caplog.at_level(logging.DEBUG):
        key = load_or_create_key(path)
        assert re.fullmatch(r"odt_[0-9a-f]{56}", key)
        assert load_or_create_key(path) == key
        path.write_text("not a key")
        replaced = load_or_create_key(path)
    assert replaced != key and re.fullmatch(r"odt_[0-9a-f]{56}", replaced)
    if sys.platform != "win32":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert key[4:] not in caplog.text and replaced[4:] not in caplog.text
    assert "malformed" in caplog.text


@pytest.mark.skipif(sys.platform == "win32", reason="SIGTERM to a child process is POSIX-only")
def test_caja_sandbox_state_option_keeps_documents(tmp_path, api_key, invoice):
    state = tmp_path / "cli.json"
    proc = subprocess.Popen(
        [sys.executable, "-m", "app", "sandbox", "--port", "0", "--state", str(state)],
        cwd=ROOT,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        base = re.search(r"(http://\S+/api/connect)", proc.stdout.readline()).group(1)
        r = httpx.post(base + "/invoice", json=invoice("CLI-1"), headers={"Authorization": f"Bearer {api_key}"})
        assert r.json()["control_number"] == FIRST
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=10) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stdout.close()
        proc.stderr.close()
    with SandboxServer(state_path=state) as server:
        assert [d["external_ref"] for d in server.documents()] == ["CLI-1"]


def test_a_ccf_its_notes_and_its_late_void_survive_a_restart(serve):
    from tests.sandbox.test_ccf import ccf

    with serve() as (server, c):
        c.post("/invoice", json=ccf("CCF-P"))
        c.post("/credit-memo", json={"document_id": "CCF-P", "external_ref": "NC-P", "lines": [
            {"description": "Cemento gris 42.5 kg", "quantity": 5, "unit_price": 11.30}]})  # fmt: skip
        c.post("/invoice", json=ccf("CCF-L"))
        httpx.post(server.base_url + "/_sandbox/age", json={"ref": "CCF-L", "days": 3}).raise_for_status()
        memo = c.post("/invalidate/CCF-L").json()["credit_memo"]

    with serve() as (_, c):
        note = c.get("/credit-memo/status/NC-P").json()
        assert note["doc_type"] == "05" and note["related_document"]["external_ref"] == "CCF-P"
        assert c.get("/status/NC-P", params={"include_dte": 1}).json()["schema"]["resumen"]["ivaRete1"] == 0
        assert c.get("/status/CCF-P", params={"include_dte": 1}).json()["schema"]["resumen"]["ivaRete1"] == 2
        assert c.post("/invalidate/CCF-L").json()["credit_memo"]["document_id"] == memo["document_id"]
