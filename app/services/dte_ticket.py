"""The paper of a Crédito Fiscal (03) or credit note (05): Ocote's thermal ticket is documented
for 01 only (``ocote-ccf.md``), so Caja composes its own 80 mm readable version from the signed
DTE, keeps the DTE in the journal, and prints the PDF through the same queue as any ticket (so
the cached ticket, reprints marked COPIA and print retries work the same for 03 and 05).

The composer itself is the printing package's (``app.printing.dte_ticket.compose_dte_ticket``); a
build without it issues and journals a 03/05 but reports it as not printed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

from app.domain.errors import ApiError, TicketError
from app.i18n import _
from app.journal import Journal, SaleRecord

log = logging.getLogger(__name__)

#: Document types whose paper Caja composes from the DTE.
COMPOSED_TYPES = frozenset({"03", "05"})

#: Reads a document's status with its signed DTE (``GET /status/{key}?include_dte=1``): a
#: ``DocumentStatus``, whose ``dte_schema`` is the DTE.
FetchDte = Callable[[str], Any]


def composes_own_ticket(sale: SaleRecord) -> bool:
    """True when the sale's paper is composed from its DTE (03, 05) rather than downloaded."""
    return sale.doc_type in COMPOSED_TYPES


def sale_dte(journal: Journal, sale: SaleRecord, fetch: FetchDte | None, key: str) -> dict[str, Any]:
    """The sale's signed DTE: the one kept in the journal, else fetched (and kept).

    Raises:
        TicketError: there is none (nothing kept, no way to fetch, or Ocote gave none).
        ApiError: fetching it failed.
    """
    kept = journal.documents.dte(sale.id)
    if kept is not None:
        return kept
    if fetch is None:
        raise TicketError(_("The signed document of {ref} is not in the journal.").format(ref=sale.external_ref))
    status = fetch(key)
    # The status carries the amounts Ocote names (the POST answer does not): keep them too.
    journal.documents.record(sale.id, status, checked=True)
    dte = getattr(status, "dte_schema", None)
    if not isinstance(dte, Mapping) or not dte:
        raise TicketError(_("Ocote did not return the signed document of {ref} yet.").format(ref=sale.external_ref))
    journal.documents.store_dte(sale.id, dict(dte))
    return dict(dte)


def compose_dte_pdf(dte: Mapping[str, Any], profile: object = None, *, training: bool = False) -> bytes:
    """The 80 mm (or 58 mm, after the printer's ``profile``) PDF of a 03/05 from its DTE,
    composed on the MuPDF thread.

    Raises:
        TicketError: the composer is not available in this build, or it failed.
    """
    from app.printing import mupdf
    from app.printing.compose import PAPER_DOTS, PAPER_MM

    try:
        from app.printing.dte_ticket import compose_dte_ticket
    except ImportError:  # a build without the composer: issued and kept, reported as not printed
        raise TicketError(_("The crédito fiscal printout is not available in this version yet.")) from None
    dots = int(getattr(profile, "dots", 0) or PAPER_DOTS)
    paper_mm = PAPER_MM if dots >= PAPER_DOTS * 3 // 4 else 58.0
    pdf: bytes = mupdf.run(compose_dte_ticket, dte, dots=dots, paper_mm=paper_mm, training=training)
    return pdf


def dte_ticket(
    journal: Journal,
    sale: SaleRecord,
    fetch: FetchDte | None,
    key: str,
    profile: object = None,
    *,
    training: bool = False,
) -> bytes:
    """:func:`sale_dte` then :func:`compose_dte_pdf` (``training``: the practice bands).

    Raises:
        TicketError, ApiError: see those.
    """
    return compose_dte_pdf(sale_dte(journal, sale, fetch, key), profile, training=training)


__all__ = ["COMPOSED_TYPES", "ApiError", "compose_dte_pdf", "composes_own_ticket", "dte_ticket", "sale_dte"]
