"""``file:PATH``: raw bytes to a file or a device node such as ``/dev/usb/lp0`` (one-way).

On POSIX the node is opened non-blocking, so a node whose driver waits for the printer (or a FIFO
nobody reads) cannot hang the printer thread: a FIFO without a reader is retried until the open
deadline, then reported as :class:`~app.printing.status.PrinterNotResponding`.
"""

from __future__ import annotations

import errno
import os
import stat
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from app.domain.errors import PrintError
from app.i18n import _
from app.printing import url as urls
from app.printing.backends.base import DEFAULT_OPEN_TIMEOUT, EscposConnection, run_bounded, send_budget
from app.printing.backends.registry import Target, register
from app.printing.status import PrinterUnreachable

if TYPE_CHECKING:
    from app.printing.profiles import PrinterProfile

#: Pause between two attempts to open a FIFO that has no reader yet.
_FIFO_RETRY_SECONDS = 0.05


class FileConnection(EscposConnection):
    """Raw bytes to a file or a device node such as ``/dev/usb/lp0`` (one-way, no status)."""

    # O_NONBLOCK makes the open itself return at once where it exists.
    open_is_bounded = os.name == "posix"

    def __init__(self, path: str, timeout: float = 10.0, open_timeout: float = DEFAULT_OPEN_TIMEOUT) -> None:
        self.path = path
        super().__init__(f"file:{path}", timeout, open_timeout)

    def _make_printer(self) -> Any:
        from escpos.printer import File

        return File(devfile=self.path, auto_flush=True)

    def _open(self, printer: Any) -> None:
        if not self.open_is_bounded:
            printer.open()
            return
        flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
        deadline = time.monotonic() + self.open_timeout
        while True:
            try:
                fd = os.open(self.path, flags, 0o666)
                break
            except OSError as exc:
                # ENXIO on a FIFO: nobody reads it (yet). Anything else is final.
                if exc.errno != errno.ENXIO or not _is_fifo(self.path):
                    raise
                if time.monotonic() >= deadline:
                    raise self._not_responding() from exc
                time.sleep(_FIFO_RETRY_SECONDS)
        try:
            os.set_blocking(fd, True)  # writes are bounded by run_bounded, not by EAGAIN
            printer.device = os.fdopen(fd, "wb")
        except BaseException:
            os.close(fd)
            raise

    def _open_error(self, exc: Exception) -> PrintError:
        code = getattr(exc, "errno", None)
        if code in (errno.ENOENT, errno.ENODEV, errno.ENXIO):
            return PrinterUnreachable(
                _("{path} does not exist: check that the printer is on and plugged in.").format(path=self.path)
            )
        if code in (errno.EACCES, errno.EPERM):
            return PrinterUnreachable(
                _("No permission to write to {path} (on Linux, add the user to the lp group and log in again).").format(
                    path=self.path
                )
            )
        return PrinterUnreachable(_("Cannot open {path} for writing.").format(path=self.path))

    def _write(self, printer: Any, data: bytes) -> None:
        try:
            mode = os.fstat(printer.device.fileno()).st_mode
            blocks = stat.S_ISCHR(mode) or stat.S_ISFIFO(mode)
        except OSError:
            blocks = False
        if blocks:
            # A write to /dev/usb/lp0 blocks while the printer is off or out of paper (a FIFO while
            # its reader does not read).
            run_bounded(lambda: printer._raw(data), send_budget(self.timeout, len(data)))
        else:
            printer._raw(data)


def _is_fifo(path: str) -> bool:
    try:
        return stat.S_ISFIFO(os.stat(path).st_mode)
    except OSError:
        return False


class FileBackend:
    scheme = "file"

    def is_usable(self) -> bool:
        return True

    def unusable_error(self) -> NoReturn:  # never: python-escpos is a core dependency
        raise AssertionError("file: is always usable")

    def parse(self, url: str, rest: str) -> Target:
        path, _query = urls.split(rest)
        if path.startswith("//"):
            host, _slash, tail = path[2:].partition("/")
            if host not in ("", "localhost"):
                raise urls.bad(url, _("only local files are supported (example: file:/dev/usb/lp0)"))
            path = "/" + tail
        if not path.strip("/"):
            raise urls.bad(url, _("no file path (example: file:/dev/usb/lp0)"))
        resolved = str(Path(path).expanduser())
        return Target(self.scheme, f"file:{resolved}", {"path": resolved})

    def connect(
        self, target: Target, *, timeout: float, open_timeout: float, profile: PrinterProfile | None
    ) -> FileConnection:
        return FileConnection(target.options["path"], timeout=timeout, open_timeout=open_timeout)


register(FileBackend())
