"""``caja doctor``: check the till's configuration, API key, printer, keyring, journal and folders.

Prints one line per check (OK / WARNING / FAIL) and exits 1 when anything failed; ``--json`` prints
the same as JSON for scripts and support.
"""

from __future__ import annotations

import argparse
import json
import sys

from app import __version__
from app.i18n import _, ngettext


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``caja doctor`` to the command line."""
    parser = subparsers.add_parser(
        "doctor",
        help=_("check configuration, API key, printer and journal"),
        description=_(
            "Check this till: settings, API key, connection to Ocote, printer, keyring, journal and folders."
        ),
    )
    parser.add_argument("--json", action="store_true", help=_("print the results as JSON"))
    parser.add_argument(
        "--timeout",
        type=float,
        default=5.0,
        metavar="SECONDS",
        help=_("how long to wait for the API and the printer (default 5)"),
    )
    parser.add_argument(
        "--document",
        metavar="REF",
        help=_(
            "an issued document (id or external reference): tells whether the key issues test or production documents"
        ),
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Run every check and print the list; 1 when any check failed, else 0."""
    from app.commands import settings_of
    from app.diagnostics import Status, run_checks

    settings = settings_of(args)
    checks = run_checks(settings, timeout=args.timeout, document=args.document)
    failed = any(c.status is Status.FAIL for c in checks)
    if args.json:
        json.dump(
            {"version": __version__, "ok": not failed, "mode": settings.mode, "checks": [c.as_dict() for c in checks]},
            sys.stdout,
            ensure_ascii=False,
            indent=2,
        )
        print()
        return 1 if failed else 0
    labels = {Status.PASS: _("OK"), Status.WARN: _("WARNING"), Status.FAIL: _("FAIL")}
    width = max(len(label) for label in labels.values())
    print(_("Caja {version} doctor").format(version=__version__))
    for check in checks:
        print(f"{labels[check.status]:<{width}}  {check.title}: {check.detail}")
    counts = {status: sum(c.status is status for c in checks) for status in Status}
    ok, warn, fail = counts[Status.PASS], counts[Status.WARN], counts[Status.FAIL]
    print(
        _("{ok} OK, {warnings}, {failures}.").format(
            ok=ok,
            warnings=ngettext("{n} warning", "{n} warnings", warn).format(n=warn),
            failures=ngettext("{n} failure", "{n} failures", fail).format(n=fail),
        )
    )
    return 1 if failed else 0
