"""Keep Ocote API keys out of everything Caja stores, shows or logs: the one implementation.

Ocote keys look like ``odt_`` + 56 lower-case hex digits. They travel in the ``Authorization``
header, but Ocote also accepts (and may return, e.g. in ``ticket_url``) a deprecated
``?key=odt_...`` query parameter, so any URL from the server may carry a secret.

* :func:`redact` masks keys (even truncated ones), ``key=`` values (also URL-encoded), bearer
  tokens and the store database's password (``postgresql://user:PASS@``, ``password=``)
  anywhere in free text; it is idempotent, so several handlers may apply it.
* :func:`strip_key` removes ``key`` query parameters from a URL we keep or show, and masks a key
  anywhere else in it.
* :class:`RedactingFilter` applies :func:`redact` to a log record's message, traceback and stack.

Pure Python with no dependencies, so every layer (logging set-up, the API client, the journal)
uses it without import cost.
"""

from __future__ import annotations

import logging
import re
from urllib.parse import unquote, urlsplit, urlunsplit

REDACTED = "[REDACTED]"
# Any odt_ token, even a truncated or malformed one: a partial key is still a secret.
_KEY_RE = re.compile(r"odt_[0-9A-Za-z]*")
# key=... in URLs and query strings (also URL-encoded and in JSON-ish text), up to a delimiter.
# Already redacted values are skipped: every handler's filter sees the same record again.
_QUERY_KEY_RE = re.compile(r"(?i)(\b(?:api_)?key(?:=|%3D))(?!\[REDACTED\])[^&#\s'\"<>,;)\]}]+")
_BEARER_RE = re.compile(r"(?i)(\bbearer\s+)(?!\[REDACTED\])[^\s'\"]+")
# The store's database password: in a URL's user-info (postgresql://user:PASS@host) and as a
# libpq ``password=`` keyword (conninfo strings, psycopg's messages).
_DB_URL_PASSWORD_RE = re.compile(r"(?i)(\bpostgres(?:ql)?://[^:/@\s]*:)(?!\[REDACTED\]@)[^@\s]*(@)")
_DB_PASSWORD_RE = re.compile(r"(?i)(\bpassword\s*=\s*)(?!\[REDACTED\])('[^']*'|[^\s&'\",;)]+)")


def redact(text: str) -> str:
    """``text`` with API keys, ``key=`` values and bearer tokens replaced by ``[REDACTED]``."""
    text = _QUERY_KEY_RE.sub(lambda m: m.group(1) + REDACTED, text)
    text = _BEARER_RE.sub(lambda m: m.group(1) + REDACTED, text)
    text = _DB_URL_PASSWORD_RE.sub(lambda m: m.group(1) + REDACTED + m.group(2), text)
    text = _DB_PASSWORD_RE.sub(lambda m: m.group(1) + REDACTED, text)
    return _KEY_RE.sub(REDACTED, text)


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
    kept = [p for p in parts.query.split("&") if p and unquote(p.split("=", 1)[0]).strip().lower() != "key"]
    cleaned = urlunsplit(parts._replace(query="&".join(kept)))
    return redact(cleaned)


def strip_password(url: str) -> str:
    """``url`` without the password of its user-info (``postgresql://user:PW@host`` ->
    ``postgresql://user@host``): what a settings file may keep. Other parts stay as they are."""
    url = (url or "").strip()
    try:
        parts = urlsplit(url)
        has_password = parts.password is not None
    except ValueError:
        return redact(url)
    if not has_password:
        return url
    userinfo, host = parts.netloc.rsplit("@", 1)
    return urlunsplit(parts._replace(netloc=f"{userinfo.split(':', 1)[0]}@{host}"))


class RedactingFilter(logging.Filter):
    """Rewrites each record so that no handler can output a secret.

    The message is rendered with its arguments, then redacted (``args`` are cleared so nothing
    re-renders the raw values); the traceback is formatted and redacted into ``exc_text`` and
    ``exc_info`` dropped, so no formatter formats the raw exception again.
    """

    _formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a bad format string must not hide the record
            message = f"{record.msg!r} {record.args!r}"
        record.msg, record.args = redact(message), None
        if record.exc_info:
            if not record.exc_text:
                record.exc_text = self._formatter.formatException(record.exc_info)
            record.exc_info = None
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True
