"""Crédito Fiscal on the command line: the CCF options of ``caja sell`` and ``caja credit-note``.

::

    caja sell --doc-type 03 --customer-name NAME --nit N --nrc N --contributor-type 1..4 \\
              --activity CODE --department DD --municipality MM --address TEXT --email E \\
              --line ... [--json]
    caja credit-note REF [--line "DESC|QTY|PRICE"]... [--full] [--json]

A CCF missing a required field exits 2 and names the field (and its option). ``--json`` outputs
carry ``doc_type``. Exit statuses are those of ``caja sell``. A credit note is journaled first
with its own reference and sent with ``POST /credit-memo``; a partial one lists the lines
returned (prices VAT included), ``--full`` credits the whole CCF (and invalidates it at Ocote).

A 03/05 prints the till's own 80 mm version of its signed DTE (Ocote's thermal ticket is 01-only).
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from typing import Any

from app.commands import open_services, refusals_exit_2
from app.domain.ccf import CCF_REQUIRED_FIELDS
from app.domain.errors import FieldError
from app.i18n import _

#: The option of each customer field, for messages (``customer.nrc`` -> ``--nrc``).
FLAGS = {f"customer.{attr}": flag for attr, flag in CCF_REQUIRED_FIELDS}


def add_ccf_arguments(p: argparse.ArgumentParser) -> None:
    """The options of a Crédito Fiscal on ``caja sell`` (``--customer-name``, ``--nit``,
    ``--nrc`` and ``--email`` are the sale's own)."""
    p.add_argument(
        "--doc-type",
        choices=("01", "03"),
        default="01",
        help=_("document type: 01 invoice (consumidor final, default) or 03 crédito fiscal"),
    )
    p.add_argument(
        "--contributor-type",
        metavar="1..4",
        help=_("crédito fiscal: type of contributor (1 small, 2 medium, 3 large, 4 government)"),
    )
    p.add_argument("--activity", metavar="CODE", help=_("crédito fiscal: economic activity code (CAT-019)"))
    p.add_argument("--department", metavar="DD", help=_("crédito fiscal: department code (CAT-012)"))
    p.add_argument("--municipality", metavar="MM", help=_("crédito fiscal: municipality code (CAT-013)"))
    p.add_argument("--address", metavar="TEXT", help=_("customer address"))


def ccf_draft(args: argparse.Namespace, lines: tuple[Any, ...], payment: Any) -> Any:
    """The CCF ``InvoiceDraft`` of ``caja sell --doc-type 03`` (validated by checkout)."""
    from app.domain.ccf import DocType
    from app.domain.invoice import Customer, InvoiceDraft

    kind = (args.contributor_type or "").strip()
    customer = Customer(
        name=(args.customer_name or "").strip(),
        nit=args.nit,
        nrc=args.nrc,
        dui=args.dui,
        email=args.email,
        address=args.address,
        type_contributor=int(kind) if kind.isdigit() else (None if not kind else -1),
        activity_code=args.activity,
        department=args.department,
        municipality=args.municipality,
    )
    return InvoiceDraft(lines=lines, customer=customer, payment=payment, doc_type=DocType.CCF)


def with_flags(errors: tuple[FieldError, ...]) -> tuple[FieldError, ...]:
    """Field errors whose message also names the command-line option to fix."""
    return tuple(FieldError(e.field, f"{e.message} ({FLAGS[e.field]})") if e.field in FLAGS else e for e in errors)


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``credit-note`` to the ``caja`` parser."""
    p = sub.add_parser(
        "credit-note",
        help=_("issue a credit note against a crédito fiscal"),
        description=_(
            "Issue a credit note (DTE 05) against a crédito fiscal: the lines returned, or the whole document."
        ),
    )
    p.add_argument("ref", metavar="REF", help=_("the crédito fiscal: reference, control number or document id"))
    p.add_argument(
        "--line",
        dest="lines",
        action="append",
        default=[],
        metavar="DESC|QTY|PRICE",
        help=_("a line returned: description, quantity, unit price with VAT (repeat for more lines)"),
    )
    p.add_argument("--full", action="store_true", help=_("credit the whole document (it is invalidated)"))
    p.add_argument("--printer", metavar="URL", help=_("printer connection URL (default: the configured printer)"))
    p.add_argument("--json", action="store_true", help=_("print one line of JSON"))
    p.set_defaults(func=run_credit_note)


@refusals_exit_2
def run_credit_note(args: argparse.Namespace) -> int:
    from app.commands.sales import EXIT_CODES, at_the_till, parse_line, print_result, result_dict
    from app.domain.credit_note import CreditNoteRequest
    from app.domain.errors import ValidationError
    from app.services.credit_notes import NotCreditable

    if bool(args.lines) == bool(args.full):
        raise ValidationError(
            FieldError("lines", _("Give the lines returned (--line) or --full for the whole document, not both."))
        )
    errors: list[FieldError] = []
    lines = []
    for index, text in enumerate(args.lines):
        try:
            lines.append(parse_line(text, index))
        except ValidationError as exc:
            errors += exc.errors
    if errors:
        raise ValidationError(errors)
    with open_services(args, printing=True, require_api=True) as services:
        at_the_till(services)
        progress = None if args.json else (lambda text: print(text, file=sys.stderr))
        try:
            result = services.credit_notes.issue(
                CreditNoteRequest(args.ref, lines=tuple(lines), full=args.full), progress=progress
            )
        except NotCreditable as exc:
            print("caja: " + exc.message, file=sys.stderr)
            return 2
    result = replace(result, doc_type="05")
    if args.json:
        print(json.dumps({**result_dict(result), "adjusts": args.ref}, ensure_ascii=False))
    else:
        print_result(result)
    return EXIT_CODES[result.outcome.value]
