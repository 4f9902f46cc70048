"""The window on a bad day (issue 10): no key is lost while a sale is being sent, unfinished sales
wait for a person, and the status bar tells an outage from a wrong setting.

Real widgets, the real sandbox or a misbehaving server over loopback, key events only."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from app.domain.invoice import InvoiceDraft, SaleLine
from app.journal import Journal, SaleState
from app.services.checkout import SaleOutcome
from app.services.connectivity import Link, LinkStatus
from app.ui.dialogs import PaymentDialog
from app.ui.recent_sales import RecentState
from tests.api.misbehaving import MisbehavingServer, Mode
from tests.helpers.clock import FakeWallClock

SCANNED = "7412017000011"  # BEB001 in the sample catalog
TYPED = "LAC001"
#: Long enough that every key below is typed while the answer is still pending (asserted).
DELAY = 6


def lines(sale) -> list[tuple[str | None, Decimal]]:
    return [(line.code, line.quantity) for line in sale.cart.lines]


def state_text(sale, row: int = 0) -> str:
    model = sale.recent.model
    return model.data(model.index(row, model.COL_STATE))


def pay(keys, tendered: str = ""):
    return lambda dialog: keys(None, tendered, Qt.Key.Key_Return)


def charge(qtbot, window, keys, modal, tendered: str = ""):
    modal(pay(keys, tendered), PaymentDialog)
    with qtbot.waitSignal(window.sale.saleFinished, timeout=20_000) as blocker:
        keys(window.sale.entry, Qt.Key.Key_F12)
    return blocker.args[0]


def posts(server) -> int:
    return sum(1 for request in server.requests if request[0] == "POST" and request[1].endswith("/invoice"))


# -- no input is ever lost ------------------------------------------------------------------------
def test_keys_typed_while_a_sale_is_being_sent_land_in_the_next_cart(qtbot, make_window, sandbox, keys, modal):
    window = make_window("dummy:")
    sale = window.sale
    keys(sale.entry, SCANNED, Qt.Key.Key_Return)
    price = sale.products.find(SCANNED).price
    sandbox.set_next("delay", seconds=DELAY)  # Ocote takes its time with the answer
    modal(pay(keys, "5"), PaymentDialog)
    with qtbot.waitSignal(sale.busyChanged, timeout=5_000):
        keys(sale.entry, Qt.Key.Key_F12)

    # Committed: the cart is free at once, the change is on screen, the sale is "sending…".
    (first,) = sale.recent.entries
    assert first.state is RecentState.SENDING and sale.in_flight
    assert len(sale.cart) == 0 and not sale.entry.isReadOnly()
    qtbot.waitUntil(sale.entry.hasFocus)  # the payment dialog hands the keyboard back
    assert sale.change_label.isVisible() and f"${Decimal(5) - price:,.2f}" in sale.change_label.text()
    assert state_text(sale) == RecentState.SENDING.label

    # The next customer: scans, a quantity, a half-typed code, all while the answer is pending.
    keys(sale.entry, TYPED, Qt.Key.Key_Return, "2*" + SCANNED, Qt.Key.Key_Return, "LAC0")
    keys(sale.entry, Qt.Key.Key_Up)
    assert first.state is RecentState.SENDING  # every key above went in before the answer came
    assert lines(sale) == [("LAC001", 1), ("BEB001", 2)]
    assert sale.entry.text() == "LAC0" and not sale.change_label.isVisible()

    with qtbot.waitSignal(sale.saleFinished, timeout=DELAY * 1000 + 20_000) as blocker:
        pass
    result = blocker.args[0]

    assert result.outcome is SaleOutcome.ISSUED and first.state is RecentState.ISSUED
    assert first.ref == result.external_ref and state_text(sale) == RecentState.ISSUED.label
    assert lines(sale) == [("LAC001", 1), ("BEB001", 2)] and sale.entry.text() == "LAC0"  # untouched
    assert not sale.in_flight

    keys(sale.entry, "01", Qt.Key.Key_Return)  # LAC001: the half-typed code is finished
    second = charge(qtbot, window, keys, modal)
    assert second.outcome is SaleOutcome.ISSUED and second.external_ref != result.external_ref
    assert [e.ref for e in sale.recent.entries] == [second.external_ref, result.external_ref]
    documents = {d["external_ref"]: d for d in sandbox.documents()}
    assert len(documents) == 2
    assert (
        Decimal(str(documents[second.external_ref]["amount_gross"])) == 2 * price + 2 * sale.products.find(TYPED).price
    )


def test_recent_sale_details_and_print_again_by_keyboard(qtbot, make_window, keys, modal):
    window = make_window("dummy:")
    sale = window.sale
    keys(sale.entry, TYPED, Qt.Key.Key_Return)
    result = charge(qtbot, window, keys, modal)
    before = len(window.ctx.journal.prints.jobs(result.sale_id))
    keys(sale.entry, Qt.Key.Key_F6)
    assert sale.recent.table.hasFocus() and sale.recent.selected().ref == result.external_ref
    seen = {}

    def details(box):
        seen["text"] = box.text()
        keys(None, Qt.Key.Key_Return)  # the default button: Print again

    modal(details, QMessageBox)
    keys(sale.recent.table, Qt.Key.Key_Return)

    qtbot.waitUntil(lambda: "Ticket printed" in sale.message.text(), timeout=10_000)
    assert result.external_ref in seen["text"]
    qtbot.waitUntil(lambda: len(window.ctx.journal.prints.jobs(result.sale_id)) > before, timeout=5_000)
    keys(sale.recent.table, "7")  # a scan while the list has the keyboard goes to the entry
    assert sale.entry.text() == "7" and sale.entry.hasFocus()


def test_recent_sales_model(qtmodeltester):
    from app.ui.recent_sales import RecentSale, RecentSalesModel

    model = RecentSalesModel()
    qtmodeltester.check(model, force_py=True)
    draft = InvoiceDraft(lines=(SaleLine("Pan dulce", Decimal(1), Decimal("1.25")),))
    model.set_rows(
        [
            RecentSale(draft=draft, total=Decimal("1.25"), ref="M001P001-20261203-000042", state=RecentState.QUEUED),
            RecentSale(draft=draft, total=Decimal("3.50")),
        ]
    )
    qtmodeltester.check(model, force_py=True)
    assert model.data(model.index(0, model.COL_REF)) == "…000042"
    assert model.data(model.index(0, model.COL_TOTAL)) == "$1.25"
    assert model.data(model.index(0, model.COL_STATE)) == RecentState.QUEUED.label
    assert model.data(model.index(1, model.COL_REF)) == "—"  # not journaled yet


# -- unfinished drafts need a person ------------------------------------------------------------
def crashed_drafts(path, *totals: str) -> None:
    """Sales journaled ten minutes ago and never sent (the till died between the two)."""
    clock = FakeWallClock(datetime.now(UTC) - timedelta(minutes=10))
    with Journal.open(path, clock=clock) as journal:
        for total in totals:
            draft = InvoiceDraft(lines=(SaleLine("Pan dulce", Decimal(1), Decimal(total)),))
            journal.sales.create(draft, register="M001P001", state=SaleState.DRAFT)


class Answers:
    """Answers the prompt's question boxes one at a time, each a new box named ``name``."""

    def __init__(self, qtbot, keys) -> None:
        self.qtbot, self.keys, self.last = qtbot, keys, None

    def __call__(self, name: str, *items) -> dict:
        def ready() -> bool:
            box = QApplication.activeModalWidget()
            focus = QApplication.focusWidget()
            return (
                isinstance(box, QMessageBox)
                and box is not self.last
                and box.objectName() == name
                and box.isVisible()
                and focus is not None
                and box.isAncestorOf(focus)
            )

        self.qtbot.waitUntil(ready, timeout=10_000)
        box = QApplication.activeModalWidget()
        self.last = box
        seen = dict(
            text=box.text(),
            info=box.informativeText(),
            default=box.defaultButton().text(),
            default_is_no=box.defaultButton() is box.button(QMessageBox.StandardButton.No),
        )
        self.keys(None, *items)
        return seen


