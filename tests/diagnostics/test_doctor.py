"""``caja doctor``: every misconfiguration it finds is explained in words."""

from __future__ import annotations

import json
import os
import socket
import sqlite3

import httpx
import pytest
from pydantic import SecretStr

from app import cli, diagnostics
from app.config import Settings, api_key_file, load_settings, save_settings, set_api_key, settings_path
from app.diagnostics import Status, check_api, check_journal, check_keyring, run_checks


def by_id(checks, check_id):
    [check] = [c for c in checks if c.id == check_id]
    return check


def configured(api_url: str, key: str) -> Settings:
    return Settings(api_url=api_url, api_key=SecretStr(key), api_key_source="keyring")


# ----------------------------------------------------------------------------- API and key


def test_a_working_key_passes_against_the_sandbox(live_sandbox, api_key):
    [check] = check_api(configured(live_sandbox.base_url, api_key))
    assert check.status is Status.PASS, check.detail
    assert "accepted" in check.detail


def test_a_refused_key_is_explained_against_the_sandbox(live_sandbox):
    [check] = check_api(configured(live_sandbox.base_url, "odt_wrong"))
    assert check.status is Status.FAIL
    assert "The API key was refused: check it in Settings" in check.detail
    assert "odt_wrong" not in check.detail


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_an_unreachable_port_is_explained(api_key):
    port = free_port()  # closed again: connections are refused
    [check] = check_api(configured(f"http://127.0.0.1:{port}/api/connect", api_key), timeout=2)
    assert check.status is Status.FAIL
    assert f"Cannot connect to 127.0.0.1:{port}" in check.detail
    assert "internet connection" in check.detail


def test_a_server_that_never_answers_is_explained(api_key):
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)  # accepts the TCP connection in the backlog, never answers
        port = server.getsockname()[1]
        [check] = check_api(configured(f"http://127.0.0.1:{port}/api/connect", api_key), timeout=0.3)
    assert check.status is Status.FAIL
    assert "did not answer within 0.3 seconds" in check.detail


@pytest.mark.parametrize(
    ("code", "status", "words"),
    [
        (404, Status.PASS, "the API key was accepted"),
        (401, Status.FAIL, "The API key was refused: check it in Settings"),
        (429, Status.WARN, "too many requests"),
        (503, Status.FAIL, "server error (HTTP 503)"),
        (302, Status.FAIL, "unexpected answer (HTTP 302)"),
    ],
)
def test_each_api_answer_is_explained(code, status, words, api_key):
    seen = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(code, json={"detail": "x"})

    [check] = check_api(
        configured("https://ocote.example/api/connect", api_key), transport=httpx.MockTransport(handler)
    )
    assert (check.status, check.id) == (status, "api")
    assert words in check.detail
    [request] = seen
    assert request.url.path.startswith("/api/connect/status/caja-doctor-")
    assert request.headers["authorization"] == f"Bearer {api_key}"
    assert request.headers["user-agent"].startswith("caja/")  # Caja's own client, asked once
    assert "key=" not in str(request.url)


@pytest.mark.parametrize(
    ("ambiente", "status", "words"),
    [
        ("01", Status.PASS, "production"),
        ("00", Status.WARN, "test documents"),
    ],
)
def test_document_tells_test_or_production(ambiente, status, words, api_key):
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/status/M001P001-20261121-000001"):
            assert request.url.params["include_dte"] == "1"
            return httpx.Response(
                200,
                json={
                    "document_id": "doc-1",
                    "external_ref": "M001P001-20261121-000001",
                    "success": True,
                    "control_number": "DTE-01-M001P001-000000000000001",
                    "schema": {"identificacion": {"ambiente": ambiente}},
                },
            )
        return httpx.Response(404, json={"detail": "No encontrado"})

    checks = check_api(
        configured("https://ocote.example/api/connect", api_key),
        transport=httpx.MockTransport(handler),
        document="M001P001-20261121-000001",
    )
    env = by_id(checks, "environment")
    assert env.status is status and words in env.detail


