"""The sale screen's big total and the document in the cart: a CCF with withholding shows what is
paid ("TO PAY"), and a credit note put back in the cart is never turned into a Factura (real window,
real journal)."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from app.domain.ccf import DocType
from app.domain.invoice import Customer, InvoiceDraft, SaleLine
from app.journal import SaleState
from app.ui.sale_doc import TOTAL_CAPTION, charge_refusal, payment_caption, total_shown

CUSTOMER = dict(
    name="Constructora El Progreso, S.A. de C.V.",
    nit="0614-051290-101-6",
    nrc="123456-7",
    type_contributor=3,
    activity_code="47521",
    department="05",
    municipality="11",
    address="Km 12 Carretera al Puerto",
    email="compras@elprogreso.example",
)
CEMENT = SaleLine("Cemento gris 42.5 kg", Decimal(1), Decimal("120.00"))


def caption(window) -> str:
    label = window.sale.findChild(QLabel, TOTAL_CAPTION)
    assert label is not None
    return label.text()


def test_what_the_total_shows_per_document():
    ccf = InvoiceDraft(lines=(CEMENT,), customer=Customer(**CUSTOMER), doc_type=DocType.CCF)
    shown = total_shown(ccf)
    assert (shown.caption, shown.amount) == ("TO PAY", Decimal("118.94")) == ("TO PAY", ccf.amount_due)
    assert "$120.00" in shown.detail and "$1.06" in shown.detail
    assert payment_caption(ccf) == "To pay"
    small = InvoiceDraft(
        lines=(CEMENT,), customer=Customer(**{**CUSTOMER, "type_contributor": 1}), doc_type=DocType.CCF
    )
    assert (total_shown(small).caption, total_shown(small).amount) == ("TOTAL", Decimal("120.00"))
    assert payment_caption(small) == "" and charge_refusal(DocType.CCF) is None
    note = InvoiceDraft(lines=(CEMENT,), doc_type=DocType.CREDIT_NOTE, adjusts="X")
    assert total_shown(note).amount == Decimal("-120.00") and "credit note" in charge_refusal("05")


def test_a_ccf_with_withholding_shows_what_is_paid_as_the_big_total(qtbot, make_window, keys, spanish):
    window = make_window("dummy:")
    sale = window.sale
    sale.customer = Customer(**CUSTOMER)
    sale.cart.add(CEMENT)
    sale.model.refresh()
    assert (caption(window), sale.total_label.text()) == ("TOTAL", "$120.00")

    keys(sale.entry, Qt.Key.Key_F7)  # the customer is complete: no dialog
    qtbot.waitUntil(lambda: sale.doc.is_ccf)
    assert (caption(window), sale.total_label.text()) == ("A PAGAR", "$118.94")
    assert sale.total_label.text().lstrip("$") == f"{sale.draft().amount_due}"  # what the payment asks

    keys(sale.entry, Qt.Key.Key_F7)  # back to a Factura: the whole total is paid
    assert (caption(window), sale.total_label.text()) == ("TOTAL", "$120.00")


def test_a_credit_note_put_back_in_the_cart_says_why_it_is_not_charged_and_f7_refuses(qtbot, make_window, keys):
    window = make_window("dummy:")
    sale = window.sale
    journal = window.ctx.services.journal
    draft = InvoiceDraft(
        lines=(SaleLine("Cemento gris 42.5 kg", Decimal(2), Decimal("11.30")),),
        customer=Customer(**CUSTOMER),
        doc_type=DocType.CREDIT_NOTE,
        adjusts="M001P001-20261203-000001",
    )
    note = journal.sales.create(draft, register="M001P001", state=SaleState.REJECTED)
    sale.load_sale(journal.sales.get(note.id))

    assert sale.doc.doc_type is DocType.CREDIT_NOTE
    assert sale.doc.summary.isVisible() and "credit note" in sale.doc.summary.text()
    assert (caption(window), sale.total_label.text()) == ("CREDIT NOTE", "-$22.60")
    keys(sale.entry, Qt.Key.Key_F7)
    assert sale.doc.doc_type is DocType.CREDIT_NOTE and not sale.doc.button.isChecked()
    assert "cannot be turned into a Factura" in sale.message.text()


def test_the_payment_dialog_asks_for_the_amount_to_pay_under_the_same_caption(qtbot, make_window, keys, modal, spanish):
    from app.ui.dialogs import PaymentDialog

    window = make_window("dummy:")
    sale = window.sale
    sale.customer = Customer(**CUSTOMER)
    sale.cart.add(CEMENT)
    sale.model.refresh()
    keys(sale.entry, Qt.Key.Key_F7)
    qtbot.waitUntil(lambda: sale.doc.is_ccf)
    seen = {}

    def look(dialog):
        label = dialog.form.labelForField(dialog.form.itemAt(0, dialog.form.ItemRole.FieldRole).widget())
        seen["caption"] = label.text()
        seen["amount"] = dialog.form.itemAt(0, dialog.form.ItemRole.FieldRole).widget().text()
        keys(None, Qt.Key.Key_Escape)

    modal(look, PaymentDialog)
    keys(sale.entry, Qt.Key.Key_F12)
    qtbot.waitUntil(lambda: "amount" in seen)
    assert seen == {"caption": "A pagar", "amount": "$118.94"}
    assert sale.total_label.text() == "$118.94"


def test_charging_a_credit_note_put_back_in_the_cart_is_refused_saying_why(qtbot, make_window, keys, modal):
    from app.ui.dialogs import PaymentDialog

    window = make_window("dummy:")
    sale = window.sale
    journal = window.ctx.services.journal
    draft = InvoiceDraft(lines=(CEMENT,), customer=Customer(**CUSTOMER), doc_type=DocType.CREDIT_NOTE, adjusts="X-1")
    note = journal.sales.create(draft, register="M001P001", state=SaleState.REJECTED)
    sale.load_sale(journal.sales.get(note.id))
    opened = []
    modal(lambda dialog: (opened.append(dialog), keys(None, Qt.Key.Key_Escape)), PaymentDialog, tries=0)

    keys(sale.entry, Qt.Key.Key_F12)

    assert "credit note" in sale.message.text() and "History" in sale.message.text()
    assert len(sale.cart) == 1 and journal.sales.get(note.id).state is SaleState.REJECTED
    assert opened == []  # F12 runs charge() to the end: a payment dialog would have been answered by now
