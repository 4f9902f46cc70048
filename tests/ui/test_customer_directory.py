"""F5: the customer directory in the window, by key events (search as you type, arrows + Enter,
a new customer, edit and save, hide), against the real journal."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from app.domain.customers import SavedCustomer
from app.services.checkout import SaleOutcome
from app.ui.customer_directory import CustomerDirectoryDialog
from app.ui.dialogs import CustomerDialog, PaymentDialog

SCANNED = "7412017000011"


def names(dialog) -> list[str]:
    return [dialog.results.item(i).text().split("  ·  ")[0] for i in range(dialog.results.count())]


def test_f5_searches_accent_insensitively_and_enter_picks(qtbot, make_window, keys, modal):
    window = make_window("dummy:")
    directory = window.ctx.services.customers
    directory.save(
        SavedCustomer(
            None,
            "José Pérez",
            dui="00016297-5",
            address="Col. Escalón",
            contributor_type=3,
            activity_code="47190",
            department="06",
            municipality="14",
        )
    )
    directory.save(SavedCustomer(None, "Josefina Núñez", nit="06140507071048"))
    directory.save(SavedCustomer(None, "Ana López"))
    seen = {}

    def use(dialog):
        seen["kind"] = isinstance(dialog, CustomerDialog)  # the former dialog's behaviour stays
        seen["focus"] = dialog.focusWidget() is dialog.search
        keys(None, "jose")
        qtbot.waitUntil(
            lambda: (
                names(dialog) == ["José Pérez", "Josefina Núñez"] or names(dialog) == ["Josefina Núñez", "José Pérez"]
            )
        )
        keys(None, " nunez")
        qtbot.waitUntil(lambda: names(dialog) == ["Josefina Núñez"])
        for _ in range(5):
            keys(None, Qt.Key.Key_Backspace)
        keys(None, "per")
        qtbot.waitUntil(lambda: names(dialog) == ["José Pérez"])
        seen["ok"] = True
        keys(None, Qt.Key.Key_Down, Qt.Key.Key_Return)

    modal(use, CustomerDirectoryDialog)
    keys(window.sale.entry, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: window.sale.customer is not None)
    assert seen == {"kind": True, "focus": True, "ok": True}
    customer = window.sale.customer
    assert (customer.name, customer.dui, customer.address) == ("José Pérez", "00016297-5", "Col. Escalón")
    # The Crédito Fiscal fields the form does not show go with the sale too.
    assert (customer.type_contributor, customer.activity_code, customer.department, customer.municipality) == (
        3,
        "47190",
        "06",
        "14",
    )
    assert "José Pérez" in window.sale.widgets.customer_label.text()


def test_a_number_with_hyphens_finds_the_customer(qtbot, make_window, keys, modal):
    window = make_window("dummy:")
    window.ctx.services.customers.save(SavedCustomer(None, "Ferretería", nit="06140507071048", nrc="1234567"))

    def use(dialog):
        keys(None, "123456-7")
        qtbot.waitUntil(lambda: names(dialog) == ["Ferretería"])
        # A customer with an NRC is proposed a crédito fiscal (ccf14b): say no, keep the Factura.
        modal(lambda box: keys(None, Qt.Key.Key_Escape), QMessageBox)
        keys(None, Qt.Key.Key_Return)

    modal(use, CustomerDirectoryDialog)
    keys(window.sale.entry, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: window.sale.customer is not None)
    assert window.sale.customer.nit == "06140507071048"


def test_a_new_customer_is_typed_validated_live_and_remembered_by_the_sale(qtbot, make_window, keys, modal):
    window = make_window("dummy:")
    seen = {}

    def new(dialog):
        keys(None, "Marta Diaz")
        qtbot.waitUntil(lambda: dialog.results.count() == 1 and not dialog.results.item(0).flags())
        keys(None, Qt.Key.Key_Return)  # no match: the text becomes the name
        seen["name"] = dialog.name.text()
        seen["at_dui"] = dialog.focusWidget() is dialog.dui  # the next thing to type
        keys(None, "00016297-4")  # wrong check digit
        seen["invalid"] = dialog.dui.property("invalid")
        keys(None, Qt.Key.Key_Backspace, "5")
        seen["valid"] = not dialog.dui.property("invalid")
        keys(None, Qt.Key.Key_Return)

    keys(window.sale.entry, SCANNED, Qt.Key.Key_Return)
    modal(new, CustomerDirectoryDialog)
    keys(window.sale.entry, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: window.sale.customer is not None)
    assert seen == {"name": "Marta Diaz", "at_dui": True, "invalid": True, "valid": True}
    modal(lambda dialog: keys(None, Qt.Key.Key_Return), PaymentDialog)
    with qtbot.waitSignal(window.sale.saleFinished, timeout=20_000) as blocker:
        keys(window.sale.entry, Qt.Key.Key_F12)
    assert blocker.args[0].outcome is SaleOutcome.ISSUED
    (marta,) = window.ctx.services.customers.search("marta diaz")
    assert marta.dui == "00016297-5" and marta.use_count == 1


def test_edit_save_and_hide(qtbot, make_window, keys, modal):
    window = make_window("dummy:")
    directory = window.ctx.services.customers
    ana = directory.save(SavedCustomer(None, "Ana López", dui="00016297-5"))
    directory.save(SavedCustomer(None, "Beto Ruiz"))
    done = {}

    def edit(dialog):
        keys(None, "ana")
        qtbot.waitUntil(lambda: names(dialog) == ["Ana López"])
        keys(None, Qt.Key.Key_F2)
        done["edit"] = dialog.focusWidget() is dialog.name and dialog.name.text() == "Ana López"
        dialog.email.setText("ana@correo.sv")
        dialog.save_button.click()
        qtbot.waitUntil(lambda: "saved" in dialog.status.text() or "guardad" in dialog.status.text())
        dialog.search.setFocus()
        dialog.search.clear()
        keys(None, "beto")
        qtbot.waitUntil(lambda: names(dialog) == ["Beto Ruiz"])
        dialog.results.setFocus()
        keys(None, Qt.Key.Key_Delete)
        qtbot.waitUntil(lambda: dialog.results.count() == 1 and not dialog.results.item(0).flags())
        done["ok"] = True
        keys(None, Qt.Key.Key_Escape)

    modal(edit, CustomerDirectoryDialog)
    keys(window.sale.entry, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: "ok" in done)
    assert done == {"edit": True, "ok": True}
    assert directory.get(ana.id).email == "ana@correo.sv"
    assert directory.search("beto") == [] and directory.search("beto", include_hidden=True)[0].hidden
    assert window.sale.customer is None  # Esc: nothing changed in the sale


def test_saving_a_number_another_customer_has_marks_the_field(qtbot, make_window, keys, modal):
    window = make_window("dummy:")
    directory = window.ctx.services.customers
    directory.save(SavedCustomer(None, "Ana López", dui="00016297-5"))
    beto = directory.save(SavedCustomer(None, "Beto Ruiz"))
    done = {}

    def clash(dialog):
        keys(None, "beto")
        qtbot.waitUntil(lambda: names(dialog) == ["Beto Ruiz"])
        keys(None, Qt.Key.Key_F2)
        dialog.dui.setText("00016297-5")
        dialog.save_button.click()
        qtbot.waitUntil(lambda: "Ana López" in dialog.error.text())
        done["marked"] = dialog.dui.property("invalid")
        keys(None, Qt.Key.Key_Escape)

    modal(clash, CustomerDirectoryDialog)
    keys(window.sale.entry, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: "marked" in done)
    assert done["marked"] is True and directory.get(beto.id).dui == ""


def test_editing_the_sales_customer_keeps_what_the_form_does_not_show(qtbot, make_window, keys, modal):
    from app.domain.invoice import Customer

    window = make_window("dummy:")
    window.sale.customer = Customer("Ana", nit="06140507071048", address="Calle 1", type_contributor=2, department="06")

    def edit(dialog):
        dialog.phone.setFocus()
        keys(None, "22223333", Qt.Key.Key_Return)

    modal(edit, CustomerDirectoryDialog)
    keys(window.sale.entry, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: window.sale.customer.phone == "22223333")
    customer = window.sale.customer
    assert (customer.address, customer.type_contributor, customer.department) == ("Calle 1", 2, "06")