def test_training_mode_needs_no_connection():
    [check] = check_api(Settings())
    assert check.status is Status.PASS and "Training mode" in check.detail


# ----------------------------------------------------------------------------- keyring


def test_keyring_fallback_file_is_a_warning_and_a_readable_one_a_failure(api_key):
    set_api_key(api_key)  # no keyring in the tests: the private file
    settings = load_settings()
    check = check_keyring(settings)
    assert check.status is Status.WARN and str(api_key_file()) in check.detail
    if os.name == "posix":
        os.chmod(api_key_file(), 0o644)
        check = check_keyring(settings)
        assert check.status is Status.FAIL and "chmod 600" in check.detail


def test_a_working_keyring_passes(memory_keyring, api_key):
    set_api_key(api_key)
    assert check_keyring(load_settings()).status is Status.PASS


# ----------------------------------------------------------------------------- journal


def make_journal(path) -> None:
    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("CREATE TABLE sales (id INTEGER PRIMARY KEY, ref TEXT)")
    db.execute("CREATE INDEX sales_ref ON sales(ref)")
    db.executemany("INSERT INTO sales(ref) VALUES (?)", [(f"REF-{i}",) for i in range(10)])
    db.commit()
    db.close()


def test_an_intact_journal_passes_even_while_the_app_has_it_open():
    path = diagnostics.journal_path()
    make_journal(path)
    writer = sqlite3.connect(path)  # the running app's connection, WAL files present
    try:
        writer.execute("INSERT INTO sales(ref) VALUES ('open')")
        writer.commit()
        check = check_journal()
    finally:
        writer.close()
    assert check.status is Status.PASS, check.detail


def test_a_garbage_journal_fails_with_advice():
    diagnostics.journal_path().write_bytes(b"this is not a database" * 100)
    check = check_journal()
    assert check.status is Status.FAIL
    assert "Do not delete it" in check.detail


def test_a_journal_with_a_broken_index_fails_integrity_check():
    path = diagnostics.journal_path()
    make_journal(path)
    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode=DELETE")
    root = db.execute("SELECT rootpage FROM sqlite_master WHERE name='sales_ref'").fetchone()[0]
    page = db.execute("PRAGMA page_size").fetchone()[0]
    db.close()
    before = path.read_bytes()
    db = sqlite3.connect(path)
    db.execute("INSERT INTO sales(ref) VALUES ('late')")
    db.commit()
    db.close()
    # Put the index page back as it was before the insert: the index now misses a row.
    data = bytearray(path.read_bytes())
    offset = (root - 1) * page
    data[offset : offset + page] = before[offset : offset + page]
    path.write_bytes(bytes(data))
    check = check_journal()
    assert check.status is Status.FAIL
    assert "is damaged" in check.detail and "sales_ref" in check.detail


def test_no_journal_yet_is_fine():
    assert check_journal().status is Status.PASS


# ----------------------------------------------------------------------------- the command


def run_doctor(capsys, *args):
    code = cli.main(["doctor", *args])
    return code, capsys.readouterr().out


def test_doctor_json_in_training_mode_has_no_failure(capsys):
    code, out = run_doctor(capsys, "--json")
    report = json.loads(out)
    assert code == 0 and report["ok"] is True and report["mode"] == "training"
    ids = [c["id"] for c in report["checks"]]
    for expected in (
        "data_dir",
        "config_dir",
        "log_dir",
        "settings",
        "api_key",
        "keyring",
        "api",
        "printer",
        "journal",
    ):
        assert expected in ids
    assert {c["status"] for c in report["checks"]} <= {"pass", "warn"}


