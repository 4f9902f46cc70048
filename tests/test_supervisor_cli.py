"""``caja history``, ``caja reprint``, ``caja void`` and ``caja eod`` against the loopback sandbox.

The CLI runs in-process (``app.cli.main``) on the journal of the test's data folder; the user's
language is Spanish (the settings' default).
"""

from __future__ import annotations

import csv
import json
from decimal import Decimal

import pytest

from app.api.client import OcoteClient
from app.cli import main
from app.domain.invoice import Customer, InvoiceDraft, SaleLine, build_invoice_payload
from app.journal import Journal, SaleState
from app.printing.decoder import decode_job
from tests.silent_server import SilentServer


@pytest.fixture
def ocote(sandbox, api_key, monkeypatch):
    """The sandbox configured through the environment, as a supervisor's shell would."""
    monkeypatch.setenv("OCOTE_API_URL", sandbox.base_url)
    monkeypatch.setenv("OCOTE_API_KEY", api_key)
    return sandbox


@pytest.fixture
def sell(ocote, api_key):
    """``sell(price, outcome="ok", customer=None)``: a sale issued and journaled in the data folder."""

    def make(price: str, outcome: str = "ok", customer: Customer | None = None):
        draft = InvoiceDraft(lines=(SaleLine("Pan dulce", Decimal(1), Decimal(price)),), customer=customer)
        with Journal.open() as journal, OcoteClient(ocote.base_url, api_key) as client:
            sale = journal.sales.create(draft, register="M001P001")
            if outcome != "ok":
                ocote.set_next(outcome)
            result = client.submit_invoice(build_invoice_payload(draft, sale.external_ref))
            return journal.documents.record(sale.id, result, state=SaleState(result.state))

    return make


#: The supervisor allowing voids (``supervisor`` fixture): ``caja void`` needs one.
SUPERVISOR = ("--supervisor", "Beto", "--pin", "5678")


@pytest.fixture(autouse=True)
def supervisor():
    """A supervisor in the data folder's journal, as a till has before anything is voided."""
    from app.services.users import UsersService

    with Journal.open() as journal:
        return UsersService(journal).add("Beto", "supervisor", "5678")


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_reprint_prints_a_copy(capsys, sell, ocote, tmp_path):
    sale = sell("2.50")
    posts = sum(1 for method, _ in ocote.requests if method == "POST")
    target = tmp_path / "printer.bin"

    code, out, _err = run(capsys, "reprint", sale.external_ref, "--printer", f"file:{target}")

    assert code == 0
    assert sale.control_number in out
    assert decode_job(target.read_bytes()).labels == ["COPIA"]
    assert sum(1 for method, _ in ocote.requests if method == "POST") == posts


def test_reprint_of_an_unknown_ref_fails_with_one_line(capsys, ocote):
    code, out, err = run(capsys, "reprint", "M001P001-20260101-000099", "--printer", "dummy:")
    assert code == 1 and out == ""
    assert err.startswith("caja: ") and err.count("\n") == 1
    assert "M001P001-20260101-000099" in err


def test_void_needs_yes(capsys, sell, ocote):
    sale = sell("4.00")
    before = len(ocote.requests)

    code, _out, err = run(capsys, "void", sale.external_ref, "--reason", "error")

    assert code == 2 and "--yes" in err and err.count("\n") == 1
    assert len(ocote.requests) == before
    with Journal.open() as journal:
        assert journal.sales.get(sale.id).state == SaleState.ISSUED


def test_void_then_void_again(capsys, sell, ocote):
    sale = sell("4.00")

    code, out, _ = run(capsys, "void", sale.external_ref, "--reason", "cobro duplicado", "--yes", *SUPERVISOR)
    assert code == 0 and "anulado" in out
    code, out, _ = run(capsys, "void", sale.external_ref, "--reason", "cobro duplicado", "--yes", *SUPERVISOR)
    assert code == 0 and "ya estaba anulado" in out

    with Journal.open() as journal:
        assert journal.sales.get(sale.id).state == SaleState.VOIDED


