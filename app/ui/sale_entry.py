"""The sale screen's entry field: scans, typed codes, search as you type, and the keys the entry
and the cart table share.

``Enter`` resolves what was typed with :func:`app.services.scan.resolve_scan` (an exact code or
barcode is added at once). While a person types words, suggestions (name or code,
accent-insensitive) show under the entry after :data:`~app.services.scan.MIN_SUGGEST_CHARS`
letters: ``Down``/``Up`` move through them, ``Enter`` adds the highlighted one, ``Esc`` closes them.

Scanning pays nothing for it: a key only restarts a short timer (:data:`SUGGEST_DELAY_MS`); a
scanner types its code and ``Enter`` well within it, so no lookup runs while it scans, and an
``Enter`` with no suggestion highlighted always takes the exact code first. The lookup itself is a
prebuilt in-memory index (about a millisecond over 20,000 products), built on a worker.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, QTimer
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QTableView,
    QWidget,
)

from app.domain.cart import IndexedProduct, ProductIndex
from app.domain.invoice import SaleLine
from app.domain.scale import ScaleLabelError, scale_line
from app.services.scan import SuggestionIndex, resolve_scan
from app.ui.cart_model import fmt_money
from app.ui.outcome import ERROR_STYLE
from app.ui.product_picker import ProductPicker

if TYPE_CHECKING:
    from app.domain.cart import Cart
    from app.ui.context import AppContext

#: Quiet time after the last key before suggestions are looked up (a scanner is done by then).
SUGGEST_DELAY_MS = 120
VISIBLE_ROWS = 8


class SuggestionList(QListWidget):
    """The suggestions under the entry: a child overlay that never takes the keyboard (the entry
    keeps it, so a scan during a search still lands in the entry); a click picks too."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("suggestions")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setStyleSheet("font-size: 16px;")
        self.hide()

    def show_products(self, products: list[IndexedProduct], anchor: QLineEdit) -> None:
        self.clear()
        for p in products:
            item = QListWidgetItem(f"{p.description}  ·  {p.code}  ·  {fmt_money(p.price)}")
            item.setData(Qt.ItemDataRole.UserRole, p)
            self.addItem(item)
        if not products:
            self.hide()
            return
        owner = self.parentWidget()
        assert owner is not None
        corner = anchor.mapTo(owner, QPoint(0, anchor.height()))
        rows = min(len(products), VISIBLE_ROWS)
        self.setGeometry(corner.x(), corner.y(), anchor.width(), rows * self.sizeHintForRow(0) + 2 * self.frameWidth())
        self.setCurrentRow(-1)  # nothing highlighted: Enter still means the code typed
        self.raise_()
        self.show()

    def move_highlight(self, step: int) -> None:
        row = self.currentRow() + step
        self.setCurrentRow(max(0, min(row, self.count() - 1)))

    def highlighted(self) -> IndexedProduct | None:
        item = self.currentItem()
        if item is None or not self.isVisible() or self.currentRow() < 0:
            return None
        product: IndexedProduct = item.data(Qt.ItemDataRole.UserRole)
        return product


