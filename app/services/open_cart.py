"""The sale being rung up, kept in the journal so a quit, a crash or a power cut does not lose it.

The window saves the cart (lines and customer) a moment after each change, on a worker thread, in
the till's shared state (``till_state`` key :data:`STATE_KEY`); an empty cart removes the key. At
the next start the cart comes back on the sale screen. A sale being corrected (a rejected sale
reopened from History) is not kept here: it is in the journal already, under its own reference.
"""

from __future__ import annotations

import logging
from typing import Protocol

from app.domain.errors import ValidationError
from app.domain.invoice import InvoiceDraft
from app.journal.codec import draft_from_dict, draft_to_dict

log = logging.getLogger(__name__)

STATE_KEY = "open_cart"


class StateStore(Protocol):
    """The journal's ``till_state`` (:class:`~app.journal.state.StateRepo`)."""

    def get(self, key: str) -> object | None: ...

    def put(self, key: str, value: object) -> None: ...

    def delete(self, key: str) -> None: ...


class OpenCart:
    """Saves and restores the cart in progress."""

    def __init__(self, state: StateStore) -> None:
        self._state = state

    def save(self, draft: InvoiceDraft) -> None:
        """Keep ``draft`` (its lines and customer); an empty one forgets what was kept."""
        if not draft.lines:
            self._state.delete(STATE_KEY)
            return
        data = draft_to_dict(draft)
        self._state.put(STATE_KEY, {"lines": data["lines"], "customer": data["customer"]})

    def load(self) -> InvoiceDraft | None:
        """The cart kept at the last change, or None (nothing kept, or unreadable: logged)."""
        value = self._state.get(STATE_KEY)
        if not isinstance(value, dict) or not value.get("lines"):
            return None
        try:
            draft = draft_from_dict({**value, "customer_name": "", "payment": None})
        except (KeyError, TypeError, ValueError, ArithmeticError, ValidationError) as exc:
            log.warning("the kept cart cannot be read, ignored: %s", exc)
            return None
        return InvoiceDraft(lines=draft.lines, customer=draft.customer)

    def clear(self) -> None:
        self._state.delete(STATE_KEY)
