"""End of day: refresh only what is not final, pace by the rate-limit headers, report and export."""

from __future__ import annotations

import csv
import json
import time
from decimal import Decimal

import pytest

from app.api.client import OcoteClient, RetryPolicy
from app.api.models import RateLimit
from app.domain.catalogs import PaymentMethod
from app.journal import SaleState
from app.printing.decoder import decode_job
from app.services.eod import EndOfDayService
from app.services.pacing import delay_before_next
from app.services.reprint import ReprintService
from app.services.void import VoidService
from tests.silent_server import SilentServer


@pytest.fixture
def issue(issue, journal):
    """The services' ``issue`` whose original ticket printed (as checkout records it), unless
    ``printed=False``: an issued sale without a printed original needs action at end of day."""

    def make(printed: bool = True, **kwargs):
        sale = issue(**kwargs)
        if printed and sale.state in (SaleState.ISSUED, SaleState.CONTINGENCY):
            journal.prints.record(sale.id, "original", "dummy:", "ok")
            sale = journal.sales.get(sale.id)
        return sale

    return make


@pytest.fixture
def issue_to(issue_to, journal):
    """``issue_to`` with the original ticket printed (see ``issue``)."""

    def make(api, sandbox, **kwargs):
        sale = issue_to(api, sandbox, **kwargs)
        if sale.state in (SaleState.ISSUED, SaleState.CONTINGENCY):
            journal.prints.record(sale.id, "original", "dummy:", "ok")
        return journal.sales.get(sale.id)

    return make


def _status_requests(sandbox, since: int = 0) -> list[str]:
    return [
        path.rsplit("/", 1)[1] for method, path in sandbox.requests[since:] if method == "GET" and "/status/" in path
    ]


def test_totals_equal_the_sandbox(journal, client, sandbox, issue):
    issue(price="5.65", quantity="2", discount="10")
    issue(price="19.99", quantity="3", discount="0", payment=PaymentMethod.CREDIT_CARD)
    issue(price="1.10", quantity="7", discount="5", payment=PaymentMethod.DEBIT_CARD, outcome="contingency")
    issue(price="250.00", quantity="1", discount="15")
    issue(price="3.33", quantity="3", discount="0", outcome="rejected")
    voided = issue(price="40.00", quantity="1", discount="0", cache_ticket=False)
    VoidService(journal, client).void(voided.external_ref, "devolución")
    # MH answers for the contingency document before the end of day (no wall-clock wait).
    sandbox.stamp_contingency()

    report = EndOfDayService(journal, client).run(register="M001P001")

    # What Ocote holds as valid documents: neither rejected nor voided.
    valid = [d for d in sandbox.documents() if not d["rejected"] and not d["invalidated"]]
    gross = sum((Decimal(str(d["amount_gross"])) for d in valid), Decimal(0))
    vat = sum((Decimal(str(d["amount_vat"])) for d in valid), Decimal(0))
    assert report.totals.count == len(valid) == 4
    assert (report.totals.gross, report.totals.vat) == (gross, vat)
    assert sum(t.gross for t in report.by_payment.values()) == gross
    assert set(report.by_payment) == {"01", "02", "03"}
    assert report.by_state == {"issued": 4, "rejected": 1, "voided": 1}
    # The voided sale is listed, not added.
    assert [d.state for d in report.documents if d.external_ref == voided.external_ref] == ["voided"]
    assert [e.external_ref for e in report.voids] == [voided.external_ref]
    assert report.voids[0].detail == "devolución"


def test_refreshes_exactly_the_documents_that_are_not_final(journal, client, sandbox, issue):
    issued = [issue(cache_ticket=False) for _ in range(3)]
    contingency = [issue(outcome="contingency", cache_ticket=False) for _ in range(2)]
    queued = issue(outcome="queued")
    unsent = issue(outcome="unsent")
    rejected = issue(outcome="rejected")
    before = len(sandbox.requests)

    report = EndOfDayService(journal, client).run()

    asked = _status_requests(sandbox, before)
    expected = {s.document.document_id for s in contingency} | {queued.external_ref, unsent.external_ref}
    assert sorted(asked) == sorted(expected)
    assert len(sandbox.requests) == before + len(expected)  # nothing but those /status requests
    assert report.requests_made == 4 and report.refresh_failures == []
    # Sent but unknown to the journal: Ocote's state is reported, the outbox must finish it.
    [q] = [d for d in report.documents if d.external_ref == queued.external_ref]
    assert q.state == "issued" and q.unsynced and q.needs_action and q.control_number
    assert journal.sales.get(queued.id).state == SaleState.QUEUED  # left for the outbox
    [u] = [d for d in report.documents if d.external_ref == unsent.external_ref]
    assert u.state == "queued" and u.needs_action and not u.control_number

    before = len(sandbox.requests)
    full = EndOfDayService(journal, client).run(full=True)
    # The first run kept the queued sale's document: it is now asked for by its id.
    every = {s.document.document_id for s in [*issued, *contingency, rejected, journal.sales.get(queued.id)]}
    assert sorted(_status_requests(sandbox, before)) == sorted(every | {unsent.external_ref})
    assert full.requests_made == 8


