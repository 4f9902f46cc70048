"""The customer directory: saving by hand (checked, normalized, no duplicates), remembering the
customers of sales at checkout (through the real sandbox), hiding and deleting."""

from __future__ import annotations

import pytest

from app.config import Settings
from app.domain.customers import SavedCustomer
from app.domain.errors import ValidationError
from app.domain.invoice import Customer
from app.services.checkout import SaleOutcome
from app.services.container import build_services
from app.services.customers import CustomerDirectory

NIT14 = "06140507071048"


@pytest.fixture
def directory(journal):
    return CustomerDirectory(journal)


def test_save_normalizes_and_refuses_a_number_another_customer_has(directory):
    ana = directory.save(SavedCustomer(None, "Ana López", dui="000162975", email="Ana@Correo.SV"))
    assert ana.dui == "00016297-5" and ana.email == "Ana@correo.sv"
    beto = directory.save(SavedCustomer(None, "Beto", nit=NIT14))
    with pytest.raises(ValidationError) as caught:
        directory.save(SavedCustomer(beto.id, "Beto", nit=NIT14, dui="00016297-5"))
    assert [e.field for e in caught.value.errors] == ["customer.dui"]
    assert "Ana López" in caught.value.errors[0].message
    with pytest.raises(ValidationError):
        directory.save(SavedCustomer(None, "", nit="123"))
    assert directory.count() == 2


def test_saving_a_known_customer_again_updates_it(directory):
    first = directory.save(SavedCustomer(None, "Ana", dui="00016297-5"))
    first = directory.save(SavedCustomer(first.id, "Ana", dui="00016297-5", email="ana@x.sv"))
    again = directory.save(SavedCustomer(None, "Ana López", dui="00016297-5", phone="22223333"))
    assert again.id == first.id and again.name == "Ana López" and directory.count() == 1
    assert again.email == "ana@x.sv"  # a blank field of the new entry keeps the saved value


def test_remember_from_sale_adds_then_counts_and_merges(directory, make_draft):
    assert directory.remember_from_sale(make_draft()) is None  # Consumidor Final is not kept
    first = directory.remember_from_sale(make_draft(customer=Customer("Ana", dui="000162975", email="a@x.sv")))
    assert first is not None and first.use_count == 1 and first.dui == "00016297-5"
    directory.hide(first.id)
    second = directory.remember_from_sale(make_draft(customer=Customer("Ana López", nit="000162975")))
    assert second is not None and second.id == first.id
    assert second.use_count == 2 and not second.hidden
    assert (second.name, second.email, second.nit) == ("Ana López", "a@x.sv", "000162975")
    assert [c.name for c in directory.search("lopez")] == ["Ana López"]


def test_search_finds_numbers_with_or_without_hyphens_and_ignores_accents(directory):
    directory.save(SavedCustomer(None, "Ferretería El Martillo", nit=NIT14, nrc="1234567", email="ventas@martillo.sv"))
    for text in ("ferreteria", "MARTILLO", "0614-050707-104-8", "06140507071048", "123456-7", "ventas@"):
        assert [c.name for c in directory.search(text)] == ["Ferretería El Martillo"], text
    assert directory.search("ferreteria", limit=0) == []


def test_delete(directory):
    ana = directory.save(SavedCustomer(None, "Ana"))
    assert ana.id is not None
    directory.delete(ana.id)
    assert directory.count(include_hidden=True) == 0


def test_checkout_remembers_the_customer_of_a_sale(service, journal, make_draft):
    directory = CustomerDirectory(journal)
    service.customers = directory
    result = service.checkout(make_draft(customer=Customer("José Pérez", dui="00016297-5")))
    assert result.outcome is SaleOutcome.ISSUED
    (jose,) = directory.search("jose")
    assert jose.use_count == 1 and jose.dui == "00016297-5"


def test_a_broken_directory_never_stops_a_sale(service, make_draft, caplog):
    class Broken:
        def remember_from_sale(self, draft):
            raise RuntimeError("disk on fire")

    service.customers = Broken()
    result = service.checkout(make_draft(customer=Customer("Ana", dui="00016297-5")))
    assert result.outcome is SaleOutcome.ISSUED
    assert "could not be saved in the directory" in caplog.text


def test_the_container_wires_the_directory_into_checkout():
    with build_services(Settings()) as services:
        assert services.checkout.customers is services.customers
        assert services.customers.search("") == []


def test_customers_of_older_sales_are_imported_once_on_first_search(journal, make_draft):
    from app.services.customers import IMPORT_UNTIL, IMPORTED_THROUGH

    for customer in (Customer("José", dui="000162975"), None, Customer("José Pérez", nit="000162975"), Customer("Bea")):
        last = journal.sales.create(make_draft(customer=customer), register="M001P001")
    journal.state.put(IMPORT_UNTIL, last.id)  # as the migration does on a journal with these sales
    directory = CustomerDirectory(journal)
    found = directory.search("jose")
    assert [(c.name, c.use_count) for c in found] == [("José Pérez", 2)]
    assert found[0].last_used_at == journal.sales.get(last.id - 1).created_at
    assert [c.name for c in directory.search("bea")] == ["Bea"]
    assert journal.state.get(IMPORTED_THROUGH) == last.id
    assert directory.import_past_sales() == 0  # done: never counted twice
    assert CustomerDirectory(journal).search("jose")[0].use_count == 2
