"""``caja quickkeys show|set CODE...|clear``: the products of the window's quick-key grid.

The codes are kept in the ``quick_keys`` setting, in order (the first ten are ``Alt+1`` ...
``Alt+0`` in the window). ``set`` refuses codes the catalog does not have (exit 2) unless
``--force``; nothing is saved then.
"""

from __future__ import annotations

import argparse
import json
import sys

from app.commands import open_services, settings_of
from app.i18n import _, ngettext


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``quickkeys`` and its actions to the ``caja`` parser."""
    p = sub.add_parser(
        "quickkeys",
        help=_("show or set the quick keys (favourite products)"),
        description=_("The products of the window's quick-key grid, in order."),
    )
    actions = p.add_subparsers(dest="quickkeys_command", metavar="ACTION", required=True)
    show = actions.add_parser("show", help=_("list the quick keys"))
    show.add_argument("--json", action="store_true", help=_("print JSON"))
    show.set_defaults(func=run_show)
    put = actions.add_parser("set", help=_("replace the quick keys with these product codes, in order"))
    put.add_argument("codes", nargs="+", metavar="CODE", help=_("a product code"))
    put.add_argument("--force", action="store_true", help=_("keep codes the catalog does not have"))
    put.set_defaults(func=run_set)
    clear = actions.add_parser("clear", help=_("remove every quick key"))
    clear.set_defaults(func=run_clear)


def run_show(args: argparse.Namespace) -> int:
    settings = settings_of(args)
    with open_services(args) as services:
        rows = [(code, services.journal.products.find(code)) for code in settings.quick_keys]
    if args.json:
        print(
            json.dumps(
                [
                    {
                        "key": index + 1,
                        "code": code,
                        "description": product.description if product else None,
                        "price": str(product.price) if product else None,
                    }
                    for index, (code, product) in enumerate(rows)
                ],
                ensure_ascii=False,
            )
        )
        return 0
    if not rows:
        print(_("No quick keys are set."))
    for index, (code, product) in enumerate(rows):
        text = f"{product.description}  ${product.price}" if product else _("not in the catalog")
        print(f"{index + 1:>2}  {code:<14} {text}")
    return 0


def run_set(args: argparse.Namespace) -> int:
    from app.config import save_settings

    codes = list(dict.fromkeys(code.strip() for code in args.codes if code.strip()))
    with open_services(args) as services:
        unknown = [code for code in codes if services.journal.products.find(code) is None]
    if unknown and not args.force:
        print(
            ngettext(
                "caja: this code is not in the catalog: {codes} (nothing saved; --force keeps it)",
                "caja: these codes are not in the catalog: {codes} (nothing saved; --force keeps them)",
                len(unknown),
            ).format(codes=", ".join(unknown)),
            file=sys.stderr,
        )
        return 2
    settings = settings_of(args)
    save_settings(settings.model_copy(update={"quick_keys": codes}))
    print(ngettext("{n} quick key saved.", "{n} quick keys saved.", len(codes)).format(n=len(codes)))
    return 0


def run_clear(args: argparse.Namespace) -> int:
    from app.config import save_settings

    settings = settings_of(args)
    save_settings(settings.model_copy(update={"quick_keys": []}))
    print(_("Quick keys removed."))
    return 0
