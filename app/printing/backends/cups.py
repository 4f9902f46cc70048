"""``cups://queue``: a raw CUPS queue through pycups (caja[cups]). One-way: CUPS owns the device."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

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


class CupsConnection(EscposConnection):
    """A raw CUPS queue (pycups). One-way: CUPS owns the device."""

    def __init__(self, queue: str, timeout: float = 10.0, open_timeout: float = DEFAULT_OPEN_TIMEOUT) -> None:
        self.queue = queue
        super().__init__(f"cups://{queue}", timeout, open_timeout)

    def _make_printer(self) -> Any:
        from escpos.printer import cups as escpos_cups

        if not escpos_cups.is_usable():
            raise missing_dependency("CUPS", "pycups", "cups")
        return escpos_cups.CupsPrinter(self.queue)

    def close(self) -> None:
        printer = self._printer
        if printer is not None:
            # CupsPrinter.close() re-sends a job whose send failed: a retry would print it twice.
            printer.pending_job = False
        super().close()
        if printer is not None:
            printer.tmpfile.close()  # opened in CupsPrinter.__init__, otherwise closed only by a send

    def _open_error(self, exc: Exception) -> PrintError:
        return PrinterUnreachable(
            _("The CUPS queue {printer} does not exist or CUPS is not running.").format(printer=self.description)
        )

    def _write(self, printer: Any, data: bytes) -> None:
        printer._raw(data)
        run_bounded(printer.send, send_budget(self.timeout, 0))


class CupsBackend:
    scheme = "cups"

    def is_usable(self) -> bool:
        persistent_escpos_cache()
        from escpos.printer import cups as escpos_cups

        return bool(escpos_cups.is_usable())

    def unusable_error(self) -> ConfigurationError:
        return missing_dependency("CUPS", "pycups", "cups")

    def parse(self, url: str, rest: str) -> Target:
        queue, query = urls.split(urls.strip_slashes(rest))
        urls.options(url, query, {})
        queue = queue.strip("/")
        return Target(self.scheme, f"cups://{queue}", {"queue": queue})

    def connect(
        self, target: Target, *, timeout: float, open_timeout: float, profile: PrinterProfile | None
    ) -> CupsConnection:
        return CupsConnection(target.options["queue"], timeout=timeout, open_timeout=open_timeout)


register(CupsBackend())
