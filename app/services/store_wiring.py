"""Give a till's services their store-wide side when a store is configured (issue 12).

Called by :func:`app.services.container.build_services` once the till's
:class:`~app.services.store.StoreLink` is open: History and reprints search every register,
the end of day can cover the store and shares its refresh, and the catalog and users are kept in
step with the store's (in the window, on a background thread that pulls at start and every
minute, and pushes soon after a local change; ``caja sync`` does it once).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.services.store_eod import RefreshCoordinator
from app.services.store_reads import StoreReads
from app.services.store_sync import SharedDataSync

if TYPE_CHECKING:
    from app.journal import Journal
    from app.services.catalog import CatalogService
    from app.services.eod import EndOfDayService
    from app.services.reprint import ReprintService
    from app.services.store import StoreLink
    from app.services.users import UsersService


def attach_store(
    link: StoreLink,
    journal: Journal,
    *,
    reprint: ReprintService,
    eod: EndOfDayService,
    catalog: CatalogService,
    users: UsersService,
    window: bool,
) -> SharedDataSync:
    """Wire the store's reads and shared data into the services; returns the shared-data sync
    (its background thread started in the window; :meth:`SharedDataSync.close` stops it)."""

    def register() -> str:  # the link follows a register code changed in Settings
        return link.register

    reads = StoreReads(link.db, journal, register)
    reprint.store = reads
    eod.store = reads
    eod.refresh = RefreshCoordinator(link.db, register)
    shared = SharedDataSync(journal, link.db, register)
    catalog.on_change = shared.changed
    users.on_change = shared.changed
    if window:
        shared.start_background()
    return shared
