"""Quick keys: a grid of favourite products for items without a barcode (bread, produce).

A click or a touch on a key adds its product; ``Alt+1`` ... ``Alt+9`` (and ``Alt+0`` for the tenth)
press the first ten from the keyboard. A number typed in the entry first is the quantity, as with
the entry's ``3*`` syntax: ``3`` (or ``3*``) then the key adds 3, ``0.75`` then the key adds 0.75
(kg of produce). The key goes through the entry itself (``3*CODE`` + Enter), so a quick key behaves
exactly like typing the code: same checks, same messages, same undo.

Which products, in which order: the ``quick_keys`` setting (product codes), edited with
:class:`QuickKeysDialog` (the *Edit…* button beside the grid) or ``caja quickkeys set CODE...``.

:func:`attach_quick_keys` puts the panel on the sale screen below the cart; the screen calls
:meth:`QuickKeysPanel.refresh` when its catalog is (re)loaded.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QResizeEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _
from app.ui.cart_model import fmt_money
from app.ui.dialogs import heading

if TYPE_CHECKING:
    from app.ui.sale_screen import SaleScreen

__all__ = [
    "COLUMNS",
    "KEY_WIDTH",
    "MAX_KEYS",
    "QuickKeysDialog",
    "QuickKeysPanel",
    "attach_quick_keys",
    "press_quick_key",
    "typed_quantity",
]

log = logging.getLogger(__name__)

#: Keys per row of the grid, at most (fewer when the screen is narrow).
COLUMNS = 6
#: The narrowest a key gets before the grid takes a column less.
KEY_WIDTH = 135
#: At most this many keys (the setting allows no more).
MAX_KEYS = 60
_DIGIT_KEYS = {getattr(Qt.Key, f"Key_{n}"): (n - 1) % 10 for n in range(10)}  # Alt+1 -> 0, ..., Alt+0 -> 9
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?", re.ASCII)


class QuickProduct(Protocol):
    """What a key shows of a product (``app.journal.Product``)."""

    @property
    def code(self) -> str: ...

    @property
    def description(self) -> str: ...

    @property
    def price(self) -> Decimal: ...


def typed_quantity(text: str) -> str:
    """The quantity typed before a quick key (``"3"``, ``"3*"``, ``"0,75"``), or ``""``."""
    text = text.strip().removesuffix("*").strip()
    return text if _NUMBER.fullmatch(text) else ""


def press_quick_key(entry: QLineEdit, code: str, submit: Callable[[], object]) -> None:
    """Add ``code`` through the entry: ``N*code`` when a quantity was typed first, else ``code``.
    Other text in the entry is replaced (the cashier chose a key instead)."""
    quantity = typed_quantity(entry.text())
    entry.setText(f"{quantity}*{code}" if quantity else code)
    submit()


class QuickKeysPanel(QFrame):
    """The grid of quick keys.

    Args:
        codes: returns the configured product codes, in order (the ``quick_keys`` setting).
        find: the product with a code, or None (the screen's in-memory catalog).

    Signals:
        chosen(str): a key was pressed; the product's code.
        editRequested(): the *Edit…* button.
    """

    chosen = Signal(str)
    editRequested = Signal()

    def __init__(
        self,
        codes: Callable[[], Sequence[str]],
        find: Callable[[str], QuickProduct | None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("quickKeys")
        self._codes = codes
        self._find = find
        self.buttons: list[_KeyButton] = []
        self._columns = 0
        self.grid = QGridLayout()
        self.grid.setSpacing(4)
        self.edit_button = QPushButton(_("Quick keys…"))
        self.edit_button.setObjectName("editQuickKeys")
        self.edit_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.edit_button.clicked.connect(self.editRequested)
        row = QHBoxLayout()
        row.addLayout(self.grid, 1)
        row.addWidget(self.edit_button, 0, Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignRight)
        row.setContentsMargins(0, 0, 0, 0)
        self.setLayout(row)
        self.refresh()

    def refresh(self) -> None:
        """Rebuild the keys from the setting and the catalog (an unknown code shows disabled)."""
        for button in self.buttons:
            self.grid.removeWidget(button)
            button.deleteLater()
        self.buttons = []
        for index, code in enumerate(list(self._codes())[:MAX_KEYS]):
            product = self._find(code)
            number = f"{(index + 1) % 10}  " if index < len(_DIGIT_KEYS) else ""
            if product is None:
                button = _KeyButton(f"{number}{code}", _("not in the catalog"))
            else:
                button = _KeyButton(f"{number}{product.description}", fmt_money(product.price))
            button.setObjectName(f"quickKey{index}")
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the entry keeps the keyboard (scanner)
            button.setMinimumHeight(64)  # a finger's width on a touch screen; three lines of text
            # Long descriptions must never widen the window (1024 px tills): the grid shares the
            # width it gets, and the text is cut to what fits.
            button.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
            button.setMinimumWidth(60)
            button.setEnabled(product is not None)
            button.setToolTip(code if product is None else f"{code} · {product.description}")
            button.clicked.connect(lambda _checked=False, c=code: self.chosen.emit(c))
            self.buttons.append(button)
        self._columns = 0
        self._arrange()
        self.edit_button.setText(_("Quick keys…") if self.buttons else _("Add quick keys…"))

    def _arrange(self) -> None:
        """Lay the keys out in as many columns as fit keys of :data:`KEY_WIDTH` (2 to
        :data:`COLUMNS`), so names stay readable at 1024 pixels."""
        room = self.width() - self.edit_button.sizeHint().width()
        columns = max(2, min(COLUMNS, room // KEY_WIDTH))
        if columns == self._columns:
            return
        self._columns = columns
        for button in self.buttons:
            self.grid.removeWidget(button)
        for index, button in enumerate(self.buttons):
            self.grid.addWidget(button, index // columns, index % columns)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._arrange()

    def press(self, index: int) -> bool:
        """Press key ``index`` (0-based) as a click would; False when there is no such usable key."""
        if 0 <= index < len(self.buttons) and self.buttons[index].isEnabled():
            self.buttons[index].click()
            return True
        return False

    def key_index(self, event: QKeyEvent) -> int | None:
        """The key ``Alt+digit`` presses (``Alt+1`` -> 0 ... ``Alt+0`` -> 9), else None."""
        modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if modifiers != Qt.KeyboardModifier.AltModifier:
            return None
        return _DIGIT_KEYS.get(Qt.Key(event.key()))


class _KeyButton(QPushButton):
    """A quick key: the description on up to two lines, then the price, cut to the width the key
    is given (a long name never widens the window)."""

    def __init__(self, title: str, detail: str) -> None:
        super().__init__()
        self.lines = [title, detail]
        self._fit()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        metrics = self.fontMetrics()
        room = max(self.width() - 12, 20)
        title, detail = self.lines
        first, rest = title, ""
        if metrics.horizontalAdvance(title) > room:  # break at the last space that fits
            words = title.split()
            for cut in range(len(words) - 1, 0, -1):
                if metrics.horizontalAdvance(" ".join(words[:cut])) <= room:
                    first, rest = " ".join(words[:cut]), " ".join(words[cut:])
                    break
        shown = [metrics.elidedText(line, Qt.TextElideMode.ElideRight, room) for line in (first, rest) if line]
        self.setText("\n".join([*shown, detail]))


class _AltDigits(QObject):
    """Routes ``Alt+digit`` on the entry (or the cart) to the panel: a filter rather than a
    QShortcut, so it also works on a till whose window is never active (no window manager)."""

    def __init__(self, panel: QuickKeysPanel) -> None:
        super().__init__(panel)
        self.panel = panel

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            index = self.panel.key_index(event)
            if index is not None:
                self.panel.press(index)
                return True
        return False


class QuickKeysDialog(QDialog):
    """Choose the quick keys: search the catalog, add, remove, reorder.

    Keys: type to search, ``Enter`` on a match adds it; in the chosen list ``Delete`` removes and
    ``Ctrl+Up``/``Ctrl+Down`` move the key.
    """

    def __init__(
        self,
        codes: Sequence[str],
        search: Callable[[str], Sequence[QuickProduct]],
        find: Callable[[str], QuickProduct | None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Quick keys"))
        self._search_catalog = search
        self._find = find
        self.search = QLineEdit()
        self.search.setPlaceholderText(_("Search the catalog: code or words"))
        self.matches = QListWidget()
        self.chosen = QListWidget()
        self.chosen.setObjectName("chosenQuickKeys")
        add, remove = QPushButton(_("Add →")), QPushButton(_("Remove"))
        up, down = QPushButton(_("Up")), QPushButton(_("Down"))
        for button in (add, remove, up, down):
            button.setAutoDefault(False)
        add.clicked.connect(self.add_current)
        remove.clicked.connect(self.remove_current)
        # Bound methods, not lambdas: PySide's lambda receivers on these dialog-local buttons made
        # Qt warn "shared QObject was deleted directly" and corrupt the heap at exit (seen in tests).
        up.clicked.connect(self.move_up)
        down.clicked.connect(self.move_down)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("OK"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        left = QVBoxLayout()
        left.addWidget(self.search)
        left.addWidget(self.matches, 1)
        left.addWidget(add)
        right = QVBoxLayout()
        right.addWidget(QLabel(_("Keys, in order (Alt+1 … Alt+0 press the first ten)")))
        right.addWidget(self.chosen, 1)
        moves = QHBoxLayout()
        for button in (up, down, remove):
            moves.addWidget(button)
        right.addLayout(moves)
        columns = QHBoxLayout()
        columns.addLayout(left, 1)
        columns.addLayout(right, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(heading(_("Quick keys")))
        layout.addLayout(columns, 1)
        layout.addWidget(buttons)
        for code in codes:
            self._append(code)
        self.search.textChanged.connect(self._show_matches)
        self.search.installEventFilter(self)
        self.matches.installEventFilter(self)
        self.chosen.installEventFilter(self)
        self.matches.itemActivated.connect(self._activated)
        self.resize(720, 440)
        self.search.setFocus(Qt.FocusReason.OtherFocusReason)

    def codes(self) -> list[str]:
        """The chosen product codes, in order."""
        return [str(self.chosen.item(i).data(Qt.ItemDataRole.UserRole)) for i in range(self.chosen.count())]

    def _append(self, code: str) -> None:
        product = self._find(code)
        label = f"{code}  ·  {product.description}" if product is not None else f"{code}  ·  ?"
        item = QListWidgetItem(label)
        item.setData(Qt.ItemDataRole.UserRole, code)
        self.chosen.addItem(item)

    def _show_matches(self, text: str) -> None:
        self.matches.clear()
        for product in self._search_catalog(text)[:50] if text.strip() else []:
            item = QListWidgetItem(f"{product.code}  ·  {product.description}  ·  {fmt_money(product.price)}")
            item.setData(Qt.ItemDataRole.UserRole, product.code)
            self.matches.addItem(item)
        if self.matches.count():
            self.matches.setCurrentRow(0)

    def add_current(self) -> None:
        """Add the highlighted match at the end (once; at most :data:`MAX_KEYS`)."""
        item = self.matches.currentItem()
        if item is None or self.chosen.count() >= MAX_KEYS:
            return
        code = str(item.data(Qt.ItemDataRole.UserRole))
        if code not in self.codes():
            self._append(code)
        self.chosen.setCurrentRow(self.codes().index(code))

    def remove_current(self) -> None:
        row = self.chosen.currentRow()
        if row < 0:
            return
        # Rebuilt rather than takeItem(): PySide's ownership of a taken item is unreliable (a
        # double free at exit in tests).
        codes = self.codes()
        del codes[row]
        self.chosen.clear()
        for code in codes:
            self._append(code)
        if codes:
            self.chosen.setCurrentRow(min(row, len(codes) - 1))

    def move_up(self) -> None:
        self.move_current(-1)

    def move_down(self) -> None:
        self.move_current(1)

    def _activated(self, _item: QListWidgetItem) -> None:
        self.add_current()

    def move_current(self, step: int) -> None:
        row = self.chosen.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < self.chosen.count():
            return
        # Swap the two rows' text and code rather than take the item out and insert it back (see
        # remove_current).
        here, there = self.chosen.item(row), self.chosen.item(target)
        role = Qt.ItemDataRole.UserRole
        here_text, here_code = here.text(), here.data(role)
        here.setText(there.text())
        here.setData(role, there.data(role))
        there.setText(here_text)
        there.setData(role, here_code)
        self.chosen.setCurrentRow(target)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return super().eventFilter(watched, event)
        key, ctrl = event.key(), bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier)
        if watched in (self.search, self.matches) and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.add_current()
            return True
        if watched is self.search and key in (Qt.Key.Key_Down, Qt.Key.Key_Up) and self.matches.count():
            step = 1 if key == Qt.Key.Key_Down else -1
            self.matches.setCurrentRow(min(max(self.matches.currentRow() + step, 0), self.matches.count() - 1))
            return True
        if watched is self.chosen:
            if key == Qt.Key.Key_Delete:
                self.remove_current()
                return True
            if ctrl and key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
                self.move_current(-1 if key == Qt.Key.Key_Up else 1)
                return True
        return super().eventFilter(watched, event)


# ------------------------------------------------------------------------------ the sale screen
def _layout_holding(layout: QLayout | None, widget: QWidget) -> QBoxLayout | None:
    """The box layout (under ``layout``) that directly holds ``widget``."""
    if layout is None:
        return None
    if isinstance(layout, QBoxLayout) and layout.indexOf(widget) >= 0:
        return layout
    for i in range(layout.count()):
        item = layout.itemAt(i)
        child = item.layout() if item is not None else None
        found = _layout_holding(child, widget) if child is not None else None
        if found is not None:
            return found
    return None


def attach_quick_keys(screen: SaleScreen) -> QuickKeysPanel:
    """Put the quick keys below the sale screen's cart and wire them to its entry."""
    # Looked up through the screen each time: it replaces its catalog index on every reload.
    panel = QuickKeysPanel(lambda: screen.ctx.settings.quick_keys, lambda code: screen.products.find(code), screen)
    holder = _layout_holding(screen.layout(), screen.table)
    if holder is not None:
        holder.insertWidget(holder.indexOf(screen.table) + 1, panel)
    else:  # a layout without the cart in a box: keep the keys usable anyway
        log.warning("quick keys: the cart's layout was not found; keys added at the end")
        outer = screen.layout()
        if isinstance(outer, QBoxLayout):
            outer.addWidget(panel)
    panel.chosen.connect(lambda code: press_quick_key(screen.entry, code, screen.submit_entry))
    panel.editRequested.connect(lambda: edit_quick_keys(screen, panel))
    digits = _AltDigits(panel)
    screen.entry.installEventFilter(digits)
    screen.table.installEventFilter(digits)
    return panel


def edit_quick_keys(screen: SaleScreen, panel: QuickKeysPanel) -> None:
    """Open :class:`QuickKeysDialog`; OK saves the ``quick_keys`` setting (on the backend executor)."""
    from app.config import save_settings
    from app.services.settings_service import settings_from_values

    dialog = QuickKeysDialog(
        screen.ctx.settings.quick_keys, lambda text: screen.products.search(text), screen.products.find, screen
    )
    if dialog.exec() != QDialog.DialogCode.Accepted:
        screen.focus_entry()
        return
    updated = settings_from_values(screen.ctx.settings, {"quick_keys": dialog.codes()})

    def saved(_result: object) -> None:
        screen.ctx.settings = screen.ctx.settings.model_copy(update={"quick_keys": updated.quick_keys})
        panel.refresh()

    screen.ctx.runner.submit("backend", save_settings, updated, on_done=saved)
    screen.focus_entry()
