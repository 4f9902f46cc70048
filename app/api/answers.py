"""Reading Ocote's answers: the error an HTTP status means, and whether a document answer says
what happened to *this* document (:class:`IncompleteAnswer` otherwise).

404 routes, redirects and 401 map onto :class:`Misconfigured` subclasses (never retried, never
"no connection"); a 2xx that names another document, or no state, is refused.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any, TypeVar

import httpx
import pydantic

from app.api.errors import (
    AddressNotFound,
    Conflict,
    IncompleteAnswer,
    InvalidRequest,
    MalformedResponse,
    NotFound,
    OutcomeUnknown,
    RateLimited,
    Redirected,
    ServerError,
    Unauthorized,
    UnexpectedResponse,
    parse_detail,
)

__all__ = ["DOCUMENT_KEYS", "json_or_none", "raise_for_status", "read_document"]

T = TypeVar("T")

# Keys that any document answer (invoice, status) carries; an answer with none of them is not one.
DOCUMENT_KEYS = ("document_id", "control_number", "success", "rejected", "external_ref")
# An answer identifies its document by one of these...
IDENTITY_KEYS = ("document_id", "control_number")
# ...and says what happened with "success" plus at least one of these.
OUTCOME_FLAGS = ("dte_success", "rejected", "contingency")


def json_or_none(response: httpx.Response) -> Any:
    """The JSON body, or None when there is none."""
    # Floats as Decimal: amounts must not pass through binary floating point.
    try:
        return response.json(parse_float=Decimal)
    except (ValueError, UnicodeDecodeError):
        return None


def read_document(
    response: httpx.Response, model: type[T], *, expect_ref: str | None = None, asked: str | None = None
) -> T:
    """Read a document answer, refusing one that does not say what happened to it.

    Args:
        expect_ref: the ``external_ref`` sent (``POST /invoice``): the answer must carry
            the state flags and must not name another ref.
        asked: the id or ref asked for (``/status``): the answer must not name another
            document.

    Raises:
        MalformedResponse: not JSON, not a document, or fields of the wrong type.
        IncompleteAnswer: the answer does not say what happened to this document.
    """
    status = response.status_code
    body = json_or_none(response)
    if not isinstance(body, dict) or not any(k in body for k in DOCUMENT_KEYS):
        raise MalformedResponse(status, "answer is not a document")

    def present(key: str) -> bool:
        value = body.get(key)
        return value is not None and value != ""

    if not any(present(k) for k in IDENTITY_KEYS):
        raise IncompleteAnswer(status, "answer names no document_id or control_number")
    if expect_ref is not None:
        if not present("success") or not any(present(k) for k in OUTCOME_FLAGS):
            raise IncompleteAnswer(status, "answer carries no state flags")
        if present("external_ref") and str(body["external_ref"]) != expect_ref:
            raise IncompleteAnswer(status, "answer names another external_ref")
    if asked is not None:
        if not present("success") and not present("rejected"):
            raise IncompleteAnswer(status, "answer carries no state flags")
        names = [str(body[k]) for k in ("document_id", "external_ref") if present(k)]
        if names and asked not in names and asked.lower() not in (n.lower() for n in names):
            raise IncompleteAnswer(status, "answer names another document")
    try:
        return model.model_validate(body)  # type: ignore[attr-defined, no-any-return]
    except pydantic.ValidationError as exc:
        # Only the failing field names: values could be anything the server sent.
        fields = ", ".join(".".join(map(str, e["loc"])) for e in exc.errors())
        raise MalformedResponse(status, f"unreadable fields: {fields}") from None


def raise_for_status(
    response: httpx.Response, what: str, *, route: bool = False, retry_after: Callable[[httpx.Response], float]
) -> None:
    """Raise the :mod:`app.api.errors` error that a non-2xx ``response`` means.

    Args:
        what: the document asked for (named by :class:`NotFound`).
        route: a 404 means the route is missing (a wrong address), not a document.
        retry_after: the wait a 429 asks for.
    """
    status = response.status_code
    if 200 <= status < 300:
        return
    body = json_or_none(response)
    detail, field_errors = parse_detail(body)
    if 300 <= status < 400:
        # Never followed: a redirected POST could be issued elsewhere. A wrong address.
        raise Redirected(status)
    if status in (401, 403):
        raise Unauthorized()
    if status == 429:
        raise RateLimited(retry_after(response))
    if status in (404, 410):
        # A route that always exists, or a 404 page that is not Ocote's JSON: the address.
        if route or not isinstance(body, dict):
            raise AddressNotFound(status)
        raise NotFound(what)
    if status == 409:
        raise Conflict(detail)
    if status == 408:  # the server gave up waiting for us: whatever it got may be partial
        raise OutcomeUnknown("HTTP 408")
    if 400 <= status < 500:
        raise InvalidRequest(detail, field_errors, status=status)
    if status >= 500:
        raise ServerError(status, detail)
    raise UnexpectedResponse(status)
