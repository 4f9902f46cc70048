"""Open a cash session the way a shift starts, for tests that sell through a command's services."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from app.domain.users import User


def open_session(services: Any, name: str = "Ana", pin: str = "1234", opening_float: str = "50.00",
                 role: str = "cashier") -> User:
    """Add the cashier ``name`` (unless there) and open the register's session with ``opening_float``."""
    user = services.users.find(name) or services.users.add(name, role, pin)
    services.cash.open(user, Decimal(opening_float))
    return user