def test_doctor_reports_a_damaged_settings_file(capsys):
    settings_path().write_text('{"printer": "tcp://10.0.0.7", "cut": ')
    code, out = run_doctor(capsys, "--json")
    report = json.loads(out)
    warned = " ".join(c["detail"] for c in report["checks"] if c["status"] == "warn")
    assert "dañado" in warned and "settings.json.bad-" in warned  # defaults: Spanish
    # Later runs still point at the file set aside.
    code, out = run_doctor(capsys, "--json")
    assert "settings.json.bad-" in out


def test_doctor_fails_and_exits_1_on_a_bad_key_and_an_unreachable_api(capsys, monkeypatch):
    save_settings(Settings(language="en"))
    monkeypatch.setenv("OCOTE_API_KEY", "odt_short")
    monkeypatch.setenv("OCOTE_API_URL", f"http://127.0.0.1:{free_port()}/api/connect")
    code, out = run_doctor(capsys, "--timeout", "2")
    assert code == 1
    lines = out.splitlines()
    assert any(line.startswith("FAIL") and "API key" in line and "56 lowercase" in line for line in lines)
    assert any(line.startswith("FAIL") and "Cannot connect to 127.0.0.1" in line for line in lines)
    assert "odt_short" not in out
    assert lines[-1].endswith(("failure.", "failures."))  # "{n} failure(s)", counted properly


def test_doctor_speaks_spanish(capsys, spanish):
    save_settings(Settings(language="es"))
    code, out = run_doctor(capsys)
    assert "Diario" in out or "Carpeta de datos" in out
    assert out.splitlines()[1].split()[0] in {"OK", "AVISO", "FALLA"}


def test_a_check_that_crashes_is_reported_and_the_others_still_run(monkeypatch):
    def broken():
        raise RuntimeError("bug inside a check")

    monkeypatch.setattr(diagnostics, "check_journal", broken)
    checks = run_checks(Settings())
    journal = by_id(checks, "journal")
    assert journal.status is Status.FAIL and "RuntimeError" in journal.detail
    assert by_id(checks, "api").status is Status.PASS


def test_printer_not_configured_outside_training_is_a_warning(api_key):
    [check] = diagnostics.check_printer(configured("https://ocote.example/api/connect", api_key))
    assert check.status is Status.WARN and "No printer is configured" in check.detail


def test_printer_that_refuses_the_connection_fails():
    settings = Settings(printer=f"tcp://127.0.0.1:{free_port()}")
    checks = diagnostics.check_printer(settings, timeout=2)
    check = by_id(checks, "printer")
    assert check.status is Status.FAIL and "127.0.0.1" in check.detail


def test_a_ready_printer_passes(tmp_path):
    checks = diagnostics.check_printer(Settings(printer=f"file:{tmp_path / 'lp0'}"))
    assert [c.status for c in checks] == [Status.PASS]
    assert "ready" in checks[0].detail


def test_an_unknown_printer_profile_fails(tmp_path):
    checks = diagnostics.check_printer(Settings(printer=f"file:{tmp_path / 'lp0'}", printer_profile="tm-nonexistent"))
    profile = by_id(checks, "printer_profile")
    assert profile.status is Status.FAIL and "tm-nonexistent" in profile.detail


def test_a_malformed_printer_url_fails_with_the_reason():
    [check] = diagnostics.check_printer(Settings(printer="lpt://what"))
    assert check.status is Status.FAIL and check.detail


def test_a_key_pasted_into_the_api_or_printer_address_never_reaches_the_report(api_key):
    # `caja doctor --json` is what people paste into support chats: an address that carries the
    # key (user-info or ?key=) must not be quoted back verbatim.
    port = free_port()
    settings = configured(f"http://user:{api_key}@127.0.0.1:{port}/api/connect", api_key).model_copy(
        update={"printer": f"tcp://127.0.0.1:{port}?key={api_key}"}
    )
    checks = [*check_api(settings, timeout=2), *diagnostics.check_printer(settings, timeout=2)]
    assert checks and all(c.status is Status.FAIL for c in checks)
    report = json.dumps([c.as_dict() for c in checks])
    assert api_key not in report and api_key[4:20] not in report
