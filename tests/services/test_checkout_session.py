"""Checkout and the cash session: who sells is recorded, and with ``require_session`` nothing is sold
(nor journaled, nor sent) outside an open session."""

from __future__ import annotations

import pytest

from app.domain.users import Operator
from app.services.cash import CashSessionService, NoOpenSession
from app.services.checkout import SaleOutcome
from app.services.users import UsersService


@pytest.fixture
def shift(journal):
    users = UsersService(journal)
    cash = CashSessionService(journal, users, register="M001P001")
    return users, cash, users.add("Ana", "cashier", "1234")


def test_without_require_session_the_window_sells_as_before(service, make_draft, journal):
    result = service.checkout(make_draft())
    assert result.outcome is SaleOutcome.ISSUED
    sale = journal.sales.get(result.sale_id)
    assert sale.session_id is None and sale.user_id is None and sale.cashier == "Ana"  # the settings' name


def test_require_session_refuses_before_anything_is_journaled_or_sent(service, make_draft, journal, sandbox, shift):
    _users, cash, ana = shift
    service.require_session = True
    posts = len(sandbox.requests)
    with pytest.raises(NoOpenSession):
        service.checkout(make_draft())
    cash.login(ana)  # logged in, but no session open
    with pytest.raises(NoOpenSession):
        service.checkout(make_draft())
    assert journal.sales.search() == [] and len(sandbox.requests) == posts


def test_a_sale_records_its_session_and_cashier(service, make_draft, journal, shift):
    users, cash, ana = shift
    service.require_session = True
    session = cash.open(ana, "20.00")
    result = service.checkout(make_draft())
    assert result.outcome is SaleOutcome.ISSUED
    sale = journal.sales.get(result.sale_id)
    assert (sale.session_id, sale.user_id, sale.cashier) == (session.id, ana.id, "Ana")
    # An explicit operator wins over the journal's.
    luis = users.add("Luis", "cashier", "4321")
    result = service.checkout(make_draft(), operator=Operator(luis.id, session.id, "Luis"))
    assert journal.sales.get(result.sale_id).user_id == luis.id
    # Closed: refused again, even with the old operator.
    cash.close("0", ana)
    with pytest.raises(NoOpenSession):
        service.checkout(make_draft(), operator=Operator(ana.id, session.id, "Ana"))
