"""Text normalisation shared by every search: the catalog, the journal, the sandbox's catalogs."""

from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """``text`` lower-cased, without accents and with single spaces (``cafe`` finds ``Café``).

    The journal stores search keys made with this function, so changing it needs a migration.
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.split())


# Characters that must never reach the journal, a ticket or Ocote from a free-text field:
# C0 and C1 controls (a scanner's Tab/CR, pasted escape sequences), bidi embedding, override,
# isolate and mark characters (they can make a printed or displayed description read
# differently from what is stored: "Trojan Source"), and lone surrogates (not encodable in
# UTF-8: they would break the JSON body and the journal).
_BIDI = (0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A))
_CONTROLS = (*range(0x00, 0x20), *range(0x7F, 0xA0))
# Controls that separate words become a space, so "Pan\tdulce" does not become "Pandulce".
_SEPARATORS = "\t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85"
_TABLE: dict[int, str | None] = {
    **{c: None for c in (*_CONTROLS, *_BIDI)},
    **{ord(c): " " for c in _SEPARATORS},
}
_MULTILINE_TABLE: dict[int, str | None] = {**_TABLE, ord("\n"): "\n"}


def clean_text(text: str, *, multiline: bool = False) -> str:
    """``text`` without control, bidi-control and surrogate characters (see ``_BIDI``).

    The one function every free-text field goes through at the domain boundary (line
    descriptions and codes, customer name, address, e-mail, phone, identity numbers):
    :class:`~app.domain.invoice.SaleLine`, :class:`~app.domain.invoice.Customer` and
    :class:`~app.domain.invoice.InvoiceDraft` apply it when they are built, so nothing else
    reaches the journal, a ticket or Ocote. Word-separating controls (tab, CR, LF, ...) become
    a space; with ``multiline`` a line feed is kept (``\\r\\n`` becomes ``\\n``). Nothing else
    changes: the result of clean text is the text itself, and cleaning twice changes nothing.
    """
    if multiline:
        text = text.replace("\r\n", "\n")
    cleaned = text.translate(_MULTILINE_TABLE if multiline else _TABLE)
    if any("\ud800" <= c <= "\udfff" for c in cleaned):
        cleaned = "".join(c for c in cleaned if not "\ud800" <= c <= "\udfff")
    return cleaned


def has_unsafe_characters(text: str) -> bool:
    """Whether :func:`clean_text` would change ``text`` (single-line)."""
    return clean_text(text) != text
