"""The command-line contract of issue 14: ``caja sell --doc-type 03 ...``, ``caja credit-note``,
``doc_type`` in ``--json``, exit 2 naming a missing CCF field, the withheld VAT in ``caja status``."""

from __future__ import annotations

import json

import pytest

from tests.services.test_sell_cli import caja, cli_env

CCF = (
    "--doc-type", "03",
    "--customer-name", "Constructora El Roble",
    "--nit", "0614-050707-104-8",
    "--nrc", "123456-7",
    "--contributor-type", "3",
    "--activity", "41001",
    "--department", "06",
    "--municipality", "23",
    "--address", "Col. Escalón, San Salvador",
    "--email", "compras@elroble.example",
)  # fmt: skip


@pytest.fixture
def env(sandbox, api_key):
    return cli_env(sandbox, api_key)


def _json(done):
    assert done.stdout.count("\n") == 1, done.stdout + done.stderr
    return json.loads(done.stdout)


def test_a_ccf_sale_a_partial_and_a_full_note_from_the_command_line(env, documents_for):
    sold = caja(env, "sell", *CCF, "--line", "Cemento gris|20|11.30", "--json")
    sale = _json(sold)
    # Issued; the dummy build has no 80 mm CCF printout yet, or prints it (exit 0 or 5).
    assert sold.returncode in (0, 5) and sale["state"] == "issued" and sale["doc_type"] == "03"
    assert sale["control_number"].startswith("DTE-03-")

    status = _json(caja(env, "status", sale["external_ref"], "--json"))
    assert status["journal"]["doc_type"] == "03" and status["journal"]["withheld"] == "2.00"

    partial = caja(env, "credit-note", sale["external_ref"], "--line", "Cemento gris|5|11.30", "--json")
    note = _json(partial)
    assert partial.returncode in (0, 5) and note["doc_type"] == "05" and note["state"] == "issued"
    assert note["external_ref"] != sale["external_ref"] and len(documents_for(note["external_ref"])) == 1

    too_much = caja(env, "credit-note", sale["external_ref"], "--line", "Cemento gris|16|11.30", "--json")
    assert too_much.returncode == 2 and _json(too_much)["field_errors"][0]["field"] == "lines.0.quantity"

    full = caja(env, "credit-note", sale["external_ref"], "--full", "--json")
    assert full.returncode == 2  # a partial note stands: the rest is credited line by line
    assert "partial" in full.stderr or "parcial" in full.stderr


@pytest.mark.parametrize(
    ("drop", "field", "flag"),
    [("--nrc", "customer.nrc", "--nrc"), ("--activity", "customer.activity_code", "--activity")],
)
def test_a_ccf_missing_a_required_field_exits_2_naming_it(env, sandbox, drop, field, flag):
    args = list(CCF)
    i = args.index(drop)
    del args[i : i + 2]
    before = sandbox.request_count

    done = caja(env, "sell", *args, "--line", "Cemento|1|11.30", "--json")

    assert done.returncode == 2
    out = _json(done)
    assert out["doc_type"] == "03" and [e["field"] for e in out["field_errors"]] == [field]
    assert flag in out["field_errors"][0]["message"]
    assert sandbox.request_count == before


def test_an_invoice_keeps_its_json_and_gains_doc_type(env):
    out = _json(caja(env, "sell", "--line", "Pan|1|1.00", "--json"))
    assert out["doc_type"] == "01" and out["state"] == "issued"


def test_a_credit_note_needs_lines_or_full(env):
    done = caja(env, "credit-note", "ANY", "--json")
    assert done.returncode == 2 and "--full" in done.stderr
