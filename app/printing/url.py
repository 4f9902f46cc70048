"""Printer URL syntax: scheme split and the option parsers shared by the backends.

Nothing here imports a transport: a URL can be checked without opening or even loading anything.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl, unquote

from app.domain.errors import ConfigurationError
from app.i18n import _

KINDS = "tcp://, usb://, serial://, file:, cups://, win32://, dummy:, preview:"


def shown(url: str) -> str:
    """A printer address as quoted in messages: no query string or user-info, which could carry
    a secret (a printer URL is typed by people and sometimes pasted from elsewhere)."""
    head = url.split("?", 1)[0]
    scheme, sep, rest = head.partition("://")
    if sep and "@" in rest.split("/", 1)[0]:
        rest = rest.split("@", 1)[1]
    return f"{scheme}{sep}{rest}" + ("?…" if "?" in url else "")


def bad(url: str, detail: str) -> ConfigurationError:
    return ConfigurationError(_('Invalid printer address "{url}": {detail}').format(url=shown(url), detail=detail))


def options(url: str, query: str, allowed: dict[str, Callable[[str], object]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, value in parse_qsl(query, keep_blank_values=True):
        if name not in allowed:
            raise bad(
                url,
                _('unknown option "{name}" (allowed: {allowed})').format(name=name, allowed=", ".join(allowed) or "-"),
            )
        try:
            out[name] = allowed[name](value)
        except ValueError:
            raise bad(url, _('option "{name}" has an invalid value "{value}"').format(name=name, value=value)) from None
    return out


def int_any_base(value: str) -> int:
    return int(value, 0)


def flag(value: str) -> bool:
    lowered = value.lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ValueError(value)


def choice(*values: str) -> Callable[[str], str]:
    def parse(value: str) -> str:
        if value.upper() not in values:
            raise ValueError(value)
        return value.upper()

    return parse


def stopbits(value: str) -> float:
    number = float(value)
    if number not in (1, 1.5, 2):
        raise ValueError(value)
    return int(number) if number.is_integer() else number


def split(rest: str) -> tuple[str, str]:
    path, _sep, query = rest.partition("?")
    return unquote(path), query


def strip_slashes(rest: str) -> str:
    """``//x`` -> ``x`` (for ``scheme://x`` spelt as ``scheme:`` + rest)."""
    return rest[2:] if rest.startswith("//") else rest
