"""Every way an Ocote API call can fail, as user-facing errors.

All classes subclass :class:`app.domain.errors.ApiError` (a :class:`~app.domain.errors.CajaError`):
their message is translated when the error is built and never contains the API key (text quoted
from the server goes through :func:`app.domain.redaction.redact`). The tree::

    ApiError
    ├── Misconfigured         the settings are wrong, not the network: never retried, never
    │   │                     "no connection"; the cashier must fix the settings
    │   ├── Unauthorized      401/403: key missing, invalid or deactivated; company disabled
    │   └── WrongAddress      the API address answers, but not as Ocote: .status
    │       ├── AddressNotFound   404 on a route (POST /invoice, a non-JSON 404 page);
    │       │                     also a NotFound
    │       └── Redirected        3xx (never followed: it would resend a POST elsewhere);
    │                             also an UnexpectedResponse
    ├── InvalidRequest        400/422 and other 4xx: .detail (text), .field_errors (FieldError list)
    ├── NotFound              404/410: no such document
    ├── Conflict              409: not allowed in the document's current state; .detail
    ├── RateLimited           429: .retry_after seconds
    ├── UnexpectedResponse    a status Caja cannot interpret (1xx, ...): .status
    ├── NotSent               connection refused/timed out, DNS, deadline passed before sending:
    │                         definitely not processed
    └── OutcomeUnknown        sent, but no usable answer: the operation may have happened
        ├── DeadlineExceeded  no (complete) answer within the call's deadline: .seconds
        ├── ServerError       5xx: .status, .detail
        └── MalformedResponse an answer that cannot be read (not JSON, truncated, not a PDF)
            └── IncompleteAnswer  a 2xx that does not say what happened (no document id,
                                  no state flags, another external_ref): not retried, settle
                                  with GET /status

Only :class:`NotSent`, :class:`OutcomeUnknown` (and subclasses, except
:class:`IncompleteAnswer`) and :class:`RateLimited` are worth retrying, and only with the same
``external_ref`` (see :mod:`app.api.client`). :func:`classify` sorts any of them into the three
families a connectivity indicator needs (unreachable / misconfigured / server error).
"""

from __future__ import annotations

import enum
from typing import Any

from app.domain.errors import ApiError, FieldError
from app.domain.redaction import redact
from app.i18n import N_, _, ngettext

__all__ = [
    "AddressNotFound",
    "ApiError",
    "Conflict",
    "DeadlineExceeded",
    "Failure",
    "IncompleteAnswer",
    "InvalidRequest",
    "MalformedResponse",
    "Misconfigured",
    "NotFound",
    "NotSent",
    "OutcomeUnknown",
    "RateLimited",
    "Redirected",
    "ServerError",
    "Unauthorized",
    "UnexpectedResponse",
    "WrongAddress",
    "classify",
    "parse_detail",
]

# Server text quoted in a message is cut here: an error page must not flood the cashier's screen.
MAX_DETAIL_CHARS = 500

# FastAPI ``loc`` prefixes that name where the value came from, not which field it is.
_LOC_SOURCES = {"body", "query", "path", "header", "cookie"}

# API field names -> Caja's domain field paths (app.domain.invoice.validate_draft), so a form can
# highlight the field Ocote complained about with the same code it uses for local validation.
_DOMAIN_FIELD = {
    "discount_percentage": "discount_pct",
    "payment_method": "payment.method",
    "transaction_condition": "payment.condition",
    "deadline": "payment.term_unit",
    "period": "payment.term_amount",
}

_FIELD_LABELS = {
    "description": N_("description"),
    "quantity": N_("quantity"),
    "unit_price": N_("unit price"),
    "discount_pct": N_("discount"),
    "name": N_("name"),
    "email": N_("email"),
    "phone": N_("phone"),
    "address": N_("address"),
    "payment.method": N_("payment method"),
    "payment.condition": N_("payment condition"),
    "payment.term_unit": N_("credit term unit"),
    "payment.term_amount": N_("credit term"),
    "lines": N_("lines"),
    "customer": N_("customer"),
    "customer_name": N_("customer name"),
    "external_ref": N_("reference"),
}


