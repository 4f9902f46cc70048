"""The CCF customer's catalogs: from the sandbox over loopback, then from the journal's cache when
Ocote cannot be reached."""

from __future__ import annotations

import socket

from app.services.fiscal_catalogs import FiscalCatalogs
from tests.services.conftest import _fast_client


def test_activities_and_departments_are_searched_and_kept_for_offline_use(journal, client, api_key):
    catalogs = FiscalCatalogs(journal, client)
    found = catalogs.search_activities("ferreter")
    assert [e.code for e in found] == ["47521"]
    assert [m.name for m in catalogs.municipalities("06")][:2] == ["San Salvador Norte", "San Salvador Oeste"]

    with socket.socket() as sock:  # a port nobody listens on: Ocote unreachable
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with _fast_client(f"http://127.0.0.1:{port}/api/connect", api_key, attempts=1) as down:
        offline = FiscalCatalogs(journal, down, deadline=2.0)
        assert [e.code for e in offline.search_activities("FERRETERÍA")] == ["47521"]
        assert offline.activity_name("47521") == "Venta al por menor de artículos de ferretería"
        assert any(d.code == "06" for d in offline.departments())
        assert [m.code for m in offline.municipalities("09")] == ["10", "11"]
