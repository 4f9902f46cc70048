"""Ocote's answers as typed, tolerant models.

Parsing is deliberately forgiving, because a POS must not fail a sale over the shape of an
answer: unknown fields are ignored, ``null`` or missing fields take their defaults, numbers sent
as strings are accepted, amounts become :class:`~decimal.Decimal` (never float), and every URL is
stripped of ``key=`` (see :mod:`app.domain.redaction`) before anyone can keep it.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from app.domain.redaction import redact, strip_key

if TYPE_CHECKING:
    import httpx

__all__ = ["DocumentStatus", "InvoiceResult", "RateLimit", "State"]

State = Literal["issued", "contingency", "rejected"]


def _to_decimal(value: Any) -> Decimal | None:
    """An amount as Decimal; None for anything that is not a finite number (or is a bool)."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, float):
        value = repr(value)  # the shortest repr, so 10.17 stays 10.17 and not 10.1699999...
    try:
        number = Decimal(str(value).strip().replace(",", "")) if isinstance(value, str) else Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return None
    return number if number.is_finite() else None


class InvoiceResult(BaseModel):
    """The answer to ``POST /invoice`` (the flags are documented in ocote-api.md §5)."""

    model_config = ConfigDict(extra="ignore", frozen=True, coerce_numbers_to_str=True)

    success: bool = False
    dte_success: bool = False
    contingency: bool = False
    rejected: bool = False
    posted: bool = False
    is_duplicate: bool = False
    document_id: str = ""
    external_ref: str = ""
    control_number: str = ""
    generation_code: str = ""
    reception_stamp: str = ""
    dte_state: str = ""
    dte_message: str = ""
    observaciones: list[str] = Field(default_factory=list)
    codigo_msg: str = ""
    ticket_url: str = ""
    json_url: str = ""
    invoice_url: str = ""

    @model_validator(mode="before")
    @classmethod
    def _drop_nulls(cls, data: Any) -> Any:
        # null means "not set": let the field default apply instead of failing validation.
        if isinstance(data, dict):
            return {k: v for k, v in data.items() if v is not None}
        return data

    @field_validator("success", "dte_success", "contingency", "rejected", "posted", "is_duplicate", mode="before")
    @classmethod
    def _lenient_bool(cls, value: Any) -> Any:
        # Empty strings are "false" here; anything pydantic cannot read as a bool still fails,
        # because guessing a flag would misreport whether an invoice exists.
        return False if value == "" else value

    @field_validator("observaciones", mode="before")
    @classmethod
    def _observations(cls, value: Any) -> list[str]:
        if isinstance(value, (str, int, float, Decimal)):
            value = [value]
        if not isinstance(value, (list, tuple)):
            return []
        out = []
        for item in value:
            if isinstance(item, dict):  # e.g. {"descripcion": "..."}: keep the readable values
                item = " ".join(str(v) for v in item.values() if v not in (None, ""))
            if item not in (None, ""):
                out.append(redact(str(item)))
        return out

    @field_validator("ticket_url", "json_url", "invoice_url", mode="after")
    @classmethod
    def _strip_key(cls, value: str) -> str:
        return strip_key(value)

    @field_validator("dte_message", mode="after")
    @classmethod
    def _redact(cls, value: str) -> str:
        return redact(value)

    @property
    def state(self) -> State:
        """What the sale is now: ``issued``, ``contingency`` or ``rejected``.

        ``contingency`` also covers a registered document MH has not stamped yet. A document that
        is neither registered nor rejected (which Ocote does not document) counts as ``rejected``:
        the sale stays editable and resending with the same reference is safe.
        """
        if self.rejected:
            return "rejected"
        if self.contingency or (self.success and not self.dte_success):
            return "contingency"
        if self.success:
            return "issued"
        return "rejected"


