"""Fixtures for users, permissions and cash sessions: a journal on a fake wall clock and its services.

Helpers (sales, voids, prehashed PINs) are in :mod:`tests.helpers.cash`.
"""

from __future__ import annotations

import pytest

from app.domain.users import User
from app.journal import Journal
from app.services.cash import CashSessionService
from app.services.permissions import Permissions
from app.services.users import UsersService
from tests.helpers.cash import REGISTER
from tests.helpers.clock import FakeWallClock


@pytest.fixture
def clock() -> FakeWallClock:
    return FakeWallClock()


@pytest.fixture
def journal(tmp_path, clock):
    with Journal.open(tmp_path / "data" / "journal.sqlite3", clock=clock) as opened:
        yield opened


@pytest.fixture
def users(journal, clock) -> UsersService:
    return UsersService(journal, clock=clock)


@pytest.fixture
def permissions(journal, users) -> Permissions:
    return Permissions(journal, users)


@pytest.fixture
def cash(journal, users, clock) -> CashSessionService:
    return CashSessionService(journal, users, clock=clock, register=REGISTER)


@pytest.fixture
def ana(users) -> User:
    """A cashier, PIN 1234."""
    return users.add("Ana", "cashier", "1234")


@pytest.fixture
def luis(users) -> User:
    """Another cashier, PIN 4321."""
    return users.add("Luis", "cashier", "4321")


@pytest.fixture
def beto(users) -> User:
    """A supervisor, PIN 5678."""
    return users.add("Beto", "supervisor", "5678")
