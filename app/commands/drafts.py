"""``caja drafts``: unfinished sales (journaled, never sent: a crash between F12 and the first
request) wait for a person. Nothing sends them by itself, since the cashier may have rung the sale
up again.

* ``caja drafts list [--json]``: the unfinished sales (ref, time, amount).
* ``caja drafts send REF``: charge one now with its reference (exit status as ``caja sell``).
* ``caja drafts discard REF --yes [--reason TEXT]``: drop one; it is kept in the journal as
  invalid and never sent.
"""

from __future__ import annotations

import argparse
import json
import sys

from app.commands import open_services
from app.i18n import _


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``drafts`` (``list``, ``send``, ``discard``) to the ``caja`` parser."""
    p = sub.add_parser(
        "drafts",
        help=_("unfinished sales left by a crash: list, send or discard them"),
        description=_(
            "Sales journaled but never sent (the program stopped in between). "
            "They are never sent without someone deciding."
        ),
    )
    actions = p.add_subparsers(dest="drafts_action", metavar="ACTION")
    p.set_defaults(func=run_list, json=False)

    q = actions.add_parser("list", help=_("list the unfinished sales"))
    q.add_argument("--json", action="store_true", help=_("print JSON"))
    q.set_defaults(func=run_list)

    q = actions.add_parser("send", help=_("charge an unfinished sale now, with its reference"))
    q.add_argument("ref", metavar="REF", help=_("the sale's reference"))
    q.add_argument("--printer", metavar="URL", help=_("printer connection URL (default: the configured printer)"))
    q.add_argument("--json", action="store_true", help=_("print one line of JSON"))
    q.set_defaults(func=run_send)

    q = actions.add_parser("discard", help=_("drop an unfinished sale; it is never sent"))
    q.add_argument("ref", metavar="REF", help=_("the sale's reference"))
    q.add_argument("--reason", default="", help=_("why (kept in the audit trail)"))
    q.add_argument("--yes", action="store_true", help=_("confirm: the sale will never be sent"))
    q.set_defaults(func=run_discard)


def run_list(args: argparse.Namespace) -> int:
    from app.commands.sales import draft_dict

    with open_services(args) as services:
        drafts = services.drafts.unfinished()
    if getattr(args, "json", False):
        print(json.dumps({"drafts": [draft_dict(d) for d in drafts]}, ensure_ascii=False))
        return 0
    if not drafts:
        print(_("No unfinished sales."))
        return 0
    for sale in drafts:
        print(
            f"{sale.external_ref}  {sale.created_at.astimezone():%Y-%m-%d %H:%M}  ${sale.total_gross}  {sale.cashier}"
        )
    return 0


def run_send(args: argparse.Namespace) -> int:
    from app.commands.sales import EXIT_CODES, print_result, result_dict

    with open_services(args, printing=True, require_api=True) as services:
        sale = services.drafts.find(args.ref)
        result = services.drafts.send(sale.id)
    if args.json:
        print(json.dumps(result_dict(result), ensure_ascii=False))
    else:
        print_result(result)
    return EXIT_CODES[result.outcome.value]


def run_discard(args: argparse.Namespace) -> int:
    if not args.yes:
        print(
            _("caja: discarding sale {ref} cannot be undone (it will never be sent): add --yes").format(ref=args.ref),
            file=sys.stderr,
        )
        return 2
    with open_services(args) as services:
        sale = services.drafts.find(args.ref)
        services.drafts.discard(sale.id, args.reason)
    print(_("Sale {ref} discarded; it will never be sent.").format(ref=sale.external_ref))
    return 0
