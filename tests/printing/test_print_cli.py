"""``caja print`` and ``caja test-print`` as a user runs them: a real subprocess, exit codes and
one-line reasons on stderr."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import escpos.printer.cups
import pymupdf
import pytest
from PIL import Image

from app.printing.decoder import decode_job
from app.printing.profiles import get_profile

ROOT = Path(__file__).resolve().parents[2]
MM = 72 / 25.4


def load_png(path) -> Image.Image:
    """Read a PNG fully and close the file (pytest turns unclosed files into errors)."""
    with Image.open(path) as image:
        image.load()
        return image.copy()


def caja(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k not in ("CAJA_PRINTER", "OCOTE_API_KEY")}
    environment.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "app", *args], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=60
    )


def assert_one_line_failure(result: subprocess.CompletedProcess[str], *fragments: str) -> str:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    # One line in all: a logged warning before the reason (an unreadable PDF did that) is a second.
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("caja: "), result.stderr
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
    return lines[0]


@pytest.fixture
def ticket_pdf(tmp_path) -> Path:
    doc = pymupdf.open()
    page = doc.new_page(width=80 * MM, height=150 * MM)
    page.insert_text((4 * MM, 10 * MM), "Ticket de prueba: Ñandú 1 x $2.50", fontsize=9)
    page.draw_rect(pymupdf.Rect(4 * MM, 14 * MM, 40 * MM, 30 * MM), fill=(0, 0, 0))
    path = tmp_path / "ticket.pdf"
    doc.save(path)
    doc.close()
    return path


def test_print_to_file_writes_a_job_that_decodes(tmp_path, ticket_pdf):
    out = tmp_path / "lp0"
    result = caja("print", str(ticket_pdf), "--printer", f"file:{out}", "--label", "COPIA", "--drawer")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    job = decode_job(out.read_bytes(), get_profile("generic-80"))
    assert job.labels == ["COPIA"] and job.drawer and job.cut
    assert str(out.stat().st_size) in result.stdout


def test_print_to_preview_with_profile_and_no_cut(tmp_path, ticket_pdf):
    result = caja(
        "print", str(ticket_pdf), "--printer", f"preview:{tmp_path / 'prev'}", "--profile", "generic-58", "--no-cut"
    )
    assert result.returncode == 0, result.stderr
    pngs = list((tmp_path / "prev").glob("*.png"))
    assert len(pngs) == 1 and str(pngs[0]) in result.stdout
    assert load_png(pngs[0]).width == 384


def test_printer_comes_from_caja_printer(tmp_path, ticket_pdf):
    out = tmp_path / "from-env.bin"
    result = caja("print", str(ticket_pdf), env={"CAJA_PRINTER": f"file:{out}"})
    assert result.returncode == 0, result.stderr
    assert out.stat().st_size > 0


def test_test_print_to_preview(tmp_path):
    result = caja("test-print", "--printer", f"preview:{tmp_path}", "--profile", "tm-t88")
    assert result.returncode == 0, result.stderr
    (png,) = tmp_path.glob("*.png")
    assert load_png(png).width == 512


def test_no_printer_configured(ticket_pdf):
    assert_one_line_failure(caja("print", str(ticket_pdf)))


def test_missing_file(tmp_path):
    assert_one_line_failure(caja("print", str(tmp_path / "nope.pdf"), "--printer", "dummy:"), "nope.pdf")


def test_unreadable_pdf(tmp_path):
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"this is not a pdf")
    assert_one_line_failure(caja("print", str(bad), "--printer", "dummy:"))


def test_bad_url(ticket_pdf):
    assert_one_line_failure(caja("print", str(ticket_pdf), "--printer", "usb://nope"), "usb://nope")


def test_unknown_profile(ticket_pdf):
    assert_one_line_failure(caja("print", str(ticket_pdf), "--printer", "dummy:", "--profile", "tm-x"), "tm-x")


def test_unreachable_printer(ticket_pdf):
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    assert_one_line_failure(caja("print", str(ticket_pdf), "--printer", f"tcp://127.0.0.1:{port}"), f"127.0.0.1:{port}")


@pytest.mark.skipif(escpos.printer.cups.is_usable(), reason="pycups is installed")
def test_missing_dependency():
    assert_one_line_failure(caja("test-print", "--printer", "cups://receipts"), "caja[cups]")


def test_a_job_longer_than_the_maximum_is_refused_before_anything_is_sent(tmp_path):
    # Four pages of a metre each, inked at both ends so that cropping keeps them whole.
    doc = pymupdf.open()
    for _page in range(4):
        page = doc.new_page(width=80 * MM, height=1000 * MM)
        page.draw_rect(pymupdf.Rect(4 * MM, 2 * MM, 40 * MM, 6 * MM), fill=(0, 0, 0))
        page.draw_rect(pymupdf.Rect(4 * MM, 994 * MM, 40 * MM, 998 * MM), fill=(0, 0, 0))
    pdf = tmp_path / "long.pdf"
    doc.save(pdf)
    doc.close()
    out = tmp_path / "lp0"
    result = caja("print", str(pdf), "--printer", f"file:{out}")
    assert result.returncode == 2
    assert_one_line_failure(result, "3 m")  # an 80 mm page prints 72 mm wide: 4 x 0.9 m
    assert not out.exists()  # the printer was not even opened


def test_mupdf_messages_never_reach_stdout_or_stderr(tmp_path, ticket_pdf):
    # A damaged PDF makes MuPDF complain ("repairing PDF document", ...): the log gets it, the
    # terminal only gets caja's one line.
    damaged = tmp_path / "damaged.pdf"
    data = ticket_pdf.read_bytes()
    damaged.write_bytes(data[: len(data) * 2 // 3])
    result = caja("print", str(damaged), "--printer", f"file:{tmp_path / 'lp0'}")
    assert result.returncode == 1
    assert result.stdout == ""
    assert_one_line_failure(result)
    assert "MuPDF" not in result.stderr and "repair" not in result.stderr.lower()
