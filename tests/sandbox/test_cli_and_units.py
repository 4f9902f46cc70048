"""``caja sandbox`` in a real subprocess, plus the sandbox's own amount and words functions."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import httpx
import pytest

from app.sandbox.rules import compute_amounts, is_valid_dui, is_valid_nit, make_line
from app.sandbox.words import amount_in_words

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT/SIGTERM to a child process are POSIX-only")
@pytest.mark.parametrize("inherited", ["as started", "ignored"])
@pytest.mark.parametrize("stop_signal", [signal.SIGINT, signal.SIGTERM])
def test_caja_sandbox_command_serves_until_interrupted(api_key, invoice, stop_signal, inherited):
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    command = [sys.executable, "-m", "app", "sandbox", "--port", "0"]
    if inherited == "ignored":
        # What a shell does to a background job (`caja sandbox &`, or a test run started with &):
        # SIGINT comes in ignored, and Python keeps an inherited SIG_IGN unless told otherwise.
        command = ["sh", "-c", 'trap "" INT TERM; exec "$@"', "sh", *command]
    proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        # readline() blocks until the server has printed its address (it is listening by then).
        first = proc.stdout.readline()
        match = re.search(r"(http://127\.0\.0\.1:\d+/api/connect)\s*$", first)
        assert match, first
        base = match.group(1)
        r = httpx.post(base + "/invoice", json=invoice("CLI-1"), headers={"Authorization": f"Bearer {api_key}"})
        assert r.status_code == 200 and r.json()["dte_success"] is True
        proc.send_signal(stop_signal)
        assert proc.wait(timeout=10) == 0
        stderr = proc.stderr.read()
        assert "Traceback" not in stderr and api_key[4:] not in stderr
        assert "POST /api/connect/invoice -> 200" in stderr
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stdout.close()
        proc.stderr.close()


def test_caja_sandbox_reports_a_busy_port(sandbox):
    result = subprocess.run(
        [sys.executable, "-m", "app", "sandbox", "--port", str(sandbox.port)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 1
    assert result.stderr.startswith("caja: ") and str(sandbox.port) in result.stderr
    assert "Traceback" not in result.stderr


def test_worked_example_amounts():
    amounts = compute_amounts([make_line("Cuaderno", Decimal(2), Decimal("5.65"), Decimal(10))])
    assert (amounts.gross, amounts.taxable, amounts.vat, amounts.discount, amounts.subtotal) == (
        Decimal("10.17"),
        Decimal("9.00"),
        Decimal("1.17"),
        Decimal("1.13"),
        Decimal("11.30"),
    )


def test_line_amounts_keep_8_decimals():
    line = make_line("x", Decimal("3"), Decimal("0.333333333"), Decimal("0"))
    assert line.gross == Decimal("1.00000000") and line.taxable == Decimal("0.88495575")
    assert line.gross == line.taxable + line.vat


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        ("0.50", "CERO 50/100 DÓLARES"),
        ("1", "UN 00/100 DÓLAR"),
        ("10.17", "DIEZ 17/100 DÓLARES"),
        ("16", "DIECISÉIS 00/100 DÓLARES"),
        ("21.05", "VEINTIÚN 05/100 DÓLARES"),
        ("31", "TREINTA Y UN 00/100 DÓLARES"),
        ("100", "CIEN 00/100 DÓLARES"),
        ("101", "CIENTO UN 00/100 DÓLARES"),
        ("515.71", "QUINIENTOS QUINCE 71/100 DÓLARES"),
        ("1095", "MIL NOVENTA Y CINCO 00/100 DÓLARES"),
        ("21000", "VEINTIÚN MIL 00/100 DÓLARES"),
        ("1000000", "UN MILLÓN 00/100 DÓLARES"),
        ("2500000.99", "DOS MILLONES QUINIENTOS MIL 99/100 DÓLARES"),
    ],
)
def test_amount_in_words(amount, words):
    assert amount_in_words(Decimal(amount)) == words


def test_identity_numbers():
    assert is_valid_dui("00016297-5") and is_valid_dui("03839339-8")
    assert not is_valid_dui("00016297-4") and not is_valid_dui("0001629-75")
    assert is_valid_nit("0614-201026-101-6") and is_valid_nit("000162975")
    assert not is_valid_nit("0614-201026-101-7")
