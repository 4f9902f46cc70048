"""Every action that needs a supervisor: who needs one, the PIN check, and the audit with both users."""

from __future__ import annotations

from decimal import Decimal

import pytest

from app.domain.users import Operator
from app.services.permissions import AUDIT_ALLOWED, AUDIT_REFUSED, Action, NotAllowed, needs_supervisor
from app.services.users import LockedOut, UnknownUser, WrongPin

ALL_ACTIONS = list(Action)


def test_the_seven_actions_of_the_issue():
    assert {str(a) for a in Action} == {
        "void",
        "cash_out",
        "open_drawer",
        "price_below_catalog",
        "discount_above_max",
        "open_settings",
        "close_other_session",
    }
    assert all(a.label for a in Action)


@pytest.mark.parametrize("action", ALL_ACTIONS)
def test_a_cashier_needs_a_supervisor_and_a_supervisor_acting_alone_does_not(action, ana, beto, permissions):
    assert needs_supervisor(action, ana) and permissions.needs_supervisor(action, ana)
    assert not needs_supervisor(action, beto)


@pytest.mark.parametrize("action", ALL_ACTIONS)
def test_authorize_records_both_users(action, ana, beto, permissions, journal):
    journal.operator = Operator(ana.id, None, ana.name)
    assert permissions.authorize(action, ana, "Beto", "5678", "detalle") == beto
    [entry] = journal.audit.trail(action=AUDIT_ALLOWED + str(action))
    assert (entry.user_id, entry.supervisor_id) == (ana.id, beto.id)
    assert "Ana" in entry.detail and "Beto" in entry.detail and "detalle" in entry.detail


@pytest.mark.parametrize("action", ALL_ACTIONS)
def test_a_cashier_cannot_allow_anything(action, ana, luis, permissions, journal):
    with pytest.raises(NotAllowed) as caught:
        permissions.authorize(action, ana, "Luis", "4321")
    assert "Luis" in caught.value.message
    [entry] = journal.audit.trail(action=AUDIT_REFUSED + str(action))
    assert entry.user_id == ana.id and entry.supervisor_id is None


@pytest.mark.parametrize("action", ALL_ACTIONS)
def test_a_wrong_pin_or_no_supervisor_is_refused_and_recorded(action, ana, beto, permissions, journal):
    with pytest.raises(WrongPin):
        permissions.authorize(action, ana, "Beto", "0000")
    with pytest.raises(NotAllowed):
        permissions.authorize(action, ana, "", "")
    with pytest.raises(UnknownUser):
        permissions.authorize(action, ana, "Nadie", "5678")
    assert len(journal.audit.trail(action=AUDIT_REFUSED + str(action))) == 3
    assert journal.audit.trail(action=AUDIT_ALLOWED + str(action)) == []


def test_a_locked_supervisor_allows_nothing(ana, beto, permissions):
    for _ in range(4):
        with pytest.raises(WrongPin):
            permissions.authorize(Action.VOID, ana, "Beto", "0000")
    with pytest.raises(LockedOut):
        permissions.authorize(Action.VOID, ana, "Beto", "0000")
    with pytest.raises(LockedOut):
        permissions.authorize(Action.VOID, ana, "Beto", "5678")


@pytest.mark.parametrize("action", ALL_ACTIONS)
def test_allow_alone_is_for_supervisors(action, ana, beto, permissions, journal):
    assert permissions.allow_alone(action, beto, "x") == beto
    [entry] = journal.audit.trail(action=AUDIT_ALLOWED + str(action))
    assert entry.user_id == entry.supervisor_id == beto.id
    with pytest.raises(NotAllowed):
        permissions.allow_alone(action, ana)


def test_the_audit_names_the_operators_session(ana, beto, permissions, journal, cash):
    session = cash.open(ana, Decimal("20.00"))
    permissions.authorize(Action.OPEN_SETTINGS, ana, "Beto", "5678")
    [entry] = journal.audit.trail(action=AUDIT_ALLOWED + "open_settings")
    assert entry.session_id == session.id


def test_discount_above_the_maximum_and_price_below_the_catalog(ana, beto, permissions, journal, users):
    assert permissions.max_discount_pct == Decimal(10)  # the default
    assert not permissions.discount_needs_supervisor(Decimal(10), ana)
    assert permissions.discount_needs_supervisor(Decimal("10.01"), ana)
    assert not permissions.discount_needs_supervisor(Decimal(50), beto)
    assert permissions.price_needs_supervisor(Decimal("0.99"), Decimal("1.00"), ana)
    assert not permissions.price_needs_supervisor(Decimal("1.00"), Decimal("1.00"), ana)
    assert not permissions.price_needs_supervisor(Decimal("0.50"), Decimal("1.00"), beto)
    from app.services.permissions import Permissions

    assert not Permissions(journal, users, Decimal(25)).discount_needs_supervisor(Decimal(20), ana)


def test_the_setting_reaches_the_services():
    from app.config import Settings
    from app.services.container import build_services

    with build_services(Settings(max_discount_pct=Decimal(15)), mode="command") as services:
        assert services.permissions.max_discount_pct == Decimal(15)
