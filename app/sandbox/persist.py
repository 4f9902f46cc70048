"""The sandbox's state on disk, so training documents outlive a restart of the app.

Without it a restarted sandbox would issue the same control numbers again, answer 404 for the
documents the training journal already holds, and fail their reprints.

The state file is JSON Lines: a header ``{"format": "caja-sandbox-state", "version": 1}`` and then
one record per line. Each mutation *appends* one record (the whole changed document, and the new
control-number sequence when one was used) and fsyncs it before the client gets an answer, so an
acknowledged document is never lost and the cost of a save does not grow with the number of
documents (rewriting the whole state per request took ~35 ms at 1,000 documents). Later records
of the same document replace earlier ones. The file is compacted (rewritten with one record per
document: temp file in the same folder, fsync, ``os.replace``) when it is opened and whenever the
appended records outnumber the documents, so it stays about the size of the state.

A torn last line (a crash in the middle of an append, never acknowledged) is dropped. Any other
damage moves the file aside as ``<name>.bad-<timestamp>`` and the sandbox starts empty: a broken
training file must never keep the till from starting.
"""

from __future__ import annotations

import json
import logging
import os
import re
import secrets
import sys
import time
from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

FORMAT = "caja-sandbox-state"
VERSION = 1
# Compaction also waits for at least this many appended records: with few documents, rewriting
# after every couple of requests would cost more than the few extra lines it saves.
MIN_RECORDS_BEFORE_COMPACTION = 1000
FILE_MODE = 0o600
KEY_RE = re.compile(r"odt_[0-9a-f]{56}")


class StateCorrupt(Exception):
    """The state file cannot be understood (bad JSON, unknown format or version)."""


def _fsync_dir(folder: Path) -> None:
    """Make a rename in ``folder`` durable (POSIX; Windows cannot open a folder for this)."""
    if sys.platform == "win32":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomic(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data``: temp file in the same folder, fsync, ``os.replace``, 0600."""
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), FILE_MODE)
    try:
        try:
            _write_all(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _jsonable(value: Any) -> str:
    # Amounts as strings: exact, where a JSON number would come back as a float.
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def _encode(record: dict[str, Any]) -> bytes:
    text = json.dumps(record, ensure_ascii=False, separators=(",", ":"), default=_jsonable)
    return (text + "\n").encode("utf-8")


class StateFile:
    """One sandbox's state file: read it once, append records, compact it.

    Not thread-safe by itself: :class:`app.sandbox.store.SandboxState` calls it under its lock.

    Args:
        path: the file (created with mode 0600, its folder with 0700, when missing).
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._fd: int | None = None
        self._appended = 0
        #: The last :meth:`read` dropped a torn last record: compact before appending.
        self.torn = False

    def read(self) -> list[dict[str, Any]]:
        """The records in the file, oldest first; ``[]`` when there is no file yet.

        Raises:
            StateCorrupt: the file is not a state file this version understands.
            OSError: the file exists but cannot be read.
        """
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            return []
        lines = data.split(b"\n")
        if lines.pop():  # not the b"" after the newline ending the last complete record
            # The header is only ever written whole (compact() replaces the file atomically), so
            # only an append can be cut short by a crash, and it was never acknowledged.
            if not lines:
                raise StateCorrupt("no complete header line")
            log.warning("sandbox state %s: dropping a torn last record (interrupted write)", self.path)
            self.torn = True
        if not lines:
            return []
        try:
            header = json.loads(lines[0])
            records = [json.loads(line) for line in lines[1:]]
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise StateCorrupt(f"not JSON: {exc}") from None
        if not isinstance(header, dict) or header.get("format") != FORMAT:
            raise StateCorrupt("not a sandbox state file")
        if header.get("version") != VERSION:
            raise StateCorrupt(f"unknown version {header.get('version')!r}")
        if not all(isinstance(r, dict) for r in records):
            raise StateCorrupt("a record is not an object")
        return records

    def move_aside(self) -> Path:
        """Rename the file to ``<name>.bad-<timestamp>`` (kept for a look) and return that path."""
        self.close()
        bad = self.path.with_name(f"{self.path.name}.bad-{time.strftime('%Y%m%d-%H%M%S')}")
        n = 1
        while bad.exists():
            n += 1
            bad = self.path.with_name(f"{self.path.name}.bad-{time.strftime('%Y%m%d-%H%M%S')}-{n}")
        os.replace(self.path, bad)
        return bad

    def compact(self, records: Iterable[dict[str, Any]]) -> None:
        """Rewrite the file atomically with exactly ``records`` (the whole current state)."""
        self.close()  # Windows cannot replace a file that is open
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        body = b"".join(_encode(r) for r in ({"format": FORMAT, "version": VERSION}, *records))
        write_atomic(self.path, body)
        self._appended = 0
        self.torn = False

    def append(self, record: dict[str, Any]) -> None:
        """Add one record and fsync it: when this returns, the record survives a crash."""
        data = _encode(record)
        if self._fd is None:
            self._fd = os.open(
                self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_BINARY", 0), FILE_MODE
            )
        size = os.lseek(self._fd, 0, os.SEEK_END)
        try:
            _write_all(self._fd, data)
            os.fsync(self._fd)
        except OSError:
            # Disk full or similar: take back a partial line, or every later record would sit
            # behind a broken one and the next start would have to discard the whole file.
            try:
                os.ftruncate(self._fd, size)
            except OSError:
                pass
            raise
        self._appended += 1

    def needs_compaction(self, documents: int) -> bool:
        """True once the appended records outnumber the documents (and a minimum)."""
        return self._appended > max(MIN_RECORDS_BEFORE_COMPACTION, documents)

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


def load_or_create_key(path: Path) -> str:
    """The API key kept in ``path`` (mode 0600), made and stored first if missing or malformed.

    For training mode, which must present the same key after a restart: the sandbox keeps each
    key's documents apart (a digest of the key is the company), so a new key would be a new,
    empty company. The key is never logged.
    """
    try:
        key = path.read_text(encoding="ascii").strip()
        if KEY_RE.fullmatch(key):
            return key
        log.warning("training key file %s is malformed: making a new one", path)
    except FileNotFoundError:
        pass
    except (OSError, UnicodeDecodeError) as exc:
        log.warning("training key file %s unreadable (%s): making a new one", path, type(exc).__name__)
    key = "odt_" + secrets.token_hex(28)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    write_atomic(path, key.encode("ascii") + b"\n")
    return key
