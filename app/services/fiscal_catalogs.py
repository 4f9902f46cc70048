"""The MH catalogs a Crédito Fiscal customer is described with: CAT-019 economic activities
(``GET /catalogs/activities?search=``, at most 50 per answer) and CAT-012 departments with their
municipalities (``GET /catalogs/departments``).

Every answer Ocote gives is merged into a cache kept in the journal (``till_state`` keys
:data:`ACTIVITIES_KEY`, :data:`DEPARTMENTS_KEY`), so a customer can still be described (and the
dialog's search still works, over what was seen) while Ocote cannot be reached. Blocking: call it
from a worker.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Protocol

from app.domain.catalogs import CatalogEntry, catalog_entries
from app.domain.errors import CajaError
from app.domain.text import fold

if TYPE_CHECKING:
    from app.journal import Journal

log = logging.getLogger(__name__)

ACTIVITIES_KEY = "catalog:activities"
DEPARTMENTS_KEY = "catalog:departments"
#: Seconds one catalog request may take (a person is waiting on the dialog).
CATALOG_DEADLINE = 5.0
#: At most this many activities are answered (as Ocote does).
MAX_RESULTS = 50


class CatalogApi(Protocol):
    """What the catalogs ask of Ocote (:class:`~app.api.client.OcoteClient`)."""

    def search_activities(self, search: str = "", *, deadline: float | None = None) -> list[CatalogEntry]: ...

    def departments(self, search: str = "", *, deadline: float | None = None) -> list[CatalogEntry]: ...


def _matches(entry: CatalogEntry, needle: str) -> bool:
    return not needle or needle in fold(entry.name) or needle in entry.code


class FiscalCatalogs:
    """Activities and departments, from Ocote when it answers, else from the journal's cache."""

    def __init__(self, journal: Journal, api: CatalogApi | None, *, deadline: float = CATALOG_DEADLINE) -> None:
        self.journal = journal
        self.api = api
        self.deadline = deadline

    # ------------------------------------------------------------------------- activities
    def search_activities(self, text: str = "") -> list[CatalogEntry]:
        """Activities whose code or name contains ``text`` (accents and case ignored)."""
        needle = fold(text.strip())
        if self.api is not None:
            try:
                found = self.api.search_activities(text.strip(), deadline=self.deadline)
            except CajaError as exc:  # offline, no key, ...: the cache answers
                log.info("activities from the cache: %s", exc.message)
            else:
                self._remember_activities(found)
                return found[:MAX_RESULTS]
        return [e for e in self.cached_activities() if _matches(e, needle)][:MAX_RESULTS]

    def activity_name(self, code: str) -> str | None:
        """The name of an activity seen before (None when it never was)."""
        code = code.strip()
        return next((e.name for e in self.cached_activities() if e.code == code), None)

    def cached_activities(self) -> list[CatalogEntry]:
        """Every activity Ocote answered so far, by code."""
        return sorted(catalog_entries(self.journal.state.get(ACTIVITIES_KEY) or []), key=lambda e: e.code)

    def _remember_activities(self, found: list[CatalogEntry]) -> None:
        known = {e.code: e for e in self.cached_activities()}
        if all(known.get(e.code) == e for e in found):
            return
        known.update((e.code, e) for e in found)
        self.journal.state.put(ACTIVITIES_KEY, [e.to_dict() for e in known.values()])

    # ------------------------------------------------------------------------ departments
    def departments(self) -> list[CatalogEntry]:
        """CAT-012 departments with their municipalities (the cache when Ocote cannot answer)."""
        if self.api is not None:
            try:
                found = self.api.departments(deadline=self.deadline)
            except CajaError as exc:
                log.info("departments from the cache: %s", exc.message)
            else:
                if found:
                    self.journal.state.put(DEPARTMENTS_KEY, [e.to_dict() for e in found])
                    return found
        return catalog_entries(self.journal.state.get(DEPARTMENTS_KEY) or [])

    def municipalities(self, department: str) -> list[CatalogEntry]:
        """The municipalities of a department code (empty when the catalog did not list them)."""
        department = department.strip()
        cached = catalog_entries(self.journal.state.get(DEPARTMENTS_KEY) or []) or self.departments()
        return next((list(d.children) for d in cached if d.code == department), [])
