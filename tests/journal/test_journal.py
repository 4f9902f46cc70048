"""The journal: schema and migrations, file permissions, sales, documents, tickets, print jobs."""

from __future__ import annotations

import sqlite3
import stat
import threading
from datetime import date
from decimal import Decimal

import pytest

from app.domain.errors import JournalError
from app.domain.invoice import Customer
from app.journal import Journal, SaleQuery, SaleState
from app.journal.schema import SCHEMA_VERSION


def test_migrates_an_empty_file_and_reopens_without_changes(tmp_path):
    path = tmp_path / "j.sqlite3"
    with Journal.open(path) as journal:
        assert journal.schema_version == SCHEMA_VERSION >= 1
    raw = sqlite3.connect(path)
    tables = {r[0] for r in raw.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"sales", "documents", "tickets", "print_jobs", "audit", "products", "register_sequences"} <= tables
    assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    raw.close()
    with Journal.open(path) as journal:  # second open: nothing to migrate, nothing lost
        assert journal.schema_version == SCHEMA_VERSION


def test_refuses_a_journal_from_a_newer_version(tmp_path):
    path = tmp_path / "j.sqlite3"
    raw = sqlite3.connect(path)
    raw.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    raw.close()
    with pytest.raises(JournalError):
        Journal.open(path)


def test_default_location_is_the_data_dir_and_files_are_user_only(tmp_path, monkeypatch, make_draft):
    monkeypatch.setenv("CAJA_DATA_DIR", str(tmp_path / "data"))
    with Journal.open() as journal:
        assert journal.path == tmp_path / "data" / "journal.sqlite3"
        sale = journal.sales.create(make_draft(), register="M001P001")
        journal.tickets.store(sale.id, b"%PDF-1.4 ticket")
        files = [
            journal.path,
            journal.path.with_name("journal.sqlite3-wal"),
            journal.path.with_name("journal.sqlite3-shm"),
            journal.tickets.folder / "2026",
        ]
        modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in files[:3]}
        assert modes == {"journal.sqlite3": 0o600, "journal.sqlite3-wal": 0o600, "journal.sqlite3-shm": 0o600}
        ticket = next(journal.tickets.folder.rglob("*.pdf"))
        assert stat.S_IMODE(ticket.stat().st_mode) == 0o600
        # Every folder level, not only the month (mkdir(parents=True) left the others 0o755).
        for folder in (ticket.parent, ticket.parent.parent, journal.tickets.folder):
            assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder


def test_create_sale_allocates_consecutive_refs_per_register_and_day(journal, make_draft):
    day = date(2026, 11, 21)
    first = journal.sales.create(make_draft(), register="M001P001", cashier="Ana", day=day)
    second = journal.sales.create(make_draft(), register="M001P001", day=day)
    other = journal.sales.create(make_draft(), register="M001P002", day=day)
    next_day = journal.sales.create(make_draft(), register="M001P001", day=date(2026, 11, 22))
    assert [first.external_ref, second.external_ref, other.external_ref, next_day.external_ref] == [
        "M001P001-20261121-000001",
        "M001P001-20261121-000002",
        "M001P002-20261121-000001",
        "M001P001-20261122-000001",
    ]
    assert first.state is SaleState.PENDING and first.cashier == "Ana"
    assert (first.total_gross, first.total_taxable, first.total_vat, first.total_discount) == (
        Decimal("10.17"),
        Decimal("9.00"),
        Decimal("1.17"),
        Decimal("1.13"),
    )
    assert first.draft == make_draft()
    assert [a.action for a in journal.audit.trail(first.id)] == ["create"]