def test_void_refused_by_ocote_is_explained(capsys, sell, ocote):
    import httpx

    sale = sell("4.00")
    httpx.post(f"{ocote.base_url}/_sandbox/age", json={"ref": sale.external_ref, "days": 200}).raise_for_status()

    code, out, err = run(capsys, "void", sale.external_ref, "--reason", "tarde", "--yes", *SUPERVISOR)

    assert code == 1 and out == ""
    assert err.startswith("caja: Ocote no permitió anular este documento: El plazo para invalidar")
    assert err.count("\n") == 1


def test_void_without_a_key(capsys, sell, monkeypatch):
    sale = sell("4.00")
    monkeypatch.delenv("OCOTE_API_KEY")
    code, _out, err = run(capsys, "void", sale.external_ref, "--reason", "x", "--yes", *SUPERVISOR)
    assert code == 1 and "OCOTE_API_KEY" in err


def test_eod_json_totals_equal_the_sandbox(capsys, sell, ocote):
    sell("10.17")
    sell("2.26", outcome="contingency")
    sell("3.00", outcome="rejected")

    code, out, _ = run(capsys, "eod", "--json")

    assert code == 0
    data = json.loads(out)
    valid = [d for d in ocote.documents() if not d["rejected"] and not d["invalidated"]]
    assert Decimal(data["totals"]["gross"]) == sum(Decimal(str(d["amount_gross"])) for d in valid)
    assert Decimal(data["totals"]["vat"]) == sum(Decimal(str(d["amount_vat"])) for d in valid)
    assert data["totals"]["discount"] == "0.00"
    assert sum(data["by_state"].values()) == 3 and data["by_state"]["rejected"] == 1
    assert set(data["by_payment"]) == {"01"}
    assert [set(d) >= {"external_ref", "state", "control_number", "amount_gross"} for d in data["documents"]] == [
        True
    ] * 3
    assert data["documents"][0]["amount_gross"] == "10.17"


def test_eod_text_csv_and_print(capsys, sell, tmp_path):
    sell("10.17")
    target, printed = tmp_path / "day.csv", tmp_path / "printer.bin"

    code, out, _ = run(capsys, "eod", "--csv", str(target), "--print", "--printer", f"file:{printed}")

    assert code == 0
    assert "CIERRE DEL DÍA" in out and "10.17" in out
    with target.open(encoding="utf-8", newline="") as fh:
        [row] = list(csv.DictReader(fh))
    assert row["amount_gross"] == "10.17" and row["state"] == "issued"
    assert decode_job(printed.read_bytes()).cut


def test_eod_exits_1_when_documents_could_not_be_checked(capsys, sell, monkeypatch):
    import secrets

    sale = sell("2.26", outcome="contingency")
    # Another company's key: Ocote does not know this register's documents.
    monkeypatch.setenv("OCOTE_API_KEY", "odt_" + secrets.token_hex(28))

    code, out, err = run(capsys, "eod", "--json")

    assert code == 1
    assert json.loads(out)["refresh_failures"] == [sale.external_ref]
    assert err.startswith("caja: no se pudo consultar en Ocote 1 documento") and err.count("\n") == 1


