"""The one place where Caja's concrete objects are built and wired together.

:func:`build_services` turns :class:`~app.config.Settings` into a :class:`Services`: the journal,
the Ocote client, the print queue and every service that uses them. The window
(:mod:`app.bootstrap`, which adds the Qt-only parts) and every ``caja`` subcommand
(:mod:`app.commands`) use it; ``caja doctor`` uses :func:`open_api_client`, the same factory the
services' client comes from. Qt-free.

Two modes, because a window and a command differ on purpose:

``"window"``
    With no API key (training mode) an in-process sandbox on 127.0.0.1 stands in for Ocote
    (documents in ``training/sandbox.json``, the client presenting the key kept in
    ``training/sandbox.key``), the journal is the separate training journal, the catalog gets its
    sample products and tickets go to the preview printer, so nothing fiscal can happen and no
    practice sale mixes with real ones. The printer is always there (the preview printer when none
    is configured).

``"command"``
    Never starts a sandbox and uses the journal of the data folder. The client is opened on first
    use (:class:`DeferredClient`), so ``caja history`` or ``caja eod`` on already final documents
    need no key; without one, whatever needs Ocote raises ``missing_key()``. The printer is
    ``printer_url`` or the configured one, or None.

Why over 500 lines: the composition root names every service and every endpoint the services
use (the ``OcoteApi`` protocol and its deferred client); splitting it would scatter the one place
where the wiring is read.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol

from app.config import Settings
from app.domain.errors import CajaError, ConfigurationError
from app.i18n import _
from app.paths import data_dir

if TYPE_CHECKING:
    import httpx

    from app.api.client import OcoteClient, ProbeResult, RetryPolicy
    from app.api.fiscal import CreditMemoResult
    from app.api.models import DocumentStatus, InvoiceResult, RateLimit
    from app.domain.catalogs import CatalogEntry
    from app.journal import Journal
    from app.printing.ticket_printer import TicketPrinter
    from app.services.cash import CashSessionService
    from app.services.catalog import CatalogService
    from app.services.checkout import CheckoutService
    from app.services.connectivity import Connectivity
    from app.services.credit_notes import CreditNoteService
    from app.services.customers import CustomerDirectory
    from app.services.drafts import DraftsService
    from app.services.eod import EndOfDayService
    from app.services.fiscal_catalogs import FiscalCatalogs
    from app.services.outbox import Outbox
    from app.services.permissions import Permissions
    from app.services.print_queue import PrintQueue
    from app.services.reprint import ReprintService
    from app.services.store import StoreLink
    from app.services.store_sync import SharedDataSync
    from app.services.users import UsersService
    from app.services.void import VoidService

__all__ = [
    "DeferredClient",
    "Mode",
    "OcoteApi",
    "PrinterFactory",
    "SandboxHandle",
    "Services",
    "build_services",
    "make_print_queue",
    "make_ticket_printer",
    "open_api_client",
    "training_dir",
]

log = logging.getLogger(__name__)

Mode = Literal["window", "command"]

#: How long the window's own training sandbox waits before stamping a contingency document.
TRAINING_CONTINGENCY_SECONDS = 20.0


class OcoteApi(Protocol):
    """What the services ask of Ocote: :class:`~app.api.client.OcoteClient` is the real one."""

    @property
    def rate_limit(self) -> RateLimit | None: ...

    def submit_invoice(self, payload: dict[str, Any], *, deadline: float | None = None) -> InvoiceResult: ...

    def get_status(
        self, id_or_ref: str, *, include_dte: bool = False, deadline: float | None = None
    ) -> DocumentStatus: ...

    def probe(self, timeout: float = ...) -> ProbeResult: ...

    def download_file(self, id_or_ref: str, kind: str = "ticket") -> bytes: ...

    def invalidate(self, id_or_ref: str) -> DocumentStatus: ...

    def submit_credit_memo(self, payload: dict[str, Any], *, deadline: float | None = None) -> CreditMemoResult: ...

    def get_credit_memo_status(self, id_or_ref: str, *, deadline: float | None = None) -> CreditMemoResult: ...

    def search_activities(self, search: str = "", *, deadline: float | None = None) -> list[CatalogEntry]: ...

    def departments(self, search: str = "", *, deadline: float | None = None) -> list[CatalogEntry]: ...

    def close(self) -> None: ...


class SandboxHandle(Protocol):
    """A running sandbox standing in for Ocote (:class:`~app.sandbox.server.SandboxServer`)."""

    @property
    def base_url(self) -> str: ...

    def stop(self) -> None: ...


#: Makes a print queue for ``(settings, url)`` (None: the settings' printer, or the preview one).
PrinterFactory = Callable[[Settings, "str | None"], "PrintQueue"]


# ------------------------------------------------------------------------------------ factories
def training_dir() -> Path:
    """Where training mode keeps its own journal, sandbox state and ticket previews."""
    base = data_dir() / "training"
    base.mkdir(parents=True, exist_ok=True, mode=0o700)
    return base


def open_api_client(
    settings: Settings,
    *,
    transport: httpx.BaseTransport | None = None,
    timeout: httpx.Timeout | None = None,
    retry: RetryPolicy | None = None,
) -> OcoteClient:
    """An :class:`~app.api.client.OcoteClient` for the configured address and key.

    Args:
        transport, timeout, retry: passed to the client (``caja doctor`` asks once, briefly).

    Raises:
        ConfigurationError: no API key (nothing is ever sent to Ocote without one), or an address
            or key the client cannot use.
    """
    from app.api.client import OcoteClient

    if settings.api_key is None or settings.training_mode:
        raise ConfigurationError(_("Ocote is not configured: this needs a connection to Ocote."))
    return OcoteClient(
        settings.api_url,
        settings.api_key.get_secret_value(),
        transport=transport,
        timeout=timeout,
        retry=retry,
        sale_deadline=settings.sale_deadline_s,
    )


def make_ticket_printer(
    settings: Settings, url: str, *, profile: str | None = None, cut: bool | None = None, timeout: float | None = None
) -> TicketPrinter:
    """A :class:`~app.printing.ticket_printer.TicketPrinter` for ``url`` with the settings' profile and
    cut unless given, and the settings' open deadline and maximum job length.

    Raises:
        ConfigurationError: malformed URL, unknown profile or missing optional dependency.
    """
    from app.printing.ticket_printer import TicketPrinter

    options: dict[str, Any] = {} if timeout is None else {"timeout": timeout}
    # The open deadline never exceeds an explicit timeout (``caja print --timeout 2``).
    open_timeout = settings.printer_open_timeout if timeout is None else min(settings.printer_open_timeout, timeout)
    return TicketPrinter(
        url,
        profile or settings.printer_profile,
        cut=settings.cut if cut is None else cut,
        open_timeout=open_timeout,
        max_job_mm=settings.max_job_mm,
        **options,
    )


def make_print_queue(settings: Settings, url: str | None = None) -> PrintQueue:
    """The window's printer: a print queue (one printer thread) around the printer at ``url``; with
    no ``url``, the configured printer or, when there is none, the preview
    printer in the data (or training) folder. A training till prints on its configured printer
    too, every ticket marked "ENTRENAMIENTO, SIN VALIDEZ" (:mod:`app.printing.training`).

    Raises:
        ConfigurationError: malformed URL, unknown profile or missing optional dependency.
    """
    from app.services.print_queue import PrintQueue

    if not url:
        folder = training_dir() if settings.training_mode else data_dir()
        url = settings.printer or f"preview:{folder / 'previews'}"
    printer = make_ticket_printer(settings, url)
    if settings.training_mode and not url.startswith(("preview:", "dummy:")):
        from app.printing.training import TrainingPrinter

        # Practice on the real paper, marked so no ticket passes for a real one.
        return PrintQueue(TrainingPrinter(printer))  # type: ignore[arg-type]
    return PrintQueue(printer)


class DeferredClient:
    """An :class:`OcoteApi` that opens the real client on first use.

    Args:
        open_client: makes the client; raises (``ConfigurationError``) when it cannot, e.g. without
            an API key. Called again on the next use after a failure.
    """

    def __init__(self, open_client: Callable[[], OcoteApi]) -> None:
        self._open_client = open_client
        self._client: OcoteApi | None = None
        self._lock = threading.Lock()

    def open(self) -> OcoteApi:
        """The client, opened now if it was not yet."""
        with self._lock:
            if self._client is None:
                self._client = self._open_client()
            return self._client

    @property
    def rate_limit(self) -> RateLimit | None:
        return None if self._client is None else self._client.rate_limit

    def submit_invoice(self, payload: dict[str, Any], *, deadline: float | None = None) -> InvoiceResult:
        return self.open().submit_invoice(payload, deadline=deadline)

    def get_status(self, id_or_ref: str, *, include_dte: bool = False, deadline: float | None = None) -> DocumentStatus:
        return self.open().get_status(id_or_ref, include_dte=include_dte, deadline=deadline)

    def probe(self, timeout: float = 3.0) -> ProbeResult:
        return self.open().probe(timeout=timeout)

    def download_file(self, id_or_ref: str, kind: str = "ticket") -> bytes:
        return self.open().download_file(id_or_ref, kind)

    def invalidate(self, id_or_ref: str) -> DocumentStatus:
        return self.open().invalidate(id_or_ref)

    def submit_credit_memo(self, payload: dict[str, Any], *, deadline: float | None = None) -> CreditMemoResult:
        return self.open().submit_credit_memo(payload, deadline=deadline)

    def get_credit_memo_status(self, id_or_ref: str, *, deadline: float | None = None) -> CreditMemoResult:
        return self.open().get_credit_memo_status(id_or_ref, deadline=deadline)

    def search_activities(self, search: str = "", *, deadline: float | None = None) -> list[CatalogEntry]:
        return self.open().search_activities(search, deadline=deadline)

    def departments(self, search: str = "", *, deadline: float | None = None) -> list[CatalogEntry]:
        return self.open().departments(search, deadline=deadline)

    def close(self) -> None:
        with self._lock:
            client, self._client = self._client, None
        if client is not None:
            client.close()

    def __repr__(self) -> str:
        return f"<DeferredClient {self._client!r}>"


# ------------------------------------------------------------------------------------- services
@dataclass(eq=False)
class Services:
    """Everything a till works with, wired for one settings. :meth:`close` releases it all.

    Attributes:
        settings: what they were built for (the window replaces it when Settings are saved).
        journal: the open journal (the training journal in a training window).
        api: Ocote (the training sandbox's in a training window; a :class:`DeferredClient` in a
            command unless one was given).
        printer: the shared print queue every printing service uses; None in a command without
            a printer.
        printer_factory: makes another queue for ``(settings, url)`` (Settings' test page and
            printer switch).
        sandbox: the sandbox standing in for Ocote in a training window, else None.
        owns_sandbox: the sandbox was started here, and :meth:`close` stops it.
        users: cashiers and supervisors (a training window has the two practice users).
        cash: the register's cash sessions (turnos) and cash movements.
        permissions: supervisors' PINs asked at the moment of an action, and their audit.
        customers: the customer directory (F5); checkout saves the customers of new sales in it.
    """

    settings: Settings
    journal: Journal
    api: OcoteApi
    printer: PrintQueue | None
    catalog: CatalogService
    checkout: CheckoutService
    outbox: Outbox
    reprint: ReprintService
    void: VoidService
    eod: EndOfDayService
    users: UsersService
    cash: CashSessionService
    permissions: Permissions
    connectivity: Connectivity
    drafts: DraftsService
    customers: CustomerDirectory
    printer_factory: PrinterFactory = make_print_queue
    sandbox: SandboxHandle | None = None
    owns_sandbox: bool = False
    # The store database link (app.services.store); None for a standalone till.
    store: StoreLink | None = None
    #: The catalog and users kept in step with the store (app.services.store_sync); None without one.
    shared: SharedDataSync | None = None

    @cached_property
    def credit_notes(self) -> CreditNoteService:
        """Credit notes (05) against a Crédito Fiscal, sent through :attr:`checkout`."""
        from app.services.credit_notes import CreditNoteService

        return CreditNoteService(self.journal, self.checkout)

    @cached_property
    def fiscal_catalogs(self) -> FiscalCatalogs:
        """CAT-019 activities and departments/municipalities, from Ocote, cached in the journal."""
        from app.services.fiscal_catalogs import FiscalCatalogs

        return FiscalCatalogs(self.journal, self.api)

    @property
    def training(self) -> bool:
        """No API key: practice only (in a window, against the embedded sandbox)."""
        return self.settings.training_mode

    def require_api(self) -> OcoteApi:
        """The client, opened now: raises what opening it raises (``ConfigurationError``)."""
        if isinstance(self.api, DeferredClient):
            return self.api.open()
        return self.api

    def use_printer(self, printer: PrintQueue | None) -> PrintQueue | None:
        """Make every service print on ``printer``; returns the previous queue, for the caller to
        close once its jobs are done (off the GUI thread)."""
        old, self.printer = self.printer, printer
        self.checkout.printer = printer
        self.cash.printer = printer
        return old if old is not printer else None

    def close(self) -> None:
        """Release the printer thread, the reprint reader, the HTTP client, the journal and an own
        sandbox. Goes on with the rest when one fails."""
        steps: list[tuple[str, Callable[[], None] | None]] = [
            ("printer", self.printer.close if self.printer is not None else None),
            ("reprint", self.reprint.close),
            ("shared", self.shared.close if self.shared is not None else None),
            ("store", self.store.close if self.store is not None else None),
            ("api", self.api.close),
            ("journal", self.journal.close),
            ("sandbox", self.sandbox.stop if self.sandbox is not None and self.owns_sandbox else None),
        ]
        for name, step in steps:
            if step is None:
                continue
            try:
                step()
            except Exception:  # noqa: BLE001 - closing must go on with the rest
                log.exception("closing %s failed", name)

    def __enter__(self) -> Services:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _no_key() -> CajaError:
    return ConfigurationError(_("Ocote is not configured: this needs a connection to Ocote."))


def build_services(
    settings: Settings,
    *,
    mode: Mode = "command",
    printer_url: str | None = None,
    printing: bool = True,
    require_api: bool = False,
    sandbox: SandboxHandle | None = None,
    journal_path: Path | None = None,
    api: OcoteApi | None = None,
    missing_key: Callable[[], CajaError] = _no_key,
) -> Services:
    """Build and wire every service for ``settings`` (see the module's docstring for the modes).

    Args:
        mode: ``"window"`` or ``"command"``.
        printer_url: the printer for this session instead of the configured one.
        printing: ``"command"`` only: False builds no printer (for commands that never print, so
            that a broken printer setting does not stop them).
        require_api: ``"command"`` only: open the client before the journal, so that a command
            that cannot work without Ocote stops before touching anything.
        sandbox: a training window's sandbox instead of starting one (tests pass theirs).
        journal_path: the journal file instead of the default one.
        api: the client instead of the one built from the settings (tests pass one that retries
            fast; with a training window's sandbox, one for it).
        missing_key: ``"command"`` only: the error to raise when Ocote is needed and no key is
            configured (the CLI explains how to set one).

    Raises:
        ConfigurationError: unusable printer URL/profile, API address or key; no key with
            ``require_api``.
        JournalError: the journal cannot be opened.
    """
    from app.journal import Journal
    from app.services.cash import CashSessionService
    from app.services.catalog import CatalogService
    from app.services.checkout import CheckoutService
    from app.services.connectivity import Connectivity
    from app.services.customers import CustomerDirectory
    from app.services.drafts import DraftsService
    from app.services.eod import EndOfDayService
    from app.services.outbox import Outbox
    from app.services.permissions import Permissions
    from app.services.print_queue import PrintQueue
    from app.services.reprint import ReprintService
    from app.services.users import UsersService
    from app.services.void import VoidService

    opened: list[Callable[[], None]] = []  # undone, newest first, if a later step fails
    try:
        own_sandbox = False
        printer: PrintQueue | None
        if mode == "window":
            if settings.training_mode:
                if sandbox is None:
                    sandbox = _start_training_sandbox()
                    own_sandbox = True
                    opened.append(sandbox.stop)
                if api is None:
                    # Opened on first use (the start-up probe, on a worker): httpx stays out of launch.
                    training = sandbox
                    api = DeferredClient(lambda: _training_client(training))
                    opened.append(api.close)
                if journal_path is None:
                    journal_path = training_dir() / "journal.sqlite3"
            else:
                sandbox = None
                if api is None:
                    api = open_api_client(settings)
                    opened.append(api.close)
            printer = make_print_queue(settings, printer_url)
            opened.append(printer.close)
        else:
            sandbox = None
            url = (printer_url or settings.printer or "").strip() if printing else ""
            printer = PrintQueue(make_ticket_printer(settings, url)) if url else None
            if printer is not None:
                opened.append(printer.close)
            if api is None:
                api = DeferredClient(lambda: _command_client(settings, missing_key))
                opened.append(api.close)
            if require_api and isinstance(api, DeferredClient):
                api.open()
        journal = Journal.open(journal_path)
        opened.append(journal.close)
        from app.services.store import open_for_till

        store = open_for_till(settings, journal, window=mode == "window")
        if store is not None:
            opened.append(store.close)
        catalog = CatalogService(journal)
        if mode == "window" and settings.training_mode:
            catalog.ensure_sample()  # a trainee can scan right away
        users = UsersService(journal)
        if mode == "window" and settings.training_mode:
            users.ensure_training_users()  # "Cajero de práctica" 1111, "Supervisor de práctica" 9999
        # One link state for the till, shared through the journal with its other processes.
        connectivity = Connectivity(journal, api)
        checkout = CheckoutService(journal, api, printer, settings, connectivity=connectivity)
        # A command sells only in an open cash session; the window turns this on at its login.
        checkout.require_session = mode == "command"
        customers = CustomerDirectory(journal)
        checkout.customers = customers
        cash = CashSessionService(journal, users, printer, register=f"{settings.branch_code}{settings.register_code}")
        # Reprint, void and end of day open a deferred client themselves, when they first need it
        # (that is where a missing key is reported, before any progress is shown).
        source: OcoteApi | Callable[[], OcoteApi] = api.open if isinstance(api, DeferredClient) else api
        reprint = ReprintService(journal, source, training=bool(settings.training_mode))
        eod = EndOfDayService(journal, source)
        shared = None
        if store is not None:  # every register's sales, shared refresh, catalog and users
            from app.services.store_wiring import attach_store

            shared = attach_store(
                store, journal, reprint=reprint, eod=eod, catalog=catalog, users=users, window=mode == "window"
            )
            opened.append(shared.close)
        services = Services(
            settings=settings,
            journal=journal,
            api=api,
            printer=printer,
            catalog=catalog,
            checkout=checkout,
            outbox=Outbox(checkout, connectivity=connectivity, settings=settings),
            reprint=reprint,
            void=VoidService(journal, source),
            eod=eod,
            users=users,
            cash=cash,
            permissions=Permissions(journal, users, settings.max_discount_pct),
            connectivity=connectivity,
            drafts=DraftsService(journal, checkout),
            customers=customers,
            printer_factory=make_print_queue,
            sandbox=sandbox,
            owns_sandbox=own_sandbox,
            store=store,
            shared=shared,
        )
        if store is not None:  # the window's Settings may change the register code while it runs
            store.register_of = lambda: f"{services.settings.branch_code}{services.settings.register_code}"
        return services
    except BaseException:
        for undo in reversed(opened):
            try:
                undo()
            except Exception:  # noqa: BLE001 - the first error is the one to report
                log.exception("cleaning up after a failed start")
        raise


def _command_client(settings: Settings, missing_key: Callable[[], CajaError]) -> OcoteApi:
    if settings.training_mode:
        raise missing_key()
    return open_api_client(settings)


def _start_training_sandbox() -> SandboxHandle:
    from app.sandbox.server import SandboxServer

    server = SandboxServer(
        host="127.0.0.1",
        port=0,
        contingency_seconds=TRAINING_CONTINGENCY_SECONDS,
        state_path=training_dir() / "sandbox.json",
    )
    server.start()
    return server


def _training_client(sandbox: SandboxHandle) -> OcoteClient:
    """A client for the training sandbox presenting the training key, the same at every launch (the
    sandbox keeps each key's documents apart), so earlier practice sales are found again."""
    from app.api.client import OcoteClient
    from app.sandbox.persist import load_or_create_key

    return OcoteClient(sandbox.base_url, load_or_create_key(training_dir() / "sandbox.key"))
