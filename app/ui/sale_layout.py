"""The sale screen's widgets, built and laid out outside the screen's behaviour.

:func:`build_sale_layout` creates every widget of the sale screen, lays them out on ``owner``
and hands them back in a :class:`SaleWidgets`; :class:`~app.ui.sale_screen.SaleScreen` connects
them and holds the behaviour.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QImage, QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.invoice import Customer, Totals
from app.i18n import _
from app.ui.cart_model import CartModel, fmt_money
from app.ui.pixmaps import PREVIEW_WIDTH
from app.ui.recent_sales import RecentSales


@dataclass
class SaleWidgets:
    """Every widget of the sale screen the behaviour touches."""

    entry: QLineEdit
    table: QTableView
    badge: QLabel
    message: QLabel
    reprint_button: QPushButton
    free_button: QPushButton
    customer_button: QPushButton
    delete_button: QPushButton
    undo_button: QPushButton
    new_button: QPushButton
    items_label: QLabel
    discount_label: QLabel
    vat_label: QLabel
    total_label: QLabel
    customer_label: QLabel
    change_label: QLabel
    charge_button: QPushButton
    preview: QLabel
    recent: RecentSales
    preview_scroll: QScrollArea

    @property
    def action_buttons(self) -> tuple[QPushButton, ...]:
        """The buttons disabled while a sale is in flight."""
        return (self.delete_button, self.undo_button, self.free_button, self.customer_button, self.new_button)


def _entry() -> QLineEdit:
    entry = QLineEdit()
    entry.setObjectName("entry")
    entry.setPlaceholderText(_("Scan or type a code, 3*code for a quantity, or words to search"))
    entry.setStyleSheet("font-size: 20px; padding: 6px;")
    return entry


def _cart_table(model: CartModel) -> QTableView:
    table = QTableView()
    table.setObjectName("cart")
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    # No AnyKeyPressed: a scan while the cart has the keyboard must add a product, not land
    # in a cell (the screen's eventFilter hands typed text to the entry); F2 or a double click edits.
    table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.EditKeyPressed)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(CartModel.COL_DESCRIPTION, QHeaderView.ResizeMode.Stretch)
    table.setStyleSheet("font-size: 15px;")
    return table


def _label(name: str = "", *, hidden: bool = False) -> QLabel:
    label = QLabel()
    if name:
        label.setObjectName(name)
    if hidden:
        label.hide()
    return label


def build_sale_layout(owner: QWidget, model: CartModel) -> SaleWidgets:
    """Create the sale screen's widgets and lay them out on ``owner``."""
    message = _label("message", hidden=True)
    message.setWordWrap(True)
    message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    reprint = QPushButton(_("Reprint ticket"))
    reprint.setObjectName("reprint")
    reprint.hide()
    total = _label("total")
    total.setStyleSheet("font-size: 44px; font-weight: bold;")
    total.setAlignment(Qt.AlignmentFlag.AlignRight)
    # The change to hand back, as large as the total: the cashier reads it with the cash in hand.
    change = _label("changeDue", hidden=True)
    change.setStyleSheet("font-size: 30px; font-weight: bold; color:#0b5d1e;")
    change.setAlignment(Qt.AlignmentFlag.AlignRight)
    customer = _label()
    customer.setWordWrap(True)
    charge = QPushButton(_("Charge (F12)"))
    charge.setObjectName("charge")
    charge.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    charge.setMinimumHeight(64)
    charge.setStyleSheet(
        "QPushButton { font-size: 22px; font-weight: bold; background:#1565c0;"
        " color:white; } QPushButton:disabled { background:#9e9e9e; }"
    )
    preview = QLabel(_("The last ticket appears here."))
    preview.setObjectName("preview")
    preview.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
    w = SaleWidgets(
        entry=_entry(),
        table=_cart_table(model),
        badge=_label("badge", hidden=True),
        message=message,
        reprint_button=reprint,
        free_button=QPushButton(_("Free line (F4)")),
        customer_button=QPushButton(_("Customer (F5)")),
        delete_button=QPushButton(_("Delete line (Del)")),
        undo_button=QPushButton(_("Undo (Ctrl+Z)")),
        new_button=QPushButton(_("New sale (Esc)")),
        items_label=_label(),
        discount_label=_label(),
        vat_label=_label(),
        total_label=total,
        customer_label=customer,
        change_label=change,
        charge_button=charge,
        preview=preview,
        recent=RecentSales(),
        preview_scroll=QScrollArea(),
    )

    # Two rows: the sale's lines and customer (F7 Crédito fiscal joins after Cliente), then the
    # cart's undo/delete/new. In one row the Spanish labels made the window 1,073 px wide at least,
    # wider than the smallest supported screen (1024×768, issue 13).
    left = QVBoxLayout()
    left.addWidget(w.entry)
    left.addWidget(w.table, 1)
    for row_buttons in ((w.free_button, w.customer_button), (w.delete_button, w.undo_button, w.new_button)):
        buttons = QHBoxLayout()
        for b in row_buttons:
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            buttons.addWidget(b)
        buttons.addStretch(1)
        left.addLayout(buttons)
    msg_row = QHBoxLayout()
    msg_row.addWidget(w.badge)
    msg_row.addWidget(w.message, 1)
    msg_row.addWidget(w.reprint_button)
    left.addLayout(msg_row)

    right = QVBoxLayout()
    right.addWidget(_totals_panel(w))
    right.addWidget(w.recent)
    right.addWidget(QLabel(_("Last ticket")))
    scroll = w.preview_scroll
    scroll.setObjectName("preview_scroll")
    scroll.setWidget(w.preview)
    scroll.setWidgetResizable(True)
    scroll.setMinimumWidth(320)
    scroll.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
    right.addWidget(scroll, 1)

    layout = QHBoxLayout(owner)
    layout.addLayout(left, 3)
    layout.addLayout(right, 1)
    return w


