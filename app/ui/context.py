"""What the window is handed by the composition root (``app.bootstrap``).

Widgets receive an :class:`AppContext` instead of building services themselves, so tests can pass
a context wired to the sandbox and a dummy printer. It is the :class:`~app.services.container.Services`
built by :func:`~app.services.container.build_services` plus the window's :class:`TaskRunner`;
the services are also reachable by name (``ctx.checkout``, ``ctx.printer``...).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from app.config import Settings
from app.journal import Journal
from app.services.catalog import CatalogService
from app.services.checkout import CheckoutService
from app.services.container import OcoteApi, PrinterFactory, SandboxHandle, Services
from app.services.eod import EndOfDayService
from app.services.outbox import Outbox
from app.services.print_queue import PrintQueue
from app.services.reprint import ReprintService
from app.services.void import VoidService
from app.workers.tasks import TaskRunner

log = logging.getLogger(__name__)


@dataclass(eq=False)
class AppContext:
    """Services and settings the window drives. All service calls go through ``runner``."""

    services: Services
    runner: TaskRunner

    def __post_init__(self) -> None:
        if self.services.printer is None:
            raise ValueError("the window needs a printer (the preview printer at least)")

    # -- what the screens use ------------------------------------------------------------------------
    @property
    def settings(self) -> Settings:
        return self.services.settings

    @settings.setter
    def settings(self, settings: Settings) -> None:
        """Saved settings (the printer is switched apart, with :meth:`use_printer`; the API address
        and key and the language apply on restart)."""
        self.services.settings = settings

    @property
    def journal(self) -> Journal:
        return self.services.journal

    @property
    def api(self) -> OcoteApi:
        return self.services.api

    @property
    def checkout(self) -> CheckoutService:
        return self.services.checkout

    @property
    def outbox(self) -> Outbox:
        return self.services.outbox

    @property
    def catalog(self) -> CatalogService:
        return self.services.catalog

    @property
    def reprint(self) -> ReprintService:
        return self.services.reprint

    @property
    def void(self) -> VoidService:
        return self.services.void

    @property
    def eod(self) -> EndOfDayService:
        return self.services.eod

    @property
    def printer(self) -> PrintQueue:
        """The shared print queue around the ticket printer."""
        printer = self.services.printer
        assert printer is not None  # checked when the context was made; use_printer keeps one
        return printer

    @property
    def printer_factory(self) -> PrinterFactory:
        """Makes a print queue for ``(settings, url)``; used by Settings to test and switch printers."""
        return self.services.printer_factory

    @property
    def training(self) -> bool:
        return self.services.training

    @property
    def sandbox(self) -> SandboxHandle | None:
        return self.services.sandbox

    @property
    def printer_description(self) -> str:
        """The printer's description, safe to show (no secrets)."""
        return self.printer.description

    # -- actions ------------------------------------------------------------------------------------
    def use_printer(self, printer: PrintQueue) -> None:
        """Switch every service to ``printer``.

        The old queue finishes its jobs and stops on the backend executor, never blocking the GUI.
        """
        old = self.services.use_printer(printer)
        if old is not None:
            self.runner.submit("backend", old.close)

    def close(self) -> None:
        """Release the printer thread, the HTTP client, the journal and the sandbox (the caller
        shuts the runner down first)."""
        self.services.close()
