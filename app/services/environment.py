"""Which MH environment (test or production) this till issues in, and looking sales up for the window.

TEST versus PRODUCTION is not a setting: only Ocote knows which MH environment the key's company
issues in, so it is read from the signed DTE of the latest issued sale
(``identificacion.ambiente`` "00"/"01", via :func:`app.config.environment_of_dte`).

Every function blocks (journal, network): call it from a worker, never from the GUI thread.
"""

from __future__ import annotations

from typing import Protocol

from app.config import environment_of_dte
from app.journal import ISSUED_STATES, SaleQuery, SaleRecord


class SalesRepository(Protocol):
    """The part of the journal's sales repository these functions read."""

    def search(self, query: SaleQuery | None = ...) -> list[SaleRecord]: ...

    def find(self, key: str) -> SaleRecord | None: ...

    def get(self, sale_id: int) -> SaleRecord: ...


class SaleReader(Protocol):
    """A journal, as far as these functions read it."""

    @property
    def sales(self) -> SalesRepository: ...


class StatusApi(Protocol):
    """The part of the Ocote client :func:`fetch_environment` uses."""

    def get_status(self, ref: str, *, include_dte: bool = ...) -> object: ...


def latest_issued_ref(journal: SaleReader) -> str | None:
    """The document id (or ref) of the newest issued sale in the journal, if any."""
    sales = journal.sales.search(SaleQuery(states=ISSUED_STATES, limit=1))
    if not sales:
        return None
    sale = sales[0]
    return sale.document.document_id if sale.document and sale.document.document_id else sale.external_ref


def fetch_environment(api: StatusApi, journal: SaleReader) -> str | None:
    """``"test"``/``"production"`` from the newest issued document's DTE, None when unknown."""
    ref = latest_issued_ref(journal)
    if ref is None:
        return None
    status = api.get_status(ref, include_dte=True)
    schema = getattr(status, "dte_schema", None)
    return environment_of_dte({"schema": schema}) if schema is not None else None


class SaleLookup:
    """Reading one sale for the window (reopening a sale to correct it), without the window
    touching the journal itself.

    Raises what the journal raises (:class:`~app.domain.errors.JournalError`).
    """

    def __init__(self, journal: SaleReader) -> None:
        self._journal = journal

    def find(self, key: str) -> SaleRecord | None:
        """The sale whose external ref, control number or document id is ``key`` (None: none)."""
        return self._journal.sales.find(key)

    def environment(self, api: StatusApi) -> str | None:
        """:func:`fetch_environment` on this journal."""
        return fetch_environment(api, self._journal)

    def get(self, sale_id: int) -> SaleRecord:
        """The sale as the journal has it now (another window may have charged it meanwhile)."""
        return self._journal.sales.get(sale_id)
