"""Cashier commands: ``caja sell``, ``caja status`` and ``caja sync``.

They use the journal in the data folder (``CAJA_DATA_DIR``), Ocote at ``OCOTE_API_URL`` (default:
production) with ``OCOTE_API_KEY``, and the printer ``--printer`` or ``CAJA_PRINTER``. Without an
API key nothing is sent: to practise, run ``caja sandbox`` and point ``OCOTE_API_URL`` at it with
any well-formed ``odt_`` key.

``sell`` sells in the register's open cash session (``caja session open``), whose cashier the sale
records; without one it sells nothing and exits 2, saying how to open one.

Exit status of ``sell`` (and of ``sync`` for what is left): 0 issued or contingency, 2 invalid or
refused (no open cash session), 3 rejected, 4 queued (no answer, or Ocote known unreachable; a
provisional receipt was printed and ``caja sync`` finishes it), 5 issued but not printed; 1 for other
errors (wrong API address or key: the sale is kept and charged again with ``caja drafts``/the window;
journal, configuration), with the reason on stderr.

``caja sync`` never sends an unfinished sale (a draft left by a crash): it lists them (``drafts``
in ``--json``); ``caja drafts send REF`` or ``caja drafts discard REF --yes`` decides.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from decimal import Decimal, InvalidOperation
from typing import Any

from app.commands import ccf, open_services, refusals_exit_2
from app.domain.errors import FieldError
from app.i18n import _

EXIT_CODES = {"issued": 0, "contingency": 0, "invalid": 2, "rejected": 3, "queued": 4, "not_printed": 5}


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``sell``, ``status`` and ``sync`` to the ``caja`` parser."""
    p = sub.add_parser(
        "sell",
        help=_("issue an invoice for a sale and print its ticket"),
        description=_("Issue an invoice (DTE 01) through Ocote and print its ticket."),
    )
    p.add_argument(
        "--line",
        dest="lines",
        action="append",
        required=True,
        metavar="DESC|QTY|PRICE[|DISCOUNT%]",
        help=_(
            "a sale line: description, quantity, unit price with VAT, optional discount "
            "percentage (repeat for more lines)"
        ),
    )
    p.add_argument(
        "--payment",
        default="01",
        metavar="CODE",
        help=_("payment method code (CAT-017): 01 cash, 02 debit card, 03 credit card, ..."),
    )
    p.add_argument(
        "--tendered",
        metavar="AMOUNT",
        help=_("cash handed over (kept locally; printed with the change on a provisional receipt)"),
    )
    p.add_argument("--customer-name", metavar="NAME", help=_("customer name (default: Consumidor Final)"))
    who = p.add_mutually_exclusive_group()
    who.add_argument("--dui", help=_("customer DUI"))
    who.add_argument("--nit", help=_("customer NIT"))
    p.add_argument("--nrc", help=_("customer NRC"))
    p.add_argument("--email", help=_("customer e-mail (Ocote sends the invoice there)"))
    ccf.add_ccf_arguments(p)
    p.add_argument("--printer", metavar="URL", help=_("printer connection URL (default: the configured printer)"))
    p.add_argument("--json", action="store_true", help=_("print one line of JSON"))
    p.set_defaults(func=run_sell)

    p = sub.add_parser(
        "status",
        help=_("show a sale from the journal and its document at Ocote"),
        description=_("Show a sale from the local journal and ask Ocote for its current state."),
    )
    p.add_argument("ref", metavar="REF", help=_("external reference, control number or document id"))
    p.add_argument("--json", action="store_true", help=_("print JSON"))
    p.set_defaults(func=run_status)

    p = sub.add_parser(
        "sync",
        help=_("send the sales waiting for Ocote (the outbox)"),
        description=_(
            "Resolve the sales whose outcome is unknown: ask Ocote, send them again "
            "with the same reference when needed, print their tickets."
        ),
    )
    p.add_argument("--printer", metavar="URL", help=_("printer connection URL (default: the configured printer)"))
    p.add_argument("--json", action="store_true", help=_("print JSON"))
    p.set_defaults(func=run_sync)

    from app.commands import drafts

    drafts.register(sub)
    ccf.register(sub)


