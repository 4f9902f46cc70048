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
* records the ``X-RateLimit-*`` headers in :attr:`OcoteClient.rate_limit`;
* bounds the whole call (connect + send + read, retries and waits included) by one wall-clock
  **deadline** (:mod:`app.api.deadline`: httpx's own timeouts restart with every chunk). A
  deadline that passes before the request could be sent is :class:`NotSent`; after,
  :class:`DeadlineExceeded` (an :class:`OutcomeUnknown`);
* checks that a successful answer says what happened to *this* document
  (:class:`IncompleteAnswer` otherwise), and maps 404 routes, redirects and 401 onto
  :class:`Misconfigured` (never retried, never "no connection"): :mod:`app.api.answers`.

The retrying lives in :mod:`app.api.retry`; :meth:`OcoteClient.probe` is a cheap reachability
check for a background connectivity indicator (verdict in :mod:`app.api.probe`). This module
keeps the client: its settings, its endpoints and one attempt.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Generator, Mapping
from typing import Any, TypeVar
from urllib.parse import quote

import httpx

from app import __version__
from app.api.answers import DOCUMENT_KEYS, json_or_none, raise_for_status, read_document
from app.api.deadline import attempt_deadline, bound_transport, read_raw
from app.api.errors import (
    DeadlineExceeded,
    IncompleteAnswer,
    MalformedResponse,
    NotSent,
    OutcomeUnknown,
    WrongAddress,
)
from app.api.fiscal import FiscalEndpoints
from app.api.models import DocumentStatus, InvoiceResult, RateLimit
from app.api.probe import ProbeResult, Reachability, verdict
from app.api.retry import RetryPolicy, describe, parse_retry_after, with_retries
from app.domain.errors import ApiError, ConfigurationError
from app.domain.redaction import RedactingFilter, redact, strip_key
from app.i18n import _

# ProbeResult, Reachability, RetryPolicy and parse_retry_after live in their own modules
# (app.api.probe, app.api.retry) and stay importable from here.
__all__ = [
    "DEFAULT_SALE_DEADLINE",
    "DEFAULT_TIMEOUT",
    "FILE_KINDS",
    "PROBE_TIMEOUT",
    "USER_AGENT",
    "OcoteClient",
    "ProbeResult",
    "Reachability",
    "RetryPolicy",
    "parse_retry_after",
]

log = logging.getLogger(__name__)

USER_AGENT = f"caja/{__version__}"

# A cashier is waiting: fail fast on connect (the request was then certainly not sent), but give
# Ocote (which waits for MH itself) a generous read window before declaring the outcome unknown.
# Every call is further bounded by its deadline (a sale's is DEFAULT_SALE_DEADLINE).
DEFAULT_TIMEOUT = httpx.Timeout(connect=3.0, read=30.0, write=10.0, pool=3.0)

#: Wall-clock budget of one ``submit_invoice`` call, retries included (``Settings.sale_deadline_s``).
DEFAULT_SALE_DEADLINE = 12.0
#: Budget of one :meth:`OcoteClient.probe`.
PROBE_TIMEOUT = 3.0

FILE_KINDS = ("ticket", "invoice", "json")

T = TypeVar("T")

# httpx logs every request URL at INFO. Caja never puts the key in a URL, but make sure nothing
# that reaches httpx (a misconfigured base URL, a future code path) can leak one through it.
_httpx_log = logging.getLogger("httpx")
if not any(isinstance(f, RedactingFilter) for f in _httpx_log.filters):
    _httpx_log.addFilter(RedactingFilter())


class _BearerAuth(httpx.Auth):
    """Adds the ``Authorization`` header; the only object that holds the key."""

    def __init__(self, key: str) -> None:
        self._header = f"Bearer {key}"

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = self._header
        yield request

    def __repr__(self) -> str:
        return "<BearerAuth ***>"


def _segment(id_or_ref: str) -> str:
    """``id_or_ref`` as one URL path segment (an external_ref is free text: it may hold '/')."""
    if not isinstance(id_or_ref, str) or not id_or_ref.strip():
        raise ValueError("a document id or external_ref is required")
    return quote(id_or_ref, safe="")


class OcoteClient(FiscalEndpoints):
    """A synchronous client for the Ocote Connect API (the CCF / credit-note endpoints are
    :class:`~app.api.fiscal.FiscalEndpoints`).

    Args:
        base_url: e.g. ``https://ocote.io/api/connect`` (a ``key=`` parameter is dropped).
        api_key: ``odt_...``; kept only in the auth object.
        transport: an ``httpx`` transport (``httpx.MockTransport`` in tests). The default one has
            every socket operation bounded by the call's deadline.
        timeout: connect/read/write/pool timeouts; :data:`DEFAULT_TIMEOUT` if None.
        retry: the retry policy; ``RetryPolicy()`` if None. ``RetryPolicy(max_attempts=1)``
            disables retries.
        sleep: how to wait between attempts (tests pass a recorder).
        clock: monotonic seconds, for the time budget (tests pass a fake that ``sleep`` advances).
        sale_deadline: default wall-clock budget of :meth:`submit_invoice`, retries included
            (``Settings.sale_deadline_s``).

    Raises:
        ConfigurationError: the base URL or the key is unusable.
    """

    def __init__(
        self,
        base_url: str,
        api_key: str,
        *,
        transport: httpx.BaseTransport | None = None,
        timeout: httpx.Timeout | None = None,
        retry: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        sale_deadline: float = DEFAULT_SALE_DEADLINE,
    ) -> None:
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
        if not sale_deadline > 0:
            raise ValueError("sale_deadline must be a positive number of seconds")
        # The base is a path prefix: a query or fragment would end up in the middle of every URL.
        # User-info too: a key pasted there would live on in repr, logs and httpx's URL objects.
        url = str(parsed.copy_with(query=None, fragment=None, userinfo=b"")).rstrip("/")
        if parsed.scheme == "http" and parsed.host not in ("127.0.0.1", "localhost", "::1"):
            log.warning("the Ocote API address %s is plain http: the key travels unencrypted", url)
        self.base_url = url
        self.sale_deadline = float(sale_deadline)
        self._timeout = timeout or DEFAULT_TIMEOUT
        self._retry = retry or RetryPolicy()
        self._sleep = sleep
        self._clock = clock
        self._rate_limit: RateLimit | None = None
        self._http = httpx.Client(
            base_url=url + "/",
            auth=_BearerAuth(key),
            transport=transport if transport is not None else bound_transport(httpx.HTTPTransport()),
            timeout=self._timeout,
            headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
            follow_redirects=False,  # a redirect would resend a POST elsewhere: report it instead
        )
        # Proxy transports (from the environment) get the same bound.
        mounts: Mapping[object, httpx.BaseTransport | None] = getattr(self._http, "_mounts", {})
        for mounted in mounts.values():
            if mounted is not None:
                bound_transport(mounted)

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
    def submit_invoice(self, payload: dict[str, Any], *, deadline: float | None = None) -> InvoiceResult:
        """``POST /invoice``; retried automatically with the same body (same ``external_ref``).

        Args:
            payload: the JSON body (``app.domain.invoice.build_invoice_payload``); must carry a
                non-empty ``external_ref``, without which a retry could create a second invoice.
            deadline: wall-clock seconds for the whole call (connect, send, read, retries and the
                waits between them); if None, :attr:`sale_deadline` (at most the retry
                policy's ``total_seconds``).

        Returns:
            The result; check ``.state`` (an MH rejection or contingency is not an exception).
            It names the document (``document_id`` or ``control_number``), carries the state
            flags and the ``external_ref`` sent (when it names one at all).

        Raises:
            ValueError: the payload has no ``external_ref`` (a programming error).
            Misconfigured: wrong API address (404, redirect) or key (401); never retried.
            NotSent: nothing reached Ocote (refused, DNS, connect timeout, deadline before
                sending): safe to send again with the same ``external_ref``.
            OutcomeUnknown: the invoice may exist: :class:`DeadlineExceeded` (silence or a
                trickle until the deadline), :class:`ServerError`, :class:`IncompleteAnswer`
                (a 2xx that does not say what happened), ...; settle it with :meth:`get_status`.
            ApiError: another subclass from :mod:`app.api.errors` once retries are exhausted or
                not allowed (:class:`InvalidRequest`, :class:`RateLimited`, ...).
        """
        ref = payload.get("external_ref") if isinstance(payload, dict) else None
        if not isinstance(ref, str) or not ref.strip():
            raise ValueError("submit_invoice needs a payload with a non-empty external_ref")
        # Serialised once: every retry sends these exact bytes.
        body = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode("utf-8")
        log.info("submitting invoice %s", ref)

        def parse(response: httpx.Response) -> InvoiceResult:
            return read_document(response, InvoiceResult, expect_ref=ref)

        if deadline is None:
            deadline = min(self.sale_deadline, self._retry.total_seconds)
        return self._call("POST", "invoice", content=body, parse=parse, route=True, budget=deadline)

    def get_status(self, id_or_ref: str, *, include_dte: bool = False, deadline: float | None = None) -> DocumentStatus:
        """``GET /status/{id_or_ref}``: the document's flags, amounts and URLs.

        Args:
            id_or_ref: the ``document_id`` or the ``external_ref``.
            include_dte: also fetch the signed DTE (``dte_schema``) and MH's answer.
            deadline: wall-clock seconds for the whole call; the retry policy's
                ``total_seconds`` if None.

        Raises:
            NotFound: no such document.
            IncompleteAnswer: the answer does not identify the document, names another one,
                or carries no state flags.
            ApiError: any other failure, after retries.
        """
        params = {"include_dte": "1"} if include_dte else None

        def parse(response: httpx.Response) -> DocumentStatus:
            return read_document(response, DocumentStatus, asked=id_or_ref)

        return self._call(
            "GET", f"status/{_segment(id_or_ref)}", params=params, what=id_or_ref, parse=parse, budget=deadline
        )

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
                if json_or_none(response) is None:
                    raise MalformedResponse(response.status_code, "file is not JSON")
            elif b"%PDF-" not in data[:1024]:
                raise MalformedResponse(response.status_code, "file is not a PDF")
            return data

        return self._call("GET", f"file/{_segment(id_or_ref)}", params={"type": kind}, what=id_or_ref, parse=parse)

    def invalidate(self, id_or_ref: str) -> DocumentStatus:
        """``POST /invalidate/{id_or_ref}``: void a document (retried: idempotent per Ocote).

        Whatever the body of a successful answer, the result is the document's state: when the
        answer is not (clearly) this document, it is read with :meth:`get_status`.

        Raises:
            Conflict: the document cannot be voided (window passed, wrong state).
            NotFound: no such document.
            ApiError: any other failure, after retries.
        """

        def parse(response: httpx.Response) -> DocumentStatus | None:
            body = json_or_none(response)
            if isinstance(body, dict) and any(k in body for k in DOCUMENT_KEYS):
                try:
                    return read_document(response, DocumentStatus, asked=id_or_ref)
                except IncompleteAnswer as exc:
                    log.info("invalidate %s: %s; reading its status", redact(id_or_ref), exc.cause)
            return None

        result = self._call("POST", f"invalidate/{_segment(id_or_ref)}", what=id_or_ref, parse=parse)
        return result if result is not None else self.get_status(id_or_ref)

    def probe(self, timeout: float = PROBE_TIMEOUT) -> ProbeResult:
        """Is Ocote reachable with these settings? One cheap request, never retried.

        ``GET /catalogs/departments`` (read-only, small, authenticated), bounded by ``timeout``
        seconds in all (connect included). Meant for a background connectivity indicator (run
        it off the GUI thread, e.g. every 30 s while sales are queued; it counts against the
        rate limit like any request).

        Returns:
            :class:`ProbeResult`: ``ONLINE`` (Ocote answered as Ocote, a 429 included),
            ``UNREACHABLE`` (refused, DNS, timeout, silence), ``MISCONFIGURED`` (404 route,
            redirect, an answer that is not Ocote's, 401) or ``SERVER_ERROR`` (5xx).
        """

        def parse(response: httpx.Response) -> None:
            if not isinstance(json_or_none(response), (list, dict)):
                # 200 but not JSON: a web page at that address, not the API.
                raise WrongAddress(response.status_code)

        try:
            self._call(
                "GET",
                "catalogs/departments",
                params={"search": "san"},
                parse=parse,
                route=True,
                budget=timeout,
                attempts=1,
            )
        except ApiError as exc:
            result = verdict(exc)
            if result.error is not None:
                log.info("probe: %s (%s)", result.state.value, describe(exc))
            return result
        return ProbeResult(Reachability.ONLINE)

    # -- machinery -------------------------------------------------------------------------
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
    ) -> T:
        """Send with retries; return ``parse(response)`` of the first good answer.

        Args:
            route: a 404 means the route is missing (a wrong address), not a document.
            budget: wall-clock seconds for the whole call; the policy's ``total_seconds`` if None.
            attempts: at most this many attempts (the policy's ``max_attempts`` if None).
        """
        policy = self._retry
        budget = policy.total_seconds if budget is None else budget
        if not budget > 0:
            raise ValueError("a call's deadline must be a positive number of seconds")

        def send(deadline: float) -> T:
            return parse(self._attempt(method, path, params, content, deadline, budget, what, route))

        return with_retries(
            send,
            method=method,
            path=path,
            policy=policy,
            budget=budget,
            max_attempts=policy.max_attempts if attempts is None else attempts,
            clock=self._clock,
            sleep=self._sleep,
        )

    def _attempt(
        self,
        method: str,
        path: str,
        params: dict[str, str] | None,
        content: bytes | None,
        deadline: float,
        budget: float,
        what: str,
        route: bool,
    ) -> httpx.Response:
        headers = {"Content-Type": "application/json"} if content is not None else None
        left = max(0.0, deadline - self._clock())
        # The socket layer works in real time, whatever clock the budget is kept with.
        real_deadline = time.monotonic() + left
        request = self._http.build_request(
            method, path, params=params, content=content, headers=headers, timeout=self._timeout_within(deadline)
        )
        try:
            with attempt_deadline(real_deadline):
                response = self._http.send(request, stream=True)
                raw = read_raw(response, lambda: time.monotonic() >= real_deadline or self._clock() >= deadline, budget)
        except (
            httpx.ConnectError,
            httpx.ConnectTimeout,
            httpx.PoolTimeout,
            httpx.ProxyError,
            httpx.UnsupportedProtocol,
        ) as exc:
            raise NotSent(f"{type(exc).__name__}: {exc}") from exc
        except httpx.HTTPError as exc:
            # Read/write timeouts, resets, protocol errors after sending: it may have happened.
            cause = f"{type(exc).__name__}: {exc}"
            if isinstance(exc, httpx.TimeoutException) and time.monotonic() >= real_deadline - 0.01:
                raise DeadlineExceeded(budget, cause) from exc
            raise OutcomeUnknown(cause) from exc
        if raw is not None:
            # The raw bytes with the original headers: decoding (gzip...) happens once, here.
            try:
                response = httpx.Response(response.status_code, headers=response.headers, content=raw, request=request)
            except httpx.DecodingError as exc:  # a body that claims an encoding it lacks
                raise MalformedResponse(response.status_code, type(exc).__name__) from exc
        self._rate_limit = RateLimit.from_headers(response.headers) or self._rate_limit
        log.debug("%s %s -> %d", method, strip_key(str(request.url)), response.status_code)
        raise_for_status(response, what, route=route, retry_after=self._retry_after)
        return response

    def _timeout_within(self, deadline: float) -> httpx.Timeout:
        """The configured timeouts, shortened so that one attempt cannot outlive the budget."""
        left = max(0.1, deadline - self._clock())
        t = self._timeout

        def cap(value: float | None) -> float:
            return left if value is None else min(value, left)

        return httpx.Timeout(connect=cap(t.connect), read=cap(t.read), write=cap(t.write), pool=cap(t.pool))

    def _retry_after(self, response: httpx.Response) -> float:
        seconds = parse_retry_after(response.headers.get("Retry-After"))
        if seconds is None and self._rate_limit is not None:
            seconds = self._rate_limit.reset_seconds
        return self._retry.default_retry_after if seconds is None else seconds
