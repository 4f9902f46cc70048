"""``caja`` / ``caja gui``: open the cashier window."""

from __future__ import annotations

import argparse

from app.i18n import _


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("gui", help=_("open the cashier window (the default)"))
    parser.add_argument("--printer", help=_("printer URL for this session (overrides the settings)"))
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from app.bootstrap import run as run_window
    from app.commands import settings_of

    return run_window(printer_url=getattr(args, "printer", None), settings=settings_of(args))
