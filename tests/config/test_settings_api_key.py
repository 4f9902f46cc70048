"""The API key: validated, kept in the OS keyring, or in a private file where there is none."""

from __future__ import annotations

import logging
import stat

import keyring
import pytest
from keyring.backend import KeyringBackend

from app.config import (
    KEYRING_SERVICE,
    KEYRING_USERNAME,
    api_key_file,
    get_api_key,
    is_valid_api_key,
    keyring_backend,
    load_settings,
    set_api_key,
)
from app.domain.errors import ConfigurationError


@pytest.mark.parametrize(
    "bad",
    [
        "odt_" + "A" * 56,  # upper case
        "odt_" + "a" * 55,
        "odt_" + "a" * 57,
        "odx_" + "a" * 56,
        "odt_" + "g" * 56,
        "odt_" + "a" * 55 + " ",
    ],
)
def test_malformed_keys_are_refused(bad):
    assert not is_valid_api_key(bad)
    with pytest.raises(ConfigurationError, match="56 lowercase"):
        set_api_key(bad)
    assert get_api_key() is None


def test_keyring_keeps_the_key_and_no_file_is_written(memory_keyring, api_key):
    assert keyring_backend()[0] is True
    assert set_api_key(api_key) == "keyring"
    assert memory_keyring.passwords == {(KEYRING_SERVICE, KEYRING_USERNAME): api_key}
    assert not api_key_file().exists()
    settings = load_settings()
    assert settings.api_key.get_secret_value() == api_key
    assert settings.api_key_source == "keyring"
    assert not settings.training_mode
    assert set_api_key(None) == ""
    assert memory_keyring.passwords == {}
    assert load_settings().training_mode


def test_without_a_keyring_the_key_goes_to_a_private_file_with_a_warning(api_key, caplog):
    assert keyring_backend()[0] is False  # keyring's fail backend, as on a headless till
    with caplog.at_level(logging.WARNING, logger="app.config"):
        assert set_api_key(api_key) == "file"
    assert "no usable keyring" in caplog.text
    assert api_key not in caplog.text
    path = api_key_file()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_text().strip() == api_key
    settings = load_settings()
    assert settings.api_key.get_secret_value() == api_key
    assert settings.api_key_source == "file"
    set_api_key("")
    assert not path.exists()


class BrokenKeyring(KeyringBackend):
    """A keyring that is installed but fails (locked collection, no D-Bus session, ...)."""

    priority = 1

    def get_password(self, service, username):
        raise RuntimeError("the keyring daemon is gone")

    def set_password(self, service, username, password):
        raise RuntimeError("the keyring daemon is gone")

    def delete_password(self, service, username):
        raise RuntimeError("the keyring daemon is gone")


def test_a_failing_keyring_falls_back_to_the_file(api_key):
    keyring.set_keyring(BrokenKeyring())
    assert set_api_key(api_key) == "file"
    assert get_api_key() == api_key
    settings = load_settings()
    assert settings.api_key_source == "file"
    assert any("keyring could not be read" in p for p in settings.problems)


def test_storing_in_the_keyring_removes_an_old_plain_copy(memory_keyring, api_key):
    api_key_file().write_text("odt_" + "0" * 56)
    set_api_key(api_key)
    assert not api_key_file().exists()
    assert get_api_key() == api_key


def test_environment_key_wins_over_the_keyring(memory_keyring, api_key, monkeypatch):
    set_api_key("odt_" + "1" * 56)
    monkeypatch.setenv("OCOTE_API_KEY", api_key)
    settings = load_settings()
    assert settings.api_key.get_secret_value() == api_key
    assert settings.api_key_source == "environment"


def test_a_malformed_stored_key_is_reported_without_showing_it():
    api_key_file().write_text("odt_oops\n")
    settings = load_settings()
    assert not settings.training_mode  # used as is: the server's 401 and `caja doctor` explain it
    assert any("not a valid Ocote API key" in p for p in settings.problems)
    assert "odt_oops" not in " ".join(settings.problems)
