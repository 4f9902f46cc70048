"""The one owner of PyMuPDF: every use runs on a single dedicated thread.

PyMuPDF is not thread-safe and keeps process-global state (the anti-aliasing level, the warning
store), so instead of a lock that every caller must remember, all MuPDF work is handed to one
thread::

    from app.printing import mupdf

    pdf = mupdf.run(build_pdf, lines)      # build_pdf runs on the MuPDF thread

    def build_pdf(lines):
        doc = mupdf.fitz.open()            # mupdf.fitz is the pymupdf module, on that thread only
        ...

:data:`fitz` refuses to be used from any other thread (``RuntimeError``), so a forgotten
:func:`run` fails at once in tests instead of corrupting a render in production. This is the only
module that imports ``pymupdf`` (an architecture test keeps it so); importing it does not load
PyMuPDF, the first :func:`run` does.

MuPDF's own messages (warnings and errors the C library would print on stdout/stderr) go to the
log: display is switched off on the MuPDF thread and the collected warnings are logged after each
call.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")

#: Name of the one thread that runs PyMuPDF.
THREAD_NAME = "caja-mupdf"

_lock = threading.Lock()
_executor: ThreadPoolExecutor | None = None
_thread_id: int | None = None


def _module() -> Any:
    import pymupdf

    return pymupdf


def _start_thread() -> None:
    """Executor initializer: remember the thread and route MuPDF's messages to the log."""
    global _thread_id
    _thread_id = threading.get_ident()
    module = _module()
    module.TOOLS.mupdf_display_errors(False)
    module.TOOLS.mupdf_display_warnings(False)
    # PyMuPDF's own Python-side messages (pymupdf.message) go to logging too.
    module.set_messages(pylogging=True, pylogging_name=__name__, pylogging_level=logging.INFO)
    module.TOOLS.reset_mupdf_warnings()


def _get_executor() -> ThreadPoolExecutor:
    global _executor
    with _lock:
        if _executor is None:
            _executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix=THREAD_NAME, initializer=_start_thread)
        return _executor


def on_mupdf_thread() -> bool:
    """True on the thread that owns PyMuPDF."""
    return _thread_id is not None and threading.get_ident() == _thread_id


def run(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run ``fn(*args, **kwargs)`` on the MuPDF thread and return its result (or raise its error).

    Blocks the caller until done; never call it from the GUI thread. Re-entrant: called on the
    MuPDF thread itself, it simply calls ``fn``.
    """
    if on_mupdf_thread():
        return fn(*args, **kwargs)
    return _get_executor().submit(_call, fn, args, kwargs).result()


def _call(fn: Callable[..., T], args: tuple[Any, ...], kwargs: dict[str, Any]) -> T:
    try:
        return fn(*args, **kwargs)
    finally:
        _log_warnings()


def _log_warnings() -> None:
    """Move what MuPDF collected since the last call into the log (and empty its store)."""
    try:
        collected = _module().TOOLS.mupdf_warnings()
    except Exception:  # noqa: BLE001 - logging must never fail a render
        return
    if collected:
        log.warning("MuPDF: %s", collected)


def errors() -> tuple[type[BaseException], ...]:
    """What PyMuPDF raises for damaged input (FileDataError is a RuntimeError; MuPDF's own C
    errors surface as FzErrorBase). For ``except mupdf.errors():`` on the MuPDF thread."""
    return (RuntimeError, ValueError, _module().mupdf.FzErrorBase)


class _Guarded:
    """The ``pymupdf`` module, usable only on the MuPDF thread."""

    def __getattr__(self, name: str) -> Any:
        if not on_mupdf_thread():
            raise RuntimeError(f"pymupdf.{name} used outside the MuPDF thread: wrap the call in app.printing.mupdf.run")
        return getattr(_module(), name)

    def __repr__(self) -> str:
        return "<pymupdf, owned by the caja-mupdf thread>"


#: The ``pymupdf`` module for code running inside :func:`run`.
fitz: Any = _Guarded()
