"""Background work for the window: serial executors per resource and one path back to the GUI.

Habits (see the house style): work is split by what it waits on, each on ONE serial executor.
The ``sales`` executor runs the cashier's sale (checkout, retrying its print, its preview), so a
charge never queues behind slower supervisor work; the ``backend`` executor runs everything else
that touches the network, PyMuPDF or the printer (outbox passes, reprints, voids, end of day,
history previews, settings test prints), in submission order; the ``reader`` executor runs journal
searches that must not wait behind a slow network call; the ``link`` executor runs the cheap
connectivity probe (bounded by its own deadline), so the status bar never waits behind an outbox
pass. Sharing between them is safe by design:
the journal serialises its connection, a sale being sent is claimed in the journal so the outbox
cannot send it at the same time, every print job goes through the one ``PrintQueue`` thread, and
PyMuPDF work runs on its one thread (``app.printing.mupdf.run``). Results come back to the GUI thread
through a single queued signal (:class:`MainThreadInvoker`); workers never touch widgets.

Failures have one path: a task submitted without ``on_error`` goes to the runner's default
failure handler (the window installs ``app.ui.errors.show_error``: user-facing errors are shown as
they are, bugs are logged with their traceback and shown as "Unexpected error"). Pass ``on_error``
only when the screen does something different on failure (keeps the sale on screen, re-enables a
button); background refreshes that must stay quiet pass a logging callback.

Usage::

    runner.set_default_error_handler(lambda exc: show_error(window, exc))
    runner.submit("sales", service.checkout, draft,
                  on_done=self._sale_done, on_error=self._sale_failed)
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Qt, QThread, Signal, Slot

log = logging.getLogger(__name__)

EXECUTORS = ("sales", "backend", "reader", "link")

ErrorHandler = Callable[[BaseException], None]


def log_failure(exc: BaseException) -> None:
    """The default failure handler until the window installs its own: log with the traceback."""
    log.error("background task failed", exc_info=exc)


class MainThreadInvoker(QObject):
    """Runs callables on the thread that owns this object (the GUI thread).

    Signals:
        call: carries a zero-argument callable; connected with a queued connection.
    """

    call = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self.call.connect(self._run, Qt.ConnectionType.QueuedConnection)

    @Slot(object)
    def _run(self, fn: Callable[[], None]) -> None:
        try:
            fn()
        except Exception:  # a bug in a GUI callback must not kill the event loop
            log.exception("error in a GUI callback")
            hook = getattr(self, "error_hook", None)
            if hook:
                hook()


class TaskRunner:
    """Submits work to named serial executors and delivers results on the GUI thread."""

    def __init__(self) -> None:
        app = QCoreApplication.instance()
        if app is None or QThread.currentThread() is not app.thread():
            raise RuntimeError("TaskRunner must be created on the GUI thread")
        self._invoker = MainThreadInvoker()
        self._executors = {
            name: ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"caja-{name}") for name in EXECUTORS
        }
        for pool in self._executors.values():
            # Start each worker thread now: an executor starts it on its first submit and waits
            # for it to run, which on a busy till stalled the GUI thread in the first sale's
            # Cobrar (bench_ui, issue 13).
            pool.submit(int)
        self._pending = 0
        self._lock = threading.Lock()
        self._closed = False
        self._default_on_error: ErrorHandler = log_failure

    @property
    def busy(self) -> int:
        """How many submitted tasks have not delivered their result yet."""
        return self._pending

    def run_on_main(self, fn: Callable[[], None]) -> None:
        """Call ``fn`` on the GUI thread (from any thread)."""
        self._invoker.call.emit(fn)

    def set_default_error_handler(self, handler: ErrorHandler | None) -> None:
        """Where failures of tasks submitted without ``on_error`` go (None: back to logging)."""
        self._default_on_error = handler or log_failure

    def set_error_hook(self, hook: Callable[[], None]) -> None:
        self._invoker.error_hook = hook  # type: ignore[attr-defined]

    def submit(
        self,
        executor: str,
        fn: Callable[..., Any],
        *args: Any,
        on_done: Callable[[Any], None] | None = None,
        on_error: ErrorHandler | None = None,
        **kwargs: Any,
    ) -> Future:
        """Run ``fn(*args, **kwargs)`` on ``executor``; call back on the GUI thread.

        ``on_error`` defaults to the runner's default failure handler (see
        :meth:`set_default_error_handler`), looked up when the failure is delivered.
        """
        if self._closed:
            # The window is closing: Qt still emits signals while it tears widgets down (a table
            # losing its selection asks for a preview). Nothing may start now, and raising from a
            # slot during teardown aborts the interpreter, so the task is dropped, cancelled.
            log.debug("task %s dropped: the runner is shut down", getattr(fn, "__qualname__", fn))
            dropped: Future = Future()
            dropped.cancel()
            return dropped
        with self._lock:
            self._pending += 1

        def finished(future: Future) -> None:
            def deliver() -> None:
                with self._lock:
                    self._pending -= 1
                exc = future.exception()
                if exc is not None:
                    (on_error or self._default_on_error)(exc)
                elif on_done is not None:
                    on_done(future.result())

            self.run_on_main(deliver)

        future = self._executors[executor].submit(fn, *args, **kwargs)
        future.add_done_callback(finished)
        return future

    def shutdown(self, wait: bool = True) -> None:
        self._closed = True
        for pool in self._executors.values():
            pool.shutdown(wait=wait, cancel_futures=False)
