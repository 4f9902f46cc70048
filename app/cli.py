"""The ``caja`` command line. With no subcommand it opens the cashier window.

Each subcommand lives in its own module under ``app.commands`` exposing
``register(subparsers)``; the module's ``run(args) -> int`` is set as the parser's ``func``.
Heavy imports (Qt, PyMuPDF, httpx) happen inside ``run`` so that ``caja --version`` stays fast.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys

from app import __version__
from app.domain.errors import CajaError
from app.i18n import N_, _, ngettext, set_language

log = logging.getLogger(__name__)

# Modules under app/commands, in help order. A module that does not exist yet is skipped.
COMMAND_MODULES = [
    "gui",
    "sandbox",
    "printing",
    "sales",
    "supervisor",
    "cash",
    "catalog",
    "customers",
    "quickkeys",
    "store",
    "doctor",
]


# argparse's own words, which it looks up through gettext's "argparse" domain: listed here so they
# are extracted into our catalog, and routed through app.i18n by _translate_argparse().
ARGPARSE_MESSAGES = (
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("%(prog)s: error: %(message)s\n"),
    N_("the following arguments are required: %s"),
    N_("unrecognized arguments: %s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("invalid %(type)s value: %(value)r"),
    N_("expected one argument"),
    N_("expected at least one argument"),
    N_("expected at most one argument"),
    N_("not allowed with argument %s"),
    N_("one of the arguments %s is required"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("can't open '%(filename)s': %(error)s"),
)


def _translate_argparse() -> None:
    """Make argparse's usage lines and errors speak the user's language too."""
    argparse._ = _  # type: ignore[attr-defined]  # argparse reads this module global at call time
    argparse.ngettext = ngettext  # type: ignore[attr-defined]


def build_parser() -> argparse.ArgumentParser:
    _translate_argparse()
    parser = argparse.ArgumentParser(prog="caja", description=_("Caja point of sale"))
    parser.add_argument(
        "--version", action="version", version=f"caja {__version__}", help=_("show the version and exit")
    )
    parser.add_argument("-v", "--verbose", action="store_true", help=_("log debug messages to stderr"))
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(f"app.commands.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"app.commands.{name}":
                continue
            raise
        module.register(sub)
        parser._caja_commands = (*getattr(parser, "_caja_commands", ()), name)  # type: ignore[attr-defined]
    return parser


def main(argv: list[str] | None = None) -> int:
    from app.logs import EX_SOFTWARE, install_excepthook, report_unexpected, setup_logging

    setup_logging()
    install_excepthook()
    try:
        return _run(argv)
    except CajaError as exc:
        print(f"caja: {exc.message}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # noqa: BLE001 - a bug: logged with its traceback, one line shown
        print(f"caja: {report_unexpected(exc)}", file=sys.stderr)
        return EX_SOFTWARE


def _run(argv: list[str] | None) -> int:
    from app.config import load_settings
    from app.logs import setup_logging

    settings = load_settings()
    set_language(settings.language)
    for problem in settings.problems:  # e.g. a damaged settings file that was set aside
        print(f"caja: {problem}", file=sys.stderr)
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.verbose:
        setup_logging(verbose=True)
    # Commands may reuse what was loaded (``caja doctor`` reports the problems found on loading).
    args.settings = settings
    func = getattr(args, "func", None)
    if func is None:
        if "gui" not in getattr(parser, "_caja_commands", ()):
            parser.print_help()
            return 0
        args = parser.parse_args([*(sys.argv[1:] if argv is None else argv), "gui"])
        args.settings = settings
        func = args.func
    return int(func(args) or 0)
