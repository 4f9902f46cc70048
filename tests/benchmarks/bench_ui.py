"""UI benchmark (run on demand, not collected): GUI stalls during a sale, and launch time.

1. **Event-loop stall during a sale.** The real window, offscreen, in training mode against an
   in-process sandbox whose answer to ``POST /invoice`` takes 500 ms (``set_next("delay", 0.5)``),
   printing to a ``dummy:`` printer. A 5 ms QTimer records the time between its ticks; the longest
   gap minus the 5 ms interval is the longest stall of the GUI thread, from F12 until the ticket
   preview is on screen. Target: <= 50 ms. Also measured: F12 to next-sale-ready (the payment
   dialog accepted, the cart free for the next scan; the answer is still pending then).
2. **Launch to interactive.** ``app.bootstrap.launch()`` in a fresh interpreter (training mode: the
   sandbox starts, the journal opens, the sample catalog loads): time from process start to the
   first event-loop turn with the window shown, and until the catalog is loaded for scanning.

Usage::

    QT_QPA_PLATFORM=offscreen python tests/benchmarks/bench_ui.py [--sales 10]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TICK_MS = 5


def measure_sales(sales: int) -> dict:
    from PySide6.QtCore import QElapsedTimer, Qt, QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from app.bootstrap import build_context
    from app.config import Settings
    from app.sandbox.server import SandboxServer
    from app.services.checkout import SaleOutcome
    from app.ui.dialogs import PaymentDialog
    from app.ui.main_window import MainWindow
    from app.workers.tasks import TaskRunner

    app = QApplication.instance() or QApplication(sys.argv)
    sandbox = SandboxServer(host="127.0.0.1", port=0).start()
    runner = TaskRunner()
    ctx = build_context(Settings(), runner, printer_url="dummy:", sandbox=sandbox)
    window = MainWindow(ctx)
    window.show()
    window.start_background()

    def wait(condition, timeout_s: float = 30.0) -> None:
        deadline = time.monotonic() + timeout_s
        while not condition():
            if time.monotonic() > deadline:
                raise TimeoutError("condition not met")
            app.processEvents()
            QTest.qWait(1)

    wait(lambda: len(window.sale.products) > 0)
    product = window.sale.products.search("coca")[0]
    gaps: list[float] = []
    clock = QElapsedTimer()
    last = [0.0]
    recording = [False]

    def tick() -> None:
        now = clock.nsecsElapsed() / 1e6
        if recording[0]:
            gaps.append(now - last[0])
        last[0] = now

    timer = QTimer()
    timer.setTimerType(Qt.TimerType.PreciseTimer)
    timer.setInterval(TICK_MS)
    timer.timeout.connect(tick)
    clock.start()
    timer.start()

    def pay() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, PaymentDialog):
            QTest.keyClicks(dialog.tendered, "20")
            QTest.keyClick(dialog.tendered, Qt.Key.Key_Return)
        else:
            QTimer.singleShot(5, pay)

    per_sale: list[float] = []
    durations: list[float] = []
    ready: list[float] = []
    done: list = []
    window.sale.saleFinished.connect(done.append)
    for _ in range(sales):
        QTest.keyClicks(window.sale.entry, f"3*{product.code}")
        QTest.keyClick(window.sale.entry, Qt.Key.Key_Return)
        sandbox.set_next("delay", seconds=0.5)
        window.sale.preview.clear()
        done.clear()
        start = len(gaps)
        recording[0] = True
        t0 = time.perf_counter()
        QTimer.singleShot(0, pay)
        window.sale.charge()
        # charge() returns once the sale is committed: the cart is free, the answer not back yet.
        assert len(window.sale.cart) == 0 and not window.sale.entry.isReadOnly() and not done
        ready.append(time.perf_counter() - t0)
        wait(lambda: done and window.sale.preview.pixmap() is not None and not window.sale.preview.pixmap().isNull())
        durations.append(time.perf_counter() - t0)
        recording[0] = False
        assert done[0].outcome is SaleOutcome.ISSUED, done[0]
        per_sale.append(max(gaps[start:]) - TICK_MS)
    timer.stop()
    window.close()
    runner.shutdown(wait=True)
    ctx.close()
    sandbox.stop()
    window.deleteLater()
    QTest.qWait(10)
    app.shutdown()  # destroy Qt before the interpreter finalizes (a PySide6 6.12 exit crash was seen once)
    stalls = sorted(g - TICK_MS for g in gaps)
    return {
        "sales": sales,
        "ticks": len(gaps),
        "longest_stall_ms": round(max(per_sale), 1),
        "median_longest_stall_per_sale_ms": round(statistics.median(per_sale), 1),
        "p99_stall_ms": round(stalls[int(len(stalls) * 0.99)], 1),
        "sale_f12_to_preview_s": round(statistics.median(durations), 2),
        "f12_to_next_sale_ready_ms": round(statistics.median(ready) * 1000, 1),
    }


CHILD = r"""
import os, sys, time
from PySide6.QtCore import QTimer
from app.bootstrap import launch
app, window, ctx = launch("dummy:")
shown = time.time()
def first_turn():
    ready = time.time()
    def catalog():
        if len(window.sale.products):
            print(f"READY {ready} CATALOG {time.time()}", flush=True)
            app.quit()
        else:
            QTimer.singleShot(1, catalog)
    catalog()
QTimer.singleShot(0, first_turn)
app.exec()
ctx.runner.shutdown(wait=True)
ctx.close()
"""


def measure_launch(runs: int) -> dict:
    interactive, with_catalog = [], []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as home:
            env = dict(
                os.environ,
                CAJA_DATA_DIR=f"{home}/data",
                CAJA_CONFIG_DIR=f"{home}/config",
                CAJA_LOG_DIR=f"{home}/log",
                QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"),
                PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
                PYTHONPATH=str(ROOT),
            )
            env.pop("OCOTE_API_KEY", None)
            env.pop("ESCPOS_CAPABILITIES_PICKLE_DIR", None)  # set by app.printing for this process's data dir
            start = time.time()
            proc = subprocess.run(
                [sys.executable, "-c", CHILD], env=env, cwd=ROOT, capture_output=True, text=True, timeout=120
            )
            if proc.returncode != 0:
                raise RuntimeError(f"launch failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
            out = proc.stdout
            line = next(x for x in out.splitlines() if x.startswith("READY"))
            _ready, ready, _catalog, catalog = line.split()
            interactive.append(float(ready) - start)
            with_catalog.append(float(catalog) - start)
    return {
        "runs": runs,
        "launch_to_interactive_s": round(statistics.median(interactive), 2),
        "launch_to_catalog_loaded_s": round(statistics.median(with_catalog), 2),
        "note": "first run includes a fresh training journal and the sample catalog import",
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sales", type=int, default=10)
    parser.add_argument("--launches", type=int, default=3)
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.path.insert(0, str(ROOT))
    with tempfile.TemporaryDirectory() as home:
        os.environ.update(CAJA_DATA_DIR=f"{home}/data", CAJA_CONFIG_DIR=f"{home}/config", CAJA_LOG_DIR=f"{home}/log")
        result = {"stall": measure_sales(args.sales)}
    result["launch"] = measure_launch(args.launches)
    print(json.dumps(result, indent=2))
    stall_ok = result["stall"]["longest_stall_ms"] <= 50
    print("longest stall", "OK" if stall_ok else "OVER", "(target <= 50 ms)")
    return 0 if stall_ok else 1


if __name__ == "__main__":
    sys.exit(main())
