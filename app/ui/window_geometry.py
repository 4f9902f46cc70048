"""Where the window goes on the screen, and remembering it.

A till often runs X with no window manager: nothing places, sizes or maximises the window, so it
must do it itself. :func:`place` picks the saved geometry when it still fits the screen, else fills
a small screen (1024×768, 1366×768) and centres a comfortable size on a large one. The geometry is
kept in ``window.ini`` in the configuration folder (``CAJA_CONFIG_DIR``), a tiny local write done
when the window closes.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QRect, QSettings, QSize
from PySide6.QtWidgets import QApplication, QWidget

from app.paths import config_dir

log = logging.getLogger(__name__)

#: The size the window asks for on a large screen.
PREFERRED = QSize(1280, 800)
#: Screens up to this size are filled entirely (a cashier needs every pixel of them).
SMALL_SCREEN = QSize(1400, 900)
_KEY = "window/geometry"


def _store() -> QSettings:
    return QSettings(str(config_dir() / "window.ini"), QSettings.Format.IniFormat)


def saved_geometry() -> QRect | None:
    """The geometry kept when the window last closed (None when none or unreadable)."""
    value = _store().value(_KEY)
    if isinstance(value, QRect) and value.isValid():
        return value
    if isinstance(value, (list, tuple)) and len(value) == 4:
        try:
            rect = QRect(*(int(v) for v in value))
        except (TypeError, ValueError):
            return None
        return rect if rect.isValid() else None
    return None


def save_geometry(window: QWidget) -> None:
    """Remember the window's frame-less geometry for the next start."""
    g = window.geometry()
    store = _store()
    store.setValue(_KEY, [g.x(), g.y(), g.width(), g.height()])
    store.sync()


def choose(available: QRect, saved: QRect | None, minimum: QSize | None = None) -> QRect:
    """The geometry for a window on a screen whose usable area is ``available``.

    ``saved`` wins when it lies entirely within the screen (and is at least ``minimum``);
    otherwise a small screen is filled and a large one gets :data:`PREFERRED`, centred.
    """
    if saved is not None and available.contains(saved):
        if minimum is None or (saved.width() >= minimum.width() and saved.height() >= minimum.height()):
            return QRect(saved)
    if available.width() <= SMALL_SCREEN.width() or available.height() <= SMALL_SCREEN.height():
        return QRect(available)
    size = PREFERRED.boundedTo(available.size())
    rect = QRect(0, 0, size.width(), size.height())
    rect.moveCenter(available.center())
    return rect


def place(window: QWidget) -> QRect:
    """Size and position ``window`` on its screen (before it is shown); returns the geometry."""
    screen = window.screen() or QApplication.primaryScreen()
    if screen is None:  # no display at all: keep Qt's default
        return window.geometry()
    try:
        saved = saved_geometry()
    except Exception as exc:  # a damaged file must not stop the till from starting
        log.warning("window geometry not read: %s", exc)
        saved = None
    rect = choose(screen.availableGeometry(), saved, window.minimumSizeHint())
    window.setGeometry(rect)
    return rect
