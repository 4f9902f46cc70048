"""The end-of-day CSV a person opens in a spreadsheet: their language, their clock.

``EodReport.to_csv`` keeps the stable machine columns (``external_ref``, ``issued``, ``True``, UTC)
that ``caja eod --csv`` scripts read. The window exports this one instead: translated headers
(Spanish on a Spanish till), states and payment methods by name, Sí/No for flags, times in the
till's local time with their UTC offset, and a UTF-8 byte-order mark so spreadsheet programs read
the accents right. Decimals keep the point (``10.17``), as El Salvador writes them.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from app.i18n import N_, _
from app.services.eod_report import EodDocument, EodReport, money, payment_label, state_label


def yes_no(flag: bool) -> str:
    return _("Yes") if flag else _("No")


def local_time(at: datetime | None) -> str:
    """``2026-12-04 18:22:10-06:00``: the till's clock with its offset ("" when unknown)."""
    return at.astimezone().isoformat(sep=" ", timespec="seconds") if at else ""


#: (header, value) per column, in order.
COLUMNS: tuple[tuple[str, Callable[[EodDocument], str]], ...] = (
    (N_("Reference"), lambda d: d.external_ref),
    (N_("Control number"), lambda d: d.control_number),
    (N_("State"), lambda d: state_label(d.state)),
    (N_("Issued at (local time)"), lambda d: local_time(d.issued_at)),
    (N_("Payment method"), lambda d: payment_label(d.payment_method)),
    (N_("Customer"), lambda d: d.customer_name),
    (N_("Total"), lambda d: money(d.amount_gross)),
    (N_("VAT"), lambda d: money(d.amount_vat)),
    (N_("Discount"), lambda d: money(d.discount)),
    (N_("Needs action"), lambda d: yes_no(d.needs_action)),
    (N_("Not yet confirmed by Ocote"), lambda d: yes_no(d.unsynced)),
    (N_("Ticket not printed"), lambda d: yes_no(d.unprinted)),
    (N_("Message"), lambda d: d.message),
)


def write_people_csv(report: EodReport, path: Path | str) -> Path:
    """Write ``report``'s documents to ``path`` for people (see the module docstring)."""
    path = Path(path)
    with path.open("w", newline="", encoding="utf-8-sig") as fh:
        writer = csv.writer(fh)
        writer.writerow([_(header) for header, _value in COLUMNS])
        for doc in report.documents:
            writer.writerow([value(doc) for _header, value in COLUMNS])
    return path
