"""Settings: defaults, atomic private writes, survival of bad files, environment overrides."""

from __future__ import annotations

import json
import os
import stat

import pytest
from pydantic import SecretStr

from app import config
from app.config import Settings, environment_of_dte, load_settings, save_settings, settings_path
from app.domain.errors import ConfigurationError


def write_raw(data: bytes | str) -> None:
    path = settings_path()
    path.write_bytes(data.encode() if isinstance(data, str) else data)


def bad_files() -> list:
    return sorted(settings_path().parent.glob("settings.json.bad-*"))


def test_defaults_without_a_file():
    settings = load_settings()
    assert settings == Settings()
    assert settings.problems == []
    assert settings.training_mode and settings.mode == "training"
    assert not settings_path().exists()


def test_save_then_load_round_trip_private_and_without_temp_files():
    settings = Settings.model_validate(
        {
            "printer": "tcp://192.168.1.50:9100",
            "printer_profile": "tm-t88",
            "cut": False,
            "drawer_on_cash": True,
            "branch_code": "s002",
            "register_code": "P003",
            "cashier": "Ana",
            "language": "en",
            "api_url": "http://127.0.0.1:8000/api/connect/",
        }
    )
    save_settings(settings)
    loaded = load_settings()
    assert loaded.problems == []
    assert loaded.model_dump() == settings.model_dump()
    assert loaded.branch_code == "S002"  # normalised like MH codes
    assert loaded.api_url == "http://127.0.0.1:8000/api/connect"
    path = settings_path()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert sorted(p.name for p in path.parent.iterdir()) == ["settings.json"]
    assert "api_key" not in json.loads(path.read_text())


def test_the_api_key_is_never_written_to_the_settings_file(api_key):
    save_settings(Settings(api_key=SecretStr(api_key)))
    assert api_key not in settings_path().read_text()


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temp_file(monkeypatch):
    save_settings(Settings(cashier="Ana"))
    before = settings_path().read_bytes()

    def broken_fsync(fd):
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as patch:
        patch.setattr(config.os, "fsync", broken_fsync)
        with pytest.raises(ConfigurationError, match="No space left on device"):
            save_settings(Settings(cashier="Beto"))
    assert settings_path().read_bytes() == before
    assert sorted(p.name for p in settings_path().parent.iterdir()) == ["settings.json"]
    assert load_settings().cashier == "Ana"


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b'{"printer": "tcp://10.0.0.5", "cashier": "An',  # half written
        b"\xff\xfe\x00garbage\x00",
        b"[1, 2, 3]",
        b"null",
    ],
    ids=["empty", "truncated", "binary", "list", "null"],
)
def test_unreadable_file_gives_defaults_and_is_moved_aside(content):
    write_raw(content)
    settings = load_settings()
    assert settings.model_dump() == Settings().model_dump()
    assert settings.problems, "the problem must be reported"
    [bad] = bad_files()
    assert bad.read_bytes() == content  # kept for inspection
    assert str(bad) in " ".join(settings.problems)
    assert not settings_path().exists()  # nothing valid to keep: the next save writes a new file
    assert load_settings().problems == []


def test_wrong_types_keep_the_valid_fields():
    write_raw(
        json.dumps(
            {
                "printer": "usb://04b8:0e28",
                "cut": "sometimes",
                "drawer_on_cash": True,
                "branch_code": "TOO-LONG",
                "cashier": "Rosa",
                "language": ["es"],
                "api_url": "ftp://nope",
                "future_setting": 1,
            }
        )
    )
    settings = load_settings()
    assert (settings.printer, settings.drawer_on_cash, settings.cashier) == ("usb://04b8:0e28", True, "Rosa")
    assert (settings.cut, settings.branch_code, settings.language, settings.api_url) == (
        True,
        "M001",
        "es",
        config.PRODUCTION_API_URL,
    )
    problems = " ".join(settings.problems)
    for name in ("cut", "branch_code", "language", "api_url"):
        assert f"“{name}”" in problems
    assert "future_setting" not in problems  # a newer version's field is not a problem
    assert len(bad_files()) == 1
    # The valid fields were saved again, so the next start is clean and keeps them.
    again = load_settings()
    assert again.problems == [] and again.printer == "usb://04b8:0e28" and again.cashier == "Rosa"


