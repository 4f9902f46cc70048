"""The shift commands' contract: ``caja users``, ``caja session``, ``caja cash``, and ``caja sell`` /
``caja void`` inside a shift. In-process (``app.cli.main``) on the test's data folder; the user's
language is Spanish (the settings' default), and refusals exit 2 with one line."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from app.cli import main
from app.journal import Journal, SaleState
from app.paths import config_dir, data_dir, log_dir
from app.printing.decoder import decode_job
from app.services.cash import REPORT_KEYS

LINE = "Pan dulce|2|1.25"


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def refused(capsys, *args: str) -> str:
    """Run a command that must be refused: exit 2, nothing on stdout, one line on stderr."""
    code, out, err = run(capsys, *args)
    assert code == 2, (code, out, err)
    assert out == "" and err.startswith("caja: ") and err.count("\n") == 1, err
    return err


@pytest.fixture
def staff(capsys):
    """Ana (cashier, 1234), Luis (cashier, 4321) and Beto (supervisor, 5678), added by command."""
    for name, role, pin in (("Beto", "supervisor", "5678"), ("Ana", "cashier", "1234"), ("Luis", "cashier", "4321")):
        code, _out, _err = run(capsys, "users", "add", name, "--role", role, "--pin", pin)
        assert code == 0


@pytest.fixture
def ocote(sandbox, api_key, monkeypatch):
    monkeypatch.setenv("OCOTE_API_URL", sandbox.base_url)
    monkeypatch.setenv("OCOTE_API_KEY", api_key)
    return sandbox


def open_shift(capsys, opening_float: str = "50.00") -> dict:
    code, out, _ = run(
        capsys, "session", "open", "--cashier", "Ana", "--pin", "1234", "--float", opening_float, "--json"
    )
    assert code == 0
    return json.loads(out)


def test_users_add_list_disable(capsys, staff):
    code, out, _ = run(capsys, "users", "list", "--json")
    assert code == 0
    assert [(u["name"], u["role"], u["active"]) for u in json.loads(out)] == [
        ("Ana", "cashier", True),
        ("Beto", "supervisor", True),
        ("Luis", "cashier", True),
    ]
    code, out, _ = run(capsys, "users", "disable", "Luis")
    assert code == 0 and "Luis" in out
    code, out, _ = run(capsys, "users", "list")
    assert code == 0 and "Luis" in out and "desactivad" in out.lower()
    refused(capsys, "users", "add", "ana", "--role", "cashier", "--pin", "9999")  # taken
    refused(capsys, "users", "add", "Eva", "--role", "cashier", "--pin", "12")  # too short
    refused(capsys, "users", "disable", "Nadie")
    refused(capsys, "users", "disable", "Beto")  # the only supervisor


def test_users_add_reads_the_pin_from_stdin(capsys, monkeypatch):
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO("24680\n"))
    assert run(capsys, "users", "add", "Eva", "--role", "supervisor", "--pin", "-")[0] == 0
    assert run(capsys, "session", "open", "--cashier", "Eva", "--pin", "24680", "--float", "0")[0] == 0


def test_a_whole_shift(capsys, staff, ocote, tmp_path):
    # No session: selling is refused, saying how to open one; nothing is journaled or sent.
    err = refused(capsys, "sell", "--line", LINE, "--printer", "dummy:")
    assert "caja session open" in err
    with Journal.open() as journal:
        assert journal.sales.search() == []
    assert not any(method == "POST" for method, _ in ocote.requests)
    refused(capsys, "session", "report")

    # Opening: wrong PIN refused; then one session, a second refused.
    assert "PIN" in refused(capsys, "session", "open", "--cashier", "Ana", "--pin", "0000", "--float", "50")
    opened = open_shift(capsys)
    assert opened["cashier"] == "Ana" and opened["opening_float"] == "50.00" and opened["register"] == "M001P001"
    assert "Ana" in refused(capsys, "session", "open", "--cashier", "Luis", "--pin", "4321", "--float", "10")

    # Sales record the session and the cashier.
    code, out, _ = run(capsys, "sell", "--line", LINE, "--printer", "dummy:", "--json")
    assert code == 0
    cash_sale = json.loads(out)
    code, out, _ = run(capsys, "sell", "--line", "Café|1|1.75", "--payment", "02", "--printer", "dummy:", "--json")
    assert code == 0
    with Journal.open() as journal:
        sale = journal.sales.find(cash_sale["external_ref"])
        assert sale is not None and sale.session_id == opened["session_id"] and sale.cashier == "Ana"

    # Cash in needs no supervisor; cash out does.
    code, out, _ = run(capsys, "cash", "in", "5.00", "--reason", "cambio", "--json")
    assert code == 0 and json.loads(out)["expected_cash"] == "57.50"
    assert "--supervisor" in refused(capsys, "cash", "out", "10", "--reason", "pago")
    refused(capsys, "cash", "out", "10", "--reason", "pago", "--supervisor", "Luis", "--pin", "4321")
    refused(capsys, "cash", "out", "10", "--reason", "pago", "--supervisor", "Beto", "--pin", "0000")
    code, out, _ = run(
        capsys, "cash", "out", "10", "--reason", "pago", "--supervisor", "Beto", "--pin", "5678", "--json"
    )
    assert code == 0
    movement = json.loads(out)
    assert movement["supervisor"] == "Beto" and movement["cashier"] == "Ana" and movement["expected_cash"] == "47.50"

    # A void needs a supervisor: the cash comes out of this session's drawer.
    refused(capsys, "void", cash_sale["external_ref"], "--reason", "devolución", "--yes")
    refused(
        capsys,
        "void",
        cash_sale["external_ref"],
        "--reason",
        "devolución",
        "--yes",
        "--supervisor",
        "Luis",
        "--pin",
        "4321",
    )
    code, _out, _ = run(
        capsys,
        "void",
        cash_sale["external_ref"],
        "--reason",
        "devolución",
        "--yes",
        "--supervisor",
        "Beto",
        "--pin",
        "5678",
    )
    assert code == 0
    with Journal.open() as journal:
        [entry] = journal.audit.trail(action="supervisor:void")
        assert entry.session_id == opened["session_id"] and entry.supervisor_id is not None
        assert entry.user_id != entry.supervisor_id

    # X report: the session stays open.
    code, out, _ = run(capsys, "session", "report", "--json")
    assert code == 0
    x = json.loads(out)
    assert list(x) == list(REPORT_KEYS)
    assert (x["cash_sales"], x["expected_cash"], x["counted_cash"], x["closed_at"]) == ("2.50", "45.00", None, None)
    assert x["by_payment"] == {"01": {"count": 1, "gross": "2.50"}, "02": {"count": 1, "gross": "1.75"}}
    assert (x["sales"], x["voids"], x["copies"]) == (2, 1, 0)
    code, out, _ = run(capsys, "session", "report")
    assert code == 0 and "45.00" in out

    # Z close: wrong PIN refused; another cashier's PIN too; then counted, printed, exported.
    refused(capsys, "session", "close", "--counted", "44.50", "--pin", "4321")
    printed = tmp_path / "z.bin"
    target = tmp_path / "z.csv"
    code, out, _ = run(
        capsys,
        "session",
        "close",
        "--counted",
        "44.50",
        "--pin",
        "1234",
        "--json",
        "--print",
        "--printer",
        f"file:{printed}",
        "--csv",
        str(target),
    )
    assert code == 0
    z = json.loads(out)
    assert list(z) == list(REPORT_KEYS)
    assert (z["expected_cash"], z["counted_cash"], z["difference"]) == ("45.00", "44.50", "-0.50")
    assert z["closed_at"] is not None and z["session_id"] == opened["session_id"]
    assert decode_job(printed.read_bytes()).image.height > 400
    with target.open(encoding="utf-8") as handle:
        assert dict(csv.reader(handle))["difference"] == "-0.50"

    # Closed: no more sales, movements or reports without a new session.
    assert "caja session open" in refused(capsys, "sell", "--line", LINE, "--printer", "dummy:")
    refused(capsys, "cash", "in", "1", "--reason", "x")
    refused(capsys, "session", "close", "--counted", "0", "--pin", "1234")


def test_a_supervisor_closes_another_cashiers_session(capsys, staff):
    open_shift(capsys, "20")
    refused(capsys, "session", "close", "--counted", "20", "--pin", "4321", "--supervisor", "Luis")
    code, out, _ = run(
        capsys, "session", "close", "--denomination", "20=1", "--pin", "5678", "--supervisor", "Beto", "--json"
    )
    assert code == 0 and json.loads(out)["difference"] == "0.00"


def test_denominations_must_be_value_equals_count(capsys, staff):
    open_shift(capsys, "20")
    refused(capsys, "session", "close", "--denomination", "20x1", "--pin", "1234")
    refused(capsys, "session", "close", "--denomination", "3=1", "--pin", "1234")


def test_the_drawer_without_a_sale(capsys, staff, tmp_path):
    open_shift(capsys, "0")
    refused(capsys, "cash", "drawer", "--reason", "cambio")
    printed = tmp_path / "drawer.bin"
    code, out, _ = run(
        capsys,
        "cash",
        "drawer",
        "--reason",
        "cambio",
        "--supervisor",
        "Beto",
        "--pin",
        "5678",
        "--printer",
        f"file:{printed}",
        "--json",
    )
    assert code == 0 and json.loads(out)["kind"] == "drawer"
    assert decode_job(printed.read_bytes()).drawer  # the pulse went out before the slip


def test_five_wrong_pins_lock_the_cashier(capsys, staff):
    for _ in range(4):
        assert "PIN" in refused(capsys, "session", "open", "--cashier", "Ana", "--pin", "0000", "--float", "1")
    refused(capsys, "session", "open", "--cashier", "Ana", "--pin", "0000", "--float", "1")
    err = refused(capsys, "session", "open", "--cashier", "Ana", "--pin", "1234", "--float", "1")
    assert "60" in err or "59" in err


def test_a_void_with_no_shift_open_is_the_supervisors_alone(capsys, staff, ocote):
    open_shift(capsys, "0")
    code, out, _ = run(capsys, "sell", "--line", LINE, "--printer", "dummy:", "--json")
    assert code == 0
    ref = json.loads(out)["external_ref"]
    assert run(capsys, "session", "close", "--counted", "2.50", "--pin", "1234")[0] == 0
    code, _out, _err = run(capsys, "void", ref, "--reason", "error", "--yes", "--supervisor", "Beto", "--pin", "5678")
    assert code == 0
    with Journal.open() as journal:
        assert journal.sales.find(ref).state is SaleState.VOIDED
        [entry] = journal.audit.trail(action="supervisor:void")
        assert entry.user_id == entry.supervisor_id and entry.session_id is None


def test_no_pin_in_clear_anywhere(capsys, ocote, tmp_path):
    """The PINs are nowhere in the data, config or log folders, in any encoding the files could hold."""
    pins = {"Sofía": "73915026", "Marta": "46028137"}
    assert run(capsys, "users", "add", "Sofía", "--role", "supervisor", "--pin", pins["Sofía"])[0] == 0
    assert run(capsys, "users", "add", "Marta", "--role", "cashier", "--pin", pins["Marta"])[0] == 0
    assert run(capsys, "session", "open", "--cashier", "Marta", "--pin", pins["Marta"], "--float", "5")[0] == 0
    assert run(capsys, "session", "open", "--cashier", "Marta", "--pin", "11111111", "--float", "5")[0] == 2
    assert run(capsys, "sell", "--line", LINE, "--printer", "dummy:")[0] == 0
    assert run(capsys, "cash", "out", "1", "--reason", "x", "--supervisor", "Sofía", "--pin", pins["Sofía"])[0] == 0
    assert run(capsys, "session", "close", "--counted", "6.50", "--pin", pins["Marta"])[0] == 0
    files = [p for folder in (data_dir(), config_dir(), log_dir()) for p in Path(folder).rglob("*") if p.is_file()]
    assert any(p.name == "journal.sqlite3" for p in files)
    for path in files:
        data = path.read_bytes()
        for pin in [*pins.values(), "11111111"]:
            for encoded in (pin.encode("ascii"), pin.encode("utf-16-le"), pin.encode("utf-16-be")):
                assert encoded not in data, f"a PIN in clear in {path}"


def test_end_of_day_lists_the_sessions_and_their_differences(capsys, staff):
    opened = open_shift(capsys, "20.00")
    assert run(capsys, "session", "close", "--counted", "19.50", "--pin", "1234")[0] == 0
    open_shift(capsys, "10.00")
    code, out, _ = run(capsys, "eod", "--json")
    assert code == 0
    sessions = json.loads(out)["sessions"]
    assert [
        (s["session_id"], s["cashier"], s["expected_cash"], s["counted_cash"], s["difference"]) for s in sessions
    ] == [
        (opened["session_id"], "Ana", "20.00", "19.50", "-0.50"),
        (opened["session_id"] + 1, "Ana", "10.00", None, None),
    ]
    code, out, _ = run(capsys, "eod")
    assert code == 0 and "Turnos de caja:" in out and "-$0.50" in out and "sigue abierto" in out