@pytest.fixture
def closed_port():
    """A local TCP port nobody listens on."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def quick_retries(monkeypatch):
    """The commands' Ocote client with one attempt and a short read timeout (the defaults take a
    45 s budget per request against a server that never answers)."""
    import httpx

    from app.api.client import RetryPolicy
    from app.services import container

    real = container.open_api_client

    def open_quickly(settings, **kwargs):
        return real(settings, timeout=httpx.Timeout(5.0, read=0.2), retry=RetryPolicy(max_attempts=1))

    monkeypatch.setattr(container, "open_api_client", open_quickly)


@pytest.mark.parametrize("network", ["refused", "silent"])
def test_eod_offline_reports_what_was_collected_from_the_journal(
    capsys, sell, ocote, monkeypatch, quick_retries, closed_port, network
):
    issued = sell("10.17")
    contingency = sell("2.26", outcome="contingency")
    voided = sell("4.00")
    run(capsys, "void", voided.external_ref, "--reason", "devolución", "--yes", *SUPERVISOR)
    sell("3.00", outcome="rejected")
    with Journal.open() as journal:  # charged while Ocote was down: queued, never sent
        queued = journal.sales.create(
            InvoiceDraft(lines=(SaleLine("Pan dulce", Decimal(2), Decimal("1.25")),)), register="M001P001"
        )
        queued = journal.sales.set_state(queued.id, SaleState.QUEUED)

    with SilentServer() as silent:
        url = silent.base_url if network == "silent" else f"http://127.0.0.1:{closed_port}/api/connect"
        monkeypatch.setenv("OCOTE_API_URL", url)
        code, out, err = run(capsys, "eod", "--json")
        text_code, text, _ = run(capsys, "eod")

    assert code == text_code == 4
    assert err.startswith("caja: Ocote no responde (sin conexión): 2 documentos sin verificar")
    assert err.count("\n") == 1
    data = json.loads(out)
    assert data["offline"] is True and data["requests_made"] == 1
    assert data["refresh_failures"] == [contingency.external_ref, queued.external_ref]
    assert data["totals"]["count"] == 2 and Decimal(data["totals"]["gross"]) == Decimal("12.43")
    assert data["totals"]["collected"]["count"] == 3
    assert Decimal(data["totals"]["collected"]["gross"]) == Decimal("12.43") + Decimal("2.50")
    assert data["queued"] == [{"external_ref": queued.external_ref, "amount_gross": "2.50", "payment_method": "01"}]
    assert data["by_state"] == {"issued": 1, "contingency": 1, "rejected": 1, "queued": 1, "voided": 1}
    assert issued.external_ref in [d["external_ref"] for d in data["documents"] if d["state"] == "issued"]
    assert "Sin conexión: 2 documentos sin verificar" in text
    assert "COBRADO (INCLUYE PENDIENTES DE ENVIAR)" in text and queued.external_ref in text
    assert "14.93" in text


def test_eod_for_another_day_is_empty(capsys, sell):
    sell("10.17")
    code, out, _ = run(capsys, "eod", "--date", "2020-01-31", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["day"] == "2020-01-31" and data["documents"] == [] and data["totals"]["gross"] == "0.00"


def test_eod_bad_date_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exited:
        main(["eod", "--date", "31/01/2020"])
    assert exited.value.code == 2
    assert "31/01/2020" in capsys.readouterr().err


def test_history_search(capsys, sell):
    sell("5.00", customer=Customer(name="Óscar Menjívar", dui="00016297-5"))
    other = sell("7.00")

    code, out, _ = run(capsys, "history", "--customer", "oscar", "--json")
    assert code == 0
    [found] = json.loads(out)
    assert found["customer_name"] == "Óscar Menjívar" and found["total_gross"] == "5.00"

    code, out, _ = run(capsys, "history", "--amount", "6..8", "--json")
    assert [s["external_ref"] for s in json.loads(out)] == [other.external_ref]

    code, out, _ = run(capsys, "history", "--control", other.control_number[-3:])
    assert code == 0 and other.external_ref in out and other.control_number in out

    code, out, _ = run(capsys, "history", "--ref", "NADA")
    assert code == 0 and "No se encontraron ventas" in out


def test_without_a_key_history_and_an_eod_with_nothing_to_check_still_work(capsys):
    # No key (training): the commands that need no request run; nothing starts a sandbox.
    code, out, _ = run(capsys, "history", "--json")
    assert (code, json.loads(out)) == (0, [])
    code, out, _ = run(capsys, "eod", "--json")
    assert code == 0 and json.loads(out)["requests_made"] == 0


def test_eod_with_pending_documents_and_no_key_asks_for_the_key(capsys, sell, monkeypatch):
    sell("2.26", outcome="contingency")
    monkeypatch.delenv("OCOTE_API_KEY")
    code, out, err = run(capsys, "eod", "--json")
    assert code == 1 and out == "" and "OCOTE_API_KEY" in err and err.count("\n") == 1


def test_eod_print_without_a_printer_is_refused_before_asking_ocote(capsys, sell, ocote):
    sell("2.26", outcome="contingency")
    before = len(ocote.requests)
    code, out, err = run(capsys, "eod", "--print")
    assert code == 1 and out == "" and "CAJA_PRINTER" in err
    assert len(ocote.requests) == before