def test_a_contingency_document_stamped_since_reads_issued(
    journal, clocked_sandbox, fake_clock, fast_client, api_key, issue_to
):
    sandbox = clocked_sandbox()
    with fast_client(sandbox.base_url, api_key) as client:
        sale = issue_to(client, sandbox, outcome="contingency", cache_ticket=False)
        still = EndOfDayService(journal, client).run()
        assert still.by_state == {"contingency": 1}
        assert [d.external_ref for d in still.needing_action] == [sale.external_ref]

        fake_clock.sleep(6)  # MH answers: the sandbox stamps contingency documents after 5 s
        report = EndOfDayService(journal, client).run()

    assert report.by_state == {"issued": 1}
    assert report.needing_action == []
    assert report.totals.count == 1
    refreshed = journal.sales.get(sale.id)
    assert refreshed.state == SaleState.ISSUED
    assert refreshed.document.reception_stamp and refreshed.document.checked_at is not None
    assert [a.to_state for a in journal.audit.trail(sale.id, action="status")] == ["issued"]


def test_pacing_with_a_low_rate_limit_never_hits_429(journal, clocked_sandbox, fake_clock, api_key, issue_to):
    sandbox = clocked_sandbox(rate_limit_minute=8)
    # No automatic retry: a 429 would surface as a refresh failure instead of being waited out.
    with OcoteClient(
        sandbox.base_url, api_key, retry=RetryPolicy(max_attempts=1), sleep=fake_clock.sleep, clock=fake_clock
    ) as client:
        sales = [issue_to(client, sandbox, outcome="contingency", cache_ticket=False) for _ in range(6)]
        assert client.rate_limit.remaining_minute == 2  # 6 of 8 used by the sales
        progress = []
        report = EndOfDayService(journal, client, sleep=fake_clock.sleep).run(
            progress=lambda done, total, message: progress.append((done, total))
        )

    assert report.refresh_failures == []
    assert report.requests_made == 6
    assert sorted(_status_requests(sandbox)) == sorted(s.document.document_id for s in sales)
    assert fake_clock.sleeps and sum(fake_clock.sleeps) >= 55  # waited for the window to reset
    assert progress[0] == (0, 6) and progress[-1] == (6, 6)
    assert [d for d, _t in progress] == sorted(d for d, _t in progress)


def test_no_waiting_when_the_window_holds_the_whole_batch(journal, clocked_sandbox, fake_clock, api_key, issue_to):
    sandbox = clocked_sandbox(rate_limit_minute=120)
    with OcoteClient(sandbox.base_url, api_key, retry=RetryPolicy(max_attempts=1)) as client:
        for _ in range(5):
            issue_to(client, sandbox, outcome="contingency", cache_ticket=False)
        report = EndOfDayService(journal, client, sleep=fake_clock.sleep).run()
    assert report.requests_made == 5 and fake_clock.sleeps == []


@pytest.mark.parametrize(
    ("remaining", "to_send", "expected"),
    [
        (100, 5, 0.0),  # plenty: no wait
        (20, 5, 0.0),  # 20 - reserve 12 >= 5
        (14, 5, 2.0),  # would eat into the reserve: spread 28 s over 14 requests
        (2, 1, 28.0),  # nothing left above the reserve: wait for the reset
        (0, 1, 29.0),  # nothing left at all: the reset plus one second of header rounding
    ],
)
def test_delay_before_next(remaining, to_send, expected):
    rate = RateLimit(
        limit_minute=120,
        limit_hour=5000,
        remaining_minute=remaining,
        remaining_hour=4000,
        reset_seconds=28.0,
        observed_at=time.monotonic(),
    )
    assert delay_before_next(rate, to_send) == pytest.approx(expected, abs=0.5)
    assert delay_before_next(None, to_send) == 0.0


