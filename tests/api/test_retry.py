"""The retry policy: what is retried, how often, how long, and always with the same bytes."""

from __future__ import annotations

import httpx
import pytest

from app.api import NotSent, OutcomeUnknown, RateLimited, RetryPolicy, ServerError


def scripted(*steps):
    """A handler that plays ``steps`` in order: an exception to raise or a response to return."""
    steps = iter(steps)

    def handler(request):
        step = next(steps)
        if isinstance(step, Exception):
            raise step
        return step

    return handler


def ok(doc, **overrides):
    return httpx.Response(200, json=doc(**overrides))


def test_backoff_is_exponential_with_jitter():
    policy = RetryPolicy(backoff_initial=0.5, backoff_max=4.0, jitter=lambda: 0.0)
    assert [policy.backoff(n) for n in range(1, 6)] == [0.25, 0.5, 1.0, 2.0, 2.0]
    policy = RetryPolicy(backoff_initial=0.5, backoff_max=4.0, jitter=lambda: 0.999)
    delays = [policy.backoff(n) for n in range(1, 6)]
    assert all(lo < d < hi for d, lo, hi in zip(delays, [0.25, 0.5, 1, 2, 2], [0.5, 1, 2, 4, 4], strict=True))


def test_real_jitter_stays_within_bounds():
    policy = RetryPolicy()
    for retry in range(1, 5):
        base = min(policy.backoff_max, policy.backoff_initial * 2 ** (retry - 1))
        assert all(base / 2 <= policy.backoff(retry) <= base for _ in range(50))


def test_server_errors_are_retried_up_to_max_attempts(make_client, clock, payload):
    client = make_client(lambda request: httpx.Response(503, json={"detail": "mantenimiento"}))
    with pytest.raises(ServerError) as info:
        client.submit_invoice(payload)
    assert info.value.status == 503 and "503" in str(info.value)
    assert len(client.requests) == 4
    assert clock.sleeps == [0.375, 0.75, 1.5]  # jitter fixed at 0.5 by the fixture


def test_every_retry_sends_the_identical_bytes(make_client, clock, payload, doc):
    client = make_client(
        scripted(
            httpx.ReadTimeout("t"),
            httpx.Response(502, text="bad gateway"),
            httpx.RemoteProtocolError("reset"),
            ok(doc, is_duplicate=True),
        )
    )
    result = client.submit_invoice(payload)
    assert result.state == "issued" and result.is_duplicate
    bodies = {r.content for r in client.requests}
    assert len(client.requests) == 4 and len(bodies) == 1
    assert b'"external_ref":"M001P001-20261121-000001"' in bodies.pop()


def test_total_time_bounds_the_retries(make_client, clock, payload):
    policy = RetryPolicy(max_attempts=10, total_seconds=10.0, backoff_initial=2.0, jitter=lambda: 0.5)
    client = make_client(lambda request: httpx.Response(500), retry=policy)
    with pytest.raises(ServerError):
        client.submit_invoice(payload)
    # waits 1.5, 3, 6 would need 10.5 s: the third wait is not started
    assert clock.sleeps == [1.5, 3.0]
    assert sum(clock.sleeps) <= 10.0 and len(client.requests) == 3


def test_attempts_never_outlive_the_budget(make_client, clock, payload):
    """A retry's timeouts are cut to what is left of the budget."""
    policy = RetryPolicy(total_seconds=12.0, jitter=lambda: 0.5)
    seen = []

    def handler(request):
        seen.append(request.extensions["timeout"])
        clock.now += 9.0  # this attempt took 9 s before failing
        raise httpx.ReadTimeout("timed out")

    client = make_client(handler, retry=policy)
    with pytest.raises(OutcomeUnknown):
        client.submit_invoice(payload)
    assert seen[0]["read"] == 12.0 and seen[0]["connect"] == 3.0
    assert len(seen) == 2 and seen[1]["read"] == pytest.approx(12.0 - 9.0 - 0.375)