def test_unfinished_sales_are_asked_about_one_by_one(qtbot, make_window, sandbox, keys, modal, tmp_path):
    path = tmp_path / "crashed.sqlite3"
    crashed_drafts(path, "5.25", "2.00")
    window = make_window("dummy:", journal=path)
    decided: list[tuple[str, int]] = []
    window.drafts.decided.connect(lambda what, sale_id: decided.append((what, sale_id)))
    first, second = sorted(window.ctx.journal.sales.search(), key=lambda s: s.id)
    assert sandbox.documents() == []  # nothing is sent without asking

    answer = Answers(qtbot, keys)
    with qtbot.waitSignal(window.sale.saleFinished, timeout=20_000) as blocker:
        asked = answer("draftQuestion", Qt.Key.Key_Return)  # Enter: the default, Charge
    assert "$5.25" in asked["text"] and first.external_ref in asked["info"] and "Charge" in asked["default"]
    result = blocker.args[0]
    assert result.outcome is SaleOutcome.ISSUED and result.external_ref == first.external_ref  # its own ref
    assert [d["external_ref"] for d in sandbox.documents()] == [first.external_ref]
    assert window.sale.recent.entries[0].ref == first.external_ref

    asked = answer("draftQuestion", Qt.Key.Key_D)  # Discard...
    assert "$2.00" in asked["text"]
    asked = answer("draftDiscard", Qt.Key.Key_Return)  # ...are you sure? Enter is No
    assert asked["default_is_no"] and second.external_ref in asked["text"]
    asked = answer("draftQuestion", Qt.Key.Key_D)  # asked again
    assert "$2.00" in asked["text"]
    answer("draftDiscard", Qt.Key.Key_Y)  # yes, discard it
    qtbot.waitUntil(lambda: ("discard", second.id) in decided, timeout=10_000)

    assert window.ctx.journal.sales.get(second.id).state is SaleState.INVALID
    assert len(sandbox.documents()) == 1
    assert second.external_ref in window.sale.message.text()
    qtbot.waitUntil(window.sale.entry.hasFocus, timeout=5_000)
    assert window.ctx.services.drafts.unfinished() == []


