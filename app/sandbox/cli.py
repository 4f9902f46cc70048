"""``caja sandbox``: run the Ocote-compatible sandbox server in the foreground until Ctrl-C.

Lives in the sandbox package (re-exported by ``app.commands.sandbox``) so its strings are in
``sandbox_es.ts`` with the rest of the sandbox, not in the catalog every command team edits.
"""

from __future__ import annotations

import argparse
import logging
import signal
import sys
from pathlib import Path

from app.domain.errors import ConfigurationError
from app.i18n import _
from app.logs import log_to_console

log = logging.getLogger(__name__)

DEFAULT_PORT = 8765


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "sandbox",
        help=_("run the local Ocote-compatible test server"),
        description=_(
            "Serve an Ocote-compatible API for training, demos and tests. "
            "Any key of the form odt_ followed by 56 lowercase hex digits is accepted."
        ),
    )
    parser.add_argument("--host", default="127.0.0.1", help=_("address to listen on (default: %(default)s)"))
    parser.add_argument(
        "--port", type=int, default=DEFAULT_PORT, help=_("TCP port, 0 for any free port (default: %(default)s)")
    )
    parser.add_argument(
        "--contingency-seconds",
        type=float,
        default=30.0,
        help=_("seconds before a contingency document is stamped (default: %(default)s)"),
    )
    parser.add_argument(
        "--state",
        type=Path,
        metavar="FILE",
        help=_("keep the documents in FILE so that they survive a restart (default: in memory only)"),
    )
    parser.set_defaults(func=run)


# Both are handled explicitly. SIGTERM (service managers, Popen.terminate) stops as cleanly as
# Ctrl+C. SIGINT too, because a shell starts a background job (`caja sandbox &`, or a test run
# launched with `&` that spawns it) with SIGINT ignored and Python keeps an inherited SIG_IGN:
# Ctrl+C / kill -INT then did nothing and the server served on (the "flaky under load" CLI test
# failed whenever its pytest was itself a background job).
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def run(args: argparse.Namespace) -> int:
    from app.sandbox.server import SandboxServer

    # In the foreground, show each request (method, path without query, status) on stderr, and
    # a warning if the --state file had to be moved aside.
    log_to_console("app.sandbox", logging.DEBUG if getattr(args, "verbose", False) else logging.INFO)
    try:
        server = SandboxServer(
            args.host, args.port, contingency_seconds=args.contingency_seconds, state_path=getattr(args, "state", None)
        )
    except OSError as exc:
        raise ConfigurationError(
            _("Cannot listen on {host}:{port}: {error}").format(
                host=args.host, port=args.port, error=exc.strerror or exc
            )
        ) from None
    # Handlers first: whoever reads the address below may signal at once.
    previous = {signum: signal.signal(signum, _interrupt) for signum in STOP_SIGNALS}
    try:
        print(_("Ocote sandbox listening at {url}").format(url=server.base_url), flush=True)
        print(_("Press Ctrl+C to stop."), flush=True)
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        server.stop()
    print(_("Sandbox stopped."), file=sys.stderr, flush=True)
    return 0
