"""The composition root (``app.services.container``): what each mode builds, and what it releases."""

from __future__ import annotations

import socket
from decimal import Decimal

import pytest

from app.api.client import OcoteClient
from app.config import Settings
from app.domain.errors import ConfigurationError
from app.domain.invoice import InvoiceDraft, SaleLine
from app.paths import data_dir
from app.services import container
from app.services.cash import NoOpenSession
from app.services.checkout import SaleOutcome
from app.services.container import DeferredClient, build_services
from tests.helpers.cash import open_session

DRAFT = InvoiceDraft(lines=(SaleLine("Cuaderno espiral", Decimal(1), Decimal("5.65")),))


def refused(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) != 0


class NoKey(ConfigurationError):
    pass


def test_a_command_without_a_key_starts_no_sandbox_and_asks_for_the_key_only_when_ocote_is_needed():
    services = build_services(Settings(), missing_key=lambda: NoKey("set OCOTE_API_KEY"))
    with services:
        assert services.training and services.sandbox is None and services.printer is None
        assert isinstance(services.api, DeferredClient)
        assert services.journal.path == data_dir() / "journal.sqlite3"  # not the training journal
        assert services.catalog.search("", limit=5) == []  # no sample products outside the window
        assert services.reprint.search() == []  # searching needs no key
        with pytest.raises(NoKey):
            services.require_api()
        with pytest.raises(NoKey):
            services.api.get_status("M001P001-20260101-000001")


def test_a_command_that_needs_ocote_stops_before_opening_the_journal():
    with pytest.raises(NoKey):
        build_services(Settings(), require_api=True, missing_key=lambda: NoKey("set OCOTE_API_KEY"))
    assert not (data_dir() / "journal.sqlite3").exists()


def test_a_command_that_does_not_print_ignores_a_broken_printer_setting(tmp_path):
    settings = Settings(printer="lpt://what")
    with build_services(settings, printing=False) as services:
        assert services.printer is None
    with pytest.raises(ConfigurationError):
        build_services(settings, printing=True)
    with build_services(settings, printer_url=f"file:{tmp_path / 'lp0'}") as services:
        assert services.printer is not None and services.checkout.printer is services.printer


def test_a_configured_command_sells_through_the_real_client(sandbox, api_key):
    settings = Settings(api_url=sandbox.base_url, api_key=api_key)
    with build_services(settings, printer_url="dummy:", require_api=True) as services:
        assert isinstance(services.require_api(), OcoteClient)
        with pytest.raises(NoOpenSession):  # a command sells only in an open cash session
            services.checkout.checkout(DRAFT)
        open_session(services)
        result = services.checkout.checkout(DRAFT)
        assert result.outcome is SaleOutcome.ISSUED and result.printed
        assert services.api.rate_limit is not None  # read through the deferred client


def test_a_training_window_owns_its_sandbox_and_stops_it_on_close():
    services = build_services(Settings(), mode="window", printer_url="dummy:")
    try:
        assert services.training and services.owns_sandbox and services.sandbox is not None
        assert services.sandbox.base_url.startswith("http://127.0.0.1:")
        assert services.journal.path == data_dir() / "training" / "journal.sqlite3"
        assert services.catalog.search("", limit=5)  # the sample catalog, to scan right away
        assert services.checkout.checkout(DRAFT).outcome is SaleOutcome.ISSUED
        port = int(services.sandbox.base_url.split(":")[2].split("/")[0])
    finally:
        services.close()
    assert refused(port)


def test_a_window_given_a_sandbox_leaves_it_running(sandbox):
    with build_services(Settings(), mode="window", printer_url="dummy:", sandbox=sandbox) as services:
        assert services.sandbox is sandbox and not services.owns_sandbox
    assert not refused(sandbox.port)


def test_a_window_that_fails_to_start_stops_the_sandbox_it_started(monkeypatch):
    started = []
    start = container._start_training_sandbox

    def recording():
        server = start()
        started.append(server)
        return server

    monkeypatch.setattr(container, "_start_training_sandbox", recording)
    with pytest.raises(ConfigurationError):
        build_services(Settings(), mode="window", printer_url="lpt://what")
    [server] = started
    assert refused(server.port)


def test_a_window_without_a_printer_uses_the_preview_printer(sandbox):
    with build_services(Settings(), mode="window", sandbox=sandbox) as services:
        assert services.printer is not None and "preview" in services.printer.description.lower()


def test_switching_printers_hands_back_the_old_queue(sandbox):
    with build_services(Settings(), mode="window", printer_url="dummy:", sandbox=sandbox) as services:
        new = services.printer_factory(services.settings, "dummy:")
        old = services.use_printer(new)
        assert old is not None and old is not new
        assert services.printer is new and services.checkout.printer is new
        old.close()
        assert services.use_printer(new) is None  # the same queue: nothing to close


def test_a_deferred_client_tries_again_after_a_failure_and_closes_what_it_opened(sandbox, api_key):
    attempts = []

    def open_client():
        attempts.append(1)
        if len(attempts) == 1:
            raise ConfigurationError("not yet")
        return OcoteClient(sandbox.base_url, api_key)

    client = DeferredClient(open_client)
    assert client.rate_limit is None
    with pytest.raises(ConfigurationError):
        client.get_status("x")
    opened = client.open()
    assert client.open() is opened and len(attempts) == 2
    client.close()
    client.close()  # twice is fine
