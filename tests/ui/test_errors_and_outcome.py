"""The window's one failure path (show_error / the runner's default handler) and the pure mapping
from a checkout result to what the sale screen shows."""

from __future__ import annotations

import logging
from decimal import Decimal

from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from app.domain.errors import CajaError, FieldError, PrintError
from app.journal import SaleState
from app.logs import log_file
from app.services.checkout import CheckoutResult, SaleOutcome
from app.ui.errors import describe_error, error_text, show_error
from app.ui.outcome import FINISHED, Severity, present_outcome, present_reprint
from app.workers.tasks import TaskRunner


def result(outcome: SaleOutcome, **fields) -> CheckoutResult:
    fields.setdefault("message", f"service says {outcome.value}")
    return CheckoutResult(outcome, 7, "M001P001-7", **fields)


# -- present_outcome: no widgets ---------------------------------------------------------------------
def test_issued_shows_the_service_message_and_the_change():
    shown = present_outcome(result(SaleOutcome.ISSUED, state=SaleState.ISSUED), Decimal("4.35"))
    assert shown.text.startswith("service says issued") and "$4.35" in shown.text
    assert shown.severity is Severity.OK and shown.badge is None
    assert shown.finished and not shown.reprint and shown.change == Decimal("4.35")


def test_contingency_is_amber_with_its_badge():
    shown = present_outcome(result(SaleOutcome.CONTINGENCY, state=SaleState.CONTINGENCY))
    assert shown.text == "service says contingency" and shown.severity is Severity.WARN
    assert shown.badge is not None and shown.badge.severity is Severity.WARN and shown.finished
    assert shown.change is None


def test_not_printed_offers_the_reprint_and_keeps_the_contingency_badge():
    plain = present_outcome(result(SaleOutcome.NOT_PRINTED, state=SaleState.ISSUED, print_error="no paper"))
    assert plain.reprint and plain.finished and plain.severity is Severity.ERROR
    assert plain.text.startswith("service says not_printed") and plain.badge.severity is Severity.ERROR
    contingency = present_outcome(result(SaleOutcome.NOT_PRINTED, state=SaleState.CONTINGENCY))
    assert contingency.badge.severity is Severity.WARN and contingency.badge.text != plain.badge.text


def test_queued_is_finished_but_says_so():
    shown = present_outcome(result(SaleOutcome.QUEUED, state=SaleState.QUEUED), Decimal("1"))
    assert shown.finished and shown.badge is not None and shown.severity is Severity.WARN
    assert "service says queued" in shown.text and "$1.00" in shown.text


def test_queued_with_a_provisional_receipt_says_the_invoice_follows():
    from app.services.checkout import ReceiptKind

    shown = present_outcome(result(SaleOutcome.QUEUED, receipt=ReceiptKind.PROVISIONAL))
    assert "provisional receipt" in shown.text
    assert "provisional" not in present_outcome(result(SaleOutcome.QUEUED)).text


def test_a_wrong_address_or_key_says_which_setting_to_check():
    from app.api.errors import AddressNotFound, Unauthorized
    from app.ui.outcome import misconfigured_message

    address = misconfigured_message(AddressNotFound(), "M001P001-7")
    key = misconfigured_message(Unauthorized(), "M001P001-7")
    assert "API address" in address and "M001P001-7" in address and "Recent sales (F6)" in address
    assert "API key" in key and "M001P001-7" in key and "offline" not in key + address


def test_rejected_and_invalid_stay_on_screen_without_change():
    rejected = present_outcome(result(SaleOutcome.REJECTED, observaciones=("NIT inválido", "Falta DUI")), Decimal("3"))
    assert not rejected.finished and rejected.change is None and rejected.badge is not None
    assert "• NIT inválido" in rejected.text and "• Falta DUI" in rejected.text
    invalid = present_outcome(result(SaleOutcome.INVALID, field_errors=(FieldError("customer.dui", "DUI"),)))
    assert not invalid.finished and invalid.headline and invalid.text.startswith(invalid.headline)
    assert invalid.severity is Severity.ERROR


