"""History, end of day, settings, status bar and the table models."""

from __future__ import annotations

import json
from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from app.domain.invoice import SaleLine
from app.journal import SaleState
from app.printing.decoder import decode_job
from app.services.checkout import SaleOutcome
from app.services.eod_report import state_label
from app.ui.dialogs import PaymentDialog, VoidDialog
from app.ui.pin_prompt import SupervisorPrompt

SCANNED = "7412017000011"


def sell(qtbot, window, keys, modal, *codes: str):
    for code in codes:
        keys(window.sale.entry, code, Qt.Key.Key_Return)
    modal(lambda dialog: keys(None, Qt.Key.Key_Return), PaymentDialog)
    with qtbot.waitSignal(window.sale.saleFinished, timeout=20_000) as blocker:
        keys(window.sale.entry, Qt.Key.Key_F12)
    return blocker.args[0]


def test_history_search_preview_copy_and_void(qtbot, make_window, sandbox, keys, modal):
    window = make_window("dummy:")
    first = sell(qtbot, window, keys, modal, SCANNED)
    second = sell(qtbot, window, keys, modal, "2*" + SCANNED)
    history = window.history
    keys(window.sale.entry, Qt.Key.Key_F3)
    assert window.tabs.currentWidget() is history
    qtbot.waitUntil(lambda: history.model.rowCount() == 2, timeout=5_000)

    keys(history.ref, first.external_ref, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: history.model.rowCount() == 1, timeout=5_000)
    assert history.selected_sale().id == first.sale_id
    qtbot.waitUntil(lambda: not history.preview.pixmap().isNull(), timeout=10_000)

    history.ref.clear()
    amount = window.ctx.journal.sales.get(second.sale_id).total_gross
    keys(history.amount, str(amount), Qt.Key.Key_Return)
    qtbot.waitUntil(
        lambda: history.model.rowCount() == 1 and history.selected_sale().id == second.sale_id, timeout=5_000
    )

    posts_before = len(sandbox.requests)
    qtbot.keyClick(history.table, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: "printed" in history.status.text(), timeout=10_000)
    job = decode_job(window.ctx.printer.printer.connection.output)
    assert job.labels == ["COPIA"] and job.image.height > 0
    assert all(method != "POST" for method, _path in sandbox.requests[posts_before:])

    def void(dialog):
        assert not dialog.buttons.buttons()[0].isEnabled()  # no reason yet
        modal(lambda _prompt: keys(None, "9999", Qt.Key.Key_Return), SupervisorPrompt)  # a cashier calls one
        keys(None, "Cliente devolvio el producto", Qt.Key.Key_Return)

    modal(void, VoidDialog)
    qtbot.mouseClick(history.void_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "…" not in history.status.text(), timeout=10_000)
    assert window.ctx.journal.sales.get(second.sale_id).state == SaleState.VOIDED, history.status.text()
    qtbot.waitUntil(lambda: history.selected_sale().state == SaleState.VOIDED)
    assert not history.void_button.isEnabled() and not history.reprint_button.isEnabled()
    assert [d["invalidated"] for d in sandbox.documents() if d["external_ref"] == second.external_ref] == [True]


def test_history_rejects_an_unreadable_amount(qtbot, make_window, keys):
    window = make_window("dummy:")
    keys(window.history.amount, "abc", Qt.Key.Key_Return)
    assert "abc" in window.history.status.text()