class DocumentStatus(InvoiceResult):
    """The answer to ``GET /status/{id_or_ref}`` (and, when it is a document, ``/invalidate``).

    Fields Ocote adds that Caja does not know yet stay readable in :attr:`extras` (string values
    redacted), e.g. ``invalidated``-like flags of a newer API version.
    """

    model_config = ConfigDict(extra="allow", frozen=True, coerce_numbers_to_str=True, populate_by_name=True)

    doc_type: str = ""
    amount_gross: Decimal | None = None
    amount_taxable: Decimal | None = None
    amount_vat: Decimal | None = None
    invalidated: bool = False
    # ``?include_dte=1`` only: the signed DTE JSON and MH's raw answer.
    dte_schema: Any = Field(default=None, alias="schema")
    dte_response: Any = Field(default=None, alias="response")

    @field_validator("amount_gross", "amount_taxable", "amount_vat", mode="before")
    @classmethod
    def _amount(cls, value: Any) -> Decimal | None:
        return _to_decimal(value)

    @field_validator("invalidated", mode="before")
    @classmethod
    def _lenient_invalidated(cls, value: Any) -> Any:
        return False if value == "" else value

    @model_validator(mode="after")
    def _redact_extras(self) -> DocumentStatus:
        extra = self.__pydantic_extra__
        if extra:
            for key, value in extra.items():
                if isinstance(value, str):
                    extra[key] = strip_key(value) if "://" in value else redact(value)
        return self

    @property
    def extras(self) -> dict[str, Any]:
        """Fields of the answer that this model does not declare."""
        return dict(self.__pydantic_extra__ or {})


def _header_int(headers: httpx.Headers, name: str) -> int | None:
    try:
        value = int(float(headers[name].strip()))
    except (KeyError, ValueError):
        return None
    return value if value >= 0 else None


@dataclass(frozen=True)
class RateLimit:
    """The ``X-RateLimit-*`` headers of the last answer (ocote-api.md §4).

    Attributes:
        limit_minute: requests allowed per minute (120 on Ocote).
        limit_hour: requests allowed per hour (5,000).
        remaining_minute: requests left in the current minute window.
        remaining_hour: requests left in the current hour window.
        reset_seconds: seconds until the minute window resets.
        observed_at: ``time.monotonic()`` when the answer arrived.
    """

    limit_minute: int | None = None
    limit_hour: int | None = None
    remaining_minute: int | None = None
    remaining_hour: int | None = None
    reset_seconds: float | None = None
    observed_at: float = field(default_factory=time.monotonic)

    # When the hour budget is spent we do not know when it resets: poll once a minute.
    HOUR_EXHAUSTED_DELAY = 60.0

    @classmethod
    def from_headers(cls, headers: httpx.Headers, *, now: float | None = None) -> RateLimit | None:
        """Read the headers; None when the answer carried none of them."""
        values = {
            "limit_minute": _header_int(headers, "X-RateLimit-Limit-Minute"),
            "limit_hour": _header_int(headers, "X-RateLimit-Limit-Hour"),
            "remaining_minute": _header_int(headers, "X-RateLimit-Remaining-Minute"),
            "remaining_hour": _header_int(headers, "X-RateLimit-Remaining-Hour"),
        }
        try:
            reset: float | None
            reset = float(headers["X-RateLimit-Reset"].strip())
            if not math.isfinite(reset) or reset < 0:
                reset = None
        except (KeyError, ValueError):
            reset = None
        if reset is None and all(v is None for v in values.values()):
            return None
        return cls(**values, reset_seconds=reset, observed_at=time.monotonic() if now is None else now)

    def suggested_delay(self, now: float | None = None) -> float:
        """Seconds to wait before the next request so that a batch never provokes a 429.

        The requests left in the minute window are spread evenly over the time left until it
        resets; when none are left, wait for the reset (plus one second, because the header is
        rounded to whole seconds). Time already spent since the answer counts.

        Args:
            now: ``time.monotonic()`` now (for tests); defaults to the real clock.

        Returns:
            Seconds, >= 0. 0 when the headers say nothing useful.
        """
        now = time.monotonic() if now is None else now
        elapsed = max(0.0, now - self.observed_at)
        if self.remaining_hour is not None and self.remaining_hour <= 0:
            return max(0.0, self.HOUR_EXHAUSTED_DELAY - elapsed)
        if self.reset_seconds is None or self.remaining_minute is None:
            return 0.0
        if self.remaining_minute <= 0:
            return max(0.0, self.reset_seconds + 1.0 - elapsed)
        return max(0.0, self.reset_seconds / self.remaining_minute - elapsed)