def test_every_outcome_is_mapped():
    for outcome in SaleOutcome:
        shown = present_outcome(result(outcome))
        assert shown.text and shown.finished == (outcome in FINISHED)


def test_a_reprint_line_leaves_badge_and_change_alone():
    assert present_reprint("", True).follow_up and present_reprint("", True).severity is Severity.OK
    failed = present_reprint("cover open", False)
    assert failed.follow_up and "cover open" in failed.text and failed.severity is Severity.ERROR


def ours(caplog) -> list[logging.LogRecord]:
    """The records of the failure path (other threads may log meanwhile)."""
    return [r for r in caplog.records if r.name == "app.ui.errors"]


def has_traceback(record: logging.LogRecord) -> bool:
    """The record carries its traceback (the log's redacting filter moves it into ``exc_text``)."""
    return record.exc_info is not None or "Traceback" in (record.exc_text or "")


# -- the failure path ----------------------------------------------------------------------------------
def test_user_facing_errors_are_shown_as_they_are(caplog):
    with caplog.at_level(logging.ERROR):
        report = describe_error(PrintError("Printer: no paper"))
    assert report.user_facing and report.text == "Printer: no paper"
    assert not ours(caplog)  # nothing to log: the user can act on it


def test_bugs_are_logged_with_their_traceback_and_point_at_the_log(caplog):
    try:
        raise KeyError("boom")
    except KeyError as exc:
        bug = exc
    with caplog.at_level(logging.ERROR):
        text = error_text(bug, "The printer failed.", what="test print")
    assert text.startswith("The printer failed.") and str(log_file()) in text
    records = ours(caplog)
    assert len(records) == 1 and has_traceback(records[0]) and "test print" in records[0].getMessage()


def test_show_error_does_not_block_and_tells_a_bug_from_a_user_error(qtbot, caplog):
    parent = QWidget()
    qtbot.addWidget(parent)
    box = show_error(parent, CajaError("The journal is full."))
    assert box.isVisible() and box.text() == "The journal is full."
    assert box.icon() is QMessageBox.Icon.Warning
    box.close()
    try:
        1 / 0  # noqa: B018 - a real traceback
    except ZeroDivisionError as exc:
        raised = exc
    with caplog.at_level(logging.ERROR):
        bug = show_error(parent, raised)
    assert bug.icon() is QMessageBox.Icon.Critical and str(log_file()) in bug.text()
    assert [has_traceback(r) for r in ours(caplog)] == [True]
    bug.close()


def test_the_runner_sends_unhandled_failures_to_its_default_handler(qtbot):
    runner = TaskRunner()
    seen: list[BaseException] = []
    runner.set_default_error_handler(seen.append)
    try:
        runner.submit("reader", lambda: 1 / 0)
        qtbot.waitUntil(lambda: len(seen) == 1)
        assert isinstance(seen[0], ZeroDivisionError)
        handled: list[BaseException] = []
        runner.submit("reader", lambda: 1 / 0, on_error=handled.append)  # a screen's own handler wins
        qtbot.waitUntil(lambda: len(handled) == 1)
        assert len(seen) == 1
    finally:
        runner.shutdown()


def test_the_window_shows_what_nobody_handled(qtbot, make_window):
    window = make_window("dummy:")

    def fail():
        raise CajaError("Nobody handled this.")

    window.ctx.runner.submit("reader", fail)

    def shown():
        boxes = [
            w
            for w in QApplication.topLevelWidgets()
            if isinstance(w, QMessageBox) and w.objectName() == "errorBox" and w.isVisible()
        ]
        return boxes[0] if boxes else None

    qtbot.waitUntil(lambda: shown() is not None)
    box = shown()
    assert box.text() == "Nobody handled this." and box.parent() is window
    box.close()