# ------------------------------------------------------------------------------------ helpers
def parse_line(text: str, index: int) -> Any:
    """A ``SaleLine`` from ``"DESC|QTY|PRICE[|DISCOUNT%]"``.

    Raises:
        ValidationError: with the offending field (``lines.<index>.quantity``, ...).
    """
    from app.domain.errors import ValidationError
    from app.domain.invoice import SaleLine

    parts = [p.strip() for p in text.split("|")]
    if len(parts) not in (3, 4):
        raise ValidationError(
            FieldError(
                f"lines.{index}",
                _("Line {n}: write it as DESCRIPTION|QUANTITY|PRICE or DESCRIPTION|QUANTITY|PRICE|DISCOUNT%").format(
                    n=index + 1
                ),
            )
        )
    names = ("quantity", "unit_price", "discount_pct")
    values: list[Decimal] = []
    errors = []
    for name, raw in zip(names, parts[1:], strict=False):
        try:
            value = Decimal(raw.rstrip("%").strip().replace(",", "."))
            if not value.is_finite():
                raise InvalidOperation
            values.append(value)
        except InvalidOperation:
            errors.append(
                FieldError(
                    f"lines.{index}.{name}", _("Line {n}: “{value}” is not a number").format(n=index + 1, value=raw)
                )
            )
    if errors:
        raise ValidationError(errors)
    quantity, unit_price, *discount = values
    return SaleLine(parts[0], quantity, unit_price, discount[0] if discount else Decimal(0))


def build_draft(args: argparse.Namespace) -> Any:
    """The ``InvoiceDraft`` described by ``caja sell`` arguments.

    Raises:
        ValidationError: malformed lines or an unknown payment code.
    """
    from app.domain.catalogs import PaymentMethod
    from app.domain.errors import ValidationError
    from app.domain.invoice import DEFAULT_CUSTOMER_NAME, Customer, InvoiceDraft, Payment

    errors: list[FieldError] = []
    lines = []
    for index, text in enumerate(args.lines):
        try:
            lines.append(parse_line(text, index))
        except ValidationError as exc:
            errors += exc.errors
    try:
        method = PaymentMethod(args.payment.strip())
    except ValueError:
        errors.append(FieldError("payment.method", _("Unknown payment method code {code}").format(code=args.payment)))
        method = PaymentMethod.CASH
    tendered: Decimal | None = None
    if getattr(args, "tendered", None):
        try:
            tendered = Decimal(str(args.tendered).strip().replace(",", "."))
            if not tendered.is_finite():
                raise InvalidOperation
        except InvalidOperation:
            errors.append(FieldError("payment.tendered", _("“{value}” is not a number").format(value=args.tendered)))
    if errors:
        raise ValidationError(errors)
    payment = Payment(method=method, tendered=tendered)
    if getattr(args, "doc_type", "01") == "03":
        return ccf.ccf_draft(args, tuple(lines), payment)
    name = (args.customer_name or "").strip()
    if any((args.dui, args.nit, args.nrc, args.email)):
        customer = Customer(name=name, dui=args.dui, nit=args.nit, nrc=args.nrc, email=args.email)
        return InvoiceDraft(lines=tuple(lines), customer=customer, payment=payment)
    return InvoiceDraft(lines=tuple(lines), customer_name=name or DEFAULT_CUSTOMER_NAME, payment=payment)


def result_dict(result: Any) -> dict[str, Any]:
    """The JSON form of a ``CheckoutResult`` (``state`` is issued/contingency for not_printed)."""
    state = result.outcome.value
    if state == "not_printed":
        state = result.state.value if result.state is not None else "issued"
    return {
        "external_ref": result.external_ref,
        "state": state,
        "outcome": result.outcome.value,
        "control_number": result.control_number,
        "printed": result.printed,
        "sale_id": result.sale_id,
        "message": result.message,
        "field_errors": [{"field": e.field, "message": e.message} for e in result.field_errors],
        "observaciones": list(result.observaciones),
        "print_error": result.print_error,
        "receipt": result.receipt.value,
        "doc_type": result.doc_type,
    }


def misconfigured_dict(error: Any) -> dict[str, Any]:
    """The JSON form of a sale kept because the API address or key is wrong (exit 1)."""
    return {
        "external_ref": error.external_ref,
        "state": "invalid",
        "outcome": "misconfigured",
        "control_number": "",
        "printed": False,
        "sale_id": error.sale_id,
        "message": error.message,
        "field_errors": [],
        "observaciones": [],
        "print_error": "",
        "receipt": "none",
        "doc_type": getattr(error, "doc_type", "01"),
    }


def draft_dict(sale: Any) -> dict[str, Any]:
    """An unfinished sale as ``caja sync --json`` and ``caja drafts list --json`` show it."""
    return {
        "external_ref": sale.external_ref,
        "sale_id": sale.id,
        "created_at": sale.created_at.isoformat(),
        "total": str(sale.total_gross),
        "lines": sale.line_count,
        "cashier": sale.cashier,
    }


