"""The Ocote Connect API client (httpx): requests, retries, error mapping, tolerant models.

Public names are re-exported here; import them from ``app.api``::

    from app.api import OcoteClient, RetryPolicy, InvoiceResult, OutcomeUnknown
"""

from app.api.client import DEFAULT_TIMEOUT, FILE_KINDS, USER_AGENT, OcoteClient, RetryPolicy
from app.api.errors import (
    ApiError,
    Conflict,
    InvalidRequest,
    MalformedResponse,
    NotFound,
    NotSent,
    OutcomeUnknown,
    RateLimited,
    ServerError,
    Unauthorized,
    UnexpectedResponse,
)
from app.api.models import DocumentStatus, InvoiceResult, RateLimit
from app.domain.redaction import redact, strip_key

__all__ = [
    "DEFAULT_TIMEOUT", "FILE_KINDS", "USER_AGENT", "ApiError", "Conflict", "DocumentStatus",
    "InvalidRequest", "InvoiceResult", "MalformedResponse", "NotFound", "NotSent", "OcoteClient",
    "OutcomeUnknown", "RateLimit", "RateLimited", "RetryPolicy", "ServerError", "Unauthorized",
    "UnexpectedResponse", "redact", "strip_key",
]