def _label(field: str) -> str:
    label = _FIELD_LABELS.get(field)
    return _(label) if label else field


def _clip(text: str) -> str:
    text = redact(" ".join(text.split()))
    return text if len(text) <= MAX_DETAIL_CHARS else text[: MAX_DETAIL_CHARS - 1] + "…"


def _field_error(item: Any) -> FieldError:
    """One FastAPI-style ``{loc, msg, type}`` entry as a FieldError with a readable message."""
    if not isinstance(item, dict):
        return FieldError("", _clip(str(item)))
    loc = item.get("loc")
    parts = [str(p) for p in loc] if isinstance(loc, (list, tuple)) else ([str(loc)] if loc else [])
    if parts and parts[0] in _LOC_SOURCES:
        parts = parts[1:]
    msg = _clip(str(item.get("msg") or item.get("message") or item.get("type") or ""))
    if not msg:
        msg = _("invalid value")
    if len(parts) >= 3 and parts[0] == "lines" and parts[1].isdigit():
        name = ".".join(parts[2:])
        name = _DOMAIN_FIELD.get(name, name)
        field = f"lines.{parts[1]}.{name}"
        text = _("Line {n}, {field}: {message}").format(n=int(parts[1]) + 1, field=_label(name), message=msg)
    elif len(parts) >= 2 and parts[0] == "customer":
        name = ".".join(parts[1:])
        field = f"customer.{name}"
        text = _("Customer {field}: {message}").format(field=_label(name), message=msg)
    elif parts:
        name = ".".join(parts)
        field = _DOMAIN_FIELD.get(name, name)
        text = _("{field}: {message}").format(field=_label(field), message=msg)
    else:
        field, text = "", msg
    return FieldError(field, text)


def parse_detail(body: Any) -> tuple[str, list[FieldError]]:
    """Read the ``detail`` of an Ocote error body, whatever its shape.

    Args:
        body: the decoded JSON body (or None when the body was not JSON).

    Returns:
        ``(text, field_errors)``: a readable, redacted, length-limited text ("" when there is none)
        and, for a FastAPI-style list of ``{loc, msg, type}``, one FieldError per entry with a
        dotted field path (``["body", "lines", 0, "quantity"]`` -> ``lines.0.quantity``).
    """
    detail = body.get("detail") if isinstance(body, dict) else None
    if detail is None and isinstance(body, dict):
        detail = body.get("message") or body.get("error")
    if detail is None or detail == "":
        return "", []
    if isinstance(detail, list):
        errors = [_field_error(item) for item in detail]
        return "\n".join(e.message for e in errors), errors
    if isinstance(detail, dict):
        error = _field_error(detail)
        return error.message, [error] if error.field else []
    return _clip(str(detail)), []


class Misconfigured(ApiError):
    """The settings are wrong (API address or key), not the network.

    Never retried automatically and never shown as "no connection": nothing will change until
    someone fixes the settings. The request was not processed by Ocote.
    """


class Unauthorized(Misconfigured):
    """401 (or 403): the key is missing, invalid or deactivated, or the company is disabled."""

    def __init__(self) -> None:
        super().__init__(
            _(
                "Ocote did not accept the API key (missing, invalid or deactivated, or "
                "the company is disabled): check the API key in the settings."
            )
        )


class InvalidRequest(ApiError):
    """400/422: Ocote refused the data; nothing was registered and the sale stays editable.

    Attributes:
        detail: the server's explanation as readable text ("" if it gave none).
        field_errors: one entry per field when the server named them (FastAPI-style details).
        status: the HTTP status.
    """

    def __init__(self, detail: str, field_errors: list[FieldError] | None = None, *, status: int = 400) -> None:
        self.detail = detail
        self.field_errors = list(field_errors or [])
        self.status = status
        if detail:
            message = _("Ocote rejected the data: {detail}").format(detail=detail)
        else:
            message = _("Ocote rejected the data (HTTP {status}) without saying why.").format(status=status)
        super().__init__(message)


