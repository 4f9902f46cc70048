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
  **deadline**. httpx's timeouts restart with every chunk, so an answer trickling one byte a
  second would never time out; here every socket operation gets at most the time left (a
  network backend wrapped around httpcore's), the connect (DNS included) runs under that bound,
  and the body is read chunk by chunk against the deadline. A deadline that passes before the
  request could be sent is :class:`NotSent`; after, :class:`DeadlineExceeded` (an
  :class:`OutcomeUnknown`);
* checks that a successful answer says what happened to *this* document
  (:class:`IncompleteAnswer` otherwise), and maps 404 routes, redirects and 401 onto
  :class:`Misconfigured` (never retried, never "no connection").

:meth:`OcoteClient.probe` is a cheap reachability check for a background connectivity indicator.
"""

from __future__ import annotations

import contextvars
import email.utils
import enum
import json
import logging
import random
import threading
import time
from collections.abc import Callable, Generator, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, TypeVar
from urllib.parse import quote

import httpcore
import httpx
import pydantic

from app import __version__
from app.api.errors import (
    AddressNotFound,
    Conflict,
    DeadlineExceeded,
    Failure,
    IncompleteAnswer,
    InvalidRequest,
    MalformedResponse,
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
    parse_detail,
)
from app.api.models import DocumentStatus, InvoiceResult, RateLimit
from app.domain.errors import ApiError, ConfigurationError
from app.domain.redaction import RedactingFilter, redact, strip_key
from app.i18n import _

__all__ = ["DEFAULT_SALE_DEADLINE", "DEFAULT_TIMEOUT", "FILE_KINDS", "PROBE_TIMEOUT", "USER_AGENT",
           "OcoteClient", "ProbeResult", "Reachability", "RetryPolicy"]

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

# Keys that any document answer (invoice, status) carries; an answer with none of them is not one.
_DOCUMENT_KEYS = ("document_id", "control_number", "success", "rejected", "external_ref")
# An answer identifies its document by one of these...
_IDENTITY_KEYS = ("document_id", "control_number")
# ...and says what happened with "success" plus at least one of these.
_OUTCOME_FLAGS = ("dte_success", "rejected", "contingency")

# Never start an attempt with less time than this left in the budget.
_MIN_ATTEMPT_SECONDS = 1.0

T = TypeVar("T")
M = TypeVar("M", bound=pydantic.BaseModel)

# httpx logs every request URL at INFO. Caja never puts the key in a URL, but make sure nothing
# that reaches httpx (a misconfigured base URL, a future code path) can leak one through it.
_httpx_log = logging.getLogger("httpx")
if not any(isinstance(f, RedactingFilter) for f in _httpx_log.filters):
    _httpx_log.addFilter(RedactingFilter())


# -- the deadline of the current call, enforced below httpx ---------------------------------------
# time.monotonic() by which the current attempt must be over; set by OcoteClient._attempt for the
# thread (context) that runs it, read by every socket operation of that attempt.
_attempt_deadline: contextvars.ContextVar[float | None] = contextvars.ContextVar(
    "ocote_attempt_deadline", default=None)


def _bounded(timeout: float | None, error: type[Exception]) -> float | None:
    """``timeout`` shortened to the time left before the attempt's deadline.

    Raises:
        error: the deadline has passed (an httpcore timeout class, mapped by httpx).
    """
    deadline = _attempt_deadline.get()
    if deadline is None:
        return timeout
    left = deadline - time.monotonic()
    if left <= 0:
        raise error("the call's deadline has passed")
    return left if timeout is None else min(timeout, left)


class _DeadlineStream(httpcore.NetworkStream):
    """A socket stream whose every read/write is bounded by the attempt's deadline.

    httpx's read timeout applies to each ``recv``: a server trickling bytes restarts it forever.
    Bounding each operation by the time *left* makes the whole exchange end at the deadline.
    """

    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _bounded(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _bounded(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(self, ssl_context: Any, server_hostname: str | None = None,
                  timeout: float | None = None) -> httpcore.NetworkStream:
        return _DeadlineStream(self._inner.start_tls(
            ssl_context, server_hostname, _bounded(timeout, httpcore.ConnectTimeout)))

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class _DeadlineBackend(httpcore.NetworkBackend):
    """httpcore's network backend with every connection bounded by the attempt's deadline.

    The TCP connect (name resolution included: ``getaddrinfo`` ignores socket timeouts and a
    dead resolver can hold it for many seconds) runs in a helper thread that the caller stops
    waiting for at the bound; a connection that completes late is closed by that thread.
    """

    def __init__(self, inner: httpcore.NetworkBackend) -> None:
        self._inner = inner

    def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                    local_address: str | None = None,
                    socket_options: Iterable[Any] | None = None) -> httpcore.NetworkStream:
        bound = _bounded(timeout, httpcore.ConnectTimeout)
        options = list(socket_options) if socket_options is not None else None

        def connect() -> httpcore.NetworkStream:
            return self._inner.connect_tcp(host, port, bound, local_address, options)

        return _DeadlineStream(_within(connect, bound))

    def connect_unix_socket(self, path: str, timeout: float | None = None,
                            socket_options: Iterable[Any] | None = None) -> httpcore.NetworkStream:
        return _DeadlineStream(self._inner.connect_unix_socket(
            path, _bounded(timeout, httpcore.ConnectTimeout), socket_options))

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


def _within(connect: Callable[[], httpcore.NetworkStream],
            timeout: float | None) -> httpcore.NetworkStream:
    """Run ``connect`` but give up after ``timeout`` seconds (httpcore.ConnectTimeout)."""
    if timeout is None:
        return connect()
    lock = threading.Lock()
    done = threading.Event()
    result: list[httpcore.NetworkStream] = []
    failure: list[BaseException] = []
    abandoned = False

    def run() -> None:
        try:
            stream = connect()
        except BaseException as exc:  # noqa: BLE001 - handed over to the waiting thread
            with lock:
                failure.append(exc)
                done.set()
            return
        with lock:
            if abandoned:
                stream.close()
                return
            result.append(stream)
            done.set()

    threading.Thread(target=run, name="ocote-connect", daemon=True).start()
    # A little slack: connect() itself honours the timeout and should report first.
    done.wait(timeout + 0.05)
    with lock:
        if not done.is_set():
            abandoned = True
            raise httpcore.ConnectTimeout("connect (or name resolution) exceeded its time")
    if failure:
        raise failure[0]
    return result[0]


def _deadline_transport(transport: httpx.BaseTransport) -> httpx.BaseTransport:
    """Wrap the network backend of an ``httpx.HTTPTransport`` (other transports are left alone:
    their bodies are still read against the deadline chunk by chunk)."""
    pool = getattr(transport, "_pool", None)
    backend = getattr(pool, "_network_backend", None)
    if isinstance(backend, httpcore.NetworkBackend) and not isinstance(backend, _DeadlineBackend):
        setattr(pool, "_network_backend", _DeadlineBackend(backend))  # noqa: B010
    elif backend is None and isinstance(transport, httpx.HTTPTransport):
        log.warning("cannot bound socket operations by the call deadline (httpcore changed?)")
    return transport


class Reachability(enum.Enum):
    """What :meth:`OcoteClient.probe` found."""

    ONLINE = "online"                  # Ocote answered as Ocote (a 429 counts: it is there)
    UNREACHABLE = "unreachable"        # refused, DNS, timeout, silence: "sin conexión"
    MISCONFIGURED = "misconfigured"    # wrong address (404, redirect, not Ocote) or key (401)
    SERVER_ERROR = "server_error"      # reachable, but Ocote fails (5xx, unreadable answer)


@dataclass(frozen=True)
class ProbeResult:
    """The answer of :meth:`OcoteClient.probe`.

    Attributes:
        state: the verdict.
        error: the error behind it (None when online); ``str(error)`` is a translated message
            for the cashier, e.g. "... check the API key in the settings."
    """

    state: Reachability
    error: ApiError | None = None

    @property
    def online(self) -> bool:
        return self.state is Reachability.ONLINE


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
        # Capped before it is computed: 2 ** retry of a large retry number must not overflow.
        base = min(self.backoff_max, self.backoff_initial * 2.0 ** min(max(retry - 1, 0), 32))
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

    def __init__(self, base_url: str, api_key: str, *, transport: httpx.BaseTransport | None = None,
                 timeout: httpx.Timeout | None = None, retry: RetryPolicy | None = None,
                 sleep: Callable[[float], None] = time.sleep,
                 clock: Callable[[], float] = time.monotonic,
                 sale_deadline: float = DEFAULT_SALE_DEADLINE) -> None:
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
            base_url=url + "/", auth=_BearerAuth(key),
            transport=transport if transport is not None else _deadline_transport(httpx.HTTPTransport()),
            timeout=self._timeout,
            headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
            follow_redirects=False,  # a redirect would resend a POST elsewhere: report it instead
        )
        # Proxy transports (from the environment) get the same bound.
        mounts: Mapping[object, httpx.BaseTransport | None] = getattr(self._http, "_mounts", {})
        for mounted in mounts.values():
            if mounted is not None:
                _deadline_transport(mounted)

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
        body = json.dumps(payload, ensure_ascii=False, separators=(",", ":"),
                          allow_nan=False).encode("utf-8")
        log.info("submitting invoice %s", ref)

        def parse(response: httpx.Response) -> InvoiceResult:
            return self._document(response, InvoiceResult, expect_ref=ref)

        if deadline is None:
            deadline = min(self.sale_deadline, self._retry.total_seconds)
        return self._call("POST", "invoice", content=body, parse=parse, route=True,
                          budget=deadline)

    def get_status(self, id_or_ref: str, *, include_dte: bool = False,
                   deadline: float | None = None) -> DocumentStatus:
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
            return self._document(response, DocumentStatus, asked=id_or_ref)

        return self._call("GET", f"status/{_segment(id_or_ref)}", params=params, what=id_or_ref,
                          parse=parse, budget=deadline)

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
        answer is not (clearly) this document, it is read with :meth:`get_status`.

        Raises:
            Conflict: the document cannot be voided (window passed, wrong state).
            NotFound: no such document.
            ApiError: any other failure, after retries.
        """
        def parse(response: httpx.Response) -> DocumentStatus | None:
            body = _json_or_none(response)
            if isinstance(body, dict) and any(k in body for k in _DOCUMENT_KEYS):
                try:
                    return self._document(response, DocumentStatus, asked=id_or_ref)
                except IncompleteAnswer as exc:
                    log.info("invalidate %s: %s; reading its status", redact(id_or_ref), exc.cause)
            return None

        result = self._call("POST", f"invalidate/{_segment(id_or_ref)}", what=id_or_ref,
                            parse=parse)
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
            if not isinstance(_json_or_none(response), (list, dict)):
                # 200 but not JSON: a web page at that address, not the API.
                raise WrongAddress(response.status_code)

        try:
            self._call("GET", "catalogs/departments", params={"search": "san"}, parse=parse,
                       route=True, budget=timeout, attempts=1)
        except RateLimited:
            return ProbeResult(Reachability.ONLINE)
        except ApiError as exc:
            family = classify(exc)
            state = {Failure.MISCONFIGURED: Reachability.MISCONFIGURED,
                     Failure.SERVER_ERROR: Reachability.SERVER_ERROR,
                     Failure.UNREACHABLE: Reachability.UNREACHABLE,
                     # It answered, with a refusal: not a catalog route as documented.
                     Failure.REFUSED: Reachability.MISCONFIGURED,
                     Failure.RATE_LIMITED: Reachability.ONLINE}[family]
            log.info("probe: %s (%s)", state.value, _describe(exc))
            return ProbeResult(state, exc)
        return ProbeResult(Reachability.ONLINE)

    # -- machinery -------------------------------------------------------------------------
    @staticmethod
    def _document(response: httpx.Response, model: type[T], *, expect_ref: str | None = None,
                  asked: str | None = None) -> T:
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
        body = _json_or_none(response)
        if not isinstance(body, dict) or not any(k in body for k in _DOCUMENT_KEYS):
            raise MalformedResponse(status, "answer is not a document")

        def present(key: str) -> bool:
            value = body.get(key)
            return value is not None and value != ""

        if not any(present(k) for k in _IDENTITY_KEYS):
            raise IncompleteAnswer(status, "answer names no document_id or control_number")
        if expect_ref is not None:
            if not present("success") or not any(present(k) for k in _OUTCOME_FLAGS):
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

    def _call(self, method: str, path: str, *, parse: Callable[[httpx.Response], T],
              params: dict[str, str] | None = None, content: bytes | None = None,
              what: str = "", route: bool = False, budget: float | None = None,
              attempts: int | None = None) -> T:
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
        max_attempts = policy.max_attempts if attempts is None else attempts
        deadline = self._clock() + budget
        unknown: OutcomeUnknown | None = None
        attempt = 0
        while True:
            attempt += 1
            try:
                if self._clock() >= deadline:
                    raise NotSent("the deadline passed before the request was sent")
                return parse(self._attempt(method, path, params, content, deadline, budget, what,
                                           route))
            except IncompleteAnswer:
                # A 2xx that does not say what happened: the same server would most likely say
                # the same again; the caller settles the document through /status.
                raise
            except (OutcomeUnknown, NotSent, RateLimited) as exc:
                if isinstance(exc, OutcomeUnknown):
                    unknown = exc
                retrying = exc.retry_after if isinstance(exc, RateLimited) else policy.backoff(attempt)
                left = deadline - self._clock()
                if attempt >= max_attempts or retrying + _MIN_ATTEMPT_SECONDS > left:
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
                 content: bytes | None, deadline: float, budget: float, what: str,
                 route: bool) -> httpx.Response:
        headers = {"Content-Type": "application/json"} if content is not None else None
        left = max(0.0, deadline - self._clock())
        # The socket layer works in real time, whatever clock the budget is kept with.
        real_deadline = time.monotonic() + left
        request = self._http.build_request(method, path, params=params, content=content,
                                           headers=headers, timeout=self._timeout_within(deadline))
        token = _attempt_deadline.set(real_deadline)
        try:
            response = self._http.send(request, stream=True)
            raw: bytes | None = None
            try:
                if not response.is_stream_consumed:  # (a MockTransport answer is already read)
                    buffer = bytearray()
                    for chunk in response.iter_raw():
                        buffer += chunk
                        if time.monotonic() >= real_deadline or self._clock() >= deadline:
                            raise DeadlineExceeded(budget, "the answer was still arriving")
                    raw = bytes(buffer)
            finally:
                response.close()
        except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.ProxyError,
                httpx.UnsupportedProtocol) as exc:
            raise NotSent(f"{type(exc).__name__}: {exc}") from exc
        except httpx.HTTPError as exc:
            # Read/write timeouts, resets, protocol errors after sending: it may have happened.
            cause = f"{type(exc).__name__}: {exc}"
            if isinstance(exc, httpx.TimeoutException) and time.monotonic() >= real_deadline - 0.01:
                raise DeadlineExceeded(budget, cause) from exc
            raise OutcomeUnknown(cause) from exc
        finally:
            _attempt_deadline.reset(token)
        if raw is not None:
            # The raw bytes with the original headers: decoding (gzip...) happens once, here.
            try:
                response = httpx.Response(response.status_code, headers=response.headers,
                                          content=raw, request=request)
            except httpx.DecodingError as exc:  # a body that claims an encoding it lacks
                raise MalformedResponse(response.status_code, type(exc).__name__) from exc
        self._rate_limit = RateLimit.from_headers(response.headers) or self._rate_limit
        log.debug("%s %s -> %d", method, strip_key(str(request.url)), response.status_code)
        self._raise_for_status(response, what, route=route)
        return response

    def _timeout_within(self, deadline: float) -> httpx.Timeout:
        """The configured timeouts, shortened so that one attempt cannot outlive the budget."""
        left = max(0.1, deadline - self._clock())
        t = self._timeout

        def cap(value: float | None) -> float:
            return left if value is None else min(value, left)

        return httpx.Timeout(connect=cap(t.connect), read=cap(t.read), write=cap(t.write),
                             pool=cap(t.pool))

    def _raise_for_status(self, response: httpx.Response, what: str, *, route: bool = False) -> None:
        status = response.status_code
        if 200 <= status < 300:
            return
        body = _json_or_none(response)
        detail, field_errors = parse_detail(body)
        if 300 <= status < 400:
            # Never followed: a redirected POST could be issued elsewhere. A wrong address.
            raise Redirected(status)
        if status in (401, 403):
            raise Unauthorized()
        if status == 429:
            raise RateLimited(self._retry_after(response))
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

    def _retry_after(self, response: httpx.Response) -> float:
        seconds = parse_retry_after(response.headers.get("Retry-After"))
        if seconds is None and self._rate_limit is not None:
            seconds = self._rate_limit.reset_seconds
        return self._retry.default_retry_after if seconds is None else seconds


def _describe(exc: Exception) -> str:
    """A key-free technical description of a retryable error, for logs."""
    cause = getattr(exc, "cause", "")
    return f"{type(exc).__name__} ({cause})" if cause else type(exc).__name__
