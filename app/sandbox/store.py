"""The sandbox's state: companies, documents, idempotency, simulated MH outcomes, rate limits.

One :class:`SandboxState` is shared by all request threads; every public method takes the lock.
A company is identified by a digest of its API key (the key itself is never kept). Each company has
its own documents, ``external_ref`` index, control-number sequences and rate-limit windows.

Idempotency (``ocote-api.md`` §5): a new ``external_ref`` creates a document; a ref already issued
returns the original (``is_duplicate``); a ref rejected or still in contingency updates the same
record (same id and control number) with the new request and sends it again.

With a ``state_path`` the documents and control-number sequences are kept on disk
(:mod:`app.sandbox.persist`): loaded at construction, every change saved before the method that
made it returns, so before the client gets its answer. Rate-limit windows, queued outcomes and
the request log stay in memory.

The document model and its codec are :mod:`app.sandbox.documents`; the rate-limit windows are
:mod:`app.sandbox.ratelimit`. This module keeps what needs the lock: the maps, the sequences, the
outcome queue, and the rules of idempotency and transmission.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import string
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from app.sandbox.adjust import Adjustments, SandboxError
from app.sandbox.ccf import mh_observaciones
from app.sandbox.documents import Document, decode_document, encode_document, now_sv
from app.sandbox.dte import issuer_for
from app.sandbox.persist import StateCorrupt, StateFile
from app.sandbox.ratelimit import RateInfo, RateLimits
from app.sandbox.rules import EMAIL_RE, InvoiceRequest

log = logging.getLogger(__name__)

OUTCOMES = ("ok", "contingency", "rejected", "drop_after_commit", "http_500", "http_429", "delay")
INVALIDATION_BUSINESS_DAYS = 90
DEFAULT_OBSERVACIONES = (
    "Campo #/receptor/correo no cumple el formato requerido",
    "Campo #/receptor/telefono no cumple la longitud mínima permitida",
)
EMAIL_OBSERVACION = "Campo #/receptor/correo no cumple el formato requerido"
# Upper bound of an outcome's ``seconds`` (delay, Retry-After): a typo must not park a handler
# thread, or a client honouring Retry-After, for hours.
MAX_OUTCOME_SECONDS = 600


@dataclass(frozen=True)
class Outcome:
    """What the next ``POST /invoice`` does (set through ``/_sandbox/next``)."""

    name: str = "ok"
    seconds: float = 0.0
    observaciones: tuple[str, ...] = DEFAULT_OBSERVACIONES
    codigo_msg: str = "096"


def outcome_seconds(value: object) -> float:
    """Check the ``seconds`` of an outcome: a number from 0 to :data:`MAX_OUTCOME_SECONDS`.

    Args:
        value: an int, float or Decimal (JSON number); None means 0.

    Raises:
        ValueError: a bool, a string, NaN, infinite, negative or above the bound.
    """
    if value is None:
        return 0.0
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        raise ValueError(f"seconds must be a number, not {type(value).__name__}")
    if not 0 <= value <= MAX_OUTCOME_SECONDS:  # False for NaN as well
        raise ValueError(f"seconds must be between 0 and {MAX_OUTCOME_SECONDS}, not {value}")
    return float(value)


def company_of(api_key: str) -> str:
    """A stable, non-reversible company id for a key (the key itself is never stored)."""
    return hashlib.sha256(api_key.encode("ascii")).hexdigest()[:16]


class SandboxState(Adjustments):
    """Thread-safe state of one sandbox server (voids and credit notes: :class:`Adjustments`).

    Args:
        contingency_seconds: how long a contingency document waits before it reads as stamped.
        rate_limit_minute: requests per minute per company before 429.
        rate_limit_hour: requests per hour per company before 429.
        clock: monotonic clock, injectable for tests of time-based behaviour.
        state_path: keep documents and sequences in this file (None: in memory only). A file
            that cannot be used is moved aside with a warning and the state starts empty.
    """

    def __init__(
        self,
        *,
        contingency_seconds: float = 30.0,
        rate_limit_minute: int = 120,
        rate_limit_hour: int = 5000,
        clock: Callable[[], float] = time.monotonic,
        state_path: Path | None = None,
    ) -> None:
        self.contingency_seconds = contingency_seconds
        self._clock = clock
        self._lock = threading.Lock()
        self._docs: dict[str, dict[str, Document]] = {}
        self._refs: dict[str, dict[str, str]] = {}
        self._sequences: dict[tuple[str, str, int], int] = {}
        self._rates = RateLimits(rate_limit_minute, rate_limit_hour)
        self._outcomes: list[Outcome] = []
        self.requests: list[tuple[str, str]] = []
        self._file: StateFile | None = None
        self._unsaved = False  # a save failed: memory is ahead of the file
        if state_path is not None:
            self._file = StateFile(state_path)
            self._load()

    @property
    def rate_limit_minute(self) -> int:
        return self._rates.per_minute

    @property
    def rate_limit_hour(self) -> int:
        return self._rates.per_hour

    def close(self) -> None:
        """Release the state file (the state itself is already saved)."""
        with self._lock:
            if self._file is not None:
                self._file.close()

    # -- controls -------------------------------------------------------------------------------

    def push_outcome(self, outcome: Outcome) -> int:
        """Queue the outcome of one upcoming ``POST /invoice``; returns how many are queued."""
        if outcome.name not in OUTCOMES:
            raise SandboxError(400, f"outcome desconocido: {outcome.name!r}; use uno de {', '.join(OUTCOMES)}")
        with self._lock:
            self._outcomes.append(outcome)
            return len(self._outcomes)

    def pop_outcome(self) -> Outcome:
        """The queued outcome for this ``POST /invoice`` (``ok`` when none is queued)."""
        with self._lock:
            return self._outcomes.pop(0) if self._outcomes else Outcome()

    def clear_outcomes(self) -> None:
        """Drop every queued outcome (documents and counters stay)."""
        with self._lock:
            self._outcomes.clear()

    def pending_outcomes(self) -> list[str]:
        with self._lock:
            return [o.name for o in self._outcomes]

    def reset(self) -> None:
        """Forget every document, sequence, rate-limit window, queued outcome and request."""
        with self._lock:
            self._docs.clear()
            self._refs.clear()
            self._sequences.clear()
            self._rates.clear()
            self._outcomes.clear()
            self.requests.clear()
            if self._file is not None:
                self._file.compact([])
                self._unsaved = False

    def record_request(self, method: str, path: str) -> None:
        with self._lock:
            self.requests.append((method, path))

    def age(self, id_or_ref: str, days: float, company: str | None = None) -> list[Document]:
        """Move matching documents ``days`` into the past (to test the invalidation window)."""
        delta = timedelta(days=days)
        with self._lock:
            self._save_pending()
            found = self._find_all(id_or_ref, company)
            if not found:
                raise SandboxError(404, "Documento no encontrado")
            for doc in found:
                doc.created_at -= delta
                doc.emitted_at -= delta
                if doc.processed_at:
                    doc.processed_at -= delta
                self._save(doc)
            return [replace(d) for d in found]

    def stamp_contingency(self, id_or_ref: str | None = None) -> list[Document]:
        """Stamp documents waiting in contingency now, as if MH had just come back.

        Args:
            id_or_ref: only this document (of any company); all pending ones when None.
        """
        with self._lock:
            self._save_pending()
            if id_or_ref is None:
                pending = [d for docs in self._docs.values() for d in docs.values()]
            else:
                pending = self._find_all(id_or_ref, None)
                if not pending:
                    raise SandboxError(404, "Documento no encontrado")
            stamped = []
            for doc in pending:
                if doc.state == "contingency":
                    self._stamp(doc)
                    self._save(doc)
                    stamped.append(replace(doc))
            return stamped

    # -- rate limits ----------------------------------------------------------------------------

    def unlimited_info(self) -> RateInfo:
        """Headers for requests without a valid key: the limits, nothing counted (no window)."""
        return self._rates.unlimited()

    def peek(self, company: str) -> RateInfo:
        """``company``'s current windows, for the headers of a request that does not count."""
        now = self._clock()
        with self._lock:
            return self._rates.peek(company, now)

    def hit(self, company: str) -> RateInfo:
        """Count one request of ``company``; refused ones (``retry_after`` set) do not count."""
        now = self._clock()
        with self._lock:
            return self._rates.hit(company, now)

    # -- documents ------------------------------------------------------------------------------

    def submit(self, company: str, request: InvoiceRequest, outcome: Outcome) -> tuple[Document, bool]:
        """Apply ``POST /invoice``: returns a snapshot of the document and whether it is a duplicate."""
        with self._lock:
            self._save_pending()
            docs = self._docs.setdefault(company, {})
            refs = self._refs.setdefault(company, {})
            existing = docs.get(refs.get(request.external_ref, "")) if request.external_ref else None
            if existing is not None:
                self._refresh(existing)
                if existing.state == "issued":
                    log.info("duplicate external_ref: returning %s", existing.control_number)
                    return replace(existing), True
                log.info("re-sending %s (was %s)", existing.control_number, existing.state)
                existing.request = request
                existing.emitted_at = now_sv()
                self._transmit(existing, outcome)
                self._save(existing)
                return replace(existing), False
            return replace(self._create(company, request, outcome)), False

    def _create(self, company: str, request: InvoiceRequest, outcome: Outcome) -> Document:
        """A new document (next control number of its type), transmitted and saved (lock held)."""
        now = now_sv()
        key = (company, request.doc_type, now.year)
        self._sequences[key] = self._sequences.get(key, 0) + 1
        issuer = issuer_for(request.external_ref)  # the till's establishment and point of sale
        doc = Document(
            company=company,
            document_id=str(uuid.uuid4()),
            external_ref=request.external_ref,
            control_number=(
                f"DTE-{request.doc_type}-{issuer['codEstable']}{issuer['codPuntoVenta']}-{self._sequences[key]:015d}"
            ),
            generation_code=str(uuid.uuid4()).upper(),
            created_at=now,
            emitted_at=now,
            request=request,
        )
        self._docs.setdefault(company, {})[doc.document_id] = doc
        if request.external_ref:
            self._refs.setdefault(company, {})[request.external_ref] = doc.document_id
        self._transmit(doc, outcome)
        self._save(doc, key)
        log.info("created %s (%s)", doc.control_number, doc.state)
        return doc

    def find(self, company: str, id_or_ref: str) -> Document:
        """A snapshot of one document of ``company``; 404 when unknown."""
        with self._lock:
            self._save_pending()
            doc = self._lookup(company, id_or_ref)
            self._refresh(doc)
            return replace(doc)

    def documents(self, company: str | None = None) -> list[Document]:
        """Snapshots of all documents (of one company when given), oldest first."""
        with self._lock:
            self._save_pending()
            out = []
            for owner, docs in self._docs.items():
                if company is not None and owner != company:
                    continue
                for doc in docs.values():
                    self._refresh(doc)
                    out.append(replace(doc))
            return sorted(out, key=lambda d: (d.created_at, d.control_number))

    # -- internals (lock held) ------------------------------------------------------------------

    def _lookup(self, company: str, id_or_ref: str) -> Document:
        docs = self._docs.get(company, {})
        doc = docs.get(id_or_ref) or docs.get(self._refs.get(company, {}).get(id_or_ref, ""))
        if doc is None:
            raise SandboxError(404, "Documento no encontrado")
        return doc

    def _find_all(self, id_or_ref: str, company: str | None) -> list[Document]:
        found = []
        for owner in self._docs:
            if company is None or owner == company:
                try:
                    found.append(self._lookup(owner, id_or_ref))
                except SandboxError:
                    pass
        return found

    def _transmit(self, doc: Document, outcome: Outcome) -> None:
        """Simulate sending the DTE to MH with the chosen outcome."""
        doc.reception_stamp = ""
        doc.processed_at = None
        doc.stamp_due = None
        doc.observaciones = []
        doc.codigo_msg = ""
        email = (doc.request.customer or {}).get("email")
        missing = mh_observaciones(doc.request.doc_type, doc.request.customer)
        if missing and outcome.name != "contingency":
            doc.state = "rejected"
            doc.transmitted_in_contingency = False
            doc.observaciones = missing
            doc.codigo_msg = "096"
            doc.processed_at = now_sv()
        elif outcome.name == "contingency":
            doc.state = "contingency"
            doc.transmitted_in_contingency = True
            doc.stamp_due = self._clock() + self.contingency_seconds
        elif outcome.name == "rejected" or (email and not EMAIL_RE.match(email)):
            doc.state = "rejected"
            doc.transmitted_in_contingency = False
            doc.observaciones = list(outcome.observaciones if outcome.name == "rejected" else (EMAIL_OBSERVACION,))
            doc.codigo_msg = outcome.codigo_msg if outcome.name == "rejected" else "096"
            doc.processed_at = now_sv()
        else:
            doc.transmitted_in_contingency = False
            self._stamp(doc)

    def _stamp(self, doc: Document) -> None:
        doc.state = "issued"
        doc.processed_at = now_sv()
        letters = "".join(secrets.choice(string.ascii_uppercase) for _ in range(4))
        doc.reception_stamp = f"{doc.processed_at.year}{uuid.uuid4().hex.upper()}{letters}"
        doc.codigo_msg = "001"
        doc.stamp_due = None

    def _refresh(self, doc: Document) -> None:
        """Contingency documents read as stamped once their time has come (Ocote resent them)."""
        if doc.state == "contingency" and doc.stamp_due is not None and self._clock() >= doc.stamp_due:
            log.info("contingency document %s now stamped", doc.control_number)
            self._stamp(doc)
            self._save(doc)

    # -- persistence (lock held, or during construction) ----------------------------------------

    def _load(self) -> None:
        assert self._file is not None
        try:
            records = self._file.read()
            for record in records:
                self._apply(record)
        except (StateCorrupt, OSError, KeyError, TypeError, ValueError, ArithmeticError) as exc:
            self._docs.clear()
            self._refs.clear()
            self._sequences.clear()
            try:
                bad = self._file.move_aside()
            except OSError as move_exc:
                log.warning(
                    "sandbox state %s is unusable (%s) and cannot be moved aside (%s): "
                    "documents are kept in memory only",
                    self._file.path,
                    exc,
                    move_exc,
                )
                self._file = None
                return
            log.warning(
                "sandbox state %s is unusable (%s): moved to %s, starting empty", self._file.path, exc, bad.name
            )
            records = []
        # Rewrite only when it helps (loading stays fast): a new file, a torn last record (an
        # append must not follow it), or records superseded by later ones.
        documents = sum(len(d) for d in self._docs.values())
        if not self._file.path.exists() or self._file.torn or len(records) > documents + len(self._sequences):
            try:
                self._file.compact(self._records())
            except OSError as exc:
                log.warning(
                    "cannot write sandbox state %s (%s): documents are kept in memory only", self._file.path, exc
                )
                self._file = None
                return
        log.info("sandbox state %s: %d documents", self._file.path, sum(len(d) for d in self._docs.values()))

    def _apply(self, record: dict[str, Any]) -> None:
        """Fold one saved record into memory (a later record of a document replaces it)."""
        if "sequence" in record:
            company, doc_type, year, number = record["sequence"]
            self._sequences[(str(company), str(doc_type), int(year))] = int(number)
        if "document" in record:
            doc = decode_document(record["document"], self._clock())
            self._docs.setdefault(doc.company, {})[doc.document_id] = doc
            if doc.external_ref:
                self._refs.setdefault(doc.company, {})[doc.external_ref] = doc.document_id

    def _records(self) -> list[dict[str, Any]]:
        """The whole state as records: what a compacted file holds."""
        out: list[dict[str, Any]] = [{"sequence": [*key, n]} for key, n in self._sequences.items()]
        out.extend(
            {"document": encode_document(d, self._clock())} for docs in self._docs.values() for d in docs.values()
        )
        return out

    def _save(self, doc: Document, sequence: tuple[str, str, int] | None = None) -> None:
        """Append ``doc`` (and the ``sequence`` it used) to the state file, fsynced.

        Raises:
            OSError: it could not be saved; the request then fails (500) rather than answer
                with a document that would be lost.
        """
        if self._file is None:
            return
        record: dict[str, Any] = {"document": encode_document(doc, self._clock())}
        if sequence is not None:
            record["sequence"] = [*sequence, self._sequences[sequence]]
        try:
            self._file.append(record)
        except OSError:
            # Memory already holds the change: a retry of the same request would be answered
            # from it (a duplicate) without it ever reaching the disk. _save_pending() makes the
            # next request write the whole state first, or fail too.
            self._unsaved = True
            raise
        documents = sum(len(d) for d in self._docs.values())
        if self._file.needs_compaction(documents):
            try:
                self._file.compact(self._records())
            except OSError as exc:  # the record is safe in the file already
                log.warning("cannot compact sandbox state %s: %s", self._file.path, exc)

    def _save_pending(self) -> None:
        """Write the whole state if a save failed earlier; nothing is answered from unsaved state.

        Raises:
            OSError: still cannot write; the request fails (500) and the client retries.
        """
        if self._unsaved and self._file is not None:
            self._file.compact(self._records())
            self._unsaved = False
            log.info("sandbox state %s saved again", self._file.path)
