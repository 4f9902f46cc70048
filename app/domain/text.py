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