def print_result(result: Any) -> None:
    print(result.message)
    # A local validation message already lists every field error: print each one once.
    for error in result.field_errors:
        if error.message not in result.message:
            print(f"  - {error.message}")
    for note in result.observaciones:
        print(f"  - {note}")
    if result.external_ref:
        print(_("Reference: {ref}").format(ref=result.external_ref))
    if result.receipt.value == "provisional":
        print(_("A provisional receipt was printed; the invoice follows when Ocote answers (caja sync)."))
    elif result.print_error and result.outcome.value == "queued":
        print(_("The provisional receipt did not print: {error}").format(error=result.print_error))


# ----------------------------------------------------------------------------------- commands
def at_the_till(services: Any) -> None:
    """Make the register's open cash session (if any) and its cashier the journal's operator."""
    session = services.cash.current()
    if session is not None:
        services.journal.operator = session.operator


@refusals_exit_2
def run_sell(args: argparse.Namespace) -> int:
    from app.domain.errors import ValidationError
    from app.services.checkout import CheckoutResult, SaleMisconfigured, SaleOutcome

    try:
        draft = build_draft(args)
    except ValidationError as exc:
        result = CheckoutResult(SaleOutcome.INVALID, None, "", message=exc.message, field_errors=tuple(exc.errors))
    else:
        # The printer and the key are checked before the journal is touched or anything is sent.
        with open_services(args, printing=True, require_api=True) as services:
            progress = None if args.json else (lambda text: print(text, file=sys.stderr))
            at_the_till(services)  # no open session: checkout refuses (NoOpenSession, exit 2)
            try:
                result = services.checkout.checkout(draft, progress=progress)
            except SaleMisconfigured as exc:  # not an outage: the sale is kept, fix the settings
                if args.json:
                    print(json.dumps(misconfigured_dict(exc), ensure_ascii=False))
                print(f"caja: {exc.message}", file=sys.stderr)
                print(
                    _(
                        "Sale {ref} is kept; once the settings are fixed, charge it again with “caja drafts send {ref}”."
                    ).format(ref=exc.external_ref),
                    file=sys.stderr,
                )
                return 1
    if getattr(args, "doc_type", "01") == "03":  # the option names the field to fix
        flagged = ccf.with_flags(result.field_errors)
        message = ValidationError(list(flagged)).message if flagged and result.sale_id is None else result.message
        result = replace(result, doc_type="03", field_errors=flagged, message=message)
    if args.json:
        print(json.dumps(result_dict(result), ensure_ascii=False))
    else:
        print_result(result)
    return EXIT_CODES[result.outcome.value]


def run_status(args: argparse.Namespace) -> int:
    from app.api.errors import NotFound
    from app.journal import SaleState
    from app.services.eod import journal_state

    with open_services(args) as services:
        journal = services.journal
        sale = journal.sales.find(args.ref)
        live: dict[str, Any] | None = None
        live_label = ""
        live_error = ""
        if services.training:
            live_error = _("No API key is configured: Ocote was not asked.")
        else:
            composed = sale is not None and sale.doc_type != "01"
            try:
                status = services.api.get_status(sale.external_ref if sale else args.ref, include_dte=composed)
            except NotFound as exc:
                live_error = exc.message
            else:
                live_label = journal_state(status).label  # "voided" when Ocote says invalidated
                live = {
                    "state": status.state,
                    "invalidated": status.invalidated,
                    "control_number": status.control_number,
                    "dte_state": status.dte_state,
                    "reception_stamp": status.reception_stamp,
                    "contingency": status.contingency,
                    "rejected": status.rejected,
                    "amount_gross": None if status.amount_gross is None else str(status.amount_gross),
                    "observaciones": list(status.observaciones),
                }
                if sale is not None and sale.document is not None:
                    # Keep what Ocote knows now (stamp, amounts). Only a contingency document
                    # moves on here (MH answered since); other states are the business of
                    # the outbox, voids and the end of day.
                    settled = {"issued": SaleState.ISSUED, "rejected": SaleState.REJECTED}.get(status.state)
                    moving = sale.state is SaleState.CONTINGENCY and settled is not None
                    sale = journal.documents.record(
                        sale.id, status, checked=True, state=settled if moving else None, action="status"
                    )
                    if isinstance(status.dte_schema, dict) and status.dte_schema:
                        sale = journal.documents.store_dte(sale.id, status.dte_schema)  # its ivaRete1
    if sale is None and live is None:
        print(_("No sale with reference {ref} in the journal or at Ocote.").format(ref=args.ref), file=sys.stderr)
        return 1
    amount_total = sale.document.amount_total if sale is not None and sale.document is not None else None
    if args.json:
        out: dict[str, Any] = {"journal": None, "ocote": live, "ocote_error": live_error}
        if sale is not None:
            out["journal"] = {
                "sale_id": sale.id,
                "external_ref": sale.external_ref,
                "state": sale.state.value,
                "control_number": sale.control_number,
                "printed": sale.printed,
                "business_day": sale.business_day.isoformat(),
                "total": str(sale.total_gross),
                "last_error": sale.last_error,
                "doc_type": sale.doc_type,
                "withheld": None if sale.withheld is None else f"{sale.withheld:.2f}",
                # A 03/05: the total to pay from the signed DTE (totalPagar / montoTotalOperacion).
                "to_pay": None if amount_total is None else f"{amount_total:.2f}",
            }
        print(json.dumps(out, ensure_ascii=False))
        return 0
    if sale is not None:
        print(
            _("Sale {ref} ({day}): {state}, total ${total}").format(
                ref=sale.external_ref, day=sale.business_day.isoformat(), state=sale.state.label, total=sale.total_gross
            )
        )
        if sale.control_number:
            print(_("Control number: {control}").format(control=sale.control_number))
        if sale.withheld:
            print(_("VAT withheld (1 %): ${amount}").format(amount=f"{sale.withheld:.2f}"))
        if amount_total is not None and sale.doc_type != "01":
            print(_("Total to pay (signed document): ${amount}").format(amount=f"{amount_total:.2f}"))
        print(_("Ticket printed: {answer}").format(answer=_("yes") if sale.printed else _("no")))
        if sale.last_error:
            print(sale.last_error)
    else:
        print(_("Not in this register's journal."))
    if live is not None:
        print(
            _("At Ocote: {state}, DTE state “{dte}”, stamp {stamp}").format(
                state=live_label, dte=live["dte_state"], stamp=live["reception_stamp"] or "-"
            )
        )
        # A rejected sale's last error already quotes MH's observaciones: show them once.
        shown = sale.last_error if sale is not None else ""
        for note in live["observaciones"]:
            if note not in shown:
                print(f"  - {note}")
    else:
        print(live_error)
    return 0


