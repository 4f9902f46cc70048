"""Choosing Crédito fiscal at the sale: F7, the CCF customer dialog validated live, the preview of
the amounts, and the proposal when a customer with an NRC is chosen."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox

from app.domain.ccf import DocType
from app.domain.invoice import Customer, SaleLine
from app.ui.ccf_customer import CcfCustomerDialog, entry_text, leading_code
from app.ui.dialogs import CustomerDialog

NIT = "0614-051290-101-6"
NRC = "123456-7"


@dataclass(frozen=True)
class Entry:
    code: str
    name: str
    children: tuple[Entry, ...] = ()


ACTIVITIES = (Entry("47521", "Venta al por menor de artículos de ferretería"), Entry("56101", "Restaurantes"))
DEPARTMENTS = (
    Entry("05", "La Libertad", (Entry("11", "Nuevo Cuscatlán"), Entry("23", "Santa Tecla"))),
    Entry("06", "San Salvador", (Entry("14", "San Salvador"),)),
)


def ok_enabled(dialog) -> bool:
    return dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()


def fill(dialog, **values) -> None:
    for attr, value in values.items():
        widget = getattr(dialog, attr)
        if attr == "type_contributor":
            widget.setCurrentIndex(widget.findData(value))
        elif hasattr(widget, "setEditText"):
            widget.setEditText(value)
        else:
            widget.setText(value)


COMPLETE = dict(
    name="Constructora El Progreso, S.A. de C.V.",
    nit=NIT,
    nrc=NRC,
    type_contributor=3,
    activity_code="47521",
    department="05",
    municipality="11",
    address="Km 12 Carretera al Puerto",
    email="compras@elprogreso.example",
)


def test_dialog_says_what_is_missing_then_what_is_wrong_and_accepts_only_a_complete_customer(qtbot):
    dialog = CcfCustomerDialog(None, activities=ACTIVITIES, departments=DEPARTMENTS)
    qtbot.addWidget(dialog)
    assert not ok_enabled(dialog)
    assert dialog.error.text().startswith("Still missing: Name, NIT, NRC")
    assert dialog.name.property("invalid") is False  # not red before the cashier got to it

    fill(dialog, **{**COMPLETE, "nit": "0614-051290-101-3"})  # wrong check digit
    assert not ok_enabled(dialog)
    assert dialog.nit.property("invalid") is True
    assert "NIT" in dialog.error.text() and "Still missing" not in dialog.error.text()

    fill(dialog, nit=NIT)
    assert ok_enabled(dialog), dialog.error.text()
    customer = dialog.customer()
    assert (customer.name, customer.type_contributor, customer.activity_code) == (COMPLETE["name"], 3, "47521")
    assert (customer.department, customer.municipality) == ("05", "11")
    # Catalog entries are shown with their names once the field is left, the code is what is kept.
    dialog.activity_code.lineEdit().editingFinished.emit()
    assert dialog.activity_code.currentText() == entry_text(ACTIVITIES[0])


def test_department_fills_its_municipalities_and_typed_codes_work_without_a_catalog(qtbot):
    dialog = CcfCustomerDialog(None, departments=DEPARTMENTS)
    qtbot.addWidget(dialog)
    fill(dialog, department="06")
    names = [dialog.municipality.itemText(i) for i in range(dialog.municipality.count())]
    assert names == ["", "14 — San Salvador"]

    bare = CcfCustomerDialog(None)  # no catalog (Ocote could not give it): codes are typed
    qtbot.addWidget(bare)
    fill(bare, **COMPLETE)
    assert ok_enabled(bare), bare.error.text()
    fill(bare, activity_code="ferretería")  # words but no code: said plainly
    assert not ok_enabled(bare) and "47521" in bare.error.text()
    assert leading_code("06 — San Salvador") == "06" and leading_code(" x ") == "x"


def test_typing_words_in_the_activity_searches_the_catalog(qtbot):
    asked = []

    def search(text, deliver):
        asked.append(text)
        deliver([Entry("41001", "Construcción de edificios residenciales")])

    dialog = CcfCustomerDialog(None, activities=ACTIVITIES, search=search)
    qtbot.addWidget(dialog)
    dialog.activity_code.setEditText("constr")
    qtbot.waitUntil(lambda: asked == ["constr"], timeout=5_000)
    assert dialog.activity_code.findData("41001") > 0


def test_reported_problems_stay_on_their_field_until_it_changes(qtbot):
    from app.domain.errors import FieldError

    dialog = CcfCustomerDialog(Customer(**COMPLETE))
    qtbot.addWidget(dialog)
    assert ok_enabled(dialog)
    dialog.mark_errors([FieldError("customer.nrc", "Ocote: NRC not registered")])
    assert not ok_enabled(dialog) and "NRC not registered" in dialog.error.text()
    fill(dialog, nrc="765432-1")
    assert ok_enabled(dialog)


def ring_up(window, keys, amount: str = "120.00") -> None:
    window.sale.cart.add(SaleLine("Cemento gris 42.5 kg", Decimal(1), Decimal(amount)))
    window.sale.model.refresh()


def test_f7_makes_the_sale_a_ccf_with_its_preview_and_back(qtbot, make_window, keys, modal):
    window = make_window("dummy:")
    sale = window.sale
    assert "F7" in sale.doc.button.text() and sale.doc.button.isVisible()
    ring_up(window, keys)

    def enter(dialog):
        assert isinstance(dialog, CcfCustomerDialog)
        fill(dialog, **COMPLETE)
        keys(None, Qt.Key.Key_Return)

    modal(enter, CcfCustomerDialog)
    keys(sale.entry, Qt.Key.Key_F7)
    qtbot.waitUntil(lambda: sale.doc.is_ccf and sale.customer is not None)
    assert sale.doc.button.isChecked()
    draft = sale.draft()
    assert draft.doc_type is DocType.CCF and draft.customer.nrc == NRC
    # $120.00 on the shelf: base $106.19, VAT $13.81, a large contributor withholds $1.06.
    text = sale.doc.summary.text()
    assert sale.doc.summary.isVisible()
    for expected in ("CRÉDITO FISCAL", "$106.19", "$13.81", "$1.06", "$118.94"):
        assert expected in text, text
    assert draft.amount_due == Decimal("118.94")

    keys(sale.entry, Qt.Key.Key_F7)  # back to a Factura: the customer stays
    assert sale.draft().doc_type is DocType.INVOICE and not sale.doc.summary.isVisible()
    assert sale.customer.nrc == NRC


def test_cancelling_the_ccf_dialog_keeps_the_factura(qtbot, make_window, keys, modal):
    window = make_window("dummy:")
    ring_up(window, keys)
    modal(lambda dialog: keys(None, Qt.Key.Key_Escape), CcfCustomerDialog)
    keys(window.sale.entry, Qt.Key.Key_F7)
    qtbot.waitUntil(lambda: window.sale.entry.hasFocus())
    assert window.sale.draft().doc_type is DocType.INVOICE and not window.sale.doc.button.isChecked()


def test_a_customer_with_an_nrc_is_proposed_a_ccf(qtbot, make_window, keys, modal):
    window = make_window("dummy:")
    sale = window.sale
    ring_up(window, keys, "20.00")

    def customer(dialog):
        dialog.name.setText("Constructora El Progreso")
        dialog.nit.setText(NIT)
        dialog.nrc.setText(NRC)
        modal(lambda box: keys(None, Qt.Key.Key_Return), QMessageBox)  # "Yes" is the default

        def ccf(second):
            # What the Factura's dialog had is carried over; the rest is asked for.
            assert second.name.text() == "Constructora El Progreso" and second.nrc.text() == NRC
            fill(second, **{k: v for k, v in COMPLETE.items() if k not in ("name", "nit", "nrc")})
            keys(None, Qt.Key.Key_Return)

        modal(ccf, CcfCustomerDialog)
        # The customer directory (F5) opens on its search box: Return there picks a search result,
        # so the typed customer is accepted from its fields, as a person would.
        dialog.name.setFocus()
        keys(dialog.name, Qt.Key.Key_Return)

    modal(customer, CustomerDialog)
    keys(sale.entry, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: sale.doc.is_ccf and sale.customer.activity_code == "47521", timeout=10_000)
    # Below $100 of base: no withholding, what is paid is the shelf total.
    assert "retenido" not in sale.doc.summary.text().lower() and sale.draft().amount_due == Decimal("20.00")
    sale.new_sale()  # the next sale starts as a Factura
    assert sale.draft().doc_type is DocType.INVOICE