def test_not_sent_is_retried_and_reported_as_not_sent(make_client, clock, payload):
    client = make_client(lambda request: (_ for _ in ()).throw(httpx.ConnectError("refused")))
    with pytest.raises(NotSent):
        client.submit_invoice(payload)
    assert len(client.requests) == 4 and len(clock.sleeps) == 3


def test_not_sent_after_an_unknown_outcome_is_still_unknown(make_client, payload):
    """Attempt 1 may have created the invoice; a refused attempt 2 must not say "not sent"."""
    client = make_client(scripted(httpx.ReadTimeout("t"), *[httpx.ConnectError("refused")] * 3))
    with pytest.raises(OutcomeUnknown) as info:
        client.submit_invoice(payload)
    assert isinstance(info.value.__cause__, NotSent)


def test_rate_limited_after_an_unknown_outcome_is_still_unknown(make_client, payload):
    client = make_client(scripted(httpx.Response(500), httpx.Response(429, headers={"Retry-After": "600"})))
    with pytest.raises(OutcomeUnknown):
        client.submit_invoice(payload)


def test_429_then_500_then_ok(make_client, clock, payload, doc):
    client = make_client(scripted(httpx.Response(429, headers={"Retry-After": "2"}), httpx.Response(500), ok(doc)))
    assert client.submit_invoice(payload).state == "issued"
    assert clock.sleeps == [2.0, 0.75]


def test_single_attempt_policy(make_client, clock, payload):
    client = make_client(lambda request: httpx.Response(500), retry=RetryPolicy(max_attempts=1))
    with pytest.raises(ServerError):
        client.submit_invoice(payload)
    assert len(client.requests) == 1 and clock.sleeps == []


@pytest.mark.parametrize("ref", ["<missing>", "", "   ", None, 42])
def test_submit_refuses_a_payload_without_external_ref(make_client, payload, ref):
    if ref == "<missing>":
        del payload["external_ref"]
    else:
        payload["external_ref"] = ref
    client = make_client(lambda request: pytest.fail("nothing may be sent"))
    with pytest.raises(ValueError, match="external_ref"):
        client.submit_invoice(payload)
    assert client.requests == []


def test_status_and_file_and_invalidate_retry_too(make_client, clock, doc):
    status = dict(doc(), doc_type="01", amount_gross="10.17")
    client = make_client(
        scripted(
            httpx.Response(500),
            httpx.Response(200, json=status),
            httpx.ReadTimeout("t"),
            httpx.Response(200, content=b"%PDF-1.7\n...", headers={"Content-Type": "application/pdf"}),
            httpx.Response(503),
            httpx.Response(200, json=dict(status, invalidated=True)),
        )
    )
    assert client.get_status("M001P001-20261121-000001").doc_type == "01"
    assert client.download_file("M001P001-20261121-000001").startswith(b"%PDF")
    assert client.invalidate("M001P001-20261121-000001").invalidated is True
    assert len(client.requests) == 6 and len(clock.sleeps) == 3


def test_rate_limited_is_retried_up_to_max_attempts(make_client, clock):
    client = make_client(lambda request: httpx.Response(429, headers={"Retry-After": "1"}))
    with pytest.raises(RateLimited):
        client.get_status("x")
    assert clock.sleeps == [1.0, 1.0, 1.0]


@pytest.mark.parametrize(
    "later",
    [
        httpx.Response(401, json={"detail": "key revoked"}),
        httpx.Response(400, json={"detail": "external_ref already used"}),
        httpx.Response(409, json={"detail": "document is being processed"}),
    ],
)
def test_a_refusal_after_a_lost_answer_leaves_the_outcome_unknown(make_client, payload, later):
    # The first POST may have created the invoice; a later attempt refused for whatever reason
    # says nothing about that one. Reporting the refusal would mark the sale invalid (editable,
    # maybe abandoned) while its invoice exists: it must stay unknown, to be settled by /status.
    client = make_client(scripted(httpx.ReadTimeout("lost"), later))
    with pytest.raises(OutcomeUnknown):
        client.submit_invoice(payload)
