"""Where Caja keeps its files. Environment variables override the platform defaults."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "caja"


def _dir(env: str, default: str) -> Path:
    value = os.environ.get(env)
    path = Path(value).expanduser() if value else Path(default)
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def data_dir() -> Path:
    """Journal, cached tickets, previews (``CAJA_DATA_DIR`` overrides)."""
    return _dir("CAJA_DATA_DIR", platformdirs.user_data_dir(APP_NAME, appauthor=False))


def config_dir() -> Path:
    """Settings file (``CAJA_CONFIG_DIR`` overrides)."""
    return _dir("CAJA_CONFIG_DIR", platformdirs.user_config_dir(APP_NAME, appauthor=False))


def log_dir() -> Path:
    """Rotating log files (``CAJA_LOG_DIR`` overrides)."""
    return _dir("CAJA_LOG_DIR", platformdirs.user_log_dir(APP_NAME, appauthor=False))
