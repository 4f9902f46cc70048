"""``dummy:``: bytes kept in memory (``.output``), for tests and diagnostics. Always usable."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NoReturn

from app.printing.backends.base import DEFAULT_OPEN_TIMEOUT, EscposConnection
from app.printing.backends.registry import Target, register

if TYPE_CHECKING:
    from app.printing.profiles import PrinterProfile


class DummyConnection(EscposConnection):
    """Keeps every byte in memory (``.output``); for tests and diagnostics."""

    def __init__(self, timeout: float = 10.0, open_timeout: float = DEFAULT_OPEN_TIMEOUT) -> None:
        super().__init__("dummy:", timeout, open_timeout)

    def _make_printer(self) -> Any:
        from escpos.printer import Dummy

        return Dummy()

    def _device(self) -> Any:
        return self._printer

    @property
    def output(self) -> bytes:
        """Every byte sent so far (still readable after :meth:`close`)."""
        return self._printer.output

    def close(self) -> None:
        """Nothing to release: a Dummy has no device."""


class DummyBackend:
    scheme = "dummy"

    def is_usable(self) -> bool:
        return True

    def unusable_error(self) -> NoReturn:  # never: always usable
        raise AssertionError("dummy: is always usable")

    def parse(self, url: str, rest: str) -> Target:
        return Target(self.scheme, "dummy:")

    def connect(
        self, target: Target, *, timeout: float, open_timeout: float, profile: PrinterProfile | None
    ) -> DummyConnection:
        return DummyConnection(timeout=timeout, open_timeout=open_timeout)


register(DummyBackend())
