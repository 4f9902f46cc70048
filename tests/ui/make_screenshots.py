"""Render the README screenshots of the window offscreen, in Spanish (script, not a test).

The real window in training mode against an in-process sandbox, a few sales rung up with key
events; each screen is grabbed to a small palette PNG under ``resources/screenshots/``.

The window is rendered at a real till's screen size: 1366×768 for the pictures the docs show by
default, and 1024×768 (the smallest screen Caja supports; files ending in ``-1024``)::

    QT_QPA_PLATFORM=offscreen python tests/ui/make_screenshots.py [OUT_DIR]            # 1366×768
    QT_QPA_PLATFORM=offscreen python tests/ui/make_screenshots.py [OUT_DIR] 1024x768   # *-1024.png
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def main() -> int:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "resources" / "screenshots"
    width, height = (int(v) for v in (sys.argv[2] if len(sys.argv) > 2 else "1366x768").split("x"))
    suffix = "" if width == 1366 else f"-{width}"
    out.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    home = tempfile.mkdtemp(prefix="caja-shots-")
    os.environ.update(CAJA_DATA_DIR=f"{home}/data", CAJA_CONFIG_DIR=f"{home}/config", CAJA_LOG_DIR=f"{home}/log")
    sys.path.insert(0, str(ROOT))

    from PIL import Image
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from app.bootstrap import build_context
    from app.config import Settings
    from app.i18n import set_language
    from app.sandbox.server import SandboxServer
    from app.ui.cash_reports import CloseShiftDialog
    from app.ui.dialogs import PaymentDialog
    from app.ui.main_window import MainWindow
    from app.ui.settings_dialog import SettingsDialog
    from app.workers.tasks import TaskRunner

    set_language("es")
    app = QApplication.instance() or QApplication(sys.argv)
    sandbox = SandboxServer(host="127.0.0.1", port=0, contingency_seconds=600).start()
    runner = TaskRunner()
    ctx = build_context(Settings(), runner, printer_url="dummy:", sandbox=sandbox)
    window = MainWindow(ctx)
    window.setGeometry(0, 0, width, height)
    window.show()
    window.start_background()

    def wait(condition, timeout_s: float = 30.0) -> None:
        deadline = time.monotonic() + timeout_s
        while not condition():
            if time.monotonic() > deadline:
                raise TimeoutError
            app.processEvents()
            QTest.qWait(5)

    def save(widget, name: str) -> None:
        app.processEvents()
        path = out / name.replace(".png", f"{suffix}.png")
        widget.grab().save(str(path))
        image = Image.open(path).convert("RGB")
        image = image.resize((image.width * 3 // 4, image.height * 3 // 4), Image.Resampling.LANCZOS)
        image.quantize(colors=64).save(path, optimize=True)
        print(path, path.stat().st_size // 1024, "KiB")

    def sell(*entries: str, outcome: str | None = None) -> None:
        for text in entries:
            QTest.keyClicks(window.sale.entry, text)
            QTest.keyClick(window.sale.entry, Qt.Key.Key_Return)
        if outcome:
            sandbox.set_next(outcome)

        def pay() -> None:
            dialog = QApplication.activeModalWidget()
            if isinstance(dialog, PaymentDialog):
                QTest.keyClicks(dialog.tendered, "20")
                QTest.keyClick(dialog.tendered, Qt.Key.Key_Return)
            else:
                QTimer.singleShot(5, pay)

        finished = []
        window.sale.saleFinished.connect(finished.append)
        QTimer.singleShot(0, pay)
        window.sale.charge()
        wait(lambda: finished)
        window.sale.saleFinished.disconnect(finished.append)

    wait(lambda: window.shift.login.names.count() > 0)
    save(window, "ingreso.png")
    # The training cashier logs in and opens the shift with a $50.00 float.
    cashier = ctx.services.users.verify("Cajero de práctica", "1111")
    session = ctx.services.cash.login(cashier) or ctx.services.cash.open(cashier, Decimal("50.00"))
    window.shift.enter(cashier, session, ask_float=False)

    wait(lambda: len(window.sale.products) > 0)
    sell("7412017000011", "3*LAC001")
    sell("2*PAN001", outcome="contingency")
    wait(lambda: not window.sale.preview.pixmap().isNull())
    for text in ("7412017000028", "2*PAN003", "cafe"):
        # A word search may open the product picker: take its first match.
        QTimer.singleShot(50, lambda: QApplication.activeModalWidget() and QApplication.activeModalWidget().accept())
        QTest.keyClicks(window.sale.entry, text)
        QTest.keyClick(window.sale.entry, Qt.Key.Key_Return)
    save(window, "venta.png")

    window.show_tab(1)
    wait(lambda: window.history.model.rowCount() >= 2 and window.history.selected_sale() is not None)
    # F3 selects the newest sale: wait for its ticket, not the one shown before.
    wait(lambda: not window.ctx.runner.busy and not window.history.preview.pixmap().isNull())
    save(window, "historial.png")

    window.show_tab(2)
    window.eod.run()
    wait(lambda: window.eod.report is not None and not window.eod.running)
    wait(lambda: window.eod.sessions.model.rowCount() > 0)
    save(window, "cierre.png")

    dialog = SettingsDialog(ctx, window)
    dialog.show()
    save(dialog, "configuracion.png")
    dialog.close()

    close = CloseShiftDialog(ctx, cashier, window)
    close.show()
    wait(lambda: close.expected is not None)
    for value, count in (("20", 3), ("10", 1), ("5", 1), ("1", 4), ("0.25", 3)):
        close.count.counts[Decimal(value)].setValue(count)
    save(close, "cierre_turno.png")
    close.done(0)

    window.close()
    runner.shutdown(wait=True)
    ctx.close()
    sandbox.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
