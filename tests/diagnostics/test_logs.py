"""The log: a private rotating file, secrets redacted, warnings and Qt messages routed in, and
unexpected exceptions turned into a short apology."""

from __future__ import annotations

import logging
import stat
import sys
import threading
import warnings

import httpx
import pytest

from app import logs
from app.logs import REDACTED, redact


def test_setup_logging_writes_a_private_file_in_the_log_dir(logging_session, read_log, tmp_path_factory):
    from app import paths

    assert logging_session == paths.log_dir() / "caja.log"
    logging.getLogger("app.test").info("sale %s issued", 42)
    assert "app.test: sale 42 issued" in read_log()
    assert stat.S_IMODE(logging_session.stat().st_mode) == 0o600


def test_setup_logging_twice_does_not_duplicate_lines(logging_session, read_log):
    logs.setup_logging(verbose=True)
    logging.getLogger("app.test").debug("only once")
    assert read_log().count("only once") == 1
    ours = [h for h in logging.getLogger().handlers if getattr(h, "_caja_handler", False)]
    assert len(ours) == 2  # stderr + file


def test_the_log_rotates_at_one_megabyte_into_private_files(logging_session, read_log):
    line = "x" * 1000
    for _ in range(1200):
        logging.getLogger("app.test").info(line)
    rotated = logging_session.with_name("caja.log.1")
    assert rotated.exists()
    assert logging_session.stat().st_size <= logs.MAX_BYTES
    assert stat.S_IMODE(rotated.stat().st_mode) == 0o600


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("Authorization: Bearer {key}", "{key}"),
        ("GET https://ocote.io/api/connect/file/abc?type=ticket&key={key} 200", "{key}"),
        ("url=https://x/file?key=abc123def&type=json", "abc123def"),
        ("https://x/file?key%3Dabc123def", "abc123def"),
        ("truncated odt_12ab", "odt_12ab"),
        ("{{'api_key': '{key}'}}", "{key}"),
        ("api_key=s3cret", "s3cret"),
    ],
)
def test_redact(text, secret, api_key):
    text, secret = text.format(key=api_key), secret.format(key=api_key)
    out = redact(text)
    assert secret not in out
    assert REDACTED in out
    assert redact(out) == out  # each handler's filter sees the record again
    assert "[REDACTED]]" not in out


def test_redact_leaves_ordinary_text_alone():
    text = "DTE-01-M001P001-000000000000001 issued; monkey=1 keyboard=es"
    assert redact(text) == text


def test_no_secret_reaches_the_log_file_or_stderr(logging_session, read_log, api_key, capsys):
    """A session that handles a key every way a bug could leak it."""
    logs.setup_logging(verbose=True)  # the console gets every record too
    log = logging.getLogger("app.api.client")
    url = f"https://ocote.io/api/connect/file/DOC-1?type=ticket&key={api_key}"
    log.info("using key %s", api_key)
    log.info(f"f-string with the key {api_key}")
    log.info("downloading %s", url)
    log.warning("request %r failed", {"headers": {"Authorization": f"Bearer {api_key}"}, "url": url})
    try:
        raise ValueError(f"server rejected {api_key} at {url}")
    except ValueError:
        log.exception("upload failed")
    try:
        request = httpx.Request("GET", url)
        raise httpx.ConnectError(f"cannot reach {request.url}", request=request)
    except httpx.ConnectError as exc:
        log.error("network: %s", exc, exc_info=True)
    log.warning("stack for %s", api_key, stack_info=True)
    with warnings.catch_warnings():
        warnings.simplefilter("always")
        warnings.warn(f"deprecated call with {api_key}", UserWarning, stacklevel=1)

    text = read_log()
    err = capsys.readouterr().err
    for output in (text, err):
        assert api_key not in output
        assert api_key[4:20] not in output
        assert "key=odt" not in output
    assert text.count(REDACTED) >= 8
    assert "Traceback (most recent call last)" in text  # tracebacks are kept, only redacted
    assert "deprecated call with" in text  # Python warnings go to the log


def test_qt_messages_are_routed_into_logging(logging_session, read_log, qapp):
    from PySide6 import QtCore

    previous = QtCore.qInstallMessageHandler(logs.log_qt_message)
    try:
        QtCore.qWarning("a Qt warning for the log")
    finally:
        QtCore.qInstallMessageHandler(previous)
    assert "WARNING" in read_log() and "a Qt warning for the log" in read_log()


