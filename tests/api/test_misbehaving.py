"""The client against a server having a bad day, over loopback (tests/api/misbehaving.py).

Small deadlines keep these fast; the assertions are on the *class* of the outcome, never on
timing. A deadline that did not hold shows up as another class (the server's own lifetime ends
the exchange with a disconnect, an ``OutcomeUnknown`` that is not a ``DeadlineExceeded``).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

import httpcore
import pytest

from app.api import OcoteClient, RetryPolicy
from app.api.client import ProbeResult, Reachability
from app.api.deadline import DeadlineBackend, within
from app.api.errors import (
    AddressNotFound,
    DeadlineExceeded,
    Failure,
    IncompleteAnswer,
    Misconfigured,
    NotFound,
    NotSent,
    OutcomeUnknown,
    Redirected,
    Unauthorized,
    UnexpectedResponse,
    WrongAddress,
    classify,
)
from tests.api.misbehaving import DOCUMENT_ID, MisbehavingServer, Mode

REF = "M001P001-20261121-000042"
PAYLOAD = {
    "doc_type": "01",
    "external_ref": REF,
    "customer_name": "Consumidor Final",
    "lines": [{"description": "Pan dulce", "quantity": 2, "unit_price": 0.5, "discount_percentage": 0}],
}
# Short deadlines: the first attempt has the whole budget, retries are bounded by it too.
DEADLINE = 0.5


@pytest.fixture
def bad_day(api_key) -> Iterator[object]:
    """``bad_day(mode, **server_kwargs) -> (server, client)``; both are stopped afterwards."""
    made: list[tuple[MisbehavingServer, OcoteClient]] = []

    def make(mode: Mode, *, retry: RetryPolicy | None = None, **kwargs: float) -> tuple[MisbehavingServer, OcoteClient]:
        server = MisbehavingServer(mode, **kwargs).start()
        client = OcoteClient(
            server.base_url,
            api_key,
            sale_deadline=DEADLINE,
            retry=retry or RetryPolicy(backoff_initial=0.01, jitter=lambda: 0.0),
        )
        made.append((server, client))
        return server, client

    yield make
    for server, client in made:
        client.close()
        server.stop()


# -- unreachable: not sent, or unknown once the deadline passed ---------------------------------


def test_refused_is_not_sent_and_unreachable(bad_day):
    server, client = bad_day(Mode.REFUSE)
    with pytest.raises(NotSent) as info:
        client.submit_invoice(PAYLOAD)
    assert classify(info.value) is Failure.UNREACHABLE
    assert client.probe(timeout=DEADLINE).state is Reachability.UNREACHABLE


@pytest.mark.parametrize("mode", [Mode.SILENT, Mode.TRICKLE_HEAD, Mode.TRICKLE_BODY])
def test_silence_or_a_trickle_ends_at_the_deadline_as_unknown(bad_day, mode):
    server, client = bad_day(mode, interval=0.05)
    with pytest.raises(DeadlineExceeded) as info:
        client.submit_invoice(PAYLOAD)
    assert isinstance(info.value, OutcomeUnknown)  # it was sent: the sale is queued, then checked
    assert info.value.seconds == DEADLINE
    assert classify(info.value) is Failure.UNREACHABLE
    assert [m for m, _, _ in server.requests] == ["POST"]


@pytest.mark.parametrize("mode", [Mode.SILENT, Mode.TRICKLE_HEAD, Mode.TRICKLE_BODY])
def test_status_and_probe_are_bounded_too(bad_day, mode):
    server, client = bad_day(mode, interval=0.05)
    with pytest.raises(DeadlineExceeded):
        client.get_status(REF, deadline=DEADLINE)
    result = client.probe(timeout=DEADLINE)
    assert result.state is Reachability.UNREACHABLE and isinstance(result.error, OutcomeUnknown)


def test_an_explicit_deadline_wins_over_the_default(bad_day):
    server, client = bad_day(Mode.TRICKLE_BODY, interval=0.05)
    with pytest.raises(DeadlineExceeded) as info:
        client.submit_invoice(PAYLOAD, deadline=0.3)
    assert info.value.seconds == 0.3


# -- answers that do not say what happened ------------------------------------------------------


@pytest.mark.parametrize("mode", [Mode.FLAGS_ONLY, Mode.REF_ONLY, Mode.OTHER_REF])
def test_an_answer_that_does_not_say_what_happened_is_unknown(bad_day, mode):
    server, client = bad_day(mode)
    with pytest.raises(IncompleteAnswer) as info:
        client.submit_invoice(PAYLOAD)
    assert isinstance(info.value, OutcomeUnknown)  # never issued, never rejected
    assert len(server.requests) == 1  # not retried: settled later through GET /status


@pytest.mark.parametrize("mode", [Mode.FLAGS_ONLY, Mode.REF_ONLY, Mode.OTHER_REF])
def test_a_status_that_does_not_identify_the_document_is_unknown(bad_day, mode):
    server, client = bad_day(mode)
    with pytest.raises(IncompleteAnswer):
        client.get_status(REF)


def test_a_good_answer_is_read(bad_day):
    server, client = bad_day(Mode.OK)
    result = client.submit_invoice(PAYLOAD)
    assert result.state == "issued" and result.external_ref == REF
    assert client.get_status(REF).document_id == DOCUMENT_ID
    assert client.get_status(DOCUMENT_ID.upper()).external_ref == DOCUMENT_ID.upper()
    assert client.probe() == ProbeResult(Reachability.ONLINE)


# -- misconfiguration is not an outage ----------------------------------------------------------


@pytest.mark.parametrize(
    "mode, error",
    [
        (Mode.NOT_FOUND, AddressNotFound),
        (Mode.NOT_FOUND_HTML, AddressNotFound),
        (Mode.REDIRECT_301, Redirected),
        (Mode.REDIRECT_302, Redirected),
        (Mode.UNAUTHORIZED, Unauthorized),
    ],
)
def test_misconfiguration_is_reported_once_and_never_as_no_connection(bad_day, mode, error):
    server, client = bad_day(mode)
    with pytest.raises(error) as info:
        client.submit_invoice(PAYLOAD)
    assert isinstance(info.value, Misconfigured)
    assert not isinstance(info.value, (NotSent, OutcomeUnknown))
    assert classify(info.value) is Failure.MISCONFIGURED
    assert len(server.requests) == 1  # neither retried nor followed
    probe = client.probe(timeout=DEADLINE)
    assert probe.state is Reachability.MISCONFIGURED and isinstance(probe.error, error)


def test_wrong_address_errors_stay_catchable_as_before():
    assert issubclass(AddressNotFound, NotFound) and issubclass(AddressNotFound, WrongAddress)
    assert issubclass(Redirected, UnexpectedResponse) and issubclass(Redirected, WrongAddress)
    assert issubclass(Unauthorized, Misconfigured)


def test_a_404_page_that_is_not_ocote_points_at_the_address_on_status(bad_day):
    server, client = bad_day(Mode.NOT_FOUND_HTML)
    with pytest.raises(AddressNotFound):
        client.get_status(REF)


def test_a_json_404_on_status_is_an_unknown_document(bad_day):
    server, client = bad_day(Mode.NOT_FOUND)
    with pytest.raises(NotFound) as info:
        client.get_status(REF)
    assert not isinstance(info.value, Misconfigured) and info.value.what == REF


def test_misconfigured_messages_are_spanish(bad_day, spanish):
    for mode, words in (
        (Mode.NOT_FOUND, "revise la dirección de la API"),
        (Mode.REDIRECT_302, "revise la dirección de la API"),
        (Mode.UNAUTHORIZED, "revise la clave de API"),
    ):
        server, client = bad_day(mode)
        with pytest.raises(Misconfigured) as info:
            client.submit_invoice(PAYLOAD)
        assert words in str(info.value), str(info.value)


# -- server errors are retried with the same body -----------------------------------------------


def test_5xx_then_ok_is_retried_with_the_same_body(bad_day):
    server, client = bad_day(Mode.ERROR_THEN_OK, failures=2)
    result = client.submit_invoice(PAYLOAD, deadline=10.0)
    assert result.state == "issued"
    assert len(server.requests) == 3 and len({body for _, _, body in server.requests}) == 1


def test_5xx_is_a_server_error_for_the_probe(bad_day):
    server, client = bad_day(Mode.ERROR_THEN_OK, failures=100)
    result = client.probe(timeout=DEADLINE)
    assert result.state is Reachability.SERVER_ERROR and len(server.requests) == 1


# -- the machinery ------------------------------------------------------------------------------


def test_the_default_transport_bounds_every_socket_operation(api_key):
    with OcoteClient("https://ocote.test/api/connect", api_key) as client:
        pool = client._http._transport._pool  # type: ignore[attr-defined]
        assert isinstance(pool._network_backend, DeadlineBackend)


def test_a_connect_that_hangs_gives_up_and_closes_what_arrives_late():
    release = threading.Event()
    closed = threading.Event()

    class LateStream(httpcore.NetworkStream):
        def close(self) -> None:
            closed.set()

    def connect() -> httpcore.NetworkStream:
        release.wait(5.0)  # a resolver that does not answer
        return LateStream()

    with pytest.raises(httpcore.ConnectTimeout):
        within(connect, 0.05)
    release.set()
    assert closed.wait(5.0)


def test_backoff_is_capped_for_any_retry_number():
    policy = RetryPolicy(backoff_initial=0.5, backoff_max=8.0, jitter=lambda: 1.0)
    assert [policy.backoff(n) for n in (1, 2, 3, 4, 5, 6)] == [0.5, 1.0, 2.0, 4.0, 8.0, 8.0]
    assert policy.backoff(10_000) == 8.0
