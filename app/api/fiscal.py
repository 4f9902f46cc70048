"""The endpoints of Crédito Fiscal and credit notes (``ocote-ccf.md``): ``POST /credit-memo``,
``GET /credit-memo/status/{id_or_ref}``, ``GET /catalogs/activities`` and ``/catalogs/departments``,
and reading the note Ocote creates when a CCF is voided past its window.

A mixin of :class:`~app.api.client.OcoteClient` (same machinery: retries with the byte-identical
body, one deadline, answers checked). Ocote's answers here are partly undocumented, so they are read
tolerantly; what is sent is only what is documented.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import quote

import httpx

from app.api.answers import DOCUMENT_KEYS, json_or_none, read_document
from app.api.errors import IncompleteAnswer, MalformedResponse
from app.api.models import DocumentStatus
from app.domain.catalogs import CatalogEntry, catalog_entries
from app.domain.redaction import redact

if TYPE_CHECKING:
    from app.api.retry import RetryPolicy

log = logging.getLogger(__name__)

T = TypeVar("T")

#: Where a credit-memo answer may nest the note (tolerance: the response body is undocumented).
_NESTED = ("credit_memo", "document", "data", "result")
#: Keys under which an invalidation answer may name the note Ocote created (names unknown).
_MEMO_OBJECT_KEYS = ("credit_memo", "created_credit_memo_data", "memo", "credit_note", "nota_credito")
_MEMO_ID_KEYS = ("credit_memo_id", "credit_memo_document_id", "memo_id", "credit_note_id", "created_credit_memo_id")
_MEMO_CONTROL_KEYS = (
    "credit_memo_control_number",
    "memo_control_number",
    "credit_note_control_number",
    "created_credit_memo_control_number",
)
_MEMO_REF_KEYS = ("credit_memo_external_ref", "credit_memo_ref", "memo_external_ref")


class CreditMemoResult(DocumentStatus):
    """The answer to ``POST /credit-memo`` or ``GET /credit-memo/status``: the note's flags and
    ids (read like an invoice answer); whatever else Ocote adds (the adjusted CCF, ...) is in
    :attr:`extras`."""


@dataclass(frozen=True)
class CreatedCreditMemo:
    """The note Ocote created instead of voiding a CCF past its window (some ids may be "")."""

    document_id: str
    control_number: str
    external_ref: str

    @property
    def key(self) -> str:
        """What to ask ``/status`` for: the id, else the ref, else the control number."""
        return self.document_id or self.external_ref or self.control_number


def _segment(id_or_ref: str) -> str:
    if not isinstance(id_or_ref, str) or not id_or_ref.strip():
        raise ValueError("a document id or external_ref is required")
    return quote(id_or_ref, safe="")


def _truthy(value: object) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes", "si", "sí")
    return bool(value)


def created_credit_memo(answer: DocumentStatus | Mapping[str, Any]) -> CreatedCreditMemo | None:
    """The note named by an invalidation answer that says ``created_credit_memo``; None when it
    does not say so. The note's key names are unknown: common spellings are looked up, and a
    ``created_credit_memo`` that is itself an object is read as the note."""
    data: Mapping[str, Any] = answer.extras if isinstance(answer, DocumentStatus) else answer
    flag = data.get("created_credit_memo")
    if not flag:
        return None
    memo: Mapping[str, Any] = flag if isinstance(flag, Mapping) else {}
    if not memo:
        if not _truthy(flag):
            return None
        memo = next((data[k] for k in _MEMO_OBJECT_KEYS if isinstance(data.get(k), Mapping)), {})

    def first(mapping: Mapping[str, Any], keys: tuple[str, ...]) -> str:
        return next((str(mapping[k]).strip() for k in keys if mapping.get(k) not in (None, "")), "")

    document_id = first(memo, ("document_id", "id", "uuid")) or first(data, _MEMO_ID_KEYS)
    control = first(memo, ("control_number", "numero_control", "numeroControl")) or first(data, _MEMO_CONTROL_KEYS)
    ref = first(memo, ("external_ref",)) or first(data, _MEMO_REF_KEYS)
    return CreatedCreditMemo(document_id=document_id, control_number=control, external_ref=ref)


class FiscalEndpoints:
    """The CCF / credit-note endpoints of :class:`~app.api.client.OcoteClient`."""

    if TYPE_CHECKING:
        sale_deadline: float
        _retry: RetryPolicy

        def _call(
            self,
            method: str,
            path: str,
            *,
            parse: Callable[[httpx.Response], T],
            params: dict[str, str] | None = None,
            content: bytes | None = None,
            what: str = "",
            route: bool = False,
            budget: float | None = None,
            attempts: int | None = None,
        ) -> T: ...

        def get_status(
            self, id_or_ref: str, *, include_dte: bool = False, deadline: float | None = None
        ) -> DocumentStatus: ...

    def submit_credit_memo(self, payload: dict[str, Any], *, deadline: float | None = None) -> CreditMemoResult:
        """``POST /credit-memo``; retried with the same body (same ``external_ref``), so a retry
        after a lost answer finds the same note instead of a second one.

        An answer that names the note but does not say what happened to it (its body is not
        documented) is completed with ``GET /credit-memo/status/{external_ref}``.

        Raises:
            ValueError: the payload has no ``external_ref``.
            ApiError: as :meth:`~app.api.client.OcoteClient.submit_invoice`.
        """
        ref = payload.get("external_ref") if isinstance(payload, dict) else None
        if not isinstance(ref, str) or not ref.strip():
            raise ValueError("submit_credit_memo needs a payload with a non-empty external_ref")
        body = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode("utf-8")
        log.info("submitting credit memo %s", ref)

        def parse(response: httpx.Response) -> CreditMemoResult | None:
            return _read_memo(response, expect_ref=ref)

        if deadline is None:
            deadline = min(self.sale_deadline, self._retry.total_seconds)
        result = self._call("POST", "credit-memo", content=body, parse=parse, route=True, budget=deadline)
        return result if result is not None else self.get_credit_memo_status(ref)

    def get_credit_memo_status(self, id_or_ref: str, *, deadline: float | None = None) -> CreditMemoResult:
        """``GET /credit-memo/status/{id_or_ref}``; on a 404 (that route unknown at this address,
        or the note known only to ``/status``) the answer of ``GET /status/{id_or_ref}``.

        Raises:
            NotFound: no such note.
            ApiError: any other failure, after retries.
        """
        from app.api.errors import AddressNotFound, NotFound

        def parse(response: httpx.Response) -> CreditMemoResult:
            result = _read_memo(response, asked=id_or_ref)
            if result is None:
                raise IncompleteAnswer(response.status_code, "answer carries no state flags")
            return result

        try:
            return self._call(
                "GET", f"credit-memo/status/{_segment(id_or_ref)}", what=id_or_ref, parse=parse, budget=deadline
            )
        except (AddressNotFound, NotFound):
            status = self.get_status(id_or_ref, deadline=deadline)
            return CreditMemoResult.model_validate({**status.model_dump(by_alias=True), **status.extras})

    def search_activities(self, search: str = "", *, deadline: float | None = None) -> list[CatalogEntry]:
        """``GET /catalogs/activities?search=`` (CAT-019, at most 50 entries)."""
        return self._catalog("catalogs/activities", search, deadline)

    def departments(self, search: str = "", *, deadline: float | None = None) -> list[CatalogEntry]:
        """``GET /catalogs/departments?search=`` (CAT-012, with municipalities when listed)."""
        return self._catalog("catalogs/departments", search, deadline)

    def _catalog(self, path: str, search: str, deadline: float | None) -> list[CatalogEntry]:
        def parse(response: httpx.Response) -> list[CatalogEntry]:
            body = json_or_none(response)
            if not isinstance(body, (list, dict)):
                raise MalformedResponse(response.status_code, "catalog is not JSON")
            return catalog_entries(body)

        params = {"search": search.strip()} if search and search.strip() else None
        return self._call("GET", path, params=params, parse=parse, route=True, budget=deadline)


def _read_memo(
    response: httpx.Response, *, expect_ref: str | None = None, asked: str | None = None
) -> CreditMemoResult | None:
    """The note in an answer (top level or nested under a known key). None when the answer names
    the note but carries no state flags (the caller asks its status)."""
    body = json_or_none(response)
    if isinstance(body, dict) and not any(k in body for k in DOCUMENT_KEYS):
        nested = next((body[k] for k in _NESTED if isinstance(body.get(k), dict)), None)
        if nested is not None:
            response = httpx.Response(response.status_code, json=nested, request=response.request)
    try:
        return read_document(response, CreditMemoResult, expect_ref=expect_ref, asked=asked)
    except IncompleteAnswer as exc:
        if "no state flags" in str(exc.cause):
            log.info("credit memo answer without flags (%s): reading its status", redact(expect_ref or asked or ""))
            return None
        raise
