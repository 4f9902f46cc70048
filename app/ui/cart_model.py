"""Table model of the cart: one row per sale line; quantity, price and discount are editable.

The model shows a :class:`app.domain.cart.Cart` and forwards edits to it; the cart validates
with the domain rules. A rejected edit leaves the line unchanged and reports the message through
``editRejected`` so the window can show it next to the table.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor

from app.domain.cart import Cart, parse_decimal
from app.domain.errors import FieldError, ValidationError
from app.domain.invoice import SaleLine
from app.i18n import N_, _

Index = QModelIndex | QPersistentModelIndex

ERROR_BRUSH = QBrush(QColor("#f8c9c4"))


def fmt_money(value: Decimal) -> str:
    return f"${value.quantize(Decimal('0.01')):,.2f}"


def fmt_qty(value: Decimal) -> str:
    text = f"{value.normalize():f}"
    return text


class CartModel(QAbstractTableModel):
    """Rows are the cart's lines.

    Signals:
        editRejected(str): an edit broke a rule; carries the translated message.
        cartChanged(): lines were added, edited, removed, undone or cleared.
    """

    COL_CODE, COL_DESCRIPTION, COL_QTY, COL_PRICE, COL_DISCOUNT, COL_AMOUNT = range(6)
    HEADERS = (N_("Code"), N_("Description"), N_("Qty"), N_("Price"), N_("Disc. %"), N_("Amount"))
    EDITABLE = {
        COL_DESCRIPTION: "description",
        COL_QTY: "quantity",
        COL_PRICE: "unit_price",
        COL_DISCOUNT: "discount_pct",
    }
    #: Domain field of a line (``lines.<i>.<field>``) -> the column showing it.
    FIELD_COLUMNS = {field: col for col, field in EDITABLE.items()}
    LineRole = Qt.ItemDataRole.UserRole + 1

    editRejected = Signal(str)
    cartChanged = Signal()

    def __init__(self, cart: Cart, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._cart = cart
        self._lines: tuple[SaleLine, ...] = cart.lines
        self._marks: dict[tuple[int, int], str] = {}

    @property
    def cart(self) -> Cart:
        return self._cart

    def refresh(self) -> None:
        """Re-read the cart after a change made directly on it (clears the error marks)."""
        self.beginResetModel()
        self._lines = self._cart.lines
        self._marks.clear()
        self.endResetModel()
        self.cartChanged.emit()

    def mark_errors(self, errors: Iterable[FieldError]) -> list[QModelIndex]:
        """Highlight the cells named by ``errors`` (FieldErrors with ``lines.<i>.<field>`` paths).

        A path naming a line but no editable field marks the description. Returns the marked
        indexes, first error first, so the view can select and scroll to it.
        """
        self.clear_marks()
        marked = []
        for error in errors:
            parts = error.field.split(".")
            if parts[0] != "lines" or len(parts) < 2 or not parts[1].isdigit():
                continue
            row = int(parts[1])
            if not 0 <= row < len(self._lines):
                continue
            col = self.FIELD_COLUMNS.get(parts[2] if len(parts) > 2 else "", self.COL_DESCRIPTION)
            self._marks[(row, col)] = error.message
            index = self.index(row, col)
            self.dataChanged.emit(index, index)
            marked.append(index)
        return marked

    def clear_marks(self) -> None:
        """Remove every error highlight."""
        old, self._marks = self._marks, {}
        for row, col in old:
            if row < len(self._lines):
                index = self.index(row, col)
                self.dataChanged.emit(index, index)

    def mark_of(self, row: int, col: int) -> str | None:
        """The error message shown on a cell, if any."""
        return self._marks.get((row, col))

    # -- Qt model API -------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(self._lines)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return _(self.HEADERS[section])
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Vertical:
            return str(section + 1)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() in self.EDITABLE:
            base |= Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._lines):
            return None
        line = self._lines[index.row()]
        col = index.column()
        if role == self.LineRole:
            return line
        mark = self._marks.get((index.row(), col))
        if mark is not None and role == Qt.ItemDataRole.BackgroundRole:
            return ERROR_BRUSH
        if mark is not None and role == Qt.ItemDataRole.ToolTipRole:
            return mark
        if role == Qt.ItemDataRole.DisplayRole:
            return {
                self.COL_CODE: line.code or "",
                self.COL_DESCRIPTION: line.description,
                self.COL_QTY: fmt_qty(line.quantity),
                self.COL_PRICE: fmt_money(line.unit_price),
                self.COL_DISCOUNT: fmt_qty(line.discount_pct) if line.discount_pct else "",
                self.COL_AMOUNT: fmt_money(line.gross),
            }.get(col)
        if role == Qt.ItemDataRole.EditRole:
            return {
                self.COL_DESCRIPTION: line.description,
                self.COL_QTY: fmt_qty(line.quantity),
                self.COL_PRICE: f"{line.unit_price:f}",
                self.COL_DISCOUNT: fmt_qty(line.discount_pct),
            }.get(col)
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (
            self.COL_QTY,
            self.COL_PRICE,
            self.COL_DISCOUNT,
            self.COL_AMOUNT,
        ):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def setData(self, index: Index, value, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or index.column() not in self.EDITABLE:
            return False
        field = self.EDITABLE[index.column()]
        try:
            if field == "description":
                new_value: object = str(value).strip()
            else:
                new_value = parse_decimal(str(value), f"lines.{index.row()}.{field}", _(self.HEADERS[index.column()]))
            self._cart.update(index.row(), **{field: new_value})
        except ValidationError as exc:
            self.editRejected.emit(exc.message)
            return False
        self._lines = self._cart.lines
        row = index.row()
        self._marks.pop((row, index.column()), None)  # corrected: repainted below without it
        self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))
        self.cartChanged.emit()
        return True
