"""Several tills of one store in one test process: each its own data folder, journal, register
code and cash session, all selling against the same sandbox and sharing one store database.

Used by tests/store (the ``two_tills`` fixture) and the store benchmark.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import httpx

from app.api.client import OcoteClient, RetryPolicy
from app.config import Settings
from app.journal import SaleRecord
from app.services.container import Services, build_services
from app.services.sale_result import CheckoutResult
from app.services.store import StoreLink
from tests.helpers.cash import draft, open_session


def fast_client(base_url: str, key: str) -> OcoteClient:
    """A sandbox client whose retries do not wait."""
    return OcoteClient(
        base_url,
        key,
        retry=RetryPolicy(max_attempts=3, total_seconds=30.0, backoff_initial=0.0, backoff_max=0.0),
        timeout=httpx.Timeout(5.0, read=10.0),
        sleep=lambda _seconds: None,
    )


class Till:
    """One till: ``services`` built as a command builds them (no background thread: tests call
    :meth:`sync`), a cashier with an open shift, sales through the real checkout."""

    def __init__(
        self, folder: Path, register_code: str, store_url: str, api_url: str, api_key: str, cashier: str = "Ana"
    ) -> None:
        self.folder = folder
        self.settings = Settings(
            api_url=api_url,
            api_key=api_key,
            branch_code="M001",
            register_code=register_code,
            cashier=cashier,
            store_url=store_url,
        )
        self.register = f"M001{register_code}"
        self.client = fast_client(api_url, api_key)
        self.services: Services = build_services(
            self.settings, mode="command", journal_path=folder / "journal.sqlite3", api=self.client, printing=False
        )
        self.cashier = open_session(self.services, cashier)
        session = self.services.cash.current()
        assert session is not None
        self.services.journal.operator = session.operator

    @property
    def store(self) -> StoreLink:
        assert self.services.store is not None
        return self.services.store

    @property
    def journal(self):
        return self.services.journal

    def checkout(self, price: str | Decimal = "1.00") -> CheckoutResult:
        return self.services.checkout.checkout(draft(price))

    def sell(self, price: str | Decimal = "1.00") -> SaleRecord:
        result = self.checkout(price)
        assert result.sale_id is not None, result.message
        return self.journal.sales.get(result.sale_id)

    def sync(self) -> int:
        """Replicate now (as ``caja sync`` does); returns the rows written."""
        return self.store.sync_now()

    def close(self) -> None:
        self.services.close()
        self.client.close()
