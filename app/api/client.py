"""The Ocote Connect HTTP client: send once, understand every answer, retry only when safe.

One :class:`OcoteClient` wraps one ``httpx.Client`` (sync; callers run it off the GUI thread).
Every call goes through one loop that:

* sends the request with Bearer auth (the key lives only in an ``httpx.Auth`` object: never in a
  URL, a log line, an exception or ``repr``);
* maps the answer or the failure onto :mod:`app.api.errors`, telling "definitely not processed"
  (:class:`NotSent`) apart from "may have happened" (:class:`OutcomeUnknown`);
* retries :class:`OutcomeUnknown`, :class:`NotSent` and :class:`RateLimited` per a
  :class:`RetryPolicy` (bounded attempts *and* total time, exponential backoff with jitter,
  ``Retry-After`` honoured), re-sending the byte-identical body, so an invoice keeps its
  ``external_ref`` and Ocote's idempotency turns a retry after a lost answer into
  ``is_duplicate: true`` instead of a second document;
* records the ``X-RateLimit-*`` headers in :attr:`OcoteClient.rate_limit`.
"""

from __future__ import annotations

import email.utils
import json
import logging
import random
import time
from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, TypeVar
from urllib.parse import quote

import httpx
import pydantic

from app import __version__
from app.api.errors import (
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
    parse_detail,
)
from app.api.models import DocumentStatus, InvoiceResult, RateLimit
from app.domain.errors import ApiError, ConfigurationError
from app.domain.redaction import RedactingFilter, strip_key
from app.i18n import _

__all__ = ["DEFAULT_TIMEOUT", "FILE_KINDS", "USER_AGENT", "OcoteClient", "RetryPolicy"]

log = logging.getLogger(__name__)

USER_AGENT = f"caja/{__version__}"

# A cashier is waiting: fail fast on connect (the request was then certainly not sent), but give
# Ocote (which waits for MH itself) a generous read window before declaring the outcome unknown.
DEFAULT_TIMEOUT = httpx.Timeout(connect=5.0, read=30.0, write=10.0, pool=5.0)

FILE_KINDS = ("ticket", "invoice", "json")

# Keys that any document answer (invoice, status) carries; an answer with none of them is not one.
_DOCUMENT_KEYS = ("document_id", "control_number", "success", "rejected", "external_ref")

# Never start an attempt with less time than this left in the budget.
_MIN_ATTEMPT_SECONDS = 1.0

T = TypeVar("T")
M = TypeVar("M", bound=pydantic.BaseModel)

# httpx logs every request URL at INFO. Caja never puts the key in a URL, but make sure nothing
# that reaches httpx (a misconfigured base URL, a future code path) can leak one through it.
_httpx_log = logging.getLogger("httpx")
if not any(isinstance(f, RedactingFilter) for f in _httpx_log.filters):
    _httpx_log.addFilter(RedactingFilter())


@dataclass(frozen=True)
class RetryPolicy:
    """When and how often a failed call is retried automatically.

    Only unknown outcomes (timeouts and resets after sending, 5xx, unreadable answers), requests
    that were not sent, and 429s are retried; other 4xx never are.

    Attributes:
        max_attempts: attempts in total, the first one included.
        total_seconds: budget for the whole call (attempts and waits); a wait that would not
            leave time for one more attempt is not started and the last error is raised.
        backoff_initial: base delay before the first retry; doubles at each retry.
        backoff_max: cap of the base delay.
        default_retry_after: wait for a 429 that says neither ``Retry-After`` nor
            ``X-RateLimit-Reset``.
        jitter: returns a number in [0, 1); spreads retries of many registers apart.
    """

    max_attempts: int = 4
    total_seconds: float = 45.0
    backoff_initial: float = 0.5
    backoff_max: float = 8.0
    default_retry_after: float = 30.0
    jitter: Callable[[], float] = field(default=random.random, compare=False, repr=False)

    def backoff(self, retry: int) -> float:
        """Delay before retry number ``retry`` (1-based): exponential, "equal jitter".

        Half of the exponential base is fixed, half random, so a retry is never immediate
        and never later than the base.
        """
        base: float = min(self.backoff_max, self.backoff_initial * 2 ** (retry - 1))
        return base / 2 + base / 2 * self.jitter()


