"""Cached ticket PDFs: user-only files under ``<data_dir>/tickets/YYYY/MM/<ref>.pdf``, with their
SHA-256 in the ``tickets`` table so that a damaged file is downloaded again instead of printed."""

from __future__ import annotations

import hashlib
import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING

from app.domain.errors import JournalError
from app.i18n import _
from app.journal.db import Db, ts

if TYPE_CHECKING:
    from app.journal.sales import SalesRepo

log = logging.getLogger(__name__)

TICKETS_DIR = "tickets"


class TicketsRepo:
    """The ``tickets`` table and the folder of PDF files it describes."""

    def __init__(self, db: Db, sales: SalesRepo) -> None:
        self._db = db
        self._sales = sales
        #: Where the PDFs are kept (beside the journal file).
        self.folder = db.path.parent / TICKETS_DIR

    def store(self, sale_id: int, pdf: bytes) -> Path:
        """Cache the sale's ticket PDF (a user-only file under ``tickets/``); returns its path."""
        sale = self._sales.get(sale_id)
        relative = Path(f"{sale.business_day:%Y}", f"{sale.business_day:%m}", f"{sale.external_ref}.pdf")
        target = self.folder / relative
        try:
            # mkdir(parents=True) would give tickets/ and the year folder the umask's mode.
            for level in (self.folder, target.parent.parent, target.parent):
                level.mkdir(exist_ok=True, mode=0o700)
            temporary = target.with_suffix(".tmp")
            fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "wb") as handle:
                handle.write(pdf)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temporary, target)
        except OSError as exc:
            log.error("cannot write ticket %s: %s", target, exc)
            raise JournalError(_("The ticket could not be saved: {error}").format(error=exc)) from exc
        with self._db.transaction():
            self._db.upsert(
                "tickets",
                {
                    "sale_id": sale_id,
                    "path": relative.as_posix(),
                    "sha256": hashlib.sha256(pdf).hexdigest(),
                    "size": len(pdf),
                    "created_at": ts(self._db.now()),
                },
                key="sale_id",
            )
        return target

    def load(self, sale_id: int) -> bytes | None:
        """The cached ticket PDF, or None when missing or damaged (then download it again)."""
        with self._db.reading():
            row = self._db.one("SELECT path, sha256 FROM tickets WHERE sale_id = ?", (sale_id,))
        if row is None:
            return None
        path = self.folder / str(row["path"])
        try:
            data = path.read_bytes()
        except OSError as exc:
            log.warning("cached ticket %s unreadable: %s", path, exc)
            return None
        if hashlib.sha256(data).hexdigest() != row["sha256"]:
            log.warning("cached ticket %s does not match its checksum", path)
            return None
        return data

    def exists(self, sale_id: int) -> bool:
        """True when a ticket PDF was cached for the sale (it may since have been damaged)."""
        with self._db.reading():
            return self._db.exists("SELECT 1 FROM tickets WHERE sale_id = ?", (sale_id,))
