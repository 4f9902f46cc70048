"""Choosing one product among several catalog matches (the sale screen's search)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Protocol

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from app.i18n import _
from app.ui.cart_model import fmt_money
from app.ui.dialogs import heading


class CatalogItem(Protocol):
    """What the picker shows of a product (``app.journal.Product``)."""

    @property
    def code(self) -> str: ...

    @property
    def description(self) -> str: ...

    @property
    def price(self) -> Decimal: ...


class ProductPicker(QDialog):
    """A list of catalog matches; Enter picks, Escape cancels."""

    def __init__(self, products: Sequence[CatalogItem], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Choose a product"))
        self.list = QListWidget()
        for p in products:
            item = QListWidgetItem(f"{p.code}  ·  {p.description}  ·  {fmt_money(p.price)}")
            item.setData(Qt.ItemDataRole.UserRole, p)
            self.list.addItem(item)
        self.list.setStyleSheet("font-size: 15px;")
        self.list.setCurrentRow(0)
        self.list.itemActivated.connect(lambda _item: self.accept())
        layout = QVBoxLayout(self)
        layout.addWidget(heading(_("Choose a product")))
        layout.addWidget(QLabel(_("Up/Down to choose, Enter to add, Esc to cancel.")))
        layout.addWidget(self.list)
        self.resize(520, 360)

    def product(self) -> CatalogItem | None:
        item = self.list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None
