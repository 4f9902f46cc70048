"""``caja catalog import FILE.csv`` and ``caja catalog list [--search TEXT]``: the product catalog.

The catalog lives in the journal (``CAJA_DATA_DIR``). See :mod:`app.services.catalog` for the CSV
format. ``import`` exits 0 when every row was imported, 2 when some rows had errors (the others are
imported), 1 when the file cannot be read.
"""

from __future__ import annotations

import argparse
import json

from app.commands import open_services
from app.i18n import _


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``catalog`` and its subcommands to the ``caja`` parser."""
    p = sub.add_parser(
        "catalog",
        help=_("import and list the product catalog"),
        description=_("The product catalog: import it from CSV, list or search it."),
    )
    actions = p.add_subparsers(dest="catalog_command", metavar="ACTION", required=True)
    imp = actions.add_parser(
        "import",
        help=_("import products from a CSV file"),
        description=_(
            "Import products from a CSV file with the columns code, description, "
            "price (VAT included) and optional barcode, separated by ; or ,. "
            "Existing codes are updated."
        ),
    )
    imp.add_argument("file", metavar="FILE.csv", help=_("the CSV file"))
    imp.add_argument("--json", action="store_true", help=_("print JSON"))
    imp.set_defaults(func=run_import)
    show = actions.add_parser("list", help=_("list or search the products"))
    show.add_argument(
        "--search", metavar="TEXT", default="", help=_("only products whose code or description contains these words")
    )
    show.add_argument("--limit", type=int, default=100, help=_("at most this many products (default 100)"))
    show.add_argument("--json", action="store_true", help=_("print JSON"))
    show.set_defaults(func=run_list)


def run_import(args: argparse.Namespace) -> int:
    with open_services(args) as services:
        report = services.catalog.import_csv(args.file)
        # With a store: sent now, so the other tills get it at their next pull.
        shared = services.shared.sync() if services.shared is not None else None
    if args.json:
        print(
            json.dumps(
                {
                    "inserted": report.inserted,
                    "updated": report.updated,
                    "unchanged": report.unchanged,
                    "errors": [{"line": e.line, "message": e.message} for e in report.errors],
                    "store": shared.to_dict() if shared is not None else None,
                },
                ensure_ascii=False,
            )
        )
    else:
        print(report.summary())
        for error in report.errors:
            print(f"  {error}")
        if shared is not None:
            print(shared.summary())
    return 2 if report.errors else 0


def run_list(args: argparse.Namespace) -> int:
    with open_services(args) as services:
        products = services.catalog.search(args.search, limit=args.limit)
    if args.json:
        print(
            json.dumps(
                [
                    {"code": p.code, "description": p.description, "price": str(p.price), "barcode": p.barcode}
                    for p in products
                ],
                ensure_ascii=False,
            )
        )
        return 0
    for p in products:
        print(f"{p.code:<12} {p.barcode or '':<14} {p.price:>9}  {p.description}")
    if not products:
        print(_("No products found."))
    return 0
