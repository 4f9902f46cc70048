"""The customers table: migration, search (accent-insensitive, digits with or without hyphens),
recognising a customer again, hide and delete."""

from __future__ import annotations

import pytest

from app.domain.customers import SavedCustomer
from app.domain.errors import JournalError
from app.journal import Journal
from app.journal.schema import SCHEMA_VERSION

NIT14 = "06140507071048"


def test_a_new_journal_has_the_table(journal):
    assert journal.schema_version == SCHEMA_VERSION
    assert journal.customers.count() == 0


def test_add_get_and_search(journal):
    jose = journal.customers.add(SavedCustomer(None, "José Pérez", dui="00016297-5", email="jose@correo.sv"))
    maria = journal.customers.add(SavedCustomer(None, "María Núñez", nit=NIT14, nrc="1234567"), used=True)
    assert jose.id is not None and jose.created_at is not None and jose.use_count == 0
    assert maria.use_count == 1 and maria.last_used_at is not None
    assert journal.customers.get(jose.id) == jose
    assert [c.name for c in journal.customers.search("jose")] == ["José Pérez"]
    assert [c.name for c in journal.customers.search("NUÑEZ")] == ["María Núñez"]
    assert [c.name for c in journal.customers.search("nunez maria")] == ["María Núñez"]
    assert [c.name for c in journal.customers.search("00016297-5")] == ["José Pérez"]
    assert [c.name for c in journal.customers.search("000162975")] == ["José Pérez"]
    assert [c.name for c in journal.customers.search("0614-050707-104-8")] == ["María Núñez"]
    assert [c.name for c in journal.customers.search("123456-7")] == ["María Núñez"]
    assert [c.name for c in journal.customers.search("correo.sv")] == ["José Pérez"]
    assert [c.name for c in journal.customers.search("")] == ["María Núñez", "José Pérez"]  # most used first
    assert journal.customers.search("100%") == []


def test_find_same_by_numbers_and_dui_as_nit(journal):
    ana = journal.customers.add(SavedCustomer(None, "Ana", dui="00016297-5"))
    assert journal.customers.find_same(SavedCustomer(None, "Ana B.", dui="00016297-5")) == ana
    assert journal.customers.find_same(SavedCustomer(None, "Ana B.", nit="000162975")) == ana
    assert journal.customers.find_same(SavedCustomer(None, "Ana", nit=NIT14)) is None
    plain = journal.customers.add(SavedCustomer(None, "Don Chepe"))
    assert journal.customers.find_same(SavedCustomer(None, "don chepe")) == plain
    assert journal.customers.find_same(SavedCustomer(None, "Don Chepe", email="c@x.sv")) is None


def test_update_hide_and_delete(journal, tmp_path):
    ana = journal.customers.add(SavedCustomer(None, "Ana", dui="00016297-5"))
    assert ana.id is not None
    edited = journal.customers.update(SavedCustomer(ana.id, "Ana Gómez", dui="00016297-5", contributor_type=2))
    assert edited.name == "Ana Gómez" and edited.contributor_type == 2 and edited.created_at == ana.created_at
    assert journal.customers.search("gomez")
    journal.customers.set_hidden(ana.id, True)
    assert journal.customers.search("gomez") == [] and journal.customers.count() == 0
    assert journal.customers.search("gomez", include_hidden=True)[0].hidden
    journal.customers.update(edited, used=True, show=True)
    assert journal.customers.get(ana.id).use_count == 1 and not journal.customers.get(ana.id).hidden
    journal.customers.delete(ana.id)
    with pytest.raises(JournalError):
        journal.customers.get(ana.id)
    with pytest.raises(JournalError):
        journal.customers.delete(ana.id)


def test_the_table_survives_reopening(tmp_path):
    path = tmp_path / "j.sqlite3"
    with Journal.open(path) as journal:
        journal.customers.add(SavedCustomer(None, "Ana", activity_code="47190", department="06", municipality="14"))
    with Journal.open(path) as journal:
        (ana,) = journal.customers.search("ana")
        assert (ana.activity_code, ana.department, ana.municipality) == ("47190", "06", "14")
        assert journal.customers.changed_since(None) == [ana]


def test_upgrading_a_journal_marks_its_older_sales_for_import(tmp_path, make_draft, monkeypatch):
    import sqlite3

    from app.domain.invoice import Customer
    from app.journal import db as journal_db
    from app.journal.schema import _V_CUSTOMERS_IMPORT, MIGRATIONS

    # The journal as this migration left it: the ones appended after it (the store's...) would
    # find their own tables already there when the version is wound back below.
    upto = MIGRATIONS.index(_V_CUSTOMERS_IMPORT) + 1
    monkeypatch.setattr(journal_db, "MIGRATIONS", MIGRATIONS[:upto])
    monkeypatch.setattr(journal_db, "SCHEMA_VERSION", upto)
    path = tmp_path / "old.sqlite3"
    with Journal.open(path) as journal:
        assert journal.state.get("customers.import_until") == 0  # a new journal: nothing to import
        journal.sales.create(make_draft(customer=Customer("Ana", dui="00016297-5")), register="M001P001")
        last = journal.sales.create(make_draft(), register="M001P001")
    # Back to the schema before the import marker, as a journal of the previous version is.
    raw = sqlite3.connect(path)
    raw.execute("DELETE FROM till_state WHERE key = 'customers.import_until'")
    raw.execute("DROP INDEX customers_popular")
    raw.execute(f"PRAGMA user_version = {MIGRATIONS.index(_V_CUSTOMERS_IMPORT)}")
    raw.commit()
    raw.close()
    with Journal.open(path) as journal:
        assert journal.state.get("customers.import_until") == last.id
        ((sale_id, _at, customer),) = journal.customers.past_sale_customers(0, last.id)
        assert customer.name == "Ana" and sale_id == last.id - 1