def _raise_unexpected():
    raise ZeroDivisionError("division by zero in the cart")


def test_excepthook_logs_the_traceback_and_shows_a_short_apology(logging_session, read_log):
    shown: list[str] = []
    logs.install_excepthook(shown.append)
    try:
        _raise_unexpected()
    except ZeroDivisionError:
        sys.excepthook(*sys.exc_info())
    [message] = shown
    assert str(logging_session) in message
    assert "Traceback" not in message and "ZeroDivisionError" not in message
    text = read_log()
    assert "CRITICAL" in text and "_raise_unexpected" in text and "ZeroDivisionError" in text


def test_excepthook_covers_other_threads(logging_session, read_log):
    shown: list[str] = []
    logs.install_excepthook(shown.append)
    worker = threading.Thread(target=_raise_unexpected, name="printer-thread")
    worker.start()
    worker.join()
    assert len(shown) == 1 and str(logging_session) in shown[0]
    assert "printer-thread" in read_log()


def test_excepthook_without_a_window_prints_one_line(logging_session, capsys):
    logs.install_excepthook(None)
    try:
        _raise_unexpected()
    except ZeroDivisionError:
        sys.excepthook(*sys.exc_info())
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith("caja: ") and str(logging_session) in err[-1]
    assert not any("Traceback" in line for line in err)


def test_the_apology_is_translated(logging_session, spanish):
    assert "Lo sentimos" in logs.unexpected_error_message()


def test_cli_turns_a_bug_into_exit_code_70_and_one_line(monkeypatch, capsys, logging_session, read_log):
    from app import cli
    from app.commands import doctor

    def boom(args):
        raise KeyError("internal slip")

    monkeypatch.setattr(doctor, "run", boom)
    assert cli.main(["doctor"]) == logs.EX_SOFTWARE
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("caja: ")
    assert "internal slip" in read_log() and "Traceback" in read_log()


def test_cli_reports_user_errors_without_apology(monkeypatch, capsys, logging_session):
    from app import cli
    from app.commands import doctor
    from app.domain.errors import ConfigurationError

    def refuse(args):
        raise ConfigurationError("No printer is configured.")

    monkeypatch.setattr(doctor, "run", refuse)
    assert cli.main(["doctor"]) == 1
    assert capsys.readouterr().err.strip() == "caja: No printer is configured."


def test_the_console_stays_quiet_unless_verbose(logging_session, read_log, capsys):
    logging.getLogger("app.test").warning("only in the file")
    assert "only in the file" in read_log()
    assert capsys.readouterr().err == ""


def test_verbose_console_follows_the_current_stderr_and_survives_none(logging_session, read_log, monkeypatch, capsys):
    logs.setup_logging(verbose=True)
    logging.getLogger("app.test").debug("debug to the console")
    assert "DEBUG" in capsys.readouterr().err
    monkeypatch.setattr(sys, "stderr", None)  # a windowed Windows build
    logging.getLogger("app.test").warning("no console at all")
    assert "no console at all" in read_log()


def test_an_unwritable_log_folder_falls_back_to_short_console_lines(logging_session, tmp_path, monkeypatch, capsys):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("CAJA_LOG_DIR", str(blocker / "log"))
    logs.setup_logging()
    logging.getLogger("app.test").warning("still visible")
    err = capsys.readouterr().err
    assert "caja: warning: cannot write the log file" in err
    assert "caja: warning: still visible" in err


def test_log_to_console_shows_one_logger_once_and_redacted(logging_session, read_log, capsys, api_key):
    try:
        logs.log_to_console("app.sandbox.test")
        logs.log_to_console("app.sandbox.test")  # idempotent
        logging.getLogger("app.sandbox.test").info("GET /status/x?key=%s -> 404", api_key)
        logging.getLogger("app.other").info("not on the console")
        err = capsys.readouterr().err
        assert err.count("GET /status/x?key=[REDACTED] -> 404") == 1
        assert "not on the console" not in err and api_key not in err
        assert "GET /status/x" in read_log()
    finally:
        logger = logging.getLogger("app.sandbox.test")
        for handler in list(logger.handlers):
            logger.removeHandler(handler)
        logger.setLevel(logging.NOTSET)
