"""Save and open dialogs that start where the person expects: the folder they used last, else
Documents (never the program's folder). The folder is remembered per purpose (``window.ini`` in the
configuration folder, next to the window geometry)."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths
from PySide6.QtWidgets import QFileDialog, QWidget

from app.paths import config_dir


def _store() -> QSettings:
    return QSettings(str(config_dir() / "window.ini"), QSettings.Format.IniFormat)


def start_folder(purpose: str) -> str:
    """The last folder used for ``purpose`` if it still exists, else Documents, else home."""
    last = _store().value(f"folders/{purpose}")
    if isinstance(last, str) and last and os.path.isdir(last):
        return last
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    if documents and os.path.isdir(documents):
        return documents
    return str(Path.home())


def remember_folder(purpose: str, path: str) -> None:
    store = _store()
    store.setValue(f"folders/{purpose}", str(Path(path).parent))
    store.sync()


def save_file(parent: QWidget | None, title: str, name: str, filters: str, purpose: str = "export") -> str:
    """Ask where to save ``name``; "" when cancelled. The chosen folder is remembered."""
    path, _filter = QFileDialog.getSaveFileName(parent, title, os.path.join(start_folder(purpose), name), filters)
    if path:
        remember_folder(purpose, path)
    return path


def open_file(parent: QWidget | None, title: str, filters: str, purpose: str = "import") -> str:
    """Ask for a file to open; "" when cancelled. The chosen folder is remembered."""
    path, _filter = QFileDialog.getOpenFileName(parent, title, start_folder(purpose), filters)
    if path:
        remember_folder(purpose, path)
    return path
