"""What the window is handed by the composition root (``app.bootstrap``).

Widgets receive an :class:`AppContext` instead of building services themselves, so tests can pass
a context wired to the sandbox and a dummy printer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from app.config import Settings
from app.workers.tasks import TaskRunner


@dataclass
class AppContext:
    """Services and settings the window drives. All service calls go through ``runner``."""

    settings: Settings
    runner: TaskRunner
    journal: Any
    checkout: Any  # app.services.checkout.CheckoutService
    outbox: Any  # app.services.outbox.OutboxService
    catalog: Any  # catalog service: all products, import_csv
    printer: Any  # app.printing.ticket_printer.TicketPrinter
    reprint: Any = None
    void: Any = None
    eod: Any = None
    api: Any = None
    training: bool = False
    sandbox: Any = None
    extras: dict[str, Any] = field(default_factory=dict)
