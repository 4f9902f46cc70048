"""The local SQLite journal: sales, documents, cached tickets, print jobs, audit, product catalog.

See :mod:`app.journal.store` for the threading and durability rules and :mod:`app.journal.schema`
for the tables.
"""

from app.journal.records import (
    EDITABLE_STATES,
    ISSUED_STATES,
    UNRESOLVED_STATES,
    AuditRecord,
    DocumentRecord,
    PrintJobRecord,
    Product,
    SaleRecord,
    SaleState,
)
from app.journal.store import JOURNAL_FILE, Journal, ProductUpsert, fold, safe_url

__all__ = [
    "EDITABLE_STATES",
    "ISSUED_STATES",
    "JOURNAL_FILE",
    "UNRESOLVED_STATES",
    "AuditRecord",
    "DocumentRecord",
    "Journal",
    "PrintJobRecord",
    "Product",
    "ProductUpsert",
    "SaleRecord",
    "SaleState",
    "fold",
    "safe_url",
]