def test_end_of_day_progress_summary_problems_print_and_export(qtbot, make_window, sandbox, keys, modal, tmp_path):
    window = make_window("dummy:")
    sell(qtbot, window, keys, modal, SCANNED)
    sandbox.set_next("contingency")
    contingency = sell(qtbot, window, keys, modal, "3*" + SCANNED)
    assert contingency.outcome is SaleOutcome.CONTINGENCY
    assert window.sale.badge.isVisible()
    eod = window.eod
    keys(window.sale.entry, Qt.Key.Key_F9)
    assert window.tabs.currentWidget() is eod
    steps = []
    eod.progress.valueChanged.connect(steps.append)

    qtbot.mouseClick(eod.run_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: eod.report is not None and not eod.running, timeout=20_000)

    report = eod.report
    assert report.totals.count == 2 and steps  # progress was shown
    price = window.sale.products.find(SCANNED).price
    assert f"${4 * price:,.2f}" in eod.totals_label.text()
    # The sandbox stamps contingency documents 0.2 s later: the refresh may already see it issued.
    assert report.by_state and all(
        f"{state_label(state)}: {n}" in eod.states_label.text() for state, n in report.by_state.items()
    )
    assert "$" in eod.payments_label.text()
    assert eod.problems.rowCount() == len(report.needing_action)
    if report.needing_action:  # still in contingency (the sandbox stamps it after a short delay)
        assert eod.problem_check.isEnabled()

    qtbot.mouseClick(eod.print_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: eod.status.text() and not eod.status.text().endswith("…"), timeout=10_000)
    job = decode_job(window.ctx.printer.printer.connection.output)
    assert job.image.height > 0 and job.cut

    target = tmp_path / "cierre.csv"
    eod.export_csv(str(target))
    # Written on a worker: wait for the whole file, not just its creation.
    qtbot.waitUntil(lambda: "Saved to" in eod.status.text(), timeout=5_000)
    assert contingency.external_ref in target.read_text(encoding="utf-8")

    eod.export_csv(str(tmp_path / "missing" / "cierre.csv"))  # a folder that does not exist
    qtbot.waitUntil(lambda: "could not be saved" in eod.status.text(), timeout=5_000)


def test_settings_key_is_masked_kept_out_of_the_file_and_never_shown(qtbot, make_window, api_key, monkeypatch):
    from app import config
    from app.ui.settings_dialog import SettingsDialog

    # Never a real keyring in tests: no backend -> team settings' private fallback file in tmp.
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")

    window = make_window("dummy:")
    dialog = SettingsDialog(window.ctx, window)
    qtbot.addWidget(dialog)
    assert dialog.api_key.echoMode() == QLineEdit.EchoMode.Password
    dialog.api_key.setText(api_key)
    dialog.register.setText("p002")
    dialog.language.setCurrentIndex(dialog.language.findData("en"))
    with qtbot.waitSignal(dialog.accepted, timeout=10_000):
        dialog.save()

    assert config.get_api_key() == api_key
    stored = config.settings_path().read_text(encoding="utf-8")
    assert api_key not in stored and json.loads(stored)["register_code"] == "P002"
    assert window.ctx.settings.register_code == "P002"
    again = SettingsDialog(window.ctx, window)
    qtbot.addWidget(again)
    assert again.api_key.text() == "" and api_key not in again.api_key.placeholderText()


def test_settings_refuses_a_malformed_key_and_bad_codes(qtbot, make_window):
    from app.ui.settings_dialog import SettingsDialog

    window = make_window("dummy:")
    dialog = SettingsDialog(window.ctx, window)
    qtbot.addWidget(dialog)
    dialog.api_key.setText("odt_nothex")
    dialog.save()
    assert "odt_" in dialog.error.text() and dialog.result() == 0
    dialog.api_key.clear()
    dialog.branch.setText("M1")
    dialog.save()
    assert dialog.error.text() and dialog.result() == 0


def test_settings_test_print_goes_to_the_entered_printer(qtbot, make_window, tmp_path):
    from app.ui.settings_dialog import SettingsDialog

    window = make_window("dummy:")
    dialog = SettingsDialog(window.ctx, window)
    qtbot.addWidget(dialog)
    target = tmp_path / "test-page.bin"
    dialog.printer_url.setText(f"file:{target}")
    qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.test_button.isEnabled(), timeout=10_000)
    assert target.exists() and decode_job(target.read_bytes()).image.height > 0


def test_status_bar_shows_test_mode_from_the_document(qtbot, make_window, keys, modal):
    window = make_window("dummy:", training=False)
    assert not window.banner.isVisible()
    assert window.windowTitle().startswith("Caja")
    sell(qtbot, window, keys, modal, SCANNED)
    qtbot.waitUntil(lambda: window.environment == "test", timeout=10_000)  # sandbox: ambiente 00
    assert "TEST" in window.mode_label.text()


