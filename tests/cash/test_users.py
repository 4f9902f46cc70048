"""Users and PINs: validation, the salted scrypt hash, the lockout after five wrong PINs, training users."""

from __future__ import annotations

import pytest

from app.domain.errors import ValidationError
from app.domain.users import Role, check_pin, hash_pin, validate_pin
from app.services.users import MAX_TRIES, TRAINING_PIN_HASHES, TRAINING_USERS, LockedOut, Refused, UnknownUser, WrongPin


@pytest.mark.parametrize("pin", ["1234", "12345678", " 0000 "])
def test_a_pin_is_4_to_8_digits(pin):
    assert validate_pin(pin) == pin.strip()


@pytest.mark.parametrize("pin", ["", "123", "123456789", "12a4", "１２３４", "12 34", "-123"])
def test_anything_else_is_refused_on_the_pin_field(pin):
    with pytest.raises(ValidationError) as caught:
        validate_pin(pin)
    assert [e.field for e in caught.value.errors] == ["pin"]


def test_the_hash_is_salted_scrypt_with_its_parameters():
    one, two = hash_pin("1234"), hash_pin("1234")
    assert one != two  # a fresh salt each time
    scheme, n, r, p, _salt, _digest = one.split("$")
    assert (scheme, int(n), int(r), int(p)) == ("scrypt", 2**14, 8, 1)
    assert "1234" not in one
    assert check_pin("1234", one) and check_pin("1234", two)
    assert not check_pin("1235", one)
    assert not check_pin("abc", one) and not check_pin("1234", "garbage") and not check_pin("1234", "")


def test_older_parameters_still_verify():
    cheap = hash_pin("4321", n=2**10, r=8, p=1)
    assert check_pin("4321", cheap) and not check_pin("4322", cheap)


def test_add_list_and_disable(users, journal):
    assert users.needs_first_supervisor()
    beto = users.add("  Beto  Pérez ", "supervisor", "5678")
    ana = users.add("Ana", Role.CASHIER, "1234")
    assert beto.name == "Beto Pérez" and beto.role is Role.SUPERVISOR and beto.is_supervisor
    assert not users.needs_first_supervisor()
    assert [u.name for u in users.list_active()] == ["Ana", "Beto Pérez"]
    users.disable("ana")  # case and accents ignored
    assert [u.name for u in users.list_active()] == ["Beto Pérez"]
    assert [(u.name, u.active) for u in users.list_all()] == [("Ana", False), ("Beto Pérez", True)]
    with pytest.raises(UnknownUser):
        users.verify("Ana", "1234")
    assert users.get(ana.id).active is False
    assert [e.action for e in journal.audit.trail()] == ["user_add", "user_add", "user_disable"]


def test_adding_checks_every_field_and_the_name_is_unique(users):
    with pytest.raises(ValidationError) as caught:
        users.add("", "boss", "12")
    assert sorted(e.field for e in caught.value.errors) == ["name", "pin", "role"]
    users.add("José", "cashier", "1234")
    with pytest.raises(ValidationError) as caught:
        users.add("jose", "cashier", "9999")
    assert [e.field for e in caught.value.errors] == ["name"]


def test_the_last_supervisor_cannot_be_disabled(users):
    users.add("Beto", "supervisor", "5678")
    with pytest.raises(Refused):
        users.disable("Beto")
    users.add("Carla", "supervisor", "8765")
    users.disable("Beto")
    assert users.needs_first_supervisor() is False


def test_verify(users, ana):
    assert users.verify("ANA", "1234") == ana
    with pytest.raises(UnknownUser):
        users.verify("Nadie", "1234")
    with pytest.raises(WrongPin) as caught:
        users.verify("Ana", "0000")
    assert caught.value.tries_left == MAX_TRIES - 1
    assert "4" in caught.value.message


def test_five_wrong_pins_lock_for_a_minute(users, ana, clock):
    for left in range(MAX_TRIES - 1, 0, -1):
        with pytest.raises(WrongPin) as caught:
            users.verify("Ana", "0000")
        assert caught.value.tries_left == left
    with pytest.raises(LockedOut) as caught:
        users.verify("Ana", "0000")
    assert caught.value.seconds_left == 60
    # Locked: even the right PIN is refused, and the wait counts down.
    clock.advance(seconds=45)
    with pytest.raises(LockedOut) as caught:
        users.verify("Ana", "1234")
    assert caught.value.seconds_left == 15
    clock.advance(seconds=15)
    assert users.verify("Ana", "1234") == ana
    # A fresh set of tries after the lock (and after a right PIN).
    with pytest.raises(WrongPin) as caught:
        users.verify("Ana", "0000")
    assert caught.value.tries_left == MAX_TRIES - 1


def test_a_right_pin_resets_the_count(users, ana):
    for _ in range(MAX_TRIES - 1):
        with pytest.raises(WrongPin):
            users.verify("Ana", "0000")
    users.verify("Ana", "1234")
    with pytest.raises(WrongPin) as caught:
        users.verify("Ana", "0000")
    assert caught.value.tries_left == MAX_TRIES - 1


def test_the_lockout_is_shared_by_every_process(users, ana, journal, clock, tmp_path):
    from app.journal import Journal
    from app.services.users import UsersService

    for _ in range(MAX_TRIES):
        with pytest.raises((WrongPin, LockedOut)):
            users.verify("Ana", "0000")
    with Journal.open(journal.path, clock=clock) as other:
        with pytest.raises(LockedOut):
            UsersService(other, clock=clock).verify("Ana", "1234")


def test_training_users_are_created_once(users):
    created = users.ensure_training_users()
    assert [(u.name, u.role) for u in created] == [(name, role) for name, role, _pin in TRAINING_USERS]
    assert users.ensure_training_users() == []
    assert users.verify("Cajero de práctica", "1111").role is Role.CASHIER
    assert users.verify("Supervisor de práctica", "9999").role is Role.SUPERVISOR
    assert not users.needs_first_supervisor()


def test_the_precomputed_training_hashes_match_their_pins_and_only_those():
    assert set(TRAINING_PIN_HASHES) == {pin for _name, _role, pin in TRAINING_USERS}
    for pin, stored in TRAINING_PIN_HASHES.items():
        assert check_pin(pin, stored)
        assert not check_pin("1234", stored)
        # same scrypt parameters as every other PIN hash
        assert stored.split("$")[:4] == hash_pin(pin).split("$")[:4]


def test_a_training_window_has_the_practice_users_and_a_command_none():
    from app.config import Settings
    from app.services.container import build_services

    with build_services(Settings(), mode="window", printer_url="dummy:") as services:
        assert [u.name for u in services.users.list_active()] == ["Cajero de práctica", "Supervisor de práctica"]
        assert services.checkout.require_session is False  # the window turns it on at its login
    with build_services(Settings(), mode="command") as services:
        assert services.users.list_active() == [] and services.users.needs_first_supervisor()
        assert services.checkout.require_session is True


def test_user_records_never_show_the_hash(users, journal, ana):
    record = journal.users.find("Ana")
    assert record is not None and record.pin_hash.startswith("scrypt$")
    assert "scrypt" not in repr(record) and "scrypt" not in repr(ana)
