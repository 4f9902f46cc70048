"""What a cashier tripped over for a day (issue 13, defects): History and copies, the window on
the screen, quitting with a sale open, voids, the status bar and training tickets."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox

from app.journal import SaleState
from app.printing.decoder import decode_job
from app.services.checkout import SaleOutcome
from app.ui import window_geometry
from app.ui.dialogs import PaymentDialog, VoidDialog
from app.ui.pin_prompt import SupervisorPrompt
from app.ui.recent_sales import RecentState

SCANNED = "7412017000011"  # BEB001


def sell(qtbot, window, keys, modal, *codes: str):
    for code in codes:
        keys(window.sale.entry, code, Qt.Key.Key_Return)
    modal(lambda dialog: keys(None, Qt.Key.Key_Return), PaymentDialog)
    with qtbot.waitSignal(window.sale.saleFinished, timeout=20_000) as blocker:
        keys(window.sale.entry, Qt.Key.Key_F12)
    return blocker.args[0]


def lines(sale) -> list[tuple[str | None, Decimal]]:
    return [(line.code, line.quantity) for line in sale.cart.lines]


# -- History and copies -----------------------------------------------------------------------------
def test_f3_selects_the_newest_sale_and_puts_the_keyboard_in_the_search(qtbot, make_window, keys, modal):
    window = make_window("dummy:")
    history = window.history
    sales = [sell(qtbot, window, keys, modal, SCANNED) for _ in range(3)]
    qtbot.waitUntil(lambda: window.ctx.runner.busy == 0, timeout=10_000)  # History refreshed after each
    keys(window.sale.entry, Qt.Key.Key_F3)
    qtbot.waitUntil(lambda: history.model.rowCount() == 3, timeout=5_000)
    qtbot.waitUntil(lambda: history.selected_sale() is not None and history.selected_sale().id == sales[-1].sale_id)
    assert history.ref.hasFocus()

    # F3 then Ctrl+P copies the ticket just handed over.
    keys(history.ref, Qt.Key.Key_F1)
    keys(window.sale.entry, Qt.Key.Key_F3)
    qtbot.keyClick(history.ref, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: "printed" in history.status.text(), timeout=10_000)
    assert sales[-1].control_number in history.status.text()


def test_ctrl_p_on_the_sale_screen_copies_the_last_ticket_and_says_so(qtbot, make_window, keys, modal):
    window = make_window("dummy:")
    sale = window.sale
    qtbot.keyClick(sale.entry, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: sale.message.isVisible() and "no ticket to copy" in sale.message.text().lower())

    first = sell(qtbot, window, keys, modal, SCANNED)
    last = sell(qtbot, window, keys, modal, "2*" + SCANNED)
    assert first.outcome is last.outcome is SaleOutcome.ISSUED
    qtbot.keyClick(sale.entry, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: "Copy of the last ticket printed" in sale.message.text(), timeout=10_000)
    assert last.control_number in sale.message.text()
    job = decode_job(window.ctx.printer.printer.connection.output)  # the last job
    assert job.labels == ["COPIA"]
    assert window.printer_label.styleSheet().startswith("color:#0b5d1e")  # green: it printed


def test_printer_indicator_turns_green_after_a_successful_copy(qtbot, make_window, keys, modal):
    window = make_window("dummy:")
    sell(qtbot, window, keys, modal, SCANNED)
    window.set_printer_state(False, "paper out")
    assert "b00020" in window.printer_label.styleSheet()
    keys(window.sale.entry, Qt.Key.Key_F3)
    history = window.history
    qtbot.waitUntil(lambda: history.selected_sale() is not None, timeout=5_000)
    qtbot.keyClick(history.table, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: "printed" in history.status.text(), timeout=10_000)
    assert "b00020" not in window.printer_label.styleSheet()
    assert "0b5d1e" in window.printer_label.styleSheet()


# -- Layout -------------------------------------------------------------------------------------------
def test_window_fills_a_small_screen_and_centres_on_a_large_one():
    small = QRect(0, 0, 1024, 768)
    assert window_geometry.choose(small, None) == small
    large = QRect(0, 0, 1920, 1080)
    chosen = window_geometry.choose(large, None)
    assert chosen.size() == window_geometry.PREFERRED and chosen.center() == large.center()
    # A remembered geometry is used while it still fits the screen.
    saved = QRect(100, 50, 1500, 900)
    assert window_geometry.choose(large, saved) == saved
    assert window_geometry.choose(small, saved) == small  # the till moved to a smaller screen
    assert window_geometry.choose(large, QRect(0, 0, 300, 200), QSize(800, 600)) != QRect(0, 0, 300, 200)


def test_the_window_remembers_its_geometry(qtbot, make_window):
    window = make_window("dummy:")
    assert window_geometry.saved_geometry() is None
    window._closing_asked = True
    window.close()  # closing keeps it (in window.ini, the configuration folder)
    assert window_geometry.saved_geometry() == window.geometry()
    big = QRect(0, 0, 3000, 2000)
    assert window_geometry.choose(big, window_geometry.saved_geometry()) == window.geometry()


def test_at_1024x768_charge_and_the_ticket_are_visible(qtbot, make_window):
    window = make_window("dummy:")
    window.setGeometry(QRect(0, 0, 1024, 768))
    window.show()
    qtbot.waitUntil(lambda: window.width() == 1024 and window.height() <= 768)
    sale = window.sale
    for widget in (sale.charge_button, sale.total_label, sale.preview):
        top_left = widget.mapTo(window, widget.rect().topLeft())
        assert widget.isVisible() and window.rect().contains(top_left), widget.objectName()
    bottom = sale.charge_button.mapTo(window, sale.charge_button.rect().bottomRight())
    assert window.rect().contains(bottom)


def test_history_at_1024_shows_total_state_and_printed_without_scrolling(qtbot, make_window, keys, modal):
    window = make_window("dummy:")
    sell(qtbot, window, keys, modal, SCANNED)
    window.setGeometry(QRect(0, 0, 1024, 768))
    keys(window.sale.entry, Qt.Key.Key_F3)
    history = window.history
    qtbot.waitUntil(lambda: history.model.rowCount() == 1, timeout=5_000)
    table = history.table
    qtbot.waitUntil(lambda: table.viewport().width() > 0)
    viewport = table.viewport().width()
    for column in (history.model.COL_TOTAL, history.model.COL_STATE, history.model.COL_PRINTED):
        right = table.columnViewportPosition(column) + table.columnWidth(column)
        assert table.columnViewportPosition(column) >= 0 and right <= viewport, column
    assert not table.horizontalScrollBar().isVisible()


# -- Losing a sale by accident -----------------------------------------------------------------------
def test_quitting_with_a_sale_open_asks_and_no_is_the_default(qtbot, make_window, keys, modal):
    window = make_window("dummy:")
    keys(window.sale.entry, SCANNED, Qt.Key.Key_Return)
    seen = []

    def answer(box):
        seen.append(box.defaultButton() is box.button(QMessageBox.StandardButton.No))
        keys(None, Qt.Key.Key_Return)  # a scanner's stray Enter

    modal(answer, QMessageBox)
    window._closing_asked = False
    assert not window.close()
    assert seen == [True] and window.isVisible() and len(window.sale.cart) == 1


def test_discard_the_current_sale_defaults_to_no(qtbot, make_window, keys, modal):
    window = make_window("dummy:")
    sale = window.sale
    keys(sale.entry, SCANNED, Qt.Key.Key_Return)
    modal(lambda box: keys(None, Qt.Key.Key_Return), QMessageBox)  # Esc, then a scanner's Enter
    keys(sale.entry, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is None)
    assert lines(sale) == [("BEB001", Decimal(1))]


def test_the_open_cart_is_kept_and_comes_back_at_the_next_start(qtbot, make_window, keys, tmp_path):
    journal = tmp_path / "till.sqlite3"
    window = make_window("dummy:", journal=journal)
    keys(window.sale.entry, "3*" + SCANNED, Qt.Key.Key_Return, "LAC001", Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.cart_keeper.saves > 0 and window.ctx.runner.busy == 0, timeout=5_000)
    assert window.ctx.journal.state.get("open_cart") is not None  # kept before any quit
    window._closing_asked = True
    window.close()

    again = make_window("dummy:", journal=journal)
    qtbot.waitUntil(lambda: len(again.sale.cart) == 2, timeout=5_000)
    assert lines(again.sale) == [("BEB001", Decimal(3)), ("LAC001", Decimal(1))]
    assert "back" in again.sale.message.text()

    # Once charged (or discarded) nothing is kept.
    again.sale.new_sale()
    qtbot.waitUntil(lambda: again.ctx.journal.state.get("open_cart") is None, timeout=5_000)


# -- Quantity entry ------------------------------------------------------------------------------------
def test_a_zero_or_negative_quantity_says_what_is_wrong(qtbot, make_window, keys):
    window = make_window("dummy:")
    sale = window.sale
    keys(sale.entry, SCANNED, Qt.Key.Key_Return)
    for typed in ("0*BEB001", "-2*BEB001"):
        keys(sale.entry, typed, Qt.Key.Key_Return)
        assert "quantity" in sale.message.text().lower(), typed
        assert "No product matches" not in sale.message.text()
        assert lines(sale) == [("BEB001", Decimal(1))]
        sale.entry.clear()


# -- Voids ------------------------------------------------------------------------------------------------
def test_a_voided_sale_shows_its_ticket_marked_and_the_sale_screen_says_voided(qtbot, make_window, keys, modal):
    window = make_window("dummy:")
    result = sell(qtbot, window, keys, modal, SCANNED)
    keys(window.sale.entry, Qt.Key.Key_F3)
    history = window.history
    qtbot.waitUntil(lambda: history.selected_sale() is not None, timeout=5_000)
    qtbot.waitUntil(lambda: not history.preview.pixmap().isNull(), timeout=10_000)
    height = history.preview.pixmap().height()

    warnings = []

    def void(dialog):
        warnings.extend(label.text() for label in dialog.findChildren(QLabel) if "Void" in label.text())
        modal(lambda _prompt: keys(None, "9999", Qt.Key.Key_Return), SupervisorPrompt)
        keys(None, "Error de cobro", Qt.Key.Key_Return)

    modal(void, VoidDialog)
    qtbot.mouseClick(history.void_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: history.selected_sale().state == SaleState.VOIDED, timeout=10_000)
    assert warnings and not any("Hacienda is told" in text for text in warnings)  # training: nobody is told
    # The ticket is still shown, taller by the ANULADO bands.
    qtbot.waitUntil(lambda: history.preview.pixmap().height() > height, timeout=10_000)
    entry = window.sale.recent.find_sale(result.sale_id)
    assert entry.state is RecentState.VOIDED
    assert "voided" in window.sale.recent.model.data(window.sale.recent.model.index(0, 3)).lower()


# -- Status bar ----------------------------------------------------------------------------------------------
def test_at_launch_the_link_is_probed_and_the_mode_says_something(qtbot, make_window):
    window = make_window("dummy:", training=False)
    qtbot.waitUntil(lambda: window.connection_label.text() == "Ocote: connected", timeout=10_000)
    assert "not known yet" not in window.mode_label.text()


# -- End of day ----------------------------------------------------------------------------------------------
def test_end_of_day_lists_the_sessions_and_exports_a_spanish_csv_in_local_time(
    qtbot, make_window, keys, modal, tmp_path, spanish, monkeypatch
):
    import csv

    from PySide6.QtWidgets import QFileDialog

    window = make_window("dummy:")
    result = sell(qtbot, window, keys, modal, SCANNED)
    eod = window.eod
    keys(window.sale.entry, Qt.Key.Key_F9)
    qtbot.mouseClick(eod.run_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: eod.report is not None and not eod.running, timeout=20_000)
    qtbot.waitUntil(lambda: eod.sessions.model.rowCount() == 1, timeout=5_000)
    model = eod.sessions.model
    assert model.data(model.index(0, model.COL_CASHIER)) == "Cajero de práctica"
    assert model.data(model.index(0, model.COL_CLOSED)) == "sigue abierto"
    assert model.data(model.index(0, model.COL_EXPECTED)).startswith("$")
    assert "consultas a Ocote" not in eod.progress_text.text()

    # The file dialog starts in Documents (or home), then in the folder used last.
    asked = []
    target = tmp_path / "out" / "cierre.csv"
    target.parent.mkdir()
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda _parent, _title, start, _f: (asked.append(start), (str(target), ""))[1]
    )
    eod.export_csv()
    qtbot.waitUntil(lambda: "Guardado" in eod.status.text(), timeout=5_000)
    assert str(tmp_path) not in asked[0] and asked[0].endswith(".csv")
    eod.status.clear()
    eod.export_csv()
    qtbot.waitUntil(lambda: len(asked) == 2)
    assert asked[1].startswith(str(target.parent))
    # The second export rewrites the file on the backend worker: read it once that is done.
    qtbot.waitUntil(lambda: "Guardado" in eod.status.text(), timeout=5_000)

    with target.open(encoding="utf-8-sig", newline="") as fh:
        [row] = list(csv.DictReader(fh))
    assert row["Referencia"] == result.external_ref and row["Estado"] == "Emitida"
    assert row["Requiere atención"] == "No" and row["Total"].count(".") == 1
    assert row["Emitido (hora local)"][-6] in "+-"  # the offset, e.g. -06:00


def test_the_file_dialog_says_nombre_de_archivo(qapp, spanish):
    from PySide6.QtWidgets import QFileDialog

    from app.bootstrap import install_translators

    translators = install_translators(qapp)
    try:
        dialog = QFileDialog()
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
        assert dialog.labelText(QFileDialog.DialogLabel.FileName) == "&Nombre de archivo:"
    finally:
        for translator in translators:
            qapp.removeTranslator(translator)


# -- Training mode -------------------------------------------------------------------------------------------
def test_training_prints_on_the_configured_printer_marked_without_validity(tmp_path, monkeypatch):
    import pymupdf

    from app.config import Settings
    from app.services.container import make_print_queue

    out = tmp_path / "ticket.bin"
    settings = Settings(printer=f"file:{out}")
    assert settings.training_mode
    queue = make_print_queue(settings)
    try:
        doc = pymupdf.open()
        page = doc.new_page(width=226, height=200)
        page.insert_text((20, 50), "TICKET", fontsize=14)
        plain = make_print_queue(Settings(printer=f"file:{tmp_path / 'plain.bin'}", api_key="odt_" + "0" * 56))
        plain.print_pdf(doc.tobytes())
        plain.close()
        queue.print_pdf(doc.tobytes(), label="COPIA")
    finally:
        queue.close()
    job = decode_job(out.read_bytes())
    plain_job = decode_job((tmp_path / "plain.bin").read_bytes())
    assert job.labels == ["COPIA"]
    assert job.image.height > plain_job.image.height + 40  # the two bands, above and below
    black = job.image.convert("L").histogram()[0]
    plain_black = plain_job.image.convert("L").histogram()[0]
    assert black > plain_black + 2 * 20 * job.image.width  # two inverted (black) bands


def test_the_training_banner_says_where_tickets_go(qtbot, make_window):
    window = make_window("dummy:")
    assert "on screen" in window.banner.text()
    window.ctx.services.printer.printer.description = "tcp://10.0.0.9:9100"
    window.show_banner()
    assert "10.0.0.9" in window.banner.text() and "ENTRENAMIENTO, SIN VALIDEZ" in window.banner.text()


# -- Settings ------------------------------------------------------------------------------------------------
def test_a_failed_test_print_is_readable_and_the_keyboard_stays_on_the_button(qtbot, make_window, closed_port):
    from app.ui.settings_dialog import SettingsDialog

    window = make_window("dummy:")
    dialog = SettingsDialog(window.ctx, window)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    dialog.printer_url.setText(f"tcp://127.0.0.1:{closed_port}")
    dialog.test_button.setFocus()
    qtbot.keyClick(dialog.test_button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: dialog.test_button.isEnabled() and "…" not in dialog.test_result.text(), timeout=20_000)
    result = dialog.test_result
    assert result.isVisible() and result.wordWrap() and "127.0.0.1" in result.text()
    qtbot.waitUntil(lambda: result.height() >= result.heightForWidth(result.width()))  # not clipped
    assert result.width() > dialog.printer_url.width() // 2  # the dialog's width, not a form cell
    assert dialog.focusWidget() is dialog.test_button
    assert not dialog.branch.hasSelectedText()