class _BearerAuth(httpx.Auth):
    """Adds the ``Authorization`` header; the only object that holds the key."""

    def __init__(self, key: str) -> None:
        self._header = f"Bearer {key}"

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = self._header
        yield request

    def __repr__(self) -> str:
        return "<BearerAuth ***>"


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header: delta-seconds or an HTTP-date.

    Returns:
        The wait (>= 0), or None when the header is missing or unreadable.
    """
    if value is None or not value.strip():
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:  # HTTP-dates are GMT
            when = when.replace(tzinfo=UTC)
        seconds = (when - (now or datetime.now(UTC))).total_seconds()
    if seconds != seconds or seconds in (float("inf"), float("-inf")):
        return None
    return max(0.0, seconds)


def _json_or_none(response: httpx.Response) -> Any:
    # Floats as Decimal: amounts must not pass through binary floating point.
    try:
        return response.json(parse_float=Decimal)
    except (ValueError, UnicodeDecodeError):
        return None


def _segment(id_or_ref: str) -> str:
    """``id_or_ref`` as one URL path segment (an external_ref is free text: it may hold '/')."""
    if not isinstance(id_or_ref, str) or not id_or_ref.strip():
        raise ValueError("a document id or external_ref is required")
    return quote(id_or_ref, safe="")


class OcoteClient:
    """A synchronous client for the Ocote Connect API.

    Args:
        base_url: e.g. ``https://ocote.io/api/connect`` (a ``key=`` parameter is dropped).
        api_key: ``odt_...``; kept only in the auth object.
        transport: an ``httpx`` transport (``httpx.MockTransport`` in tests).
        timeout: connect/read/write/pool timeouts; :data:`DEFAULT_TIMEOUT` if None.
        retry: the retry policy; ``RetryPolicy()`` if None. ``RetryPolicy(max_attempts=1)``
            disables retries.
        sleep: how to wait between attempts (tests pass a recorder).
        clock: monotonic seconds, for the time budget (tests pass a fake that ``sleep`` advances).

    Raises:
        ConfigurationError: the base URL or the key is unusable.
    """

    def __init__(self, base_url: str, api_key: str, *, transport: httpx.BaseTransport | None = None,
                 timeout: httpx.Timeout | None = None, retry: RetryPolicy | None = None,
                 sleep: Callable[[float], None] = time.sleep,
                 clock: Callable[[], float] = time.monotonic) -> None:
        url = strip_key((base_url or "").strip()).rstrip("/")
        try:
            parsed = httpx.URL(url)
        except httpx.InvalidURL:
            parsed = None
        if parsed is None or parsed.scheme not in ("http", "https") or not parsed.host:
            raise ConfigurationError(_("The Ocote API address is not valid: {url}").format(url=url))
        key = (api_key or "").strip()
        # Only visible ASCII: anything else would make httpx/h11 reject the header with an error
        # message that quotes it.
        if not key or not all("!" <= c <= "~" for c in key):
            raise ConfigurationError(_("The Ocote API key is missing or malformed."))
        # The base is a path prefix: a query or fragment would end up in the middle of every URL.
        # User-info too: a key pasted there would live on in repr, logs and httpx's URL objects.
        url = str(parsed.copy_with(query=None, fragment=None, userinfo=b"")).rstrip("/")
        if parsed.scheme == "http" and parsed.host not in ("127.0.0.1", "localhost", "::1"):
            log.warning("the Ocote API address %s is plain http: the key travels unencrypted", url)
        self.base_url = url
        self._timeout = timeout or DEFAULT_TIMEOUT
        self._retry = retry or RetryPolicy()
        self._sleep = sleep
        self._clock = clock
        self._rate_limit: RateLimit | None = None
        self._http = httpx.Client(
            base_url=url + "/", auth=_BearerAuth(key), transport=transport, timeout=self._timeout,
            headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
            follow_redirects=False,  # a redirect would resend a POST elsewhere: report it instead
        )

    # -- lifecycle -------------------------------------------------------------------------
    def close(self) -> None:
        """Close the connection pool."""
        self._http.close()

    def __enter__(self) -> OcoteClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<OcoteClient {self.base_url}>"

    @property
    def rate_limit(self) -> RateLimit | None:
        """The rate-limit headers of the last answer that carried them (None before any did)."""
        return self._rate_limit

    # -- endpoints -------------------------------------------------------------------------
    def submit_invoice(self, payload: dict[str, Any]) -> InvoiceResult:
        """``POST /invoice``; retried automatically with the same body (same ``external_ref``).

        Args:
            payload: the JSON body (``app.domain.invoice.build_invoice_payload``); must carry a
                non-empty ``external_ref``, without which a retry could create a second invoice.

        Returns:
            The result; check ``.state`` (an MH rejection or contingency is not an exception).

        Raises:
            ValueError: the payload has no ``external_ref`` (a programming error).
            ApiError: a subclass from :mod:`app.api.errors` once retries are exhausted or not
                allowed.
        """
        ref = payload.get("external_ref") if isinstance(payload, dict) else None
        if not isinstance(ref, str) or not ref.strip():
            raise ValueError("submit_invoice needs a payload with a non-empty external_ref")
        # Serialised once: every retry sends these exact bytes.
        body = json.dumps(payload, ensure_ascii=False, separators=(",", ":"),
                          allow_nan=False).encode("utf-8")
        log.info("submitting invoice %s", ref)
        return self._call("POST", "invoice", content=body,
                          parse=lambda r: self._document(r, InvoiceResult))

    def get_status(self, id_or_ref: str, *, include_dte: bool = False) -> DocumentStatus:
        """``GET /status/{id_or_ref}``: the document's flags, amounts and URLs.

        Args:
            id_or_ref: the ``document_id`` or the ``external_ref``.
            include_dte: also fetch the signed DTE (``dte_schema``) and MH's answer.

        Raises:
            NotFound: no such document.
            ApiError: any other failure, after retries.
        """
        params = {"include_dte": "1"} if include_dte else None
        return self._call("GET", f"status/{_segment(id_or_ref)}", params=params, what=id_or_ref,
                          parse=lambda r: self._document(r, DocumentStatus))

    def download_file(self, id_or_ref: str, kind: str = "ticket") -> bytes:
        """``GET /file/{id_or_ref}?type=kind``: the ticket PDF, the letter PDF or the signed JSON.

        The file is fetched by id with the Bearer header, never through a returned
        ``ticket_url``: such URLs may carry ``key=`` or point at another host.

        Args:
            id_or_ref: the ``document_id`` or the ``external_ref``.
            kind: ``ticket`` (80 mm PDF), ``invoice`` (letter PDF) or ``json``.

        Raises:
            ValueError: unknown ``kind``.
            MalformedResponse: the body is not a PDF (or not JSON for ``json``), after retries.
            ApiError: any other failure, after retries.
        """
        if kind not in FILE_KINDS:
            raise ValueError(f"kind must be one of {FILE_KINDS}, not {kind!r}")

        def parse(response: httpx.Response) -> bytes:
            data = response.content
            if kind == "json":
                if _json_or_none(response) is None:
                    raise MalformedResponse(response.status_code, "file is not JSON")
            elif b"%PDF-" not in data[:1024]:
                raise MalformedResponse(response.status_code, "file is not a PDF")
            return data

        return self._call("GET", f"file/{_segment(id_or_ref)}", params={"type": kind},
                          what=id_or_ref, parse=parse)

    def invalidate(self, id_or_ref: str) -> DocumentStatus:
        """``POST /invalidate/{id_or_ref}``: void a document (retried: idempotent per Ocote).

        Whatever the body of a successful answer, the result is the document's state: when the
        answer is not a document, it is read with :meth:`get_status`.

        Raises:
            Conflict: the document cannot be voided (window passed, wrong state).
            NotFound: no such document.
            ApiError: any other failure, after retries.
        """
        def parse(response: httpx.Response) -> DocumentStatus | None:
            body = _json_or_none(response)
            if isinstance(body, dict) and any(k in body for k in _DOCUMENT_KEYS):
                return self._document(response, DocumentStatus)
            return None

        result = self._call("POST", f"invalidate/{_segment(id_or_ref)}", what=id_or_ref,
                            parse=parse)
        return result if result is not None else self.get_status(id_or_ref)

    # -- machinery -------------------------------------------------------------------------
    @staticmethod
    def _document(response: httpx.Response, model: type[M]) -> M:
        body = _json_or_none(response)
        if not isinstance(body, dict) or not any(k in body for k in _DOCUMENT_KEYS):
            raise MalformedResponse(response.status_code, "answer is not a document")
        try:
            return model.model_validate(body)
        except pydantic.ValidationError as exc:
            # Only the failing field names: values could be anything the server sent.
            fields = ", ".join(".".join(map(str, e["loc"])) for e in exc.errors())
            raise MalformedResponse(response.status_code, f"unreadable fields: {fields}") from None

    def _call(self, method: str, path: str, *, parse: Callable[[httpx.Response], T],
              params: dict[str, str] | None = None, content: bytes | None = None,
              what: str = "") -> T:
        """Send with retries; return ``parse(response)`` of the first good answer."""
        policy = self._retry
        deadline = self._clock() + policy.total_seconds
        unknown: OutcomeUnknown | None = None
        attempt = 0
        while True:
            attempt += 1
            try:
                return parse(self._attempt(method, path, params, content, deadline, what))
            except (OutcomeUnknown, NotSent, RateLimited) as exc:
                if isinstance(exc, OutcomeUnknown):
                    unknown = exc
                retrying = exc.retry_after if isinstance(exc, RateLimited) else policy.backoff(attempt)
                left = deadline - self._clock()
                if attempt >= policy.max_attempts or retrying + _MIN_ATTEMPT_SECONDS > left:
                    log.warning("%s %s: giving up after %d attempt(s): %s", method, path, attempt,
                                _describe(exc))
                    if unknown is not None and not isinstance(exc, OutcomeUnknown):
                        # An earlier attempt may have been processed: "not sent" or "rate
                        # limited" now says nothing about that one.
                        raise OutcomeUnknown(unknown.cause) from exc
                    raise
                log.warning("%s %s: %s; retry %d in %.2f s", method, path, _describe(exc),
                            attempt, retrying)
                self._sleep(retrying)
            except ApiError as exc:
                if unknown is None or method != "POST":
                    raise
                # An earlier POST may have been processed: a refusal of a later attempt (a key
                # revoked meanwhile, "already exists", "being processed") says nothing about it.
                log.warning("%s %s: %s after an unknown outcome; still unknown", method, path,
                            type(exc).__name__)
                raise OutcomeUnknown(unknown.cause) from exc

    def _attempt(self, method: str, path: str, params: dict[str, str] | None,
                 content: bytes | None, deadline: float, what: str) -> httpx.Response:
        headers = {"Content-Type": "application/json"} if content is not None else None
        try:
            response = self._http.request(method, path, params=params, content=content,
                                          headers=headers, timeout=self._timeout_within(deadline))
        except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.ProxyError,
                httpx.UnsupportedProtocol) as exc:
            raise NotSent(f"{type(exc).__name__}: {exc}") from exc
        except httpx.HTTPError as exc:
            # Read/write timeouts, resets, protocol errors after sending: it may have happened.
            raise OutcomeUnknown(f"{type(exc).__name__}: {exc}") from exc
        self._rate_limit = RateLimit.from_headers(response.headers) or self._rate_limit
        log.debug("%s %s -> %d", method, strip_key(str(response.request.url)), response.status_code)
        self._raise_for_status(response, what)
        return response

    def _timeout_within(self, deadline: float) -> httpx.Timeout:
        """The configured timeouts, shortened so that one attempt cannot outlive the budget."""
        left = max(0.1, deadline - self._clock())
        t = self._timeout

        def cap(value: float | None) -> float:
            return left if value is None else min(value, left)

        return httpx.Timeout(connect=cap(t.connect), read=cap(t.read), write=cap(t.write),
                             pool=cap(t.pool))

    def _raise_for_status(self, response: httpx.Response, what: str) -> None:
        status = response.status_code
        if 200 <= status < 300:
            return
        detail, field_errors = parse_detail(_json_or_none(response))
        if status in (401, 403):
            raise Unauthorized()
        if status == 429:
            raise RateLimited(self._retry_after(response))
        if status in (404, 410):
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

    def _retry_after(self, response: httpx.Response) -> float:
        seconds = parse_retry_after(response.headers.get("Retry-After"))
        if seconds is None and self._rate_limit is not None:
            seconds = self._rate_limit.reset_seconds
        return self._retry.default_retry_after if seconds is None else seconds


def _describe(exc: Exception) -> str:
    """A key-free technical description of a retryable error, for logs."""
    cause = getattr(exc, "cause", "")
    return f"{type(exc).__name__} ({cause})" if cause else type(exc).__name__