def test_an_unreachable_ocote_stops_the_refresh_and_still_reports(
    journal, client, sandbox, issue, fast_client, api_key, closed_port
):
    contingency = [issue(outcome="contingency", cache_ticket=False) for _ in range(3)]
    with fast_client(f"http://127.0.0.1:{closed_port}/api/connect", api_key, attempts=1) as offline:
        report = EndOfDayService(journal, offline).run()
    assert report.refresh_failures == [s.external_ref for s in contingency]
    assert report.requests_made == 1  # the first failure stops the batch
    assert report.by_state == {"contingency": 3}


@pytest.fixture
def bad_day(journal, client, issue):
    """A day with every kind of sale: issued, in contingency, queued (sent, answer lost), unsent,
    voided and rejected. Returns ``{name: SaleRecord}``."""
    sales = {
        "issued": issue(price="5.65", quantity="2", discount="10"),
        "contingency": issue(price="1.10", quantity="7", discount="5", outcome="contingency"),
        "queued": issue(price="19.99", quantity="1", discount="0", outcome="queued"),
        "unsent": issue(price="3.50", quantity="2", discount="0", outcome="unsent"),
        "voided": issue(price="40.00", quantity="1", discount="0", cache_ticket=False),
        "rejected": issue(price="3.33", quantity="3", discount="0", outcome="rejected"),
    }
    VoidService(journal, client).void(sales["voided"].external_ref, "devolución")
    return sales


def _gross(*sales) -> Decimal:
    return sum((s.total_gross for s in sales), Decimal(0))


def test_collected_adds_the_sales_waiting_to_be_sent(journal, client, bad_day, fast_client, api_key, closed_port):
    issued, contingency = bad_day["issued"], bad_day["contingency"]
    queued, unsent = bad_day["queued"], bad_day["unsent"]
    with fast_client(f"http://127.0.0.1:{closed_port}/api/connect", api_key, attempts=1) as offline:
        report = EndOfDayService(journal, offline).run()

    # Ocote unreachable: reported from the journal, the refresh stopped at the first request.
    assert report.offline and report.requests_made == 1
    assert report.refresh_failures == [s.external_ref for s in (contingency, queued, unsent)]
    assert report.by_state == {"issued": 1, "contingency": 1, "queued": 2, "rejected": 1, "voided": 1}
    # The fiscal totals keep their meaning; what was charged adds the sales waiting to be sent.
    assert (report.totals.count, report.totals.gross) == (2, _gross(issued, contingency))
    assert report.collected.count == 4
    assert report.collected.gross == _gross(issued, contingency, queued, unsent) > report.totals.gross
    assert [d.external_ref for d in report.queued] == [queued.external_ref, unsent.external_ref]

    data = json.loads(report.to_json())
    assert data["offline"] is True
    assert data["totals"]["gross"] == str(_gross(issued, contingency))
    assert data["totals"]["collected"]["count"] == 4
    assert Decimal(data["totals"]["collected"]["gross"]) == report.collected.gross
    assert data["queued"] == [
        {"external_ref": s.external_ref, "amount_gross": str(s.total_gross), "payment_method": "01"}
        for s in (queued, unsent)
    ]
    assert [d["external_ref"] for d in data["documents"] if d["queued"]] == [queued.external_ref, unsent.external_ref]

    text = "\n".join(report.render_lines())
    assert "Offline: 3 documents not checked" in text
    assert "COLLECTED (INCLUDES PENDING TO SEND)" in text and "Pending to send (2)" in text
    assert queued.external_ref in text and unsent.external_ref in text
    assert f"{report.collected.gross:,.2f}" in text

    # Online again: the sale whose answer was lost is found issued at Ocote (the outbox still has
    # to print it) and moves from the waiting list to the fiscal totals; what was charged is the same.
    online = EndOfDayService(journal, client).run()
    assert not online.offline and online.refresh_failures == []
    assert online.collected == report.collected
    assert online.totals.count == 3 and [d.external_ref for d in online.queued] == [unsent.external_ref]


