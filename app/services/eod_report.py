"""The end-of-day report: what a register issued in a business day, and what still needs action.

Why over 500 lines: the figures — by state, payment, document type and, with a store, register — and
their four presentations, JSON, CSV, text and PDF, change together; split them and every new
figure touches two modules.

Built by :class:`app.services.eod.EndOfDayService` from the journal after refreshing the documents
that were not final; this module only holds the figures and presents them: JSON, CSV, a plain text
layout and the same layout as an 80 mm PDF printed through :class:`~app.printing.ticket_printer.
TicketPrinter`. Money is :class:`~decimal.Decimal` throughout and exported as strings ("10.17").

Credit notes (05) count with negative amounts (money given back), and the totals are also given
by document type (``by_doc_type``: 01, 03, 05) with the VAT withheld on 03/05.

Which documents count: totals add up the documents Ocote registered (issued, also those still in
contingency: their ticket was printed and Ocote resends them to MH) and not voided. Voided,
rejected, invalid and queued sales are listed, never added.

What was charged: ``collected`` adds up every sale the customer paid for that is not voided,
rejected or invalid, i.e. the fiscal documents above plus the sales still waiting to be sent to
Ocote (queued, pending). It is what the drawer should hold, and it stays right while Ocote is
unreachable; the waiting sales are listed (``queued``) so the difference can be reconciled.
Each total's ``paid`` is what changed hands: a crédito fiscal with the 1 % withholding is paid its
gross less ``ivaRete1`` (the DTE's total to pay), so the cash is counted against ``paid``, not ``gross``.
"""

from __future__ import annotations

import csv
import json
import logging
import textwrap
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from app.domain.catalogs import PaymentMethod
from app.domain.ccf import DocType
from app.i18n import N_, _, ngettext
from app.journal.records import SaleState

if TYPE_CHECKING:
    from app.printing.ticket_printer import PrintReceipt

log = logging.getLogger(__name__)

# The journal's sale states (plain strings: SaleState is a StrEnum), named as the report uses them.
ISSUED, CONTINGENCY, REJECTED = SaleState.ISSUED, SaleState.CONTINGENCY, SaleState.REJECTED
INVALID, QUEUED, VOIDED = SaleState.INVALID, SaleState.QUEUED, SaleState.VOIDED

#: Report states in display order, with their labels.
STATE_LABELS: dict[str, str] = {
    ISSUED: N_("Issued"),
    CONTINGENCY: N_("In contingency"),
    REJECTED: N_("Rejected by MH"),
    INVALID: N_("Invalid (not issued)"),
    QUEUED: N_("Queued (not synced)"),
    VOIDED: N_("Voided"),
}
#: States whose documents are added to the totals.
COUNTED_STATES = frozenset({ISSUED, CONTINGENCY})
#: States whose sales were charged: the fiscal documents and the sales still waiting to be sent.
COLLECTED_STATES = frozenset({*COUNTED_STATES, QUEUED})
#: States that have an original ticket to print.
TICKET_STATES = frozenset({ISSUED, CONTINGENCY})
#: States that need a supervisor's attention before closing the day.
ACTION_STATES = frozenset({REJECTED, CONTINGENCY, QUEUED})


class ReportPrinter(Protocol):
    """What the report prints on: a ``TicketPrinter`` or the ``PrintQueue`` around one."""

    def print_pdf(self, pdf: bytes) -> PrintReceipt: ...


ZERO = Decimal("0.00")
CSV_COLUMNS = (
    "external_ref",
    "control_number",
    "state",
    "issued_at",
    "payment_method",
    "customer_name",
    "amount_gross",
    "amount_vat",
    "discount",
    "needs_action",
    "unsynced",
    "message",
    "unprinted",
    "doc_type",
    "withheld",
)
#: Characters per line of the printed report (Courier on 72 mm of printable width).
REPORT_COLUMNS = 42
_PAGE_WIDTH_PT = 80 / 25.4 * 72
_MARGIN_PT = 4 / 25.4 * 72
_FONT_SIZE = (_PAGE_WIDTH_PT - 2 * _MARGIN_PT) / (REPORT_COLUMNS * 0.6)
_LEADING = _FONT_SIZE * 1.3