class NotFound(ApiError):
    """404: no document with that id or reference (or, on POST, a wrong API address).

    Attributes:
        what: the id or reference asked for ("" when the route itself was not found).
    """

    def __init__(self, what: str = "") -> None:
        self.what = what
        if what:
            message = _("Ocote has no document with the id or reference {ref}.").format(ref=redact(what))
        else:
            message = _("Ocote answered “not found”: check the API address in the settings.")
        super().__init__(message)


class Conflict(ApiError):
    """409: the operation is not allowed in the document's current state (e.g. voiding)."""

    def __init__(self, detail: str = "") -> None:
        self.detail = detail
        if detail:
            message = _("Ocote refused the operation: {detail}").format(detail=detail)
        else:
            message = _("Ocote refused the operation in the document's current state.")
        super().__init__(message)


class RateLimited(ApiError):
    """429: too many requests for this key.

    Attributes:
        retry_after: seconds to wait before the next request.
    """

    def __init__(self, retry_after: float) -> None:
        self.retry_after = retry_after
        seconds = max(1, round(retry_after))
        super().__init__(
            ngettext(
                "Ocote's request limit was reached; try again in {seconds} second.",
                "Ocote's request limit was reached; try again in {seconds} seconds.",
                seconds,
            ).format(seconds=seconds)
        )


class UnexpectedResponse(ApiError):
    """A status Caja cannot interpret (a redirect, an unknown 1xx/3xx code).

    The request was answered without being processed, so it is not retried automatically.
    """

    def __init__(self, status: int) -> None:
        self.status = status
        super().__init__(
            _("Ocote gave an unexpected answer (HTTP {status}); check the API address in the settings.").format(
                status=status
            )
        )


class WrongAddress(Misconfigured):
    """The configured API address answers, but not as the Ocote API does.

    Attributes:
        status: the HTTP status of the answer (404, 301, ...).
    """

    def __init__(self, status: int, message: str | None = None) -> None:
        self.status = status
        # ApiError.__init__ explicitly: the subclasses below also inherit NotFound or
        # UnexpectedResponse, whose __init__ would be next in the MRO.
        ApiError.__init__(
            self,
            message
            or _(
                "The server at the API address did not answer as Ocote "
                "(HTTP {status}): check the API address in the settings."
            ).format(status=status),
        )


class AddressNotFound(WrongAddress, NotFound):
    """404 on a route that always exists (``POST /invoice``), or a 404 page that is not Ocote's.

    Also a :class:`NotFound` (with ``what == ""``) for callers that catch that.
    """

    def __init__(self, status: int = 404) -> None:
        self.what = ""
        super().__init__(
            status, _("Ocote answered “not found” at this address: check the API address in the settings.")
        )


class Redirected(WrongAddress, UnexpectedResponse):
    """A 3xx answer. Never followed: a redirected POST could issue the invoice somewhere else.

    Also an :class:`UnexpectedResponse`. The ``Location`` is not kept (it may carry secrets).
    """

    def __init__(self, status: int) -> None:
        super().__init__(
            status,
            _("The API address redirects elsewhere (HTTP {status}): check the API address in the settings.").format(
                status=status
            ),
        )


class NotSent(ApiError):
    """The request never reached Ocote (connection refused or timed out, no DNS): safe to resend.

    Attributes:
        cause: a short technical description for logs (not translated, key-free).
    """

    def __init__(self, cause: str = "") -> None:
        self.cause = redact(cause)
        super().__init__(_("Could not connect to Ocote; nothing was sent. Check the internet connection."))