def test_a_server_that_never_answers_is_asked_once(journal, issue, fast_client, api_key):
    pending = [issue(outcome="contingency", cache_ticket=False) for _ in range(3)]
    with SilentServer() as server, fast_client(server.base_url, api_key, attempts=2, read_timeout=0.2) as hung:
        report = EndOfDayService(journal, hung).run()
        connections = server.connections

    assert report.offline and report.requests_made == 1
    assert report.refresh_failures == [s.external_ref for s in pending]
    assert connections == 2  # one request and its retry, not one per document
    assert report.by_state == {"contingency": 3} and report.collected.count == 3


def test_an_unprinted_original_needs_action_until_printed(journal, client, issue, printer):
    printed = issue()
    unprinted = issue(printed=False, price="2.00", quantity="1", discount="0")
    journal.prints.record(unprinted.id, "original", "dummy:", "failed", error="sin papel")
    ReprintService(journal, client).reprint(unprinted.external_ref, printer)  # a copy is not the original

    report = EndOfDayService(journal, None).run()

    assert [d.external_ref for d in report.needing_action] == [unprinted.external_ref]
    [doc] = report.needing_action
    assert doc.unprinted and doc.state == "issued" and doc.counted and doc.collected
    assert json.loads(report.to_json())["needing_action"] == [unprinted.external_ref]
    assert "Original ticket not printed" in "\n".join(report.render_lines())
    assert not [d for d in report.documents if d.external_ref == printed.external_ref][0].unprinted

    journal.prints.record(unprinted.id, "original", "dummy:", "ok")
    assert EndOfDayService(journal, None).run().needing_action == []


def test_nothing_to_refresh_needs_no_connection(journal, issue):
    issue(cache_ticket=False)

    def no_api():
        raise AssertionError("no request expected")

    report = EndOfDayService(journal, no_api).run()
    assert report.requests_made == 0 and report.totals.count == 1


# -- exports and printing ---------------------------------------------------------------------
@pytest.fixture
def day_report(journal, client, issue, printer):
    first = issue(price="5.65", quantity="2", discount="10")
    issue(price="3.00", quantity="1", discount="0", outcome="rejected")
    ReprintService(journal, client).reprint(first.external_ref, printer)
    return EndOfDayService(journal, client).run(register="M001P001")


def test_json_shape(day_report):
    data = json.loads(day_report.to_json())
    assert data["totals"] == {
        "count": 1,
        "gross": "10.17",
        "vat": "1.17",
        "discount": "1.13",
        "paid": "10.17",
        "collected": {"count": 1, "gross": "10.17", "vat": "1.17", "discount": "1.13", "paid": "10.17"},
    }
    assert data["queued"] == [] and data["offline"] is False
    assert data["by_state"] == {"issued": 1, "rejected": 1}
    assert data["by_payment"] == {
        "01": {
            "label": "Cash (bills and coins)",
            "count": 1,
            "gross": "10.17",
            "vat": "1.17",
            "discount": "1.13",
            "paid": "10.17",
        }
    }
    first, rejected = data["documents"]
    assert {"external_ref", "state", "control_number", "amount_gross"} <= set(first)
    assert (first["state"], first["amount_gross"]) == ("issued", "10.17")
    assert first["control_number"].startswith("DTE-01-M001P001-")
    assert rejected["state"] == "rejected" and rejected["needs_action"] and rejected["message"]
    assert data["needing_action"] == [rejected["external_ref"]]
    assert [r["external_ref"] for r in data["reprints"]] == [first["external_ref"]]
    assert data["register"] == "M001P001"


def test_csv_shape(day_report, tmp_path):
    path = day_report.to_csv(tmp_path / "eod.csv")
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["state"] for r in rows] == ["issued", "rejected"]
    assert rows[0]["amount_gross"] == "10.17" and rows[0]["amount_vat"] == "1.17"
    assert rows[0]["control_number"].startswith("DTE-01-")


def test_printed_report(journal, day_report, printer, tmp_path):
    EndOfDayService(journal, None).print_report(day_report, printer)
    job = decode_job(printer.connection.output)
    assert job.cut and job.labels == []
    assert 200 < job.image.height < 3000 and job.image.width <= 576
    assert [(j.kind, j.outcome) for j in journal.prints.jobs(kind="report")] == [("report", "ok")]
    text = "\n".join(day_report.render_lines())
    assert "10.17" in text and "REPRINTS (1)" in text and "NEEDING ACTION (1)" in text
