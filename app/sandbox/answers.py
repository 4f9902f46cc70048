"""What the sandbox's documents read as over HTTP (the JSON of ``POST /invoice``, ``/status``,
``/credit-memo``), kept apart from the routing (:mod:`app.sandbox.routes`)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from urllib.parse import quote

from app.sandbox.documents import Document, document_dte, mh_response

__all__ = ["jsonable", "status_dict"]


def jsonable(value: Any) -> Any:
    """``json.dumps`` default: amounts as JSON numbers."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def status_dict(
    doc: Document,
    base_url: str,
    *,
    include_dte: bool = False,
    is_duplicate: bool = False,
    related: Document | None = None,
) -> dict[str, Any]:
    """The JSON a document reads as: ``POST /invoice`` fields plus ``/status`` extras.

    A CCF (03) or credit note (05) has no thermal ticket (``ticket_url`` ""), only the letter PDF
    and the JSON. The 1 % withholding is not among the fields: Ocote's name for it is unknown
    (``ocote-ccf.md``), so the sandbox leaves it to the DTE (``schema.resumen.ivaRete1``).
    ``related``: the CCF a credit note adjusts (its DTE names it).
    """
    file_base = f"{base_url}/file/{quote(doc.document_id)}?type="
    issued = doc.state == "issued"
    has_ticket = doc.state != "rejected"
    thermal = has_ticket and doc.request.doc_type == "01"
    invalidated = doc.invalidated_at is not None
    if invalidated:
        dte_state, dte_message = "INVALIDADO", "Documento invalidado"
    elif issued:
        dte_state, dte_message = "PROCESADO", "RECIBIDO"
    elif doc.state == "rejected":
        dte_state, dte_message = "RECHAZADO", "DOCUMENTO NO CUMPLE ESQUEMA JSON"
    else:
        dte_state, dte_message = "", "MH no respondió: documento emitido en contingencia, se reenviará"
    a = doc.request.amounts
    out: dict[str, Any] = {
        "success": doc.state != "rejected",
        "dte_success": issued,
        "contingency": doc.state == "contingency",
        "rejected": doc.state == "rejected",
        "posted": doc.state != "contingency",
        "is_duplicate": is_duplicate,
        "document_id": doc.document_id,
        "external_ref": doc.external_ref,
        "control_number": doc.control_number,
        "generation_code": doc.generation_code,
        "reception_stamp": doc.reception_stamp,
        "dte_state": dte_state,
        "dte_message": dte_message,
        "observaciones": list(doc.observaciones),
        "codigo_msg": doc.codigo_msg,
        "ticket_url": file_base + "ticket" if thermal else "",
        "json_url": file_base + "json" if issued else "",
        "invoice_url": file_base + "invoice" if has_ticket else "",
        "invalidated": invalidated,
        "invalidated_at": doc.invalidated_at.isoformat() if doc.invalidated_at is not None else None,
        "doc_type": doc.request.doc_type,
        "amount_gross": a.gross,
        "amount_taxable": a.taxable,
        "amount_vat": a.vat,
        "amount_discount": a.discount,
        "payment_method": doc.request.payment_method,
        "transaction_condition": doc.request.transaction_condition,
        "customer_name": doc.request.customer_name,
        "created_at": doc.created_at.isoformat(),
        "emitted_at": doc.emitted_at.isoformat(),
    }
    if include_dte:
        out["schema"] = document_dte(doc, related)
        out["response"] = mh_response(doc)
    return out