# -- status bar: an outage is not a wrong setting ---------------------------------------------------
def test_status_bar_says_offline_with_the_queue_when_ocote_refuses(qtbot, make_window, keys, modal):
    with MisbehavingServer(Mode.REFUSE) as server:
        window = make_window("dummy:", api_url=server.base_url)
        qtbot.waitUntil(lambda: "offline" in window.connection_label.text(), timeout=10_000)
        assert window._probe_timer.isActive()  # probed again later, on a timer
        keys(window.sale.entry, TYPED, Qt.Key.Key_Return)

        result = charge(qtbot, window, keys, modal)

        assert result.outcome is SaleOutcome.QUEUED and window.sale.recent.entries[0].state is RecentState.QUEUED
        qtbot.waitUntil(lambda: window.connection_label.text() == "Ocote: offline — 1 queued", timeout=10_000)
        assert len(window.sale.cart) == 0


def test_status_bar_says_check_the_address_on_a_404_and_keeps_the_sale(qtbot, make_window, keys, modal, correct_recent):
    with MisbehavingServer(Mode.NOT_FOUND) as server:
        window = make_window("dummy:", api_url=server.base_url)
        qtbot.waitUntil(lambda: window.connection_label.text() == "Ocote: check the API address", timeout=10_000)
        sale = window.sale
        keys(sale.entry, TYPED, Qt.Key.Key_Return)
        modal(pay(keys), PaymentDialog)
        with qtbot.waitSignal(sale.saleFailed, timeout=20_000):
            keys(sale.entry, Qt.Key.Key_F12)

        (entry,) = sale.recent.entries
        assert entry.state is RecentState.NOT_ISSUED and entry.correctable and entry.sale_id is not None
        assert "API address" in sale.message.text() and entry.ref in sale.message.text()
        assert "offline" not in window.connection_label.text()
        assert window.connection_label.text() == "Ocote: check the API address"
        correct_recent(window)  # back in the cart, with its reference
        assert sale.editing_sale_id == entry.sale_id and lines(sale) == [("LAC001", 1)]


def test_status_bar_says_check_the_key_on_a_401(qtbot, make_window):
    with MisbehavingServer(Mode.UNAUTHORIZED) as server:
        window = make_window("dummy:", api_url=server.base_url)
        qtbot.waitUntil(lambda: window.connection_label.text() == "Ocote: check the API key", timeout=10_000)


def test_status_bar_says_connected_when_ocote_answers(qtbot, make_window):
    window = make_window("dummy:")
    qtbot.waitUntil(lambda: window.connection_label.text() == "Ocote: connected", timeout=10_000)
    assert not window._probe_timer.isActive()


def test_while_down_the_link_is_probed_and_the_queue_goes_when_ocote_is_back(qtbot, make_window, sandbox, keys, modal):
    window = make_window("dummy:")
    qtbot.waitUntil(lambda: window.connection_label.text() == "Ocote: connected", timeout=10_000)
    # Another process of this till (or a sale) found Ocote unreachable a moment ago.
    window.ctx.services.connectivity.record_failure(ConnectionRefusedError("refused"))
    keys(window.sale.entry, TYPED, Qt.Key.Key_Return)

    result = charge(qtbot, window, keys, modal)

    assert result.outcome is SaleOutcome.QUEUED and sandbox.documents() == []  # queued at once, no request
    qtbot.waitUntil(lambda: window.connection_label.text() == "Ocote: offline — 1 queued", timeout=10_000)
    assert window._probe_timer.isActive()

    window.probe_link()  # what the timer does: Ocote answers again

    qtbot.waitUntil(lambda: window.connection_label.text() == "Ocote: connected", timeout=10_000)
    assert not window._probe_timer.isActive()
    qtbot.waitUntil(lambda: window.pending_label.text().endswith("0"), timeout=15_000)  # sent at once
    assert [d["external_ref"] for d in sandbox.documents()] == [result.external_ref]


def test_the_status_bar_speaks_spanish(qtbot, make_window, spanish):
    with MisbehavingServer(Mode.REDIRECT_302) as server:
        window = make_window("dummy:", api_url=server.base_url)
        qtbot.waitUntil(
            lambda: window.connection_label.text() == "Ocote: revise la dirección de la API", timeout=10_000
        )
    window.show_pending(3)
    window.show_link(LinkStatus(Link.UNREACHABLE))
    assert window.connection_label.text() == "Ocote: sin conexión — 3 en cola"
    model = window.sale.recent.model
    assert model.headerData(model.COL_STATE, Qt.Orientation.Horizontal) == "Estado"
