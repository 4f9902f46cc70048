"""The customer directory (F5): find, save, edit and hide the till's customers.

Customers get into the directory two ways:

* **automatically**: :meth:`CustomerDirectory.remember_from_sale` is called by checkout when a
  sale naming a customer (an :class:`~app.domain.invoice.InvoiceDraft` with a ``customer``) is
  journaled. A customer already saved (same NIT, DUI or NRC, or the same name and e-mail when it
  has no number) is updated with what the sale adds (blank fields erase nothing), counted as used
  and shown again if it was hidden; otherwise it is added.
* **by hand**: :meth:`CustomerDirectory.save` (the F5 dialog, ``caja customers edit``) checks and
  normalizes every field (:func:`~app.domain.customers.normalize_customer`) and refuses a NIT or
  DUI that another saved customer already has.

Searching (:meth:`CustomerDirectory.search`) ignores case and accents and finds identity numbers
with or without hyphens, over name, DUI, NIT, NRC, e-mail and phone; the most used customers come
first. Every method blocks on the journal: call it from a worker (the window's ``reader`` executor
for searches, ``backend`` for writes), never from the GUI thread.
"""

from __future__ import annotations

import logging
import threading
from datetime import datetime

from app.domain.customers import SavedCustomer, normalize_customer
from app.domain.errors import FieldError, ValidationError
from app.domain.invoice import InvoiceDraft
from app.i18n import _
from app.journal import CustomersRepo, Journal

__all__ = ["DEFAULT_LIMIT", "CustomerDirectory"]

log = logging.getLogger(__name__)

#: How many customers a search returns unless told otherwise.
DEFAULT_LIMIT = 20
#: ``till_state`` keys of the one-time import of older sales' customers: the last sale to import
#: (set by the journal migration that created the directory) and the last one imported.
IMPORT_UNTIL = "customers.import_until"
IMPORTED_THROUGH = "customers.imported_through"


class CustomerDirectory:
    """The till's saved customers.

    Args:
        journal: the open :class:`~app.journal.Journal` (its ``customers`` repository).
    """

    def __init__(self, journal: Journal) -> None:
        self.journal = journal
        self._import_lock = threading.Lock()
        self._imported = False

    @property
    def _repo(self) -> CustomersRepo:
        return self.journal.customers

    # ------------------------------------------------------------------------------- reading
    def search(
        self, text: str = "", limit: int = DEFAULT_LIMIT, *, include_hidden: bool = False
    ) -> list[SavedCustomer]:
        """Customers matching every word of ``text`` (name, DUI, NIT, NRC, e-mail, phone; any
        case, any accents, numbers with or without hyphens), most used first. ``""``: the most
        used customers. The first search imports the customers of sales journaled before the
        directory existed (:meth:`import_past_sales`)."""
        self._import_once()
        return self._repo.search(text, limit, include_hidden=include_hidden)

    def _import_once(self) -> None:
        with self._import_lock:
            if self._imported:
                return
            self._imported = True
            try:
                self.import_past_sales()
            except Exception:  # noqa: BLE001 - searching must work without the older customers
                log.exception("the customers of older sales could not be imported")

    def import_past_sales(self, batch: int = 500) -> int:
        """Remember the customers of the sales journaled before the directory existed, once
        (resumable: progress is kept in the journal after each batch). Returns how many sales'
        customers were taken in now."""
        state = self.journal.state
        until = int(state.get(IMPORT_UNTIL) or 0)
        done = int(state.get(IMPORTED_THROUGH) or 0)
        taken = 0
        while done < until:
            rows = self._repo.past_sale_customers(done, until, batch)
            with self.journal.transaction():
                for _sale_id, at, customer in rows:
                    self._remember(SavedCustomer.from_customer(customer), at)
                done = rows[-1][0] if rows else until
                state.put(IMPORTED_THROUGH, done)
            taken += len(rows)
        if taken:
            log.info("customer directory: customers of %d older sales imported", taken)
        return taken

    def get(self, customer_id: int) -> SavedCustomer:
        """The customer with this id.

        Raises:
            JournalError: no such customer.
        """
        return self._repo.get(customer_id)

    def count(self, *, include_hidden: bool = False) -> int:
        """How many customers are saved (hidden ones only with ``include_hidden``)."""
        return self._repo.count(include_hidden=include_hidden)

    def changed_since(self, since: datetime | None, limit: int = 1000) -> list[SavedCustomer]:
        """Customers added or changed at ``since`` or later, oldest change first (for a sync)."""
        return self._repo.changed_since(since, limit)

    # ------------------------------------------------------------------------------- writing
    def save(self, customer: SavedCustomer) -> SavedCustomer:
        """Add ``customer`` (``id`` None) or overwrite the saved one with its id, after checking
        and normalizing every field. A new customer that is already saved (same NIT, DUI or NRC)
        updates that one instead of making a second (its blank fields keep the saved values).

        Raises:
            ValidationError: a field is wrong, or another saved customer has this NIT or DUI
                (paths ``customer.<field>``).
            JournalError: ``customer.id`` is not in the directory, or the journal failed.
        """
        clean = normalize_customer(customer)
        with self.journal.transaction():
            if clean.id is None:
                same = self._repo.find_same(clean)
                if same is not None and same.identity:
                    clean = same.merged_with(clean)  # keeps what the new entry leaves blank
            self._check_unique(clean)
            if clean.id is None:
                saved = self._repo.add(clean)
            else:
                saved = self._repo.update(clean, show=True)
        log.info("customer %s saved", saved.id)
        return saved

    def remember_from_sale(self, draft: InvoiceDraft) -> SavedCustomer | None:
        """Save (or count again) the customer a journaled sale names; None when it names none.

        The sale was validated, so its numbers are already well formed; a saved customer with
        the same NIT, DUI or NRC (or name and e-mail) is updated, never duplicated.
        """
        if draft.customer is None or not (draft.customer.name or "").strip():
            return None
        return self._remember(SavedCustomer.from_customer(draft.customer), None)

    def _remember(self, seen: SavedCustomer, at: datetime | None) -> SavedCustomer:
        with self.journal.transaction():
            same = self._repo.find_same(seen)
            if same is None:
                return self._repo.add(seen, used=True, at=at)
            return self._repo.update(same.merged_with(seen), used=True, show=True, at=at)

    def hide(self, customer_id: int) -> SavedCustomer:
        """Leave a customer out of searches (a later sale naming it shows it again)."""
        return self._repo.set_hidden(customer_id, True)

    def show(self, customer_id: int) -> SavedCustomer:
        """Bring a hidden customer back into searches."""
        return self._repo.set_hidden(customer_id, False)

    def delete(self, customer_id: int) -> None:
        """Remove a customer for good (past sales keep their own copy of it).

        Raises:
            JournalError: no such customer.
        """
        self._repo.delete(customer_id)
        log.info("customer %s deleted", customer_id)

    def _check_unique(self, customer: SavedCustomer) -> None:
        errors: list[FieldError] = []
        for kind, message in (
            ("nit", _("Another saved customer has this NIT: {name}")),
            ("dui", _("Another saved customer has this DUI: {name}")),
        ):
            other = self._repo.with_number(kind, getattr(customer, kind), other_than=customer.id)
            if other is not None:
                errors.append(FieldError(f"customer.{kind}", message.format(name=other.name)))
        if errors:
            raise ValidationError(errors)
