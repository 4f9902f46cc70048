"""Subcommands of the ``caja`` CLI: one module each, exposing ``register(subparsers)``.

Commands get their journal, client, printer and services from :func:`open_services`, i.e. from
:func:`app.services.container.build_services` in command mode, never by building them.
"""

from __future__ import annotations

import argparse
import functools
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from app.config import PRODUCTION_API_URL, Settings, load_settings
from app.domain.errors import CajaError, ConfigurationError, ValidationError
from app.i18n import _

if TYPE_CHECKING:
    from app.services.container import OcoteApi, Services


def settings_of(args: argparse.Namespace) -> Settings:
    """The settings ``caja`` loaded before running the command (loaded now when called directly)."""
    settings = getattr(args, "settings", None)
    return settings if isinstance(settings, Settings) else load_settings()


def no_api_key(settings: Settings) -> CajaError:
    """Why a command that needs Ocote cannot run: no API key (Caja never sends anything without one)."""
    if settings.api_url.rstrip("/") == PRODUCTION_API_URL:
        return ConfigurationError(
            _(
                "No API key is configured, so nothing can be issued at Ocote. Set OCOTE_API_KEY (or the key "
                "in the settings). To practise, run “caja sandbox” and set OCOTE_API_URL to the address it "
                "prints, with any key of the form odt_ followed by 56 hexadecimal digits."
            )
        )
    return ConfigurationError(
        _(
            "No API key is configured: set OCOTE_API_KEY (the sandbox accepts any "
            "key of the form odt_ followed by 56 hexadecimal digits)."
        )
    )


def open_services(
    args: argparse.Namespace, *, printing: bool = False, require_api: bool = False, api: OcoteApi | None = None
) -> Services:
    """The services for a command: the data folder's journal, Ocote opened when first needed (the
    error of :func:`no_api_key` without a key), and, with ``printing``, the printer ``--printer``
    or the configured one (None when there is none).

    Use it as a context manager: leaving it closes everything.

    Raises:
        ConfigurationError: malformed printer URL or unknown profile (before anything is sent);
            no API key with ``require_api``.
    """
    from app.services.container import build_services

    settings = settings_of(args)
    return build_services(
        settings,
        mode="command",
        printer_url=getattr(args, "printer", None),
        printing=printing,
        require_api=require_api,
        api=api,
        missing_key=lambda: no_api_key(settings),
    )


#: Exit status of a refusal by the till's rules (wrong PIN, missing supervisor, no open session).
EXIT_REFUSED = 2


def refusals_exit_2(run: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """Make a command exit 2 with a one-line reason on stderr when the till's rules refuse it
    (:class:`~app.services.users.Refused`: wrong PIN, locked user, no supervisor, no open session)
    or its input is invalid; other errors keep exiting 1."""

    @functools.wraps(run)
    def wrapper(args: argparse.Namespace) -> int:
        from app.services.users import Refused

        try:
            return run(args)
        except (Refused, ValidationError) as exc:
            print("caja: " + " ".join(exc.message.split()), file=sys.stderr)
            return EXIT_REFUSED

    return wrapper