def _sync_store(services: Any) -> dict[str, Any] | None:
    """Replicate to the store too (None for a standalone till); a store outage is reported, not raised."""
    from app.domain.errors import CajaError
    from app.store.db import StoreError

    if services.store is None:
        return None
    try:
        written, error = services.store.sync_now(), ""
    except (StoreError, CajaError) as exc:  # down, refused, or the register taken meanwhile
        written, error = 0, str(exc)
    return {"written": written, "backlog": services.store.backlog(), "error": error}


def run_sync(args: argparse.Namespace) -> int:
    with open_services(args, printing=True, require_api=True) as services:
        at_the_till(services)
        outbox = services.outbox
        progress = None if args.json else (lambda text: print(text, file=sys.stderr))
        # Queued sales, then originals of issued sales that never printed (a killed process, a
        # stuck printer): once each.
        results = outbox.resolve_pending(progress)
        pending = outbox.pending_count()
        drafts = services.drafts.unfinished()  # listed, never sent: a person decides
        link = services.connectivity.status()
        store = _sync_store(services)
        # The catalog and users too, pushed and pulled (None without a store).
        shared = services.shared.sync() if services.shared is not None else None
    if args.json:
        print(
            json.dumps(
                {
                    "results": [result_dict(r) for r in results],
                    "pending": pending,
                    "drafts": [draft_dict(d) for d in drafts],
                    "link": link.to_json(),
                    "blocked": outbox.blocked,
                    "store": store,
                    "shared": shared.to_dict() if shared is not None else None,
                },
                ensure_ascii=False,
            )
        )
    else:
        for result in results:
            print(f"{result.external_ref}: {result.message}")
        if outbox.blocked:
            print(outbox.blocked)
        print(_("Sales still waiting for Ocote: {n}").format(n=pending))
        if store is not None:
            if store["error"]:
                print(_("The store cannot be reached: {error}").format(error=store["error"]))
            print(_("Store: {n} records sent, {left} waiting.").format(n=store["written"], left=store["backlog"]))
        if shared is not None:
            print(shared.summary())
        if drafts:
            print(
                _(
                    "Unfinished sales (never sent; decide with “caja drafts send REF” or "
                    "“caja drafts discard REF --yes”):"
                )
            )
            for sale in drafts:
                print(f"  {sale.external_ref}  {sale.created_at.astimezone():%Y-%m-%d %H:%M}  ${sale.total_gross}")
    if pending:
        return EXIT_CODES["queued"]
    return max((EXIT_CODES[r.outcome.value] for r in results), default=0)
