"""``caja customers list|show|edit|hide|delete``: the customer directory (F5 in the window).

Customers of charged sales are saved by themselves; these commands find, correct and remove them.
``edit`` changes only the fields given; an invalid field exits 2 with every problem and saves
nothing.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict, replace

from app.commands import open_services
from app.domain.customers import SavedCustomer
from app.domain.errors import ValidationError
from app.i18n import _

_EDITABLE = (
    "name",
    "dui",
    "nit",
    "nrc",
    "email",
    "phone",
    "address",
    "activity_code",
    "activity_name",
    "department",
    "municipality",
)


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``customers`` and its actions to the ``caja`` parser."""
    p = sub.add_parser(
        "customers",
        help=_("search and edit the customer directory"),
        description=_("The customer directory: customers of past sales, saved automatically."),
    )
    actions = p.add_subparsers(dest="customers_command", metavar="ACTION", required=True)
    show_list = actions.add_parser("list", help=_("list or search the saved customers"))
    show_list.add_argument("--search", metavar="TEXT", default="", help=_("name, DUI, NIT, NRC or e-mail"))
    show_list.add_argument("--limit", type=int, default=50, help=_("at most this many customers (default 50)"))
    show_list.add_argument("--hidden", action="store_true", help=_("include hidden customers"))
    show_list.add_argument("--json", action="store_true", help=_("print JSON"))
    show_list.set_defaults(func=run_list)
    show = actions.add_parser("show", help=_("show one customer"))
    show.add_argument("id", type=int, help=_("the customer's number (from list)"))
    show.add_argument("--json", action="store_true", help=_("print JSON"))
    show.set_defaults(func=run_show)
    edit = actions.add_parser("edit", help=_("add a customer (no ID) or change the fields given"))
    edit.add_argument("id", type=int, nargs="?", help=_("the customer's number; none: a new customer"))
    for name in _EDITABLE:
        edit.add_argument(f"--{name.replace('_', '-')}", dest=name, metavar="TEXT")
    edit.add_argument("--contributor-type", dest="contributor_type", type=int, choices=(1, 2, 3, 4))
    edit.add_argument("--json", action="store_true", help=_("print JSON"))
    edit.set_defaults(func=run_edit)
    for action, text in (("hide", _("hide a customer from searches")), ("delete", _("delete a customer"))):
        a = actions.add_parser(action, help=text)
        a.add_argument("id", type=int, help=_("the customer's number (from list)"))
        a.set_defaults(func=run_hide if action == "hide" else run_delete)


def _json(customer: SavedCustomer) -> dict[str, object]:
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in asdict(customer).items()}


def _line(customer: SavedCustomer) -> str:
    numbers = "  ".join(
        f"{label} {value}"
        for label, value in (("DUI", customer.dui), ("NIT", customer.nit), ("NRC", customer.nrc))
        if value
    )
    hidden = _(" (hidden)") if customer.hidden else ""
    return f"{customer.id:>5}  {customer.name}{hidden}  {numbers}  {customer.email}".rstrip()


def run_list(args: argparse.Namespace) -> int:
    with open_services(args) as services:
        found = services.customers.search(args.search, args.limit, include_hidden=args.hidden)
    if args.json:
        print(json.dumps([_json(c) for c in found], ensure_ascii=False))
    else:
        for customer in found:
            print(_line(customer))
        if not found:
            print(_("No saved customer matches."))
    return 0


def run_show(args: argparse.Namespace) -> int:
    with open_services(args) as services:
        customer = services.customers.get(args.id)
    if args.json:
        print(json.dumps(_json(customer), ensure_ascii=False))
    else:
        for key, value in _json(customer).items():
            if value not in ("", None):
                print(f"{key}: {value}")
    return 0


def run_edit(args: argparse.Namespace) -> int:
    changes = {
        name: getattr(args, name) for name in (*_EDITABLE, "contributor_type") if getattr(args, name) is not None
    }
    with open_services(args) as services:
        current = services.customers.get(args.id) if args.id is not None else SavedCustomer(None, "")
        try:
            saved = services.customers.save(replace(current, **changes))
        except ValidationError as exc:
            for error in exc.errors:
                print(f"caja: {error.message}", file=sys.stderr)
            return 2
    print(json.dumps(_json(saved), ensure_ascii=False) if args.json else _line(saved))
    return 0


def run_hide(args: argparse.Namespace) -> int:
    with open_services(args) as services:
        print(_line(services.customers.hide(args.id)))
    return 0


def run_delete(args: argparse.Namespace) -> int:
    with open_services(args) as services:
        services.customers.delete(args.id)
    print(_("Customer {id} deleted.").format(id=args.id))
    return 0
