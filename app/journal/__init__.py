"""The local SQLite journal: sales, documents, cached tickets, print jobs, audit, product catalog.

See :mod:`app.journal.store` for the :class:`Journal` and its repositories, :mod:`app.journal.db`
for the threading and durability rules and :mod:`app.journal.schema` for the tables.
"""

from app.domain.text import fold
from app.journal.audit import AuditRepo
from app.journal.customers import CustomersRepo
from app.journal.documents import DocumentAnswer, DocumentsRepo
from app.journal.prints import PrintsRepo
from app.journal.products import ProductsRepo, ProductUpsert
from app.journal.records import (
    EDITABLE_STATES,
    ISSUED_STATES,
    UNRESOLVED_STATES,
    AuditRecord,
    CashMovementRecord,
    CashSessionRecord,
    DocumentRecord,
    PrintJobRecord,
    Product,
    SaleRecord,
    SaleState,
)
from app.journal.reports import SaleQuery
from app.journal.sales import SalesRepo
from app.journal.sessions import SessionClosed, SessionFigures, SessionsRepo
from app.journal.state import StateRepo
from app.journal.store import JOURNAL_FILE, Journal, safe_url
from app.journal.tickets import TicketsRepo
from app.journal.users import UserRecord, UsersRepo

__all__ = [
    "EDITABLE_STATES",
    "ISSUED_STATES",
    "JOURNAL_FILE",
    "UNRESOLVED_STATES",
    "AuditRecord",
    "AuditRepo",
    "CashMovementRecord",
    "CashSessionRecord",
    "CustomersRepo",
    "DocumentAnswer",
    "DocumentRecord",
    "DocumentsRepo",
    "Journal",
    "PrintJobRecord",
    "PrintsRepo",
    "Product",
    "ProductUpsert",
    "ProductsRepo",
    "SaleQuery",
    "SaleRecord",
    "SaleState",
    "SalesRepo",
    "SessionClosed",
    "SessionFigures",
    "SessionsRepo",
    "StateRepo",
    "TicketsRepo",
    "UserRecord",
    "UsersRepo",
    "fold",
    "safe_url",
]
