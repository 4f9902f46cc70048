"""Typed settings with defaults, declared once.

Nobody reads string keys scattered around: code asks :func:`load_settings` for a
:class:`Settings`. Environment variables override the stored values for headless use:
``OCOTE_API_URL``, ``OCOTE_API_KEY``, ``CAJA_PRINTER``, ``CAJA_DATA_DIR`` (see ``app.paths``).

Training mode is simply "no API key configured": the app then talks to its embedded sandbox and
prints to the preview printer.
"""

from __future__ import annotations

import os

from pydantic import BaseModel, ConfigDict, Field, SecretStr

PRODUCTION_API_URL = "https://ocote.io/api/connect"


class Settings(BaseModel):
    model_config = ConfigDict(extra="ignore", validate_assignment=True)

    api_url: str = PRODUCTION_API_URL
    # Never written to the settings file: kept in the OS keyring (or the documented fallback).
    api_key: SecretStr | None = Field(default=None, exclude=True)
    printer: str = ""  # connection URL (tcp://, usb://, serial://, file:, cups://, win32://, preview:, dummy:)
    printer_profile: str = "generic-80"
    cut: bool = True
    drawer_on_cash: bool = False
    branch_code: str = "M001"  # 4-char MH establishment code, as in control numbers
    register_code: str = "P001"  # 4-char MH point-of-sale code
    cashier: str = ""
    language: str = "es"

    @property
    def training_mode(self) -> bool:
        return self.api_key is None or not self.api_key.get_secret_value()


def apply_environment(settings: Settings) -> Settings:
    """Return ``settings`` with environment overrides applied."""
    updates: dict[str, object] = {}
    if os.environ.get("OCOTE_API_URL"):
        updates["api_url"] = os.environ["OCOTE_API_URL"]
    if os.environ.get("OCOTE_API_KEY"):
        updates["api_key"] = SecretStr(os.environ["OCOTE_API_KEY"])
    if os.environ.get("CAJA_PRINTER"):
        updates["printer"] = os.environ["CAJA_PRINTER"]
    return settings.model_copy(update=updates)


def load_settings() -> Settings:
    """The effective settings: stored values, then environment overrides."""
    return apply_environment(Settings())