def _totals_panel(w: SaleWidgets) -> QFrame:
    panel = QFrame()
    panel.setFrameShape(QFrame.Shape.StyledPanel)
    grid = QGridLayout(panel)
    rows = [(_("Items"), w.items_label), (_("Discounts"), w.discount_label), (_("VAT included"), w.vat_label)]
    for r, (text, value) in enumerate(rows):
        grid.addWidget(QLabel(text), r, 0)
        value.setAlignment(Qt.AlignmentFlag.AlignRight)
        grid.addWidget(value, r, 1)
    total_caption = QLabel(_("TOTAL"))
    total_caption.setObjectName("totalCaption")  # "A PAGAR" for a CCF with withholding (app/ui/sale_doc.py)
    total_caption.setStyleSheet("font-size: 18px; font-weight: bold;")
    grid.addWidget(total_caption, 3, 0)
    grid.addWidget(w.total_label, 4, 0, 1, 2)
    grid.addWidget(w.change_label, 5, 0, 1, 2)
    grid.addWidget(w.customer_label, 6, 0, 1, 2)
    grid.addWidget(w.charge_button, 7, 0, 1, 2)
    return panel


def show_totals(w: SaleWidgets, totals: Totals, lines: int, customer: Customer | None) -> None:
    """The totals pane: items, discounts, VAT, TOTAL, the customer; Charge only with a cart."""
    w.items_label.setText(f"{totals.items.normalize():f}" if lines else "0")
    w.discount_label.setText(fmt_money(totals.discount))
    w.vat_label.setText(fmt_money(totals.vat))
    w.total_label.setText(fmt_money(totals.gross))
    if lines:  # the next sale has started: the last change is history
        w.change_label.hide()
    name = customer.name if customer else _("Consumidor Final")
    w.customer_label.setText(_("Customer: {name}").format(name=name))
    w.charge_button.setEnabled(lines > 0)


#: Where the ticket's total line sits in the "Last ticket" pane, from its top (fraction of its height):
#: the lines above it (subtotal, VAT) show too.
TOTAL_AT = 0.7


def show_ticket(w: SaleWidgets, image: QImage | None, total_offset: float | None) -> None:
    """Show the last ticket, scrolled so its TOTAL is in view (issue 13: the pane is shorter than
    a ticket at 1024×768 and 1366×768). ``total_offset``: the total line's depth below the ticket's
    top as a fraction of its width (:func:`app.workers.preview.total_offset`); None: the top."""
    if image is None:  # decoded and scaled to PREVIEW_WIDTH on the worker
        return
    w.preview.setPixmap(QPixmap.fromImage(image))
    if total_offset is None:
        return
    y = round(total_offset * PREVIEW_WIDTH)

    def scroll() -> None:  # after the label took the pixmap's height (the next layout pass)
        bar = w.preview_scroll.verticalScrollBar()
        bar.setValue(max(0, y - round(w.preview_scroll.viewport().height() * TOTAL_AT)))

    w.preview.setProperty("total_y", y)
    w.preview.adjustSize()
    QTimer.singleShot(0, scroll)


def install_shortcuts(
    owner: QWidget,
    table: QTableView,
    actions: Mapping[Qt.Key, Callable[[], object]],
    *,
    undo: Callable[[], object],
    delete: Callable[[], object],
) -> None:
    """The sale screen's keys: ``actions`` (function keys, Esc), Ctrl+Z and Delete on the cart.

    Function keys work two ways. A QShortcut fires only while the window is the *active* window,
    which a till running X without a window manager (kiosk set-ups, Xvfb) never has; there the key
    press still reaches the focused widget and, unhandled by it, propagates up to the screen's
    ``keyPressEvent``. With an active window the shortcut consumes the key first, so an action
    never runs twice. A held key auto-repeats: charging ignores repeats while a sale is in flight.
    """
    sequences: list[tuple[QKeySequence, Callable[[], object]]] = [(QKeySequence(k), s) for k, s in actions.items()]
    for sequence, slot in [*sequences, (QKeySequence(QKeySequence.StandardKey.Undo), undo)]:
        shortcut = QShortcut(sequence, owner)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(slot)
    on_table = QShortcut(QKeySequence(Qt.Key.Key_Delete), table)
    on_table.setContext(Qt.ShortcutContext.WidgetShortcut)
    on_table.activated.connect(delete)
