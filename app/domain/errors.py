"""The exception tree. Errors are sorted once, here.

A :class:`CajaError` is *user-facing*: its message is already translated (built with
``app.i18n._``), safe to show to a cashier, and never contains a secret. Anything else that
escapes is a bug: logged with its traceback and shown as "unexpected error" with the log location.

::

    CajaError                        user-facing, translated message
    ├── ValidationError              local input rules (domain); .errors: list[FieldError]
    ├── ConfigurationError           missing/invalid settings, missing optional dependency
    ├── ApiError                     app.api.errors: every answer/failure of the Ocote API
    │   ├── Misconfigured            wrong settings, not an outage: never retried
    │   │   ├── Unauthorized (401)   stop, ask for the key
    │   │   └── WrongAddress         404 route / 3xx: stop, ask for the address
    │   ├── InvalidRequest (400)     .detail / .field_errors; the sale stays editable
    │   ├── NotFound (404)
    │   ├── Conflict (409)
    │   ├── RateLimited (429)        .retry_after
    │   ├── NotSent                  connection refused / DNS / deadline before sending
    │   └── OutcomeUnknown           timeout or reset after sending, 5xx, deadline, an answer
    │       │                        that does not say what happened: settle with the same ref
    │       ├── DeadlineExceeded
    │       ├── ServerError (5xx)
    │       └── MalformedResponse ── IncompleteAnswer
    ├── PrintError                   app.printing: printer offline, cover open, no paper, ...
    ├── TicketError                  a PDF that cannot be read or rendered
    └── JournalError                 the local journal cannot be read or written
"""

from __future__ import annotations

from dataclasses import dataclass


class CajaError(Exception):
    """An error whose message is translated and safe to show to the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class FieldError:
    """One invalid field: ``field`` is a dotted path (``lines.2.quantity``, ``customer.dui``)."""

    field: str
    message: str

    def __str__(self) -> str:
        return self.message


class ValidationError(CajaError):
    """Local validation failed; ``errors`` names every offending field."""

    def __init__(self, errors: list[FieldError] | FieldError) -> None:
        self.errors = [errors] if isinstance(errors, FieldError) else list(errors)
        super().__init__("\n".join(e.message for e in self.errors))

    def for_field(self, field: str) -> list[FieldError]:
        return [e for e in self.errors if e.field == field or e.field.startswith(field + ".")]


class ConfigurationError(CajaError):
    """Settings are missing or invalid, or an optional dependency is not installed."""


class ApiError(CajaError):
    """Base of every Ocote API failure (see ``app.api.errors``)."""


class PrintError(CajaError):
    """The ticket could not be printed; the job can be retried."""


class TicketError(CajaError):
    """A ticket PDF could not be read or rendered."""


class JournalError(CajaError):
    """The local journal could not be read or written."""