class EntryHandling:
    """The entry's behaviour, mixed into :class:`~app.ui.sale_screen.SaleScreen` (which owns the
    widgets and the cart)."""

    ctx: AppContext
    entry: QLineEdit
    table: QTableView
    cart: Cart
    products: ProductIndex
    suggestion_index: SuggestionIndex
    suggestions: SuggestionList
    _suggest_timer: QTimer
    _key_actions: dict[Qt.Key, Callable[[], object]]

    # Provided by the screen.
    def show_message(self, text: str, style: str = ...) -> None:
        raise NotImplementedError

    def focus_entry(self) -> None:
        raise NotImplementedError

    def delete_line(self) -> None:
        raise NotImplementedError

    def undo(self) -> None:
        raise NotImplementedError

    def _selected_row(self) -> int | None:
        raise NotImplementedError

    def _add_line(self, line: SaleLine) -> bool:
        raise NotImplementedError

    def _build_entry(self, owner: QWidget) -> None:
        self.suggestions = SuggestionList(owner)
        self.suggestions.itemClicked.connect(lambda item: self._pick(item.data(Qt.ItemDataRole.UserRole)))
        self._suggest_timer = QTimer(owner)
        self._suggest_timer.setSingleShot(True)
        self._suggest_timer.setInterval(SUGGEST_DELAY_MS)
        self._suggest_timer.timeout.connect(self.update_suggestions)
        self.entry.textEdited.connect(lambda _text: self._suggest_timer.start())
        self.entry.returnPressed.connect(self.submit_entry)

    # -- suggestions -----------------------------------------------------------------------------
    def update_suggestions(self) -> None:
        """Look up what the entry holds now and show the matches (none: hidden)."""
        self._suggest_timer.stop()
        found = self.suggestion_index.suggest(self.entry.text()) if self.entry.hasFocus() else []
        self.suggestions.show_products(found, self.entry)

    def hide_suggestions(self) -> None:
        self._suggest_timer.stop()
        self.suggestions.hide()

    def _pick(self, product: IndexedProduct) -> None:
        from app.domain.cart import parse_entry

        self.hide_suggestions()
        quantity = parse_entry(self.entry.text()).quantity
        self._add_product(product, quantity)
        self.focus_entry()

    # -- Enter -------------------------------------------------------------------------------------
    def submit_entry(self) -> None:
        """``Enter``: the highlighted suggestion, else what was typed (exact code first)."""
        chosen = self.suggestions.highlighted()
        if chosen is not None:
            self._pick(chosen)
            return
        self.hide_suggestions()
        raw = self.entry.text()
        if not raw.strip():
            return
        scan = resolve_scan(raw, self.products)
        if (
            not scan.quantity_refused
            and self.products.find(scan.text) is None
            and self._add_scale_label(scan.text, scan.quantity)
        ):
            return
        product = scan.product
        if scan.error:
            self.show_message(scan.error, ERROR_STYLE)
            self.entry.selectAll()
            return
        if product is None:
            picker = ProductPicker(scan.matches, self.entry.window())
            if picker.exec() == QDialog.DialogCode.Accepted:
                product = picker.product()
            if product is None:
                self.entry.selectAll()
                return
        self._add_product(product, scan.quantity)

    def _add_scale_label(self, code: str, quantity: Decimal | None) -> bool:
        """A scale label (app.domain.scale) adds its line; True when ``code`` was one."""
        try:
            line = scale_line(code, self.ctx.settings.scale_format, self.products.find, quantity)
        except ScaleLabelError as exc:
            self.show_message(exc.message, ERROR_STYLE)
            self.entry.selectAll()
            return True
        if line is not None and self._add_line(line):
            self.entry.clear()
        return line is not None

    def _add_product(self, product: IndexedProduct, quantity: Decimal | None) -> None:
        line = SaleLine(
            description=product.description,
            quantity=quantity or Decimal(1),
            unit_price=product.price,
            code=product.code,
        )
        if self._add_line(line):
            self.entry.clear()

    # -- keys --------------------------------------------------------------------------------------
    def entry_key(self, event: QKeyEvent) -> bool:
        """Keys the entry field would otherwise keep for itself: ``Up``/``Down`` move through the
        suggestions (when shown) or the cart selection; ``Esc`` closes the suggestions; with the
        entry empty, ``Delete`` removes the selected line and ``Ctrl+Z`` undoes the last change."""
        key = event.key()
        if self.suggestions.isVisible():
            if key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
                self.suggestions.move_highlight(-1 if key == Qt.Key.Key_Up else 1)
                return True
            if key == Qt.Key.Key_Escape:
                self.hide_suggestions()
                return True
        if key in (Qt.Key.Key_Up, Qt.Key.Key_Down) and len(self.cart):
            row = self._selected_row()
            row = (row if row is not None else 0) + (-1 if key == Qt.Key.Key_Up else 1)
            self.table.selectRow(max(0, min(row, len(self.cart) - 1)))
            return True
        if not self.entry.text():
            if key == Qt.Key.Key_Delete:
                self.delete_line()
                return True
            if event.matches(QKeySequence.StandardKey.Undo):
                self.undo()
                return True
        return False

    def table_key(self, event: QKeyEvent) -> bool:
        """Typing while the cart table has the keyboard goes to the entry (a barcode scanner
        types there, whatever was clicked last); ``Enter`` gives the keyboard back to it too."""
        if self.table.state() == QAbstractItemView.State.EditingState:
            return False
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.focus_entry()
            return True
        text = event.text()
        command = event.modifiers() & (
            Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.MetaModifier
        )
        if text and text.isprintable() and not command:
            self._typed_elsewhere(text)
            return True
        return False

    def _typed_elsewhere(self, text: str) -> None:
        """Text typed while a list had the keyboard: it was meant for the entry (a scanner)."""
        self.focus_entry()
        self.entry.insert(text)

    def filter_key(self, watched: QObject, event: QEvent) -> bool:
        """The screen's event filter body: True when the key was handled here."""
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and watched is self.entry
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Escape
            and self.suggestions.isVisible()
        ):
            event.accept()  # Esc closes the suggestions (a key press), not the sale (the shortcut)
            return True
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            if watched is self.entry and event.type() == QEvent.Type.FocusOut:
                self.hide_suggestions()
            return False
        if watched is self.table:
            return self.table_key(event)
        if watched is self.entry:
            return self.entry_key(event)
        return False

    def function_key(self, event: QKeyEvent) -> bool:
        """Function keys that reached the screen unhandled (no active window: no shortcut fired)."""
        action = self._key_actions.get(Qt.Key(event.key()))
        if action is not None and event.modifiers() in (
            Qt.KeyboardModifier.NoModifier,
            Qt.KeyboardModifier.KeypadModifier,
        ):
            event.accept()
            action()
            return True
        return False
