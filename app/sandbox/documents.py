"""A sandbox document: its model, how it is saved and loaded, and what it reads as to MH.

:class:`Document` is one document of one company in its current state;
:func:`encode_document` / :func:`decode_document` turn it into the records of the state file
(:mod:`app.sandbox.persist`) and back; :func:`document_dte` and :func:`mh_response` are the DTE JSON
and MH's answer that ``/status?include_dte=1`` shows. The state that owns the documents
(idempotency, outcomes, rate limits) is :mod:`app.sandbox.store`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, fields
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

from app.sandbox.dte import build_dte
from app.sandbox.rules import Amounts, InvoiceRequest, Line

__all__ = ["SV_TZ", "Document", "decode_document", "document_dte", "encode_document", "mh_response", "now_sv"]

# El Salvador has no daylight saving time: UTC-6 all year.
SV_TZ = timezone(timedelta(hours=-6), "CST")


@dataclass
class Document:
    """One document of one company, in its current state."""

    company: str
    document_id: str
    external_ref: str
    control_number: str
    generation_code: str
    created_at: datetime
    emitted_at: datetime
    request: InvoiceRequest
    state: str = "issued"  # issued | contingency | rejected
    transmitted_in_contingency: bool = False
    reception_stamp: str = ""
    processed_at: datetime | None = None
    stamp_due: float | None = None
    observaciones: list[str] = field(default_factory=list)
    codigo_msg: str = ""
    invalidated_at: datetime | None = None
    #: A CCF voided past its window: the id of the credit note created instead (its ``invalidated_at``
    #: is then when it was adjusted); a CCF wholly adjusted by a requested full note, that note's id.
    credit_memo_id: str = ""


# What a saved document must hold: every field (a missing one makes the file unusable).
_DOCUMENT_FIELDS = tuple(f.name for f in fields(Document))
_REQUEST_FIELDS = tuple(f.name for f in fields(InvoiceRequest))
_LINE_FIELDS = tuple(f.name for f in fields(Line))
_AMOUNT_FIELDS = tuple(f.name for f in fields(Amounts))
# Fields added after the first saved files (they take their defaults when a record lacks them).
_REQUEST_OPTIONAL = frozenset({"type_contributor", "adjusts", "full_adjustment"})
_DOCUMENT_OPTIONAL = frozenset({"credit_memo_id"})


def now_sv() -> datetime:
    """The current time in El Salvador, to the second (MH's horEmi has no fractions)."""
    return datetime.now(SV_TZ).replace(microsecond=0)


def encode_document(doc: Document, monotonic_now: float) -> dict[str, Any]:
    """``doc`` as a JSON-ready record; ``monotonic_now`` is the state's clock now."""
    # Shallow copies by hand: dataclasses.asdict deep-copies every value, which made loading
    # 2,000 documents take over a second. Every leaf here is immutable or serialised at once.
    request = doc.request
    data = {
        **vars(doc),
        "request": {**vars(request), "lines": [vars(line) for line in request.lines], "amounts": vars(request.amounts)},
    }
    # The monotonic clock means nothing after a restart: keep the wall-clock time instead.
    if doc.stamp_due is not None:
        data["stamp_due"] = time.time() + (doc.stamp_due - monotonic_now)
    return data


def decode_document(data: dict[str, Any], monotonic_now: float) -> Document:
    """The document of a saved record; ``monotonic_now`` is the state's clock now.

    Raises:
        KeyError, TypeError, ValueError, ArithmeticError: the record is unusable.
    """

    def when(value: Any) -> datetime:
        return datetime.fromisoformat(value).astimezone(SV_TZ)

    def decimals(cls: type, names: tuple[str, ...], values: dict[str, Any]) -> Any:
        # Fields added later (``withheld``) have defaults: a file written before them still loads.
        return cls(**{n: values[n] if n == "description" else Decimal(values[n]) for n in names if n in values})

    raw = data["request"]
    request = InvoiceRequest(
        **{
            **{name: raw[name] for name in _REQUEST_FIELDS if name in raw or name not in _REQUEST_OPTIONAL},
            "lines": tuple(decimals(Line, _LINE_FIELDS, line) for line in raw["lines"]),
            "amounts": decimals(Amounts, _AMOUNT_FIELDS, raw["amounts"]),
        }
    )
    due = data["stamp_due"]
    return Document(
        **{
            **{name: data[name] for name in _DOCUMENT_FIELDS if name in data or name not in _DOCUMENT_OPTIONAL},
            "created_at": when(data["created_at"]),
            "emitted_at": when(data["emitted_at"]),
            "processed_at": when(data["processed_at"]) if data["processed_at"] else None,
            "invalidated_at": when(data["invalidated_at"]) if data["invalidated_at"] else None,
            "stamp_due": None if due is None else monotonic_now + (float(due) - time.time()),
            "request": request,
            "observaciones": list(data["observaciones"]),
        }
    )


def document_dte(doc: Document, related: Document | None = None) -> dict[str, Any]:
    """The DTE JSON of a document snapshot (``related``: the CCF a credit note adjusts)."""
    if doc.request.doc_type in ("03", "05"):
        from app.sandbox.dte_ccf import build_ccf_dte, build_nc_dte

        if doc.request.doc_type == "05":
            return build_nc_dte(doc, related)
        return build_ccf_dte(doc)
    return build_dte(
        request=doc.request,
        control_number=doc.control_number,
        generation_code=doc.generation_code,
        emitted=doc.emitted_at,
        contingency=doc.transmitted_in_contingency,
        reception_stamp=doc.reception_stamp,
    )


def mh_response(doc: Document) -> dict[str, Any] | None:
    """MH's raw answer for a document; None while in contingency (MH has not answered)."""
    if doc.state == "contingency" or doc.processed_at is None:
        return None
    rejected = doc.state == "rejected"
    return {
        "version": 2,
        "ambiente": "00",
        "versionApp": 2,
        "estado": "RECHAZADO" if rejected else "PROCESADO",
        "codigoGeneracion": doc.generation_code,
        "selloRecibido": doc.reception_stamp or None,
        "fhProcesamiento": doc.processed_at.strftime("%d/%m/%Y %H:%M:%S"),
        "clasificaMsg": "98" if rejected else "10",
        "codigoMsg": doc.codigo_msg,
        "descripcionMsg": "DOCUMENTO NO CUMPLE ESQUEMA JSON" if rejected else "RECIBIDO",
        "observaciones": list(doc.observaciones),
    }
