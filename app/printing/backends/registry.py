"""Printer backends by URL scheme: one :class:`Backend` per transport, found by :func:`lookup`.

A backend parses its own URLs into a :class:`Target` (no import of its transport, nothing opened)
and builds the :class:`~app.printing.backends.base.Connection` for a job. ``is_usable()`` says
whether the transport's optional dependency can be imported (the ``dummy:`` backend always can).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from app.domain.errors import ConfigurationError
from app.i18n import _
from app.printing import url as urls

if TYPE_CHECKING:
    from app.printing.backends.base import Connection
    from app.printing.profiles import PrinterProfile


@dataclass(frozen=True)
class Target:
    """A parsed printer address: which backend, how it is shown, and its connection options."""

    scheme: str
    description: str
    options: dict[str, Any] = field(default_factory=dict)


class Backend(Protocol):
    """One transport, registered under its URL scheme."""

    scheme: str

    def is_usable(self) -> bool:
        """True when the transport's (optional) dependency is importable on this system."""

    def unusable_error(self) -> ConfigurationError:
        """The translated error telling the user what to install (when not :meth:`is_usable`)."""

    def parse(self, url: str, rest: str) -> Target:
        """Parse ``rest`` (everything after ``scheme:``) of ``url``; raise ConfigurationError."""

    def connect(
        self, target: Target, *, timeout: float, open_timeout: float, profile: PrinterProfile | None
    ) -> Connection:
        """A new, unopened connection to ``target``."""


_BACKENDS: dict[str, Backend] = {}


def register(backend: Backend) -> Backend:
    """Make ``backend`` the one for its scheme (a later registration replaces an earlier one)."""
    _BACKENDS[backend.scheme.lower()] = backend
    return backend


def lookup(scheme: str) -> Backend | None:
    """The backend registered for ``scheme`` (case-insensitive), or None."""
    return _BACKENDS.get(scheme.lower())


def schemes() -> list[str]:
    """Every registered scheme, in registration order."""
    return list(_BACKENDS)


def parse_url(url: str) -> tuple[Backend, Target]:
    """Find the backend of ``url`` and parse it; nothing is imported or opened.

    Raises:
        ConfigurationError: unknown scheme or malformed address.
    """
    text = (url or "").strip()
    scheme, colon, rest = text.partition(":")
    backend = lookup(scheme) if colon and scheme else None
    if backend is None:
        raise ConfigurationError(
            _('Unknown printer address "{url}": use one of {kinds}.').format(url=urls.shown(text), kinds=urls.KINDS)
        )
    return backend, backend.parse(text, rest)


def validate_url(url: str) -> Target:
    """Parse ``url`` and check that its transport is usable here; returns the parsed target.

    Raises:
        ConfigurationError: malformed address or missing optional dependency.
    """
    backend, target = parse_url(url)
    if not backend.is_usable():
        raise backend.unusable_error()
    return target


def missing_dependency(kind: str, package: str, extra: str) -> ConfigurationError:
    """The error for a transport whose optional package is not installed."""
    return ConfigurationError(
        _(
            '{kind} printers need the optional package {package}: install caja[{extra}] (pip install "caja[{extra}]").'
        ).format(kind=kind, package=package, extra=extra)
    )