def test_an_api_key_in_the_settings_file_is_ignored_and_reported(api_key):
    write_raw(json.dumps({"api_key": api_key, "cashier": "Rosa"}))
    settings = load_settings()
    assert settings.training_mode
    assert settings.cashier == "Rosa"
    assert any("API key" in p for p in settings.problems)
    assert api_key not in settings_path().read_text()


def test_problems_speak_the_language_chosen_after_loading(spanish):
    from app import i18n

    i18n.set_language("en")
    write_raw("{")
    settings = load_settings()
    i18n.set_language("es")
    assert "dañado" in settings.problems[0]


def test_environment_overrides(monkeypatch, api_key):
    save_settings(Settings(printer="tcp://10.0.0.9", cashier="Ana"))
    monkeypatch.setenv("OCOTE_API_URL", "http://127.0.0.1:9999/api/connect")
    monkeypatch.setenv("CAJA_PRINTER", "dummy:")
    monkeypatch.setenv("OCOTE_API_KEY", api_key)
    settings = load_settings()
    assert settings.api_url == "http://127.0.0.1:9999/api/connect"
    assert settings.printer == "dummy:"
    assert settings.api_key.get_secret_value() == api_key
    assert settings.api_key_source == "environment"
    assert settings.from_environment == {"api_url", "printer", "api_key"}
    assert not settings.training_mode and settings.mode == "configured"
    assert settings.problems == []


def test_saving_does_not_store_environment_overrides(monkeypatch):
    save_settings(Settings(printer="tcp://10.0.0.9", cashier="Ana"))
    monkeypatch.setenv("CAJA_PRINTER", "dummy:")
    settings = load_settings()
    save_settings(settings.model_copy(update={"cashier": "Beto"}))
    stored = json.loads(settings_path().read_text())
    assert stored["printer"] == "tcp://10.0.0.9"
    assert stored["cashier"] == "Beto"


def test_invalid_environment_values_are_reported_not_applied(monkeypatch):
    monkeypatch.setenv("OCOTE_API_URL", "ocote.io/api/connect")
    monkeypatch.setenv("OCOTE_API_KEY", "odt_not-a-key")
    settings = load_settings()
    assert settings.api_url == config.PRODUCTION_API_URL
    problems = " ".join(settings.problems)
    assert "OCOTE_API_URL" in problems and "OCOTE_API_KEY" in problems
    assert "odt_not-a-key" not in problems


def test_repr_and_dump_hide_the_key(api_key):
    settings = Settings(api_key=SecretStr(api_key))
    assert api_key not in repr(settings) and api_key not in str(settings)
    assert api_key not in json.dumps(settings.model_dump(mode="json"))


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"schema": {"identificacion": {"ambiente": "00"}}}, "test"),
        ({"schema": {"identificacion": {"ambiente": "01"}}}, "production"),
        ({"identificacion": {"ambiente": "01"}}, "production"),  # the schema itself
        ({"schema": json.dumps({"identificacion": {"ambiente": "00"}})}, "test"),
        ({"schema": {"identificacion": {"ambiente": "02"}}}, None),
        ({"schema": {"identificacion": {}}}, None),
        ({"schema": None}, None),
        ({}, None),
    ],
)
def test_environment_of_dte(body, expected):
    assert environment_of_dte(body) == expected


def test_settings_file_location_follows_caja_config_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("CAJA_CONFIG_DIR", str(tmp_path / "elsewhere"))
    save_settings(Settings(cashier="Ana"))
    assert (tmp_path / "elsewhere" / "settings.json").exists()
    assert os.environ["CAJA_CONFIG_DIR"] in str(settings_path())


def test_an_unusable_settings_folder_gives_defaults(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("CAJA_CONFIG_DIR", str(blocker / "caja"))
    settings = load_settings()
    assert settings.model_dump() == Settings().model_dump()
    assert any("settings folder cannot be used" in p for p in settings.problems)
