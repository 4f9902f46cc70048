"""Sales: one row per ``external_ref``, with the cart as JSON and its customer, payment and totals
in columns for search and reports; the register's sequence numbers that make the refs."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import TYPE_CHECKING

from app.domain.errors import JournalError
from app.domain.invoice import InvoiceDraft, compute_totals
from app.domain.money import round_money
from app.domain.refs import make_external_ref
from app.domain.text import fold
from app.i18n import _
from app.journal.audit import AuditRepo
from app.journal.codec import draft_to_json
from app.journal.db import Db, Row, RowReader, marks, ts
from app.journal.documents import DOCUMENT_READER
from app.journal.records import EDITABLE_STATES, UNRESOLVED_STATES, SaleRecord, SaleState
from app.journal.reports import SaleQuery, search_sale_ids

if TYPE_CHECKING:
    from app.domain.users import Operator

_SALES = RowReader(SaleRecord, rename={"draft_json": "draft"}, skip=("document", "remote"))

#: Every sale column, whether its original ticket printed, and its document's columns (``d_`` + name).
_SALE_SELECT = (
    "SELECT s.*, EXISTS (SELECT 1 FROM print_jobs p WHERE p.sale_id = s.id AND p.kind = 'original' "
    "AND p.outcome = 'ok') AS printed, "
    + ", ".join(f"d.{column} AS d_{column}" for column in DOCUMENT_READER.columns)
    + " FROM sales s LEFT JOIN documents d ON d.sale_id = s.id"
)


def _sale(row: Row) -> SaleRecord:
    document = None if row["d_sale_id"] is None else DOCUMENT_READER(row)
    return _SALES(row, document=document)


def _digits(text: str | None) -> str:
    return "".join(c for c in (text or "") if c.isdigit())


def _draft_columns(draft: InvoiceDraft) -> dict[str, object]:
    totals = compute_totals(draft.lines)
    customer = draft.customer
    name = customer.name if customer is not None else draft.customer_name
    payment = draft.payment
    gross = round_money(totals.gross)
    return {
        "draft": draft_to_json(draft),
        "line_count": len(draft.lines),
        "customer_name": name or "",
        "customer_key": fold(name or ""),
        "customer_nit": _digits(customer.nit) if customer else "",
        "customer_dui": _digits(customer.dui) if customer else "",
        "customer_nrc": (customer.nrc or "") if customer else "",
        "customer_email": (customer.email or "") if customer else "",
        "payment_method": str(payment.method.value),
        "payment_condition": int(payment.condition),
        "term_unit": None if payment.term_unit is None else int(payment.term_unit),
        "term_amount": payment.term_amount,
        "tendered": None if payment.tendered is None else str(payment.tendered),
        "total_gross": str(gross),
        "total_discount": str(round_money(totals.discount)),
        "total_taxable": str(round_money(totals.taxable)),
        "total_vat": str(round_money(totals.vat)),
        "total_cents": int(gross * 100),
        "doc_type": draft.doc_type.value,
    }


class SalesRepo:
    """The ``sales`` and ``register_sequences`` tables; every state change goes to the audit."""

    def __init__(self, db: Db, audit: AuditRepo) -> None:
        self._db = db
        self._audit = audit

    # ------------------------------------------------------------------------------- writing
    def create(
        self,
        draft: InvoiceDraft,
        *,
        register: str,
        cashier: str = "",
        state: SaleState = SaleState.PENDING,
        day: date | None = None,
        operator: Operator | None = None,
        related_sale_id: int | None = None,
        external_ref: str | None = None,
    ) -> SaleRecord:
        """Journal a new sale with a fresh ``external_ref``, committed before this returns.

        The register's sequence number is allocated in the same transaction as the insert, so two
        sales (threads or processes) never get the same ref.

        Args:
            draft: the sale (already validated by the caller).
            register: branch code + register code (``M001P001``), letters and digits.
            cashier: who sells (the operator's name when there is one).
            state: usually ``pending`` (about to be submitted) or ``draft``.
            day: the business day; default today's local date.
            operator: the user and cash session selling; default the journal's current operator.
            related_sale_id: a credit note (05): the CCF it adjusts.
            external_ref: a document someone else created (the note Ocote issues when a CCF is
                voided past its window): journaled under this ref, no sequence number used.
        """
        who = operator or self._db.operator
        if who is not None and who.name:
            cashier = who.name
        now = self._db.now()
        business_day = day or now.astimezone().date()
        with self._db.transaction():
            if external_ref is None:
                seq = self._db.count(
                    "INSERT INTO register_sequences (register, business_day, last_seq) VALUES (?, ?, 1) "
                    "ON CONFLICT (register, business_day) DO UPDATE SET last_seq = last_seq + 1 "
                    "RETURNING last_seq",
                    (register, business_day.isoformat()),
                )
                ref = make_external_ref(register, business_day, seq)
            else:
                ref = external_ref
            columns = _draft_columns(draft)
            columns["related_sale_id"] = related_sale_id
            columns.update(
                external_ref=ref,
                register=register,
                cashier=cashier,
                business_day=business_day.isoformat(),
                created_at=ts(now),
                updated_at=ts(now),
                state=str(state),
                session_id=who.session_id if who else None,
                user_id=who.user_id if who else None,
            )
            sale_id = self._db.insert("sales", columns)
            self._audit.log(sale_id, "create", "", str(state), ref, now, who=who)
        return self.get(sale_id)

    def renumber(self, sale_id: int, *, skip: int = 0) -> SaleRecord:
        """Give a never-sent draft sale the register's next ``external_ref`` (the old one is
        known to Ocote already: the journal was restored, or another register shares the codes).

        Args:
            skip: leave this many sequence numbers unused first (to jump over a run of refs
                known to Ocote in a few probes).

        Raises:
            JournalError: the sale does not exist or is not a draft (a sent ref is never changed).
        """
        with self._db.transaction():
            sale = self.get(sale_id)
            if sale.state is not SaleState.DRAFT:
                raise JournalError(
                    _("Sale {ref} cannot be changed: it is {state}").format(
                        ref=sale.external_ref, state=sale.state.label
                    )
                )
            day = sale.business_day.isoformat()
            taken = [
                str(r[0])
                for r in self._db.all(
                    "SELECT external_ref FROM sales WHERE register = ? AND business_day = ?", (sale.register, day)
                )
            ]
            highest = max((int(ref.rsplit("-", 1)[-1]) for ref in taken if ref.rsplit("-", 1)[-1].isdigit()), default=0)
            seq = self._db.count(
                "UPDATE register_sequences SET last_seq = max(last_seq, ?) + 1 + ? "
                "WHERE register = ? AND business_day = ? RETURNING last_seq",
                (highest, max(0, int(skip)), sale.register, day),
            )
            ref = make_external_ref(sale.register, sale.business_day, seq)
            now = self._db.now()
            self._db.update("sales", {"external_ref": ref, "updated_at": ts(now)}, "id = ?", (sale_id,))
            self._audit.log(sale_id, "renumber", str(sale.state), str(sale.state), f"{sale.external_ref} -> {ref}", now)
        return self.get(sale_id)

    def update_draft(
        self, sale_id: int, draft: InvoiceDraft, *, state: SaleState = SaleState.PENDING, detail: str = ""
    ) -> SaleRecord:
        """Replace an editable sale's content (it keeps its ``external_ref``) and move it to ``state``.

        Used to resubmit a rejected or invalid sale: the same ref makes Ocote update the same
        document instead of creating another.

        Raises:
            JournalError: the sale does not exist or is not editable.
        """
        with self._db.transaction():
            sale = self.get(sale_id)
            if sale.state not in EDITABLE_STATES:
                raise JournalError(
                    _("Sale {ref} cannot be changed: it is {state}").format(
                        ref=sale.external_ref, state=sale.state.label
                    )
                )
            now = self._db.now()
            columns = _draft_columns(draft)
            columns.update(updated_at=ts(now), state=str(state), last_error="")
            self._db.update("sales", columns, "id = ?", (sale_id,))
            self._audit.log(sale_id, "edit", str(sale.state), str(state), detail, now)
        return self.get(sale_id)

    def set_state(
        self, sale_id: int, state: SaleState, *, action: str = "state", detail: str = "", error: str = ""
    ) -> SaleRecord:
        """Move a sale to ``state``, recording the change in the audit trail.

        Args:
            action: a short machine word for the audit (``outcome``, ``queued``, ``void``, ...).
            detail: free text for the audit (translated text is fine; never a secret).
            error: the sale's ``last_error`` (shown to people; "" clears it).
        """
        with self._db.transaction():
            row = self._db.one("SELECT state FROM sales WHERE id = ?", (sale_id,))
            if row is None:
                raise JournalError(_("Sale {id} is not in the journal").format(id=sale_id))
            now = self._db.now()
            self._db.update(
                "sales", {"state": str(state), "last_error": error, "updated_at": ts(now)}, "id = ?", (sale_id,)
            )
            self._audit.log(sale_id, action, str(row["state"]), str(state), detail, now)
        return self.get(sale_id)

    # ------------------------------------------------------------------------------- reading
    def get(self, sale_id: int) -> SaleRecord:
        """The sale with id ``sale_id`` (and its document).

        Raises:
            JournalError: no such sale.
        """
        with self._db.reading():
            row = self._db.one(_SALE_SELECT + " WHERE s.id = ?", (sale_id,))
        if row is None:
            raise JournalError(_("Sale {id} is not in the journal").format(id=sale_id))
        return _sale(row)

    def find(self, key: str) -> SaleRecord | None:
        """The sale whose ``external_ref``, control number or Ocote document id is ``key``."""
        key = key.strip()
        with self._db.reading():
            row = self._db.one(_SALE_SELECT + " WHERE s.external_ref = ?", (key,))
            if row is None:
                row = self._db.one(
                    _SALE_SELECT + " WHERE d.control_number = ? OR d.document_id = ? LIMIT 1",
                    (key.upper(), key.lower()),
                )
        return None if row is None else _sale(row)

    def notes_of(self, sale_id: int) -> list[SaleRecord]:
        """The credit notes (05) journaled against the CCF ``sale_id``, oldest first."""
        with self._db.reading():
            return [
                _sale(r) for r in self._db.all(_SALE_SELECT + " WHERE s.related_sale_id = ? ORDER BY s.id", (sale_id,))
            ]

    def unresolved(self, limit: int | None = None) -> list[SaleRecord]:
        """Sales whose outcome at Ocote is unknown (``pending`` or ``queued``), oldest first."""
        sql = _SALE_SELECT + " WHERE s.state IN ('pending', 'queued') ORDER BY s.id"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        with self._db.reading():
            return [_sale(r) for r in self._db.all(sql)]

    def abandoned_drafts(self, older_than: timedelta) -> list[SaleRecord]:
        """Draft sales untouched for ``older_than`` (by the journal's clock), oldest first.

        Checkout journals a new sale as a draft and makes it pending once it owns it: a draft
        that stays a draft was left by a crash in between and was never sent.
        """
        cutoff = ts(self._db.now() - older_than)
        with self._db.reading():
            return [
                _sale(r)
                for r in self._db.all(
                    _SALE_SELECT + " WHERE s.state = 'draft' AND s.updated_at < ? ORDER BY s.id", (cutoff,)
                )
            ]

    def count_in_states(self, states: Iterable[SaleState]) -> int:
        """How many sales are in any of ``states``."""
        names = [str(s) for s in states]
        if not names:
            return 0
        with self._db.reading():
            return self._db.count(f"SELECT count(*) FROM sales WHERE state IN ({marks(len(names))})", names)

    def unresolved_count(self) -> int:
        """How many sales wait for the outbox (``pending`` + ``queued``)."""
        return self.count_in_states(UNRESOLVED_STATES)

    def search(self, query: SaleQuery | None = None) -> list[SaleRecord]:
        """Past sales matching every criterion of ``query``, newest first (journal order); no
        query: the newest sales (``reports.DEFAULT_LIMIT`` of them).

        The same search as the supervisors' (:func:`app.journal.reports.search_sale_ids`), on the
        journal's own connection: every criterion narrows through an index (a 100,000-sale
        journal answers in a few milliseconds).
        """
        with self._db.reading() as connection:
            ids = search_sale_ids(connection, query or SaleQuery())
            if not ids:
                return []
            rows = self._db.all(_SALE_SELECT + f" WHERE s.id IN ({marks(len(ids))}) ORDER BY s.id DESC", ids)
        return [_sale(r) for r in rows]

    def for_day(self, day: date, register: str | None = None) -> list[SaleRecord]:
        """Every sale of a business day (optionally one register), oldest first, with documents."""
        sql = _SALE_SELECT + " WHERE s.business_day = ?"
        params: list[object] = [day.isoformat()]
        if register:
            sql += " AND s.register = ?"
            params.append(register)
        with self._db.reading():
            return [_sale(r) for r in self._db.all(sql + " ORDER BY s.id", params)]
