"""PyMuPDF has one owner: every use runs on the one MuPDF thread, and only app/printing/mupdf.py
imports it."""

from __future__ import annotations

import ast
import threading
from datetime import date, datetime
from pathlib import Path

import pytest

from app.printing import mupdf
from app.printing.profiles import get_profile

APP = Path(__file__).resolve().parents[2] / "app"
OWNER = APP / "printing" / "mupdf.py"


class Recorder:
    """Stands in for the pymupdf module and notes the thread of every use."""

    def __init__(self, real) -> None:
        self.real = real
        self.threads: set[str] = set()
        self.uses = 0

    def __getattr__(self, name):
        self.threads.add(threading.current_thread().name)
        self.uses += 1
        return getattr(self.real, name)


@pytest.fixture
def recorder(monkeypatch):
    real = mupdf._module()
    recorder = Recorder(real)
    monkeypatch.setattr(mupdf, "_module", lambda: recorder)
    return recorder


def _uses_only_the_mupdf_thread(recorder: Recorder, action) -> None:
    before = recorder.uses
    action()
    assert recorder.uses > before, "the action did not use PyMuPDF at all"
    assert recorder.threads and all(name.startswith(mupdf.THREAD_NAME) for name in recorder.threads), recorder.threads


def test_ticket_raster_runs_on_the_mupdf_thread(recorder, ticket80):
    from app.printing.raster import render_pdf

    _uses_only_the_mupdf_thread(recorder, lambda: render_pdf(ticket80, 576))


def test_printing_a_pdf_and_the_test_page_run_on_the_mupdf_thread(recorder, ticket80):
    from app.printing.ticket_printer import TicketPrinter, build_test_page_pdf

    printer = TicketPrinter("dummy:")
    _uses_only_the_mupdf_thread(recorder, lambda: printer.print_pdf(ticket80))
    _uses_only_the_mupdf_thread(recorder, lambda: build_test_page_pdf(get_profile("generic-80"), "dummy:"))


def test_eod_report_pdf_runs_on_the_mupdf_thread(recorder):
    from app.services.eod_report import EodReport

    report = EodReport(day=date(2026, 1, 2), register="P001", generated_at=datetime(2026, 1, 2, 20, 0))
    _uses_only_the_mupdf_thread(recorder, report.render_pdf)


def test_window_preview_runs_on_the_mupdf_thread(recorder, ticket80):
    from app.workers.preview import render_preview_png

    _uses_only_the_mupdf_thread(recorder, lambda: render_preview_png(ticket80))


def test_pymupdf_refuses_every_other_thread():
    from app.sandbox import ticket

    with pytest.raises(RuntimeError, match="MuPDF thread"):
        mupdf.fitz.open()
    with pytest.raises(RuntimeError, match="MuPDF thread"):
        ticket.render_ticket_pdf({}, {})  # the sandbox's renderer too: it must go through run()
    assert mupdf.run(lambda: mupdf.on_mupdf_thread())
    assert mupdf.run(lambda: mupdf.run(threading.current_thread).name).startswith(mupdf.THREAD_NAME)  # re-entrant


def test_errors_raised_on_the_mupdf_thread_reach_the_caller():
    def fail():
        raise ValueError("boom")

    with pytest.raises(ValueError, match="boom"):
        mupdf.run(fail)


def test_mupdf_warnings_go_to_the_log(caplog, ticket80):
    from app.domain.errors import TicketError
    from app.printing.raster import render_pdf

    with caplog.at_level("WARNING"), pytest.raises(TicketError):
        render_pdf(ticket80[: len(ticket80) // 2], 576)
    assert any("MuPDF" in record.getMessage() for record in caplog.records)


def test_only_the_owner_module_imports_pymupdf():
    offenders = []
    for path in APP.rglob("*.py"):
        if path == OWNER:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            offenders += [
                f"{path.relative_to(APP.parent)}:{node.lineno} imports {name}"
                for name in names
                if name.split(".")[0] in ("fitz", "pymupdf")
            ]
    assert offenders == []
