"""Locate files under ``resources/`` whether Caja runs from a checkout or a PyInstaller bundle."""

from __future__ import annotations

import sys
from pathlib import Path


def resources_dir() -> Path:
    """The folder holding icons, translations and sample data."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:  # PyInstaller one-folder build: data files sit beside the executable's libraries
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource_path(*parts: str) -> Path:
    """Path of a file under ``resources/``; the file may not exist."""
    return resources_dir().joinpath(*parts)
