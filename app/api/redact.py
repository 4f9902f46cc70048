"""Keep Ocote API keys out of everything Caja stores, shows or logs.

Ocote keys look like ``odt_`` + 56 lower-case hex digits. They travel in the ``Authorization``
header, but Ocote also accepts (and sometimes returns, e.g. in ``ticket_url``) a deprecated
``?key=odt_...`` query parameter, so any URL from the server may carry a secret.

* :func:`strip_key` removes ``key`` query parameters from a URL (for URLs we keep or show).
* :func:`redact` masks keys, ``key=`` values and bearer tokens anywhere in free text (for log
  lines and messages that may quote a server answer).
* :class:`RedactingFilter` applies :func:`redact` to log records (installed on the ``httpx``
  logger by :mod:`app.api.client`, whose INFO line quotes every request URL).
"""

from __future__ import annotations

import logging
import re
from urllib.parse import unquote, urlsplit, urlunsplit

MASK = "***"

_KEY_RE = re.compile(r"odt_[0-9a-fA-F]{56}")
# "key=value" (also api_key=, apikey=, access_key=, ...), in URLs or free text, but not a word that
# merely ends in "key" (monkey=); the value stops at URL and text separators.
_KEY_PARAM_RE = re.compile(r"(?i)((?<![a-z0-9])(?:api[_-]?)?key=)[^&\s#\"'<>;,]+")
_BEARER_RE = re.compile(r"(?i)(bearer\s+)[^\s\"',;]+")


def redact(text: str) -> str:
    """Return ``text`` with API keys, ``key=`` values and bearer tokens masked.

    Args:
        text: any text (a log message, a server answer, a URL).

    Returns:
        The same text with every secret replaced by ``***``.
    """
    text = _KEY_RE.sub(MASK, text)
    text = _KEY_PARAM_RE.sub(r"\1" + MASK, text)
    return _BEARER_RE.sub(r"\1" + MASK, text)


def strip_key(url: str) -> str:
    """Remove every ``key`` query parameter from ``url``; other parameters stay byte-identical.

    Also masks a key that would appear anywhere else in the URL (path, fragment), so the result
    is always safe to store, log or show.

    Args:
        url: an absolute or relative URL; "" stays "".

    Returns:
        The URL without ``key=`` parameters.
    """
    if not url:
        return url
    try:
        parts = urlsplit(url)
    except ValueError:  # e.g. a broken IPv6 host: still mask what can be masked
        return redact(url)
    kept = [p for p in parts.query.split("&")
            if p and unquote(p.split("=", 1)[0]).strip().lower() != "key"]
    cleaned = urlunsplit(parts._replace(query="&".join(kept)))
    return redact(cleaned)


class RedactingFilter(logging.Filter):
    """A logging filter that rewrites a record's message with :func:`redact` (never drops it)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        safe = redact(message)
        if safe != message:
            record.msg, record.args = safe, None
        return True
