"""Two tills of one store, wired as ``caja`` wires them (``build_services`` with ``store_url``):
the catalog imported on one is sold on the other, a user added on one logs in on the other, a
copy of the other till's sale is printed, and the store-wide end of day adds up by register."""

from __future__ import annotations

from decimal import Decimal

from app.journal.reports import SaleQuery
from app.printing.decoder import decode_job
from app.printing.ticket_printer import TicketPrinter
from app.services.eod import ALL_REGISTERS


def test_catalog_and_users_reach_the_other_till(two_tills, tmp_path):
    a, b = two_tills.a, two_tills.b
    assert a.services.shared is not None and b.services.shared is not None
    csv = tmp_path / "precios.csv"
    csv.write_text("codigo,descripcion,precio,ean\nC1,Café molido 400 g,4.95,7411000000017\n", encoding="utf-8")
    a.services.catalog.import_csv(csv)
    a.services.users.add("Marta", "supervisor", "8642")

    assert a.services.shared.sync().pushed >= 2
    b.services.shared.sync()

    coffee = b.services.catalog.find_by_code("7411000000017")
    assert coffee is not None and coffee.price == Decimal("4.95")
    assert b.services.users.verify("marta", "8642").name == "Marta"
    assert b.services.users.find("Ana") is not None  # A's cashier too: one staff for the store


def test_a_copy_of_the_other_tills_sale_and_the_store_wide_end_of_day(two_tills):
    a, b = two_tills.a, two_tills.b
    sold_a = [a.sell("2.00"), a.sell("3.50")]
    sold_b = [b.sell("1.25")]
    for till in (a, b):
        till.sync()
        till.services.shared.sync()  # the ticket PDFs too

    found = b.services.reprint.search(SaleQuery(register=a.register))
    assert {s.external_ref for s in found} == {s.external_ref for s in sold_a}
    printer = TicketPrinter("dummy:")
    copied = b.services.reprint.reprint(sold_a[0].control_number, printer)
    assert copied.remote and copied.register == a.register
    assert decode_job(printer.connection.output).labels == ["COPIA"]

    report = b.services.eod.run(register=ALL_REGISTERS).to_dict()
    assert set(report["by_register"]) == {a.register, b.register}
    assert report["by_register"][a.register]["totals"]["gross"] == "5.50"
    assert report["by_register"][b.register]["totals"]["gross"] == "1.25"
    assert report["totals"]["gross"] == "6.75" and report["totals"]["count"] == 3
    assert {d["external_ref"] for d in report["documents"]} == {s.external_ref for s in sold_a + sold_b}


def test_a_copy_of_the_other_tills_sale_is_in_this_tills_end_of_day_reprints(two_tills):
    a, b = two_tills.a, two_tills.b
    theirs = a.sell("2.00")
    mine = b.sell("1.00")
    for till in (a, b):
        till.sync()
        till.services.shared.sync()
    printer = TicketPrinter("dummy:")
    b.services.reprint.reprint(theirs.control_number, printer)
    b.services.reprint.reprint(mine.control_number, printer)

    for register in (None, b.register, ALL_REGISTERS):
        report = b.services.eod.run(register=register)
        reprints = {(e.external_ref, e.register, e.remote) for e in report.reprints}
        assert reprints == {(theirs.external_ref, a.register, True), (mine.external_ref, b.register, False)}
    as_json = b.services.eod.run(register=b.register).to_dict()["reprints"]
    assert {(e["external_ref"], e["register"]) for e in as_json} == {
        (theirs.external_ref, a.register),
        (mine.external_ref, b.register),
    }
    # Printed, the other register's copy says whose sale it was.
    text = "\n".join(b.services.eod.run(register=b.register).render_lines(64))
    assert f"({a.register})" in text
    # A's own end of day (its register) does not list B's copy: it was printed on B.
    assert a.services.eod.run(register=a.register).reprints == []

    # The store-wide end of day also lists the copies printed on the other tills.
    a.services.reprint.reprint(theirs.control_number, printer)
    for till in (a, b):
        till.sync()
    everywhere = b.services.eod.run(register=ALL_REGISTERS)
    assert {(e.external_ref, e.register, e.printed_on) for e in everywhere.reprints} == {
        (theirs.external_ref, a.register, ""),  # B's copy of A's sale
        (mine.external_ref, b.register, ""),
        (theirs.external_ref, a.register, a.register),  # A's copy, read from the store
    }
    assert [e.at for e in everywhere.reprints] == sorted(e.at for e in everywhere.reprints)
    assert f"@{a.register}" in "\n".join(everywhere.render_lines(64))
