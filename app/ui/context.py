"""What the window is handed by the composition root (``app.bootstrap``).

Widgets receive an :class:`AppContext` instead of building services themselves, so tests can pass
a context wired to the sandbox and a dummy printer.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from app.config import Settings
from app.workers.tasks import TaskRunner

log = logging.getLogger(__name__)


@dataclass
class AppContext:
    """Services and settings the window drives. All service calls go through ``runner``."""

    settings: Settings
    runner: TaskRunner
    journal: Any  # app.journal.Journal
    checkout: Any  # app.services.checkout.CheckoutService
    outbox: Any  # app.services.outbox.Outbox
    catalog: Any  # app.services.catalog.CatalogService
    printer: Any  # app.services.print_queue.PrintQueue around a TicketPrinter
    reprint: Any = None  # app.services.reprint.ReprintService
    void: Any = None  # app.services.void.VoidService
    eod: Any = None  # app.services.eod.EndOfDayService
    api: Any = None  # app.api.client.OcoteClient
    training: bool = False
    sandbox: Any = None
    #: Makes a print queue for (settings, url); used by Settings to test and switch printers.
    printer_factory: Callable[..., Any] | None = None
    own_sandbox: bool = False  # started by the composition root: stopped by close()
    extras: dict[str, Any] = field(default_factory=dict)

    @property
    def printer_description(self) -> str:
        """The printer's description, safe to show (no secrets)."""
        return str(getattr(self.printer, "description", "") or "")

    def use_printer(self, printer: Any) -> None:
        """Switch every service to ``printer`` (a PrintQueue).

        The old queue finishes its jobs and stops on the backend executor, never blocking the GUI.
        """
        old, self.printer = self.printer, printer
        self.checkout.printer = printer
        if old is not None and old is not printer and hasattr(old, "close"):
            self.runner.submit("backend", old.close)

    def close(self) -> None:
        """Release the printer thread, the HTTP client, the journal and the sandbox."""
        for name, obj, method in (("printer", self.printer, "close"), ("reprint", self.reprint, "close"),
                                  ("api", self.api, "close"), ("journal", self.journal, "close"),
                                  ("sandbox", self.sandbox if self.own_sandbox else None, "stop")):
            if obj is not None and hasattr(obj, method):
                try:
                    getattr(obj, method)()
                except Exception:  # closing must go on with the rest
                    log.exception("closing %s failed", name)