class OutcomeUnknown(ApiError):
    """The request was sent but no usable answer came back: it may or may not have happened.

    Resending with the same ``external_ref`` is safe and tells which it was.

    Attributes:
        cause: a short technical description for logs (not translated, key-free).
    """

    def __init__(self, cause: str = "", message: str | None = None) -> None:
        self.cause = redact(cause)
        super().__init__(
            message
            or _(
                "The connection to Ocote was lost before its answer arrived; "
                "the outcome is unknown until it is checked again."
            )
        )


class ServerError(OutcomeUnknown):
    """5xx: Ocote failed while handling the request; it may have been processed.

    Attributes:
        status: the HTTP status.
        detail: the server's explanation ("" if none).
    """

    def __init__(self, status: int, detail: str = "") -> None:
        self.status = status
        self.detail = detail
        super().__init__(
            f"HTTP {status}",
            _("Ocote had an internal error (HTTP {status}); the outcome is unknown until it is checked again.").format(
                status=status
            ),
        )


class MalformedResponse(OutcomeUnknown):
    """An answer that cannot be read (not JSON, not a document, not a PDF).

    After a successful status the operation may well have happened, so this is an unknown
    outcome: resending with the same reference is safe and returns the document.

    Attributes:
        status: the HTTP status of the unreadable answer.
    """

    def __init__(self, status: int, cause: str = "") -> None:
        self.status = status
        super().__init__(
            cause,
            _(
                "Ocote's answer (HTTP {status}) could not be read; the outcome is unknown until it is checked again."
            ).format(status=status),
        )


class DeadlineExceeded(OutcomeUnknown):
    """The call's wall-clock deadline passed after the request may have been sent.

    Attributes:
        seconds: the deadline that passed.
    """

    def __init__(self, seconds: float, cause: str = "") -> None:
        self.seconds = seconds
        super().__init__(
            cause or "deadline",
            _(
                "Ocote did not answer within {seconds} seconds; the outcome is unknown until it is checked again."
            ).format(seconds=f"{seconds:g}"),
        )


class IncompleteAnswer(MalformedResponse):
    """A successful status whose body does not say what happened to *this* document.

    No document id or control number, no state flags, or another ``external_ref`` than the one
    sent: never read as issued or rejected. Not retried by the client (the same server would
    most likely answer the same); the sale is settled later through ``GET /status``.
    """


class Failure(enum.Enum):
    """What kind of trouble an error is, for a connectivity indicator (:func:`classify`)."""

    #: Ocote could not be reached or did not answer in time: connection refused, DNS, connect
    #: timeout, silence, the deadline. Shown as "sin conexión"; the sale is queued.
    UNREACHABLE = "unreachable"
    #: The settings are wrong (address or key). Shown as such, never as "sin conexión".
    MISCONFIGURED = "misconfigured"
    #: Ocote answered but failed (5xx, an unreadable or incomplete answer). Network is fine.
    SERVER_ERROR = "server_error"
    #: 429: Ocote is reachable and asks to slow down.
    RATE_LIMITED = "rate_limited"
    #: Ocote answered and refused this request (400, 404 of a document, 409): a business answer.
    REFUSED = "refused"


def classify(exc: BaseException) -> Failure:
    """Sort an error of :mod:`app.api` into a :class:`Failure` family.

    Anything that is not an :class:`ApiError` counts as :attr:`Failure.UNREACHABLE` (the safe
    reading for a connectivity indicator: the sale is queued and checked later).
    """
    if isinstance(exc, Misconfigured):
        return Failure.MISCONFIGURED
    if isinstance(exc, RateLimited):
        return Failure.RATE_LIMITED
    if isinstance(exc, (ServerError, MalformedResponse)):
        return Failure.SERVER_ERROR
    if isinstance(exc, UnexpectedResponse):
        return Failure.MISCONFIGURED
    if isinstance(exc, (InvalidRequest, NotFound, Conflict)):
        return Failure.REFUSED
    return Failure.UNREACHABLE
