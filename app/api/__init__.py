"""The Ocote Connect API client (httpx): requests, retries, error mapping, tolerant models.

Public names are re-exported here; import them from ``app.api``::

    from app.api import OcoteClient, RetryPolicy, InvoiceResult, OutcomeUnknown
"""

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
from app.api.models import DocumentStatus, InvoiceResult, RateLimit
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
