"""Showing a rendered ticket (PNG bytes from a worker) in a label."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QLabel

#: Width of a ticket preview on screen (pixels).
PREVIEW_WIDTH = 300


def show_png(label: QLabel, png: bytes | None, width: int = PREVIEW_WIDTH) -> None:
    """Put ``png`` in ``label`` scaled to ``width``; nothing to show leaves the label as it is."""
    if not png:
        return
    image = QImage.fromData(png)  # the format is detected from the data
    label.setPixmap(QPixmap.fromImage(image).scaledToWidth(width, Qt.TransformationMode.SmoothTransformation))
