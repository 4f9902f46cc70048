"""The backend registry: one backend per scheme, URLs validated without opening anything."""

from __future__ import annotations

import socket

import escpos.printer.usb
import pytest

from app.domain.errors import ConfigurationError
from app.printing import backends
from app.printing.backends import registry
from app.printing.backends.dummy import DummyConnection
from app.printing.ticket_printer import TicketPrinter


def test_every_documented_scheme_has_a_backend():
    assert set(backends.schemes()) >= {"dummy", "preview", "file", "tcp", "usb", "serial", "cups", "win32"}
    for scheme in backends.schemes():
        backend = backends.lookup(scheme)
        assert backend is not None and backend.scheme == scheme
        assert isinstance(backend.is_usable(), bool)
    assert backends.lookup("TCP") is backends.lookup("tcp")
    assert backends.lookup("lpt") is None


def test_dummy_is_always_usable():
    assert backends.lookup("dummy").is_usable()


def test_a_missing_optional_dependency_makes_its_backend_unusable(monkeypatch):
    monkeypatch.setattr(escpos.printer.usb, "_DEP_USB", False)
    assert not backends.lookup("usb").is_usable()
    with pytest.raises(ConfigurationError) as info:
        backends.validate_url("usb://04b8:0e28")
    assert "caja[usb]" in info.value.message


def test_validate_url_parses_without_building_a_connection(monkeypatch):
    built = []
    monkeypatch.setattr(DummyConnection, "__init__", lambda self, *a, **k: built.append(self))
    target = backends.validate_url("dummy:")
    assert target.description == "dummy:" and built == []


def test_a_registered_backend_is_found_by_its_scheme(monkeypatch):
    monkeypatch.setattr(registry, "_BACKENDS", dict(registry._BACKENDS))

    class Loopback:
        scheme = "loop"

        def is_usable(self):
            return True

        def unusable_error(self):  # pragma: no cover - always usable
            raise AssertionError

        def parse(self, url, rest):
            return registry.Target("loop", f"loop:{rest}")

        def connect(self, target, *, timeout, open_timeout, profile):
            return DummyConnection(timeout=timeout, open_timeout=open_timeout)

    backends.register(Loopback())
    printer = TicketPrinter("loop:x")
    assert printer.description == "loop:x"
    assert isinstance(backends.open_connection("LOOP:x"), DummyConnection)


def test_ticket_printer_checks_its_url_without_connecting():
    # A TCP "printer" that counts connections: building the TicketPrinter must not make one.
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(8)
        server.setblocking(False)
        printer = TicketPrinter(f"tcp://127.0.0.1:{server.getsockname()[1]}")
        assert printer.description.startswith("tcp://127.0.0.1:")
        with pytest.raises(BlockingIOError):
            server.accept()  # nobody connected
