"""The ``external_ref`` of a sale: Caja's idempotency key with Ocote.

A sale's ref is made and *persisted* before its first POST, reused by every retry of that sale and
never by another sale (ocote-api.md §5). The format is ``<register>-<YYYYMMDD>-<sequence>``, e.g.
``M001P001-20261121-000042``: readable on a ticket and in Ocote's dashboard, sortable, and unique as
long as the caller's sequence never repeats for a register on a given day. A sequence that restarts
(lost journal, reinstalled register) would reuse refs, and Ocote would answer ``is_duplicate`` with
an *old* document, so callers must keep the sequence with the journal and never reset it.

Refs also travel in URL paths (``/status/{id_or_ref}``), so only ``A-Z a-z 0-9 . _ -`` are allowed.
"""

from __future__ import annotations

import re
from datetime import date

from app.domain.errors import FieldError, ValidationError
from app.i18n import _

#: Ocote's limit for ``external_ref``.
MAX_REF_LENGTH = 100
_REF_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
_REGISTER_RE = re.compile(r"[A-Za-z0-9]+")


def make_external_ref(register: str, day: date, sequence: int) -> str:
    """Build the ref of a register's ``sequence``-th sale, e.g. ``M001P001-20261121-000042``.

    Args:
        register: the register's identity, letters and digits only (typically branch code +
            register code, ``M001P001``).
        day: the sale's date.
        sequence: the caller's persisted counter, >= 1 (zero-padded to 6 digits, wider if needed).

    Raises:
        ValueError: bad register or sequence, or a ref longer than 100 characters.
    """
    if not isinstance(register, str) or not _REGISTER_RE.fullmatch(register):
        raise ValueError(_("The register code may contain only letters and digits"))
    if isinstance(sequence, bool) or not isinstance(sequence, int) or sequence < 1:
        raise ValueError(f"sequence must be a positive int, not {sequence!r}")
    ref = f"{register}-{day:%Y%m%d}-{sequence:06d}"
    if len(ref) > MAX_REF_LENGTH:
        raise ValueError(_("The register code is too long"))
    return ref


def external_ref_problem(ref: object) -> str | None:
    """The translated reason why ``ref`` is not a usable ``external_ref``, or ``None`` if it is."""
    if not isinstance(ref, str) or not ref:
        return _("The sale reference is missing")
    if len(ref) > MAX_REF_LENGTH:
        return _("The sale reference can have at most {max} characters").format(max=MAX_REF_LENGTH)
    if not _REF_RE.fullmatch(ref):
        return _("The sale reference may contain only letters, digits, dots, hyphens and underscores")
    return None


def validate_external_ref(ref: str) -> str:
    """Return ``ref`` unchanged if Ocote and URL paths accept it.

    Raises:
        ValidationError: with one ``FieldError`` on ``external_ref``.
    """
    problem = external_ref_problem(ref)
    if problem:
        raise ValidationError(FieldError("external_ref", problem))
    return ref
