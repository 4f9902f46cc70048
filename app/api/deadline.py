"""The wall-clock deadline of one API call, enforced below httpx.

httpx's timeouts restart with every chunk, so an answer trickling one byte a second would never
time out. Here every socket operation of an attempt gets at most the time left before the
attempt's deadline (:class:`DeadlineBackend`, wrapped around httpcore's network backend by
:func:`bound_transport`), the TCP connect (DNS included) runs under that bound in a helper
thread (:func:`within`), and the body is read chunk by chunk against the deadline
(:func:`read_raw`). :func:`attempt_deadline` sets the deadline for the thread (context) that runs
the attempt.
"""

from __future__ import annotations

import contextvars
import logging
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import httpcore
import httpx

from app.api.errors import DeadlineExceeded

__all__ = ["DeadlineBackend", "DeadlineStream", "attempt_deadline", "bound_transport", "bounded", "read_raw", "within"]

log = logging.getLogger(__name__)

# time.monotonic() by which the current attempt must be over; set by attempt_deadline() for the
# thread (context) that runs it, read by every socket operation of that attempt.
_deadline: contextvars.ContextVar[float | None] = contextvars.ContextVar("ocote_attempt_deadline", default=None)


def bounded(timeout: float | None, error: type[Exception]) -> float | None:
    """``timeout`` shortened to the time left before the attempt's deadline.

    Raises:
        error: the deadline has passed (an httpcore timeout class, mapped by httpx).
    """
    deadline = _deadline.get()
    if deadline is None:
        return timeout
    left = deadline - time.monotonic()
    if left <= 0:
        raise error("the call's deadline has passed")
    return left if timeout is None else min(timeout, left)


class DeadlineStream(httpcore.NetworkStream):
    """A socket stream whose every read/write is bounded by the attempt's deadline.

    httpx's read timeout applies to each ``recv``: a server trickling bytes restarts it forever.
    Bounding each operation by the time *left* makes the whole exchange end at the deadline.
    """

    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, bounded(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, bounded(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self, ssl_context: Any, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.NetworkStream:
        return DeadlineStream(
            self._inner.start_tls(ssl_context, server_hostname, bounded(timeout, httpcore.ConnectTimeout))
        )

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class DeadlineBackend(httpcore.NetworkBackend):
    """httpcore's network backend with every connection bounded by the attempt's deadline.

    The TCP connect (name resolution included: ``getaddrinfo`` ignores socket timeouts and a
    dead resolver can hold it for many seconds) runs in a helper thread that the caller stops
    waiting for at the bound; a connection that completes late is closed by that thread.
    """

    def __init__(self, inner: httpcore.NetworkBackend) -> None:
        self._inner = inner

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        bound = bounded(timeout, httpcore.ConnectTimeout)
        options = list(socket_options) if socket_options is not None else None

        def connect() -> httpcore.NetworkStream:
            return self._inner.connect_tcp(host, port, bound, local_address, options)

        return DeadlineStream(within(connect, bound))

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.NetworkStream:
        return DeadlineStream(
            self._inner.connect_unix_socket(path, bounded(timeout, httpcore.ConnectTimeout), socket_options)
        )

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


def within(connect: Callable[[], httpcore.NetworkStream], timeout: float | None) -> httpcore.NetworkStream:
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


def bound_transport(transport: httpx.BaseTransport) -> httpx.BaseTransport:
    """Wrap the network backend of an ``httpx.HTTPTransport`` (other transports are left alone:
    their bodies are still read against the deadline chunk by chunk)."""
    pool = getattr(transport, "_pool", None)
    backend = getattr(pool, "_network_backend", None)
    if isinstance(backend, httpcore.NetworkBackend) and not isinstance(backend, DeadlineBackend):
        setattr(pool, "_network_backend", DeadlineBackend(backend))  # noqa: B010
    elif backend is None and isinstance(transport, httpx.HTTPTransport):
        log.warning("cannot bound socket operations by the call deadline (httpcore changed?)")
    return transport


@contextmanager
def attempt_deadline(real_deadline: float) -> Iterator[None]:
    """Bound every socket operation of this thread (context) by ``real_deadline``
    (``time.monotonic()`` seconds) while the block runs."""
    token = _deadline.set(real_deadline)
    try:
        yield
    finally:
        _deadline.reset(token)


def read_raw(response: httpx.Response, expired: Callable[[], bool], budget: float) -> bytes | None:
    """The raw (undecoded) body of a streamed ``response``, read chunk by chunk.

    The response is closed either way.

    Returns:
        The bytes, or None when the body was already read (a ``MockTransport`` answer).

    Raises:
        DeadlineExceeded: ``expired()`` turned true while the answer was still arriving.
    """
    try:
        if response.is_stream_consumed:
            return None
        buffer = bytearray()
        for chunk in response.iter_raw():
            buffer += chunk
            if expired():
                raise DeadlineExceeded(budget, "the answer was still arriving")
        return bytes(buffer)
    finally:
        response.close()
