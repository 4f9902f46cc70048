"""Training mode across launches: the composition root's own sandbox keeps its documents and key.

Found by running the real window twice: the second launch issued control number ...001 again,
answered 404 for the first launch's sales and could not reprint them.
"""

from __future__ import annotations

import logging
import stat
import sys
from decimal import Decimal

from app.bootstrap import build_context
from app.config import Settings
from app.domain.invoice import InvoiceDraft, SaleLine
from app.paths import data_dir
from app.services.checkout import SaleOutcome
from app.workers.tasks import TaskRunner

DRAFT = InvoiceDraft(lines=(SaleLine("Cuaderno espiral", Decimal(2), Decimal("5.65")),))


def _launch():
    return build_context(Settings(), TaskRunner(), printer_url="dummy:")


def test_a_second_launch_finds_the_first_launchs_sales(qapp, caplog):
    with caplog.at_level(logging.DEBUG):
        first = _launch()
        try:
            assert first.training and first.services.owns_sandbox
            sold = first.checkout.checkout(DRAFT)
            assert sold.outcome == SaleOutcome.ISSUED
            assert sold.control_number.endswith("-000000000000001")
        finally:
            first.runner.shutdown(wait=True)
            first.close()

        second = _launch()
        try:
            status = second.api.get_status(sold.external_ref)
            assert status.control_number == sold.control_number
            assert second.api.download_file(sold.external_ref, "ticket").startswith(b"%PDF")
            again = second.checkout.checkout(DRAFT)
            assert again.outcome == SaleOutcome.ISSUED
            assert again.control_number.endswith("-000000000000002")
        finally:
            second.runner.shutdown(wait=True)
            second.close()

    training = data_dir() / "training"
    key = (training / "sandbox.key").read_text().strip()
    assert key.startswith("odt_") and key[4:] not in caplog.text
    assert (training / "sandbox.json").exists()
    if sys.platform != "win32":
        for name in ("sandbox.key", "sandbox.json"):
            assert stat.S_IMODE((training / name).stat().st_mode) == 0o600
