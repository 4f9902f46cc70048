"""The Ocote Connect API client (httpx): requests, retries, error mapping, tolerant models.

Public names are re-exported here; import them from ``app.api``::

    from app.api import OcoteClient, RetryPolicy, InvoiceResult, OutcomeUnknown

The client's names (:mod:`app.api.client`, which imports httpx) are loaded on first access, so
importing the errors (as the window does at start) costs no httpx: launch time, issue 13.
"""

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.api.client import (
        DEFAULT_SALE_DEADLINE,
        DEFAULT_TIMEOUT,
        FILE_KINDS,
        PROBE_TIMEOUT,
        USER_AGENT,
        OcoteClient,
        ProbeResult,
        Reachability,
        RetryPolicy,
    )
    from app.api.models import DocumentStatus, InvoiceResult, RateLimit
from app.api.errors import (
    AddressNotFound,
    ApiError,
    Conflict,
    DeadlineExceeded,
    Failure,
    IncompleteAnswer,
    InvalidRequest,
    MalformedResponse,
    Misconfigured,
    NotFound,
    NotSent,
    OutcomeUnknown,
    RateLimited,
    Redirected,
    ServerError,
    Unauthorized,
    UnexpectedResponse,
    WrongAddress,
    classify,
)
from app.domain.redaction import redact, strip_key

__all__ = [
    "DEFAULT_SALE_DEADLINE",
    "DEFAULT_TIMEOUT",
    "FILE_KINDS",
    "PROBE_TIMEOUT",
    "USER_AGENT",
    "AddressNotFound",
    "ApiError",
    "Conflict",
    "DeadlineExceeded",
    "DocumentStatus",
    "Failure",
    "IncompleteAnswer",
    "InvalidRequest",
    "InvoiceResult",
    "MalformedResponse",
    "Misconfigured",
    "NotFound",
    "NotSent",
    "OcoteClient",
    "OutcomeUnknown",
    "ProbeResult",
    "RateLimit",
    "RateLimited",
    "Reachability",
    "Redirected",
    "RetryPolicy",
    "ServerError",
    "Unauthorized",
    "UnexpectedResponse",
    "WrongAddress",
    "classify",
    "redact",
    "strip_key",
]

_CLIENT_NAMES = frozenset(
    ("DEFAULT_SALE_DEADLINE", "DEFAULT_TIMEOUT", "FILE_KINDS", "PROBE_TIMEOUT", "USER_AGENT")
    + ("OcoteClient", "ProbeResult", "Reachability", "RetryPolicy")
)


_MODEL_NAMES = frozenset(("DocumentStatus", "InvoiceResult", "RateLimit"))


def __getattr__(name: str) -> object:
    if name in _CLIENT_NAMES:
        from app.api import client

        return getattr(client, name)
    if name in _MODEL_NAMES:
        from app.api import models

        return getattr(models, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
