"""What the cashier scanned or typed in the sale entry, resolved against the catalog; and the
suggestions shown while typing.

:func:`resolve_scan` is the one entry point of the sale screen's ``Enter``: an exact code or
barcode first (a scanner's code is added at once, whatever else matches), then a catalog search.
Hooks that read special codes (scale labels, ...) belong in it, so the window, tests and any
command resolve a scan the same way.

:class:`SuggestionIndex` answers "products whose name or code has a word starting with these
letters" (accent-insensitive, every word typed must match) from sorted in-memory keys: a few
bisections and a slice, about a millisecond over 20,000 products, so the sale screen may ask it on
the GUI thread (``tests/benchmarks/bench_ui.py`` measures it). Building one takes longer (a sort of
every word of the catalog): build it on a worker (:func:`build_indexes`).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from app.domain.cart import IndexedProduct, ProductIndex, parse_entry
from app.domain.errors import ValidationError
from app.domain.text import fold
from app.i18n import _

#: Letters typed before suggestions show.
MIN_SUGGEST_CHARS = 3
SUGGESTIONS = 12

_WORD = re.compile(r"[^\W_]+")
_LAST = "\U0010ffff"


@dataclass(frozen=True)
class ScanResult:
    """What an entry resolved to.

    Attributes:
        text: the code or words, without the quantity prefix.
        quantity: the quantity typed (``3*code``), or None for one unit.
        product: the one product to add, or None.
        matches: several products matched the words: the cashier chooses.
        error: why nothing can be added (no match, a quantity that is not positive), else "".
    """

    text: str
    quantity: Decimal | None = None
    product: IndexedProduct | None = None
    matches: tuple[IndexedProduct, ...] = ()
    error: str = ""
    quantity_refused: bool = False


def resolve_scan(raw: str, products: ProductIndex) -> ScanResult:
    """Resolve ``raw`` (what was typed before ``Enter``) against ``products``.

    An exact code or barcode wins; else the catalog search: one match is the product, several
    are ``matches``, none is an ``error``. A quantity of zero or below is an ``error``.
    """
    try:
        entry = parse_entry(raw)  # refuses 0* and -2* with the reason (app.domain.cart)
    except ValidationError as exc:
        return ScanResult(raw.strip(), error=exc.message, quantity_refused=True)
    product = products.find(entry.text)
    if product is not None:
        return ScanResult(entry.text, entry.quantity, product)
    matches = products.search(entry.text)
    if len(matches) == 1:
        return ScanResult(entry.text, entry.quantity, matches[0])
    if matches:
        return ScanResult(entry.text, entry.quantity, matches=tuple(matches))
    return ScanResult(
        entry.text,
        entry.quantity,
        error=_("No product matches “{text}”. Use F4 for a free-text line.").format(text=entry.text),
    )


def words_of(text: str) -> list[str]:
    """The folded words of ``text`` (letters and digits; ``Coca-Cola`` is ``coca`` and ``cola``)."""
    return _WORD.findall(fold(text))


@dataclass
class SuggestionIndex:
    """Word-prefix lookup over the catalog (see the module docstring). Products are ranked by
    description; :meth:`suggest` returns the first ``limit`` that match every word typed."""

    products: Sequence[IndexedProduct] = ()
    _keys: list[str] = field(default_factory=list, repr=False)
    _ranks: list[int] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        folded = sorted(((fold(p.description), str(p.code)), p) for p in self.products)
        self.products = [p for _key, p in folded]
        # One string per (word, product): "word\0rank" sorts by word then rank with plain string
        # comparisons (several times faster to sort than tuples).
        entries: list[str] = []
        for rank, ((description, code), p) in enumerate(folded):
            barcode = getattr(p, "barcode", None) or ""
            tag = f"\0{rank:07d}"
            words = {*_WORD.findall(description), fold(code), fold(str(barcode))}
            entries.extend(word + tag for word in words if word)
        entries.sort()
        self._keys = [e[:-8] for e in entries]
        self._ranks = [int(e[-7:]) for e in entries]

    def __len__(self) -> int:
        return len(self.products)

    def _prefixed(self, word: str) -> list[int]:
        lo = bisect.bisect_left(self._keys, word)
        hi = bisect.bisect_left(self._keys, word + _LAST, lo)
        return self._ranks[lo:hi]

    def suggest(self, text: str, limit: int = SUGGESTIONS) -> list[IndexedProduct]:
        """Products with a word (or code) starting with each word of ``text``, best first; none
        below :data:`MIN_SUGGEST_CHARS` letters typed."""
        words = words_of(parse_entry(text).text) if _safe_entry(text) else []
        if not words or sum(len(w) for w in words) < MIN_SUGGEST_CHARS:
            return []
        found: set[int] | None = None
        for word in sorted(words, key=len, reverse=True):  # the longest word narrows most
            ranks = self._prefixed(word)
            found = set(ranks) if found is None else found.intersection(ranks)
            if not found:
                return []
        assert found is not None
        best = sorted(found)[:limit] if len(found) > limit else sorted(found)
        return [self.products[r] for r in best]


def _safe_entry(text: str) -> bool:
    try:
        parse_entry(text)
    except ValidationError:
        return False
    return True


@dataclass(frozen=True)
class CatalogIndexes:
    """The sale screen's two in-memory views of the catalog, built together off the GUI thread."""

    products: ProductIndex
    suggestions: SuggestionIndex


def build_indexes(products: Iterable[IndexedProduct]) -> CatalogIndexes:
    """Both indexes over ``products`` (blocking: a sort of every word; run it on a worker)."""
    items = list(products)
    return CatalogIndexes(ProductIndex(items), SuggestionIndex(items))