def test_refs_stay_unique_under_concurrent_threads(journal, make_draft):
    refs: list[str] = []

    def sell():
        for _ in range(20):
            refs.append(journal.sales.create(make_draft(), register="M001P001").external_ref)

    threads = [threading.Thread(target=sell) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(refs) == len(set(refs)) == 80


def test_refs_stay_unique_across_two_connections(tmp_path, make_draft):
    path = tmp_path / "j.sqlite3"
    with Journal.open(path) as a, Journal.open(path) as b:
        refs = {
            a.sales.create(make_draft(), register="R1").external_ref,
            b.sales.create(make_draft(), register="R1").external_ref,
            a.sales.create(make_draft(), register="R1").external_ref,
        }
    assert len(refs) == 3


def test_document_is_recorded_without_keys_in_urls(journal, make_draft, api_key):
    sale = journal.sales.create(make_draft(), register="M001P001")
    answer = {
        "success": True,
        "dte_success": False,
        "contingency": True,
        "document_id": "d0c",
        "control_number": "DTE-01-M001P001-000000000000001",
        "observaciones": ["uno", "dos"],
        "ticket_url": f"https://ocote.io/api/connect/file/d0c?type=ticket&key={api_key}",
        "json_url": "",
    }
    sale = journal.documents.record(sale.id, answer, state=SaleState.CONTINGENCY)
    assert sale.state is SaleState.CONTINGENCY
    assert sale.document.observaciones == ("uno", "dos")
    assert sale.document.ticket_url == "https://ocote.io/api/connect/file/d0c?type=ticket"
    # A later /status answer with amounts and the stamp; the URL it omits is kept.
    later = {
        "success": True,
        "dte_success": True,
        "reception_stamp": "2026" + "A" * 36,
        "control_number": "DTE-01-M001P001-000000000000001",
        "amount_gross": Decimal("10.17"),
    }
    sale = journal.documents.record(sale.id, later, state=SaleState.ISSUED, checked=True)
    assert sale.document.dte_success and not sale.document.contingency
    assert sale.document.amount_gross == Decimal("10.17") and sale.document.checked_at is not None
    assert sale.document.ticket_url.endswith("type=ticket")
    assert [(a.from_state, a.to_state) for a in journal.audit.trail(sale.id)][1:] == [
        ("pending", "contingency"),
        ("contingency", "issued"),
    ]
    assert journal.sales.find("DTE-01-M001P001-000000000000001").id == sale.id
    assert journal.sales.find(sale.external_ref).id == sale.id
    assert journal.sales.find("nothing") is None


def test_only_editable_sales_can_change(journal, make_draft):
    sale = journal.sales.create(make_draft(), register="R1")
    with pytest.raises(JournalError):
        journal.sales.update_draft(sale.id, make_draft(price="3"))
    journal.sales.set_state(sale.id, SaleState.REJECTED, error="bad e-mail")
    fixed = journal.sales.update_draft(sale.id, make_draft(price="3", customer=Customer("Ana López", email="a@b.sv")))
    assert fixed.external_ref == sale.external_ref and fixed.state is SaleState.PENDING
    assert fixed.customer_name == "Ana López" and fixed.total_gross == Decimal("5.40")
    assert fixed.last_error == ""


def test_ticket_cache_round_trip_and_damage_detection(journal, make_draft):
    sale = journal.sales.create(make_draft(), register="R1")
    assert journal.tickets.load(sale.id) is None
    path = journal.tickets.store(sale.id, b"%PDF-1.4 first")
    assert journal.tickets.load(sale.id) == b"%PDF-1.4 first"
    path.write_bytes(b"%PDF-1.4 tampered")
    assert journal.tickets.load(sale.id) is None  # the caller downloads it again
    path.unlink()
    assert journal.tickets.load(sale.id) is None and journal.tickets.exists(sale.id)


def test_print_jobs_and_printed_flag(journal, make_draft):
    sale = journal.sales.create(make_draft(), register="R1")
    journal.prints.record(sale.id, "original", "tcp://127.0.0.1:9", "failed", "offline")
    assert not journal.sales.get(sale.id).printed
    journal.prints.record(sale.id, "original", "dummy", "ok")
    journal.prints.record(sale.id, "copy", "dummy", "ok")
    journal.prints.record(None, "report", "dummy", "ok")
    assert journal.sales.get(sale.id).printed and journal.prints.was_printed(sale.id, "copy")
    assert [j.kind for j in journal.prints.jobs(sale.id)] == ["original", "original", "copy"]
    assert len(journal.prints.jobs(kind="report")) == 1


def test_search_by_every_criterion(journal, make_draft):
    day = date(2026, 11, 21)
    ana = journal.sales.create(make_draft(customer=Customer("José Pérez", dui="00016297-5")), register="R1", day=day)
    nit = journal.sales.create(
        make_draft(price="20", customer=Customer("Tienda El Sol", nit="0614-290786-102-3")),
        register="R1",
        day=date(2026, 11, 22),
    )
    journal.documents.record(ana.id, {"success": True, "control_number": "DTE-01-M001P001-000000000000077"})

    def ids(**criteria):
        return [s.id for s in journal.sales.search(SaleQuery(**criteria))]

    assert ids() == [nit.id, ana.id]
    assert ids(date_from=day, date_to=day) == [ana.id]
    assert ids(ref="M001P001-2026112", date_from=date(2026, 11, 22)) == []  # another register
    assert ids(ref="R1-20261122") == [nit.id]
    assert ids(ref=ana.external_ref) == [ana.id]
    assert ids(control_number="77") == [ana.id]
    assert ids(control_number="DTE-01-M001P001-000000000000077") == [ana.id]
    assert ids(customer="jose PEREZ") == [ana.id]
    assert ids(customer="sol") == [nit.id]
    assert ids(dui="000162975") == [ana.id]
    assert ids(nit="06142907861023") == [nit.id]
    assert ids(amount=Decimal("36.00")) == [nit.id]
    assert ids(states=[SaleState.PENDING]) == [nit.id, ana.id]
    assert ids(customer="100%_") == []
    assert [s.id for s in journal.sales.for_day(day, "R1")] == [ana.id]
    assert journal.sales.unresolved_count() == 2


def test_search_sales_is_the_supervisors_search(journal, make_draft):
    """One implementation serves Journal.sales.search and the reprint search (reports.search_sale_ids)."""
    from app.journal.reports import open_reader, search_sale_ids

    jose = journal.sales.create(make_draft(customer=Customer("José Antonio Pérez", dui="00016297-5")), register="R1")
    others = [journal.sales.create(make_draft(), register="R1") for _ in range(3)]
    journal.documents.record(others[0].id, {"success": True, "control_number": "DTE-01-M001P001-000000000000042"})

    def ids(**criteria):
        return [s.id for s in journal.sales.search(SaleQuery(**criteria))]

    assert ids(customer="jose perez") == [jose.id]  # words in order, a middle name between
    assert ids(customer="00016297-5") == [jose.id]  # a DUI typed where the name goes
    assert ids(limit=2) == [others[2].id, others[1].id]
    assert ids(limit=2, offset=2) == [others[0].id, jose.id]
    assert ids(control_number="42", states=[SaleState.PENDING]) == [others[0].id]
    reader = open_reader(journal.path)
    try:
        for criteria in (
            {"customer": "jose perez"},
            {"control_number": "42"},
            {"dui": "000162975"},
            {"limit": 2, "offset": 1},
            {"states": ("pending",)},
        ):
            assert search_sale_ids(reader, SaleQuery(**criteria)) == ids(**criteria), criteria
    finally:
        reader.close()


def test_a_failed_transaction_leaves_nothing_behind(journal, make_draft):
    sale = journal.sales.create(make_draft(), register="R1")
    with pytest.raises(RuntimeError), journal.transaction():
        journal.sales.set_state(sale.id, SaleState.ISSUED)
        raise RuntimeError("boom")
    assert journal.sales.get(sale.id).state is SaleState.PENDING


def test_missing_sale_is_a_journal_error(journal):
    with pytest.raises(JournalError):
        journal.sales.get(999)


def test_renumber_gives_a_draft_a_later_ref_and_never_touches_a_sent_sale(journal, make_draft):
    sent = journal.sales.create(make_draft(), register="M001P001")
    fresh = journal.sales.create(make_draft(), register="M001P001", state=SaleState.DRAFT)
    moved = journal.sales.renumber(fresh.id, skip=3)
    assert moved.external_ref.endswith("-000006") and moved.external_ref != fresh.external_ref
    assert journal.sales.create(make_draft(), register="M001P001").external_ref.endswith("-000007")
    assert [a.action for a in journal.audit.trail(fresh.id)] == ["create", "renumber"]
    with pytest.raises(JournalError):
        journal.sales.renumber(sent.id)


def test_search_by_the_final_digits_of_a_ref(journal, make_draft):
    """Cashiers type the sale's number of the day ("42" or "000042"), as on the ticket's ref."""
    day = date(2026, 11, 21)
    sales = [journal.sales.create(make_draft(), register="M001P001", day=day) for _ in range(43)]
    other = journal.sales.create(make_draft(), register="M001P002", day=date(2026, 11, 22))
    twelfth, forty_second = sales[11], sales[41]
    assert forty_second.external_ref.endswith("-000042") and other.external_ref.endswith("-000001")

    def refs(text, **criteria):
        return [s.external_ref for s in journal.sales.search(SaleQuery(ref=text, **criteria))]

    assert refs("42") == refs("000042") == refs("0000042") == [forty_second.external_ref]
    assert refs("12") == [twelfth.external_ref]  # not 000112 or 000120: the whole sequence
    assert refs("1") == [other.external_ref, sales[0].external_ref]  # number 1 of both registers
    assert refs("1", date_from=date(2026, 11, 22)) == [other.external_ref]
    assert refs("1000042") == [] and refs("0") == []
    assert refs(forty_second.external_ref) == [forty_second.external_ref]  # whole and beginning still work
    assert refs("M001P002") == [other.external_ref]


def test_ref_tail_search_uses_the_migrated_index(tmp_path, make_draft):
    """A version-1 journal gets the ref-tail index from migration 2, and the search uses it."""
    from app.journal.db import split_sql
    from app.journal.reports import open_reader, search_sale_ids
    from app.journal.schema import MIGRATIONS

    path = tmp_path / "v1.sqlite3"
    raw = sqlite3.connect(path)
    for statement in split_sql(MIGRATIONS[0]):
        raw.execute(statement)
    raw.execute("PRAGMA user_version = 1")
    raw.commit()
    raw.close()
    with Journal.open(path) as journal:
        assert journal.schema_version == SCHEMA_VERSION >= 2
        sale = journal.sales.create(make_draft(), register="M001P001", day=date(2026, 11, 21))
        assert [s.id for s in journal.sales.search(SaleQuery(ref="1"))] == [sale.id]
    reader = open_reader(path)
    statements: list[str] = []
    try:
        reader.set_trace_callback(statements.append)  # the SQL as run, parameters bound
        assert search_sale_ids(reader, SaleQuery(ref="1")) == [sale.id]
        reader.set_trace_callback(None)
        (search,) = [sql for sql in statements if sql.lstrip().upper().startswith("SELECT")]
        plan = " ".join(row[-1] for row in reader.execute("EXPLAIN QUERY PLAN " + search))
        assert "sales_ref_tail" in plan, plan
    finally:
        reader.close()


def test_sale_query_is_a_value_and_narrows_by_register_amount_range_and_state(journal, make_draft):
    import dataclasses

    day = date(2026, 11, 21)
    cheap = journal.sales.create(make_draft(price="1", discount="0"), register="M001P001", day=day)  # 2.00
    mid = journal.sales.create(make_draft(price="5", discount="0"), register="M001P002", day=day)  # 10.00
    dear = journal.sales.create(make_draft(price="50", discount="0"), register="M001P001", day=day)  # 100.00
    journal.sales.set_state(mid.id, SaleState.QUEUED)

    query = SaleQuery(states=[SaleState.PENDING, SaleState.QUEUED])
    assert query.states == ("pending", "queued") and hash(query) == hash(SaleQuery(states=("pending", "queued")))
    with pytest.raises(dataclasses.FrozenInstanceError):
        query.limit = 1  # type: ignore[misc]
    once = SaleQuery(states=iter([SaleState.QUEUED]))  # a one-shot iterator is read once, kept as a tuple

    def ids(query=None):
        return [s.id for s in journal.sales.search(query)]

    assert ids() == ids(SaleQuery()) == [dear.id, mid.id, cheap.id]  # no query: the newest sales
    assert ids(once) == ids(once) == [mid.id]
    assert ids(SaleQuery(register="M001P001")) == [dear.id, cheap.id]
    assert ids(SaleQuery(amount_min=Decimal("2.00"), amount_max=Decimal("10.00"))) == [mid.id, cheap.id]
    assert ids(SaleQuery(amount_min=Decimal("10.01"))) == [dear.id]
    assert ids(SaleQuery(amount_max=Decimal("1.99"))) == []
    assert ids(SaleQuery(register="M001P001", states=(SaleState.PENDING,), amount_min=Decimal(50))) == [dear.id]
    assert ids(SaleQuery(states=())) == []
    assert ids(SaleQuery(limit=0)) == [dear.id]  # at least one row per page
    assert ids(SaleQuery(offset=-5, limit=1)) == [dear.id]


def test_documents_take_the_api_answers_and_repositories_share_one_transaction(journal, make_draft):
    from app.api.models import DocumentStatus, InvoiceResult

    sale = journal.sales.create(make_draft(), register="M001P001")
    posted = InvoiceResult(
        success=True,
        dte_success=True,
        document_id="d0c",
        observaciones=["ok"],
        control_number="DTE-01-M001P001-000000000000001",
        ticket_url="https://ocote.io/api/connect/file/d0c?type=ticket",
    )
    journal.documents.record(sale.id, posted, state=SaleState.ISSUED)
    status = DocumentStatus(success=True, dte_success=True, amount_gross="10.17", document_id="d0c")
    document = journal.documents.record(sale.id, status, checked=True).document
    assert document == journal.documents.get(sale.id)
    assert (document.amount_gross, document.observaciones, document.ticket_url) == (
        Decimal("10.17"),
        (),
        "https://ocote.io/api/connect/file/d0c?type=ticket",
    )
    assert document.control_number == "DTE-01-M001P001-000000000000001"  # a thinner answer erases nothing

    with pytest.raises(RuntimeError), journal.transaction():
        journal.prints.record(sale.id, "original", "dummy", "ok")
        journal.audit.add(sale.id, "note", "kept only with the print")
        journal.sales.set_state(sale.id, SaleState.VOIDED)
        raise RuntimeError("boom")
    assert journal.prints.jobs(sale.id) == [] and journal.audit.trail(sale.id, action="note") == []
    assert journal.sales.get(sale.id).state is SaleState.ISSUED
    assert journal.documents.get(journal.sales.create(make_draft(), register="M001P001").id) is None