def test_training_status_bar(qtbot, make_window):
    window = make_window("dummy:")
    assert "TRAINING" in window.mode_label.text()
    # The printer by a name a cashier knows; its address only in the tooltip (issue 13).
    assert window.printer_label.text() == "Printer: none (test)"
    assert "dummy" in window.printer_label.toolTip()
    qtbot.waitUntil(lambda: window.pending_label.text().endswith("0"))


def test_cart_model(qtmodeltester):
    from app.domain.cart import Cart
    from app.ui.cart_model import CartModel

    cart = Cart()
    cart.add(SaleLine("Café", Decimal(2), Decimal("1.95"), code="C1"))
    cart.add(SaleLine("Pan", Decimal(1), Decimal("0.15"), Decimal(10)))
    model = CartModel(cart)
    model.refresh()
    qtmodeltester.check(model, force_py=True)
    assert model.setData(model.index(0, CartModel.COL_QTY), "3")
    assert not model.setData(model.index(0, CartModel.COL_QTY), "-1")
    assert not model.setData(model.index(0, CartModel.COL_CODE), "X")
    qtmodeltester.check(model, force_py=True)


def test_history_model(qtmodeltester, make_window, qtbot, keys, modal):
    from app.ui.history_screen import HistoryModel

    window = make_window("dummy:")
    sell(qtbot, window, keys, modal, SCANNED)
    model = HistoryModel()
    model.set_rows(window.ctx.journal.sales.search())
    assert model.rowCount() == 1
    qtmodeltester.check(model, force_py=True)


def test_problem_model(qtmodeltester):
    from app.services.eod_report import CONTINGENCY, QUEUED, EodDocument
    from app.ui.eod_screen import ProblemModel

    model = ProblemModel()
    model.set_rows(
        [
            EodDocument("M001P001-20261121-000001", CONTINGENCY, amount_gross=Decimal("8.55")),
            EodDocument("M001P001-20261121-000002", QUEUED),
        ]
    )
    qtmodeltester.check(model, force_py=True)
    assert model.data(model.index(0, ProblemModel.COL_AMOUNT)) == "$8.55"


def test_qt_standard_buttons_follow_the_language(qapp, spanish):
    from PySide6.QtCore import QCoreApplication

    from app.bootstrap import install_translators

    translators = install_translators(qapp)
    try:
        assert QCoreApplication.translate("QPlatformTheme", "&Yes") == "&Sí"
    finally:
        for translator in translators:
            qapp.removeTranslator(translator)
    assert QCoreApplication.translate("QPlatformTheme", "&Yes") == "&Yes"


def test_catalog_import_from_the_window(qtbot, make_window, modal, keys, tmp_path):
    from PySide6.QtWidgets import QMessageBox

    window = make_window("dummy:")
    csv = tmp_path / "nuevos.csv"
    csv.write_text(
        "código;descripción;precio;código de barras\nHEL001;Helado de coco;1,25;7419999000017\nMAL001;;abc;\n",
        encoding="utf-8",
    )
    seen = {}

    def report(box):
        seen["text"] = box.text()
        keys(None, Qt.Key.Key_Return)

    modal(report, QMessageBox)
    window.import_catalog_file(str(csv))
    qtbot.waitUntil(lambda: window.sale.products.find("7419999000017") is not None, timeout=10_000)
    assert "1 new product," in seen["text"] and "1 row with errors" in seen["text"]
    assert "Line 3:" in seen["text"]  # the bad row, by its line number
    keys(window.sale.entry, "7419999000017", Qt.Key.Key_Return)
    assert window.sale.cart.lines[0].unit_price == Decimal("1.25")


def test_settings_printer_models_are_named_in_spanish(qtbot, make_window, spanish):
    from app.ui.settings_dialog import SettingsDialog

    window = make_window("dummy:")
    dialog = SettingsDialog(window.ctx, window)
    qtbot.addWidget(dialog)
    names = [dialog.profile.itemText(i) for i in range(dialog.profile.count())]
    assert "Genérica 80 mm (576 puntos)" in names, names
