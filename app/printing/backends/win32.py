"""``win32://Printer Name``: a Windows spooler printer fed RAW data through pywin32 (caja[win32])."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from app.domain.errors import ConfigurationError, PrintError
from app.i18n import _
from app.printing import url as urls
from app.printing.backends.base import (
    DEFAULT_OPEN_TIMEOUT,
    EscposConnection,
    persistent_escpos_cache,
    run_bounded,
    send_budget,
)
from app.printing.backends.registry import Target, missing_dependency, register
from app.printing.status import PrinterUnreachable

if TYPE_CHECKING:
    from app.printing.profiles import PrinterProfile


def _not_windows() -> ConfigurationError:
    return ConfigurationError(
        _("win32:// printers exist only on Windows; use usb://, tcp:// or cups:// on this system.")
    )


class Win32Connection(EscposConnection):
    """A Windows spooler printer fed RAW data (pywin32). One-way: the spooler reads no status."""

    def __init__(self, name: str, timeout: float = 10.0, open_timeout: float = DEFAULT_OPEN_TIMEOUT) -> None:
        self.name = name
        super().__init__(f"win32://{name}", timeout, open_timeout)

    def _make_printer(self) -> Any:
        if sys.platform != "win32":
            raise _not_windows()
        from escpos.printer import win32raw

        if not win32raw.is_usable():
            raise missing_dependency("Windows", "pywin32", "win32")
        return win32raw.Win32Raw(self.name)

    def _open_error(self, exc: Exception) -> PrintError:
        return PrinterUnreachable(_("The Windows printer {printer} is not installed.").format(printer=self.description))

    def _write(self, printer: Any, data: bytes) -> None:
        # The spooler writes to its own queue; the page and document end when the printer closes.
        run_bounded(lambda: (printer._raw(data), printer.close()), send_budget(self.timeout, len(data)))
        self._opened = False
        self._printer = None


class Win32Backend:
    scheme = "win32"

    def is_usable(self) -> bool:
        if sys.platform != "win32":
            return False
        persistent_escpos_cache()
        from escpos.printer import win32raw

        return bool(win32raw.is_usable())

    def unusable_error(self) -> ConfigurationError:
        return _not_windows() if sys.platform != "win32" else missing_dependency("Windows", "pywin32", "win32")

    def parse(self, url: str, rest: str) -> Target:
        name = unquote(urls.strip_slashes(rest)).strip()
        if not name:
            raise urls.bad(url, _("no printer name (example: win32://EPSON TM-T20III Receipt)"))
        return Target(self.scheme, f"win32://{name}", {"name": name})

    def connect(
        self, target: Target, *, timeout: float, open_timeout: float, profile: PrinterProfile | None
    ) -> Win32Connection:
        return Win32Connection(target.options["name"], timeout=timeout, open_timeout=open_timeout)


register(Win32Backend())
