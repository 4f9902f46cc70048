"""Fixtures for the diagnostics tests: a logging session that is undone afterwards."""

from __future__ import annotations

import logging
import sys
import threading

import pytest


def _remove_caja_handlers() -> None:
    root = logging.getLogger()
    for handler in [h for h in root.handlers if getattr(h, "_caja_handler", False)]:
        root.removeHandler(handler)
        handler.close()


@pytest.fixture
def logging_session():
    """``setup_logging()`` for one test; yields the log file path. Hooks and handlers restored."""
    from app.logs import setup_logging

    level = logging.getLogger().level
    hooks = sys.excepthook, threading.excepthook
    path = setup_logging()
    yield path
    _remove_caja_handlers()
    logging.captureWarnings(False)
    logging.getLogger().setLevel(level)
    sys.excepthook, threading.excepthook = hooks


@pytest.fixture
def read_log(logging_session):
    """Flush the handlers and return everything written to the log files so far."""

    def read() -> str:
        for handler in logging.getLogger().handlers:
            handler.flush()
        files = sorted(logging_session.parent.glob(logging_session.name + "*"))
        return "".join(f.read_text(encoding="utf-8") for f in files)

    return read


@pytest.fixture
def live_sandbox(request):
    """The suite's real ``sandbox`` fixture, skipped (saying why) until app.sandbox exists."""
    pytest.importorskip("app.sandbox.server", reason="app.sandbox has not landed in this branch")
    return request.getfixturevalue("sandbox")