def state_label(state: str) -> str:
    """Translated name of a report state (the state itself when unknown)."""
    return _(STATE_LABELS[state]) if state in STATE_LABELS else state


def money(value: Decimal) -> str:
    """``Decimal`` as exported: two decimals, no grouping (``"1234.50"``; a credit note's zero is
    ``"0.00"``, never ``"-0.00"``)."""
    return str(value.quantize(Decimal("0.01")) + 0)


def _shown(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.01')) + 0:,.2f}"


@dataclass(frozen=True)
class EodDocument:
    """One sale of the day as the report sees it."""

    external_ref: str
    state: str
    control_number: str = ""
    issued_at: datetime | None = None
    #: The register that sold it (branch + register code).
    register: str = ""
    payment_method: str = "01"
    customer_name: str = ""
    amount_gross: Decimal = ZERO
    amount_vat: Decimal = ZERO
    discount: Decimal = ZERO
    message: str = ""
    #: Registered at Ocote while the journal still waits for the outcome (the outbox finishes it).
    unsynced: bool = False
    #: The original ticket never printed successfully (journal print jobs); only meaningful for
    #: documents that have a ticket (see :attr:`unprinted`).
    original_printed: bool = True
    #: 01 Factura, 03 Crédito Fiscal, 05 Nota de Crédito (whose amounts are negative here).
    doc_type: str = "01"
    #: The VAT withheld (``ivaRete1``, from the signed DTE), negative on a credit note.
    withheld: Decimal = ZERO
    #: What changed hands (:attr:`SaleRecord.paid`: a CCF's gross less its withholding), negative
    #: on a credit note; None: the gross.
    paid: Decimal | None = None

    @property
    def amount_paid(self) -> Decimal:
        return self.amount_gross if self.paid is None else self.paid

    @property
    def counted(self) -> bool:
        return self.state in COUNTED_STATES

    @property
    def collected(self) -> bool:
        """Charged: a fiscal document or a sale waiting to be sent (not voided, rejected, invalid)."""
        return self.state in COLLECTED_STATES

    @property
    def queued(self) -> bool:
        """Charged but not sent to Ocote yet (journal state pending or queued)."""
        return self.state == QUEUED

    @property
    def unprinted(self) -> bool:
        """An issued document whose original ticket never printed (a killed process, a stuck
        printer): the customer has no ticket until it is printed. A sale the outbox still has to
        finish (``unsynced``) prints its ticket then, so it is not counted here."""
        return self.state in TICKET_STATES and not self.original_printed and not self.unsynced

    @property
    def needs_action(self) -> bool:
        return self.unsynced or self.state in ACTION_STATES or self.unprinted

    def to_dict(self) -> dict[str, Any]:
        return {
            "external_ref": self.external_ref,
            "register": self.register,
            "state": self.state,
            "control_number": self.control_number,
            "issued_at": self.issued_at.isoformat() if self.issued_at else None,
            "payment_method": self.payment_method,
            "customer_name": self.customer_name,
            "amount_gross": money(self.amount_gross),
            "amount_vat": money(self.amount_vat),
            "discount": money(self.discount),
            "needs_action": self.needs_action,
            "unsynced": self.unsynced,
            "message": self.message,
            "queued": self.queued,
            "unprinted": self.unprinted,
            "doc_type": self.doc_type,
            "withheld": money(self.withheld),
            "paid": money(self.amount_paid),
        }


@dataclass(frozen=True)
class EodEvent:
    """A reprint or a void made during the day."""

    at: datetime
    external_ref: str
    control_number: str = ""
    detail: str = ""  # the printer of a reprint, the reason of a void
    ok: bool = True
    register: str = ""  # the sale's register ("" when unknown)
    remote: bool = False  # a copy printed here of another register's sale (read from the store)
    printed_on: str = ""  # the register of the till that printed this copy ("" = this till)

    def to_dict(self) -> dict[str, Any]:
        return {
            "at": self.at.isoformat(),
            "external_ref": self.external_ref,
            "control_number": self.control_number,
            "detail": self.detail,
            "ok": self.ok,
            "register": self.register,
            "remote": self.remote,
            "printed_on": self.printed_on,
        }


@dataclass(frozen=True)
class Totals:
    count: int = 0
    gross: Decimal = ZERO
    vat: Decimal = ZERO
    discount: Decimal = ZERO
    #: What the customers paid (a CCF with withholding pays less than its gross): the cash counts this.
    paid: Decimal = ZERO

    def add(self, doc: EodDocument) -> Totals:
        return Totals(
            self.count + 1,
            self.gross + doc.amount_gross,
            self.vat + doc.amount_vat,
            self.discount + doc.discount,
            self.paid + doc.amount_paid,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "count": self.count,
            "gross": money(self.gross),
            "vat": money(self.vat),
            "discount": money(self.discount),
            "paid": money(self.paid),
        }


def doc_type_label(code: str) -> str:
    """Translated name of a document type code (the code itself when unknown)."""
    try:
        return DocType(code).label
    except ValueError:
        return code


def payment_label(code: str) -> str:
    """CAT-017 label of a payment method code (the code itself when not in the catalog)."""
    try:
        return PaymentMethod(code).label
    except ValueError:
        return code


@dataclass
class EodReport:
    """The end-of-day figures of one register and business day.

    Attributes:
        requests_made: ``/status`` requests sent while refreshing (the benchmark's count).
        refresh_failures: external refs whose refresh failed (network, rate limit); their state is
            the journal's last known one.
        offline: Ocote could not be reached (no connection, no answer): the refresh stopped at the
            first such failure and the report comes from the journal; ``refresh_failures`` lists
            the documents left unchecked.
    """

    day: date
    register: str
    generated_at: datetime
    documents: list[EodDocument] = field(default_factory=list)
    reprints: list[EodEvent] = field(default_factory=list)
    voids: list[EodEvent] = field(default_factory=list)
    requests_made: int = 0
    refresh_failures: list[str] = field(default_factory=list)
    offline: bool = False
    #: Translated sentences about how the report was made with a store (another register was
    #: refreshing, the store could not be reached, ...).
    notes: list[str] = field(default_factory=list)

    # -- figures -------------------------------------------------------------------------------
    @property
    def totals(self) -> Totals:
        """The fiscal documents (issued or in contingency, not voided)."""
        out = Totals()
        for doc in self.documents:
            if doc.counted:
                out = out.add(doc)
        return out

    @property
    def collected(self) -> Totals:
        """Everything charged: the fiscal documents plus the sales waiting to be sent."""
        out = Totals()
        for doc in self.documents:
            if doc.collected:
                out = out.add(doc)
        return out

    @property
    def queued(self) -> list[EodDocument]:
        """The charged sales not sent to Ocote yet (part of :attr:`collected`, not of :attr:`totals`)."""
        return [doc for doc in self.documents if doc.queued]

    @property
    def by_state(self) -> dict[str, int]:
        counts = Counter(doc.state for doc in self.documents)
        return {state: counts[state] for state in (*STATE_LABELS, *sorted(counts)) if counts.get(state)}

    @property
    def by_payment(self) -> dict[str, Totals]:
        out: dict[str, Totals] = {}
        for doc in self.documents:
            if doc.counted:
                out[doc.payment_method] = out.get(doc.payment_method, Totals()).add(doc)
        return dict(sorted(out.items()))

    @property
    def by_register(self) -> dict[str, dict[str, Any]]:
        """Per register: its totals, what it collected and its sales by state (they add up to
        the report's figures)."""
        groups: dict[str, list[EodDocument]] = {}
        for doc in self.documents:
            groups.setdefault(doc.register, []).append(doc)
        out: dict[str, dict[str, Any]] = {}
        for register in sorted(groups):
            docs = groups[register]
            totals, collected = Totals(), Totals()
            for doc in docs:
                if doc.counted:
                    totals = totals.add(doc)
                if doc.collected:
                    collected = collected.add(doc)
            counts = Counter(doc.state for doc in docs)
            out[register] = {
                "totals": totals,
                "collected": collected,
                "by_state": {state: counts[state] for state in STATE_LABELS if counts.get(state)},
            }
        return out

    @property
    def by_doc_type(self) -> dict[str, Totals]:
        """The fiscal documents by type (01, 03, 05); credit notes add negative amounts."""
        out: dict[str, Totals] = {}
        for doc in self.documents:
            if doc.counted:
                out[doc.doc_type] = out.get(doc.doc_type, Totals()).add(doc)
        return dict(sorted(out.items()))

    def withheld_of(self, doc_type: str) -> Decimal:
        """The VAT withheld on the counted documents of one type."""
        return sum((d.withheld for d in self.documents if d.counted and d.doc_type == doc_type), ZERO)

    @property
    def needing_action(self) -> list[EodDocument]:
        return [doc for doc in self.documents if doc.needs_action]

    # -- exports -------------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """JSON-ready figures; decimals as strings."""
        return {
            "day": self.day.isoformat(),
            "register": self.register,
            "generated_at": self.generated_at.isoformat(),
            "totals": {**self.totals.to_dict(), "collected": self.collected.to_dict()},
            "queued": [
                {
                    "external_ref": doc.external_ref,
                    "amount_gross": money(doc.amount_gross),
                    "payment_method": doc.payment_method,
                }
                for doc in self.queued
            ],
            "by_state": self.by_state,
            "by_payment": {code: {"label": payment_label(code), **t.to_dict()} for code, t in self.by_payment.items()},
            "by_doc_type": {
                code: {"label": doc_type_label(code), **t.to_dict(), "withheld": money(self.withheld_of(code))}
                for code, t in self.by_doc_type.items()
            },
            "needing_action": [doc.external_ref for doc in self.needing_action],
            "documents": [doc.to_dict() for doc in self.documents],
            "reprints": [e.to_dict() for e in self.reprints],
            "voids": [e.to_dict() for e in self.voids],
            "requests_made": self.requests_made,
            "refresh_failures": list(self.refresh_failures),
            "offline": self.offline,
            "by_register": {
                code: {
                    "totals": {**figures["totals"].to_dict(), "collected": figures["collected"].to_dict()},
                    "by_state": figures["by_state"],
                }
                for code, figures in self.by_register.items()
            },
            "notes": list(self.notes),
        }

    def to_json(self, indent: int | None = None) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    def to_csv(self, path: Path | str) -> Path:
        """Write one row per document (header row first, UTF-8, decimals as ``10.17``)."""
        path = Path(path)
        with path.open("w", newline="", encoding="utf-8") as fh:
            writer = csv.DictWriter(fh, fieldnames=CSV_COLUMNS, extrasaction="ignore")
            writer.writeheader()
            for doc in self.documents:
                writer.writerow(doc.to_dict())
        return path

    # -- presentation --------------------------------------------------------------------------
    def render_lines(self, width: int = REPORT_COLUMNS) -> list[str]:
        """The report as fixed-width text lines (what is printed, and what the CLI shows)."""
        return [text for text, _bold in self._layout(width)]

    def _layout(self, width: int) -> list[tuple[str, bool]]:
        """``(text, bold)`` lines: titles and headings are bold on paper."""
        rule = "-" * width
        lines: list[str] = []
        bold: set[int] = {0}

        def pair(left: str, right: str) -> None:
            room = width - len(right) - 1
            lines.append(f"{left[:room]:<{room}} {right}")

        def heading(text: str) -> None:
            lines.append(rule)
            bold.add(len(lines))
            lines.append(text.upper()[:width])

        lines.append(_("END OF DAY").center(width).rstrip())
        pair(_("Day: {day}").format(day=self.day.isoformat()), _("Register: {register}").format(register=self.register))
        lines.append(_("Printed: {when}").format(when=self.generated_at.astimezone().strftime("%Y-%m-%d %H:%M")))
        if self.offline:
            n = len(self.refresh_failures)
            lines.extend(
                textwrap.wrap(
                    ngettext("Offline: {n} document not checked", "Offline: {n} documents not checked", n).format(n=n),
                    width,
                )
            )
        for note in self.notes:
            lines.extend(textwrap.wrap(note, width))
        heading(_("Sales by state"))
        for state, count in self.by_state.items():
            pair(state_label(state), str(count))
        if not self.documents:
            lines.append(_("No sales this day."))
        totals = self.totals
        heading(_("Totals (issued, not voided)"))
        pair(_("Sales"), str(totals.count))
        pair(_("Gross"), _shown(totals.gross))
        pair(_("VAT"), _shown(totals.vat))
        pair(_("Discounts"), _shown(totals.discount))
        collected, queued = self.collected, self.queued
        heading(_("Collected (includes pending to send)"))
        pair(_("Sales"), str(collected.count))
        pair(_("Gross"), _shown(collected.gross))
        if collected.paid != collected.gross:
            pair(_("Paid (less VAT withheld)"), _shown(collected.paid))
        pair(_("Pending to send ({n})").format(n=len(queued)), _shown(sum((doc.amount_gross for doc in queued), ZERO)))
        for doc in queued:
            pair("  " + doc.external_ref, _shown(doc.amount_gross))
        registers = self.by_register
        if len(registers) > 1:
            heading(_("By register"))
            for code, figures in registers.items():
                pair(f"{code} ({figures['totals'].count})", _shown(figures["totals"].gross))
        kinds = self.by_doc_type
        if set(kinds) - {"01"}:  # a day of invoices only reads as it always did
            heading(_("By document type"))
            for code, t in kinds.items():
                pair(f"{doc_type_label(code)} ({t.count})", _shown(t.gross))
                withheld = self.withheld_of(code)
                if withheld:
                    pair("  " + _("VAT withheld"), _shown(withheld))
        heading(_("By payment method"))
        for code, t in self.by_payment.items():
            pair(f"{payment_label(code)} ({t.count})", _shown(t.gross))
            pair("  " + _("VAT"), _shown(t.vat))
            if t.paid != t.gross:
                pair("  " + _("Paid (less VAT withheld)"), _shown(t.paid))
        action = self.needing_action
        heading(_("Needing action ({n})").format(n=len(action)))
        for doc in action:
            pair(doc.external_ref, _shown(doc.amount_gross))
            lines.append(("  " + state_label(doc.state))[:width])
            if doc.unprinted:
                lines.append(("  " + _("Original ticket not printed"))[:width])
            lines.extend(
                textwrap.wrap(
                    doc.message, width, initial_indent="  ", subsequent_indent="  ", max_lines=3, placeholder=" ..."
                )
            )
        heading(_("Voids ({n})").format(n=len(self.voids)))
        for event in self.voids:
            lines.append(f"{event.at.astimezone():%H:%M} {event.control_number or event.external_ref}"[:width])
            if event.detail:
                lines.append(("  " + event.detail)[:width])
        heading(_("Reprints ({n})").format(n=len(self.reprints)))
        for event in self.reprints:
            where = f" ({event.register})" if event.remote or event.printed_on else ""
            where += f" @{event.printed_on}" if event.printed_on else ""
            lines.append(f"{event.at.astimezone():%H:%M} {event.control_number or event.external_ref}{where}"[:width])
        if self.refresh_failures:
            heading(_("Not refreshed ({n})").format(n=len(self.refresh_failures)))
            lines.extend(ref[:width] for ref in self.refresh_failures)
        lines.append(rule)
        return [(text, i in bold) for i, text in enumerate(lines)]

    def render_pdf(self) -> bytes:
        """The report as an 80 mm wide PDF, one page as long as the text (ticket style).

        Built on the MuPDF thread (:func:`app.printing.mupdf.run`), PyMuPDF's only owner.
        """
        from app.printing import mupdf

        return mupdf.run(_report_pdf, self._layout(REPORT_COLUMNS))

    def print_report(self, printer: ReportPrinter) -> PrintReceipt:
        """Print the report on ``printer`` (a ``TicketPrinter``); returns its receipt.

        Raises:
            PrintError: the printer failed; the report can be printed again.
        """
        return printer.print_pdf(self.render_pdf())


def _report_pdf(lines: list[tuple[str, bool]]) -> bytes:
    """The report's lines as a one-page PDF (on the MuPDF thread)."""
    from app.printing.mupdf import fitz as pymupdf

    height = 2 * _MARGIN_PT + _LEADING * (len(lines) + 1)
    doc = pymupdf.open()
    try:
        page = doc.new_page(width=_PAGE_WIDTH_PT, height=height)
        y = _MARGIN_PT + _FONT_SIZE
        for line, bold in lines:
            page.insert_text((_MARGIN_PT, y), line, fontname="cobo" if bold else "cour", fontsize=_FONT_SIZE)
            y += _LEADING
        return doc.tobytes(garbage=3, deflate=True)
    finally:
        doc.close()
