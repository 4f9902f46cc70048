"""Cash-session helpers: open a shift through a command's services, journal sales and voids as
checkout and the void service leave them, and PIN hashes made once (scrypt is slow on purpose)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from app.domain.catalogs import PaymentMethod
from app.domain.invoice import InvoiceDraft, Payment, SaleLine
from app.domain.users import User, hash_pin
from app.journal import Journal, SaleRecord, SaleState

REGISTER = "M001P001"


def open_session(
    services: Any, name: str = "Ana", pin: str = "1234", opening_float: str = "50.00", role: str = "cashier"
) -> User:
    """Add the cashier ``name`` (unless there) and open the register's session with ``opening_float``."""
    user = services.users.find(name) or services.users.add(name, role, pin)
    services.cash.open(user, Decimal(opening_float))
    return user


def draft(price: str | Decimal, method: PaymentMethod | str = PaymentMethod.CASH) -> InvoiceDraft:
    return InvoiceDraft(
        lines=(SaleLine("Pan dulce", Decimal(1), Decimal(price)),), payment=Payment(method=PaymentMethod(method))
    )


def sell(journal: Journal, price: str | Decimal, method: str = "01", state: SaleState = SaleState.ISSUED) -> SaleRecord:
    """A sale journaled by the current operator, in ``state`` (as checkout leaves it)."""
    return journal.sales.create(draft(price, method), register=REGISTER, state=state)


def void(journal: Journal, sale: SaleRecord) -> SaleRecord:
    """What :class:`~app.services.void.VoidService` records once Ocote voided the document."""
    return journal.sales.set_state(sale.id, SaleState.VOIDED, action="void", detail="test")


_HASHES: dict[str, str] = {}


def prehashed(pin: str) -> str:
    """The scrypt hash of ``pin``, computed once per test run."""
    if pin not in _HASHES:
        _HASHES[pin] = hash_pin(pin)
    return _HASHES[pin]
