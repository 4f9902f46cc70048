"""Logic the window used to hold, now Qt-free: validation once, environment, lookups, settings,
the outbox backoff and the end-of-day actions."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

import app.domain.invoice as invoice
import app.services.checkout as checkout_module
from app.config import Settings
from app.domain.errors import CajaError, ValidationError
from app.domain.invoice import Payment
from app.services.checkout import CheckoutResult, SaleOutcome, ValidDraft, validate_sale
from app.services.environment import SaleLookup, fetch_environment, latest_issued_ref
from app.services.eod_actions import check_again, export_day_csv, print_day_report
from app.services.outbox import DEFAULT_SCHEDULE, OutboxBackoff, last_print_error, still_queued
from app.services.settings_service import printer_changed, save_all, settings_from_values, test_print


def _count_validations(monkeypatch) -> list[object]:
    calls: list[object] = []
    real = invoice.validate_draft

    def counting(draft, **kwargs):
        calls.append(draft)
        return real(draft, **kwargs)

    monkeypatch.setattr(invoice, "validate_draft", counting)
    monkeypatch.setattr(checkout_module, "validate_draft", counting)
    return calls


def test_a_sale_is_validated_once_on_its_way_to_ocote(service, make_draft, monkeypatch):
    calls = _count_validations(monkeypatch)
    checked = service.validate(make_draft())  # the window's check before the payment dialog
    paid = checked.with_payment(Payment(tendered=Decimal("20")))
    result = service.checkout(paid)
    assert result.outcome is SaleOutcome.ISSUED
    assert len(calls) == 1


def test_a_plain_draft_is_validated_once_by_the_service(service, make_draft, monkeypatch):
    calls = _count_validations(monkeypatch)
    assert service.checkout(make_draft()).outcome is SaleOutcome.ISSUED
    assert len(calls) == 1


def test_a_plain_invalid_draft_is_an_invalid_outcome_and_nothing_is_journaled(service, journal, make_draft):
    result = service.checkout(make_draft(quantity="0"))
    assert result.outcome is SaleOutcome.INVALID and result.sale_id is None and result.field_errors
    assert journal.sales.search() == []


def test_validate_sale_refuses_and_with_payment_checks_the_payment(make_draft):
    with pytest.raises(ValidationError):
        validate_sale(make_draft(quantity="0"))
    checked = validate_sale(make_draft())
    assert isinstance(checked, ValidDraft)
    with pytest.raises(ValidationError) as info:
        checked.with_payment(Payment(tendered=Decimal("0.01")))
    assert [e.field for e in info.value.errors] == ["payment.tendered"]
    assert checked.with_payment(Payment()).draft == replace(checked.draft, payment=Payment())


def test_environment_comes_from_the_latest_issued_document(service, journal, client, make_draft):
    assert latest_issued_ref(journal) is None and fetch_environment(client, journal) is None
    issued = service.checkout(make_draft())
    sale = journal.sales.get(issued.sale_id)
    assert latest_issued_ref(journal) in (sale.document.document_id, sale.external_ref)
    assert fetch_environment(client, journal) in ("test", "production")
    lookup = SaleLookup(journal)
    assert lookup.environment(client) == fetch_environment(client, journal)
    assert lookup.find(issued.external_ref).id == issued.sale_id
    assert lookup.get(issued.sale_id).external_ref == issued.external_ref
    assert lookup.find("nothing-like-it") is None


def test_settings_from_values_names_the_wrong_fields_and_keeps_the_key():
    current = Settings(api_key="odt_" + "a" * 56)
    changed = settings_from_values(current, {"cashier": "Luis"})
    assert changed.cashier == "Luis" and changed.api_key == current.api_key
    with pytest.raises(CajaError, match="API URL"):
        settings_from_values(current, {"api_url": "not a url"})
    with pytest.raises(CajaError, match="odt_"):
        settings_from_values(current, {}, new_key="odt_short")
    assert printer_changed(current, current.model_copy(update={"cut": not current.cut}))
    assert not printer_changed(current, changed)


def test_save_all_makes_the_printer_first_and_stores_the_key(memory_keyring):
    settings = Settings(cashier="Luis")
    made = []

    def factory(s, url):
        made.append((s, url))
        return "queue"

    saved, printer = save_all(settings, "odt_" + "b" * 56, False, factory)
    assert saved is settings and printer == "queue" and made == [(settings, None)]

    def broken(_s, _url):
        raise CajaError("bad printer")

    with pytest.raises(CajaError):
        save_all(settings, None, False, broken)


def test_test_print_uses_a_throwaway_queue_and_closes_it():
    events = []

    class Printer:
        def test_page(self):
            events.append("page")
            return "receipt"

    class Queue:
        printer = Printer()

        def run(self, fn, *args):
            return fn(*args)

        def close(self):
            events.append("closed")

    urls = []

    def factory(_settings, url):
        urls.append(url)
        return Queue()

    assert test_print(factory, Settings(), "") == "receipt"
    assert urls == [None] and events == ["page", "closed"]


def _result(outcome: SaleOutcome, print_error: str = "") -> CheckoutResult:
    return CheckoutResult(outcome, 1, "M001P001-1", print_error=print_error)


def test_outbox_backoff_grows_while_sales_stay_queued_and_starts_over():
    backoff = OutboxBackoff()
    assert backoff.delay() == DEFAULT_SCHEDULE[0]
    backoff.passed([_result(SaleOutcome.ISSUED), _result(SaleOutcome.QUEUED)])
    backoff.failed()
    assert backoff.delay() == DEFAULT_SCHEDULE[2]
    for _ in range(10):
        backoff.failed()
    assert backoff.delay() == DEFAULT_SCHEDULE[-1]
    backoff.passed([_result(SaleOutcome.ISSUED)])
    assert backoff.failures == 0 and backoff.delay() == DEFAULT_SCHEDULE[0]
    with pytest.raises(ValueError):
        OutboxBackoff(())


def test_outbox_pass_summaries_compare_outcomes_as_members():
    results = [_result(SaleOutcome.NOT_PRINTED, "paper"), _result(SaleOutcome.NOT_PRINTED, "cover open")]
    assert not still_queued(results) and still_queued([_result(SaleOutcome.QUEUED)])
    assert last_print_error(results) == "cover open" and last_print_error([]) is None


def test_check_again_runs_the_day_even_when_the_outbox_fails():
    calls = []

    class Outbox:
        def resolve_pending(self, progress=None):
            calls.append("outbox")
            raise CajaError("offline")

    class Eod:
        def run(self, day, register=None, *, progress=None):
            calls.append(("run", day, register))
            return "report"

    assert check_again(Outbox(), Eod(), date(2026, 1, 2), "P001") == "report"
    assert calls == ["outbox", ("run", date(2026, 1, 2), "P001")]


def test_the_day_report_prints_on_the_queue_thread():
    calls = []

    class Eod:
        def print_report(self, report, printer):
            calls.append((report, printer))

    class Queue:
        printer = "the printer"

        def run(self, fn, *args):
            calls.append("on the queue")
            return fn(*args)

    print_day_report(Eod(), Queue(), "report")
    assert calls == ["on the queue", ("report", "the printer")]


def test_a_csv_that_cannot_be_written_is_a_user_facing_error(tmp_path):
    class Report:
        def to_csv(self, path):
            return open(path, "w")  # noqa: SIM115 - fails: the folder does not exist

    with pytest.raises(CajaError, match="could not be saved"):
        export_day_csv(Report(), tmp_path / "missing" / "cierre.csv")
