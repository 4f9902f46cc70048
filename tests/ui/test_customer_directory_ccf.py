"""F5's customer directory: a customer's crédito fiscal data entered and corrected from the
directory's own form (the CCF dialog), saved in the real journal for the next crédito fiscal."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt

from app.domain.customers import SavedCustomer
from app.ui.ccf_customer import CcfCustomerDialog
from app.ui.customer_directory import CustomerDirectoryDialog

NIT = "0614-051290-101-6"
NRC = "123456-7"


def names(dialog) -> list[str]:
    return [dialog.results.item(i).text().split("  ·  ")[0] for i in range(dialog.results.count())]


def fill(dialog, **values) -> None:
    for attr, value in values.items():
        widget = getattr(dialog, attr)
        if attr == "type_contributor":
            widget.setCurrentIndex(widget.findData(value))
        elif hasattr(widget, "setEditText"):
            widget.setEditText(value)
        else:
            widget.setText(value)


@dataclass(frozen=True)
class Entry:
    code: str
    name: str
    children: tuple[Entry, ...] = ()


class Catalogs:
    """What the sale screen's DocTypeChoice offers: catalogs already loaded."""

    activities = [Entry("47521", "Venta al por menor de artículos de ferretería")]
    departments = [Entry("05", "La Libertad", (Entry("11", "Nuevo Cuscatlán"),))]

    def __init__(self) -> None:
        self.loads = 0

    def load_catalogs(self) -> None:
        self.loads += 1

    def search_activities(self, text, deliver) -> None:
        deliver(self.activities)


def test_the_ccf_data_of_a_saved_customer_is_entered_from_the_directory_and_saved(qtbot, make_window, keys, modal):
    window = make_window("dummy:")
    directory = window.ctx.services.customers
    saved = directory.save(SavedCustomer(None, "Constructora El Progreso", phone="22223333"))
    catalogs = Catalogs()
    dialog = CustomerDirectoryDialog(
        None, window.sale.cart.totals().gross, directory, window.ctx.runner, window, ccf_catalogs=catalogs
    )
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.ccf_button.isVisible() and "fiscal" in dialog.ccf_button.text().lower()
    keys(dialog.search, "progreso")
    qtbot.waitUntil(lambda: names(dialog) == ["Constructora El Progreso"])
    dialog.edit_current()
    seen = {}

    def enter(ccf):
        seen["name"] = ccf.name.text()
        seen["activities"] = ccf.activity_code.count()
        fill(
            ccf,
            nit=NIT,
            nrc=NRC,
            type_contributor=3,
            activity_code="47521",
            department="05",
            municipality="11",
            address="Km 12 Carretera al Puerto",
            email="compras@elprogreso.example",
        )
        keys(None, Qt.Key.Key_Return)

    modal(enter, CcfCustomerDialog)
    assert dialog.edit_ccf_data()
    qtbot.waitUntil(lambda: "saved" in dialog.status.text())
    assert seen == {"name": "Constructora El Progreso", "activities": 2} and catalogs.loads == 1

    kept = directory.get(saved.id)  # the same entry, completed: no second customer
    assert (kept.nrc, kept.contributor_type, kept.activity_code) == ("1234567", 3, "47521")
    assert (kept.department, kept.municipality, kept.address) == ("05", "11", "Km 12 Carretera al Puerto")
    assert kept.activity_name.startswith("Venta al por menor") and kept.phone == "22223333"
    assert dialog.nrc.text() == "1234567" and dialog.email.text() == "compras@elprogreso.example"
    customer = dialog.customer()  # and it goes with the sale when picked
    assert customer is not None and customer.type_contributor == 3 and customer.municipality == "11"
    assert len(directory.search("progreso")) == 1
    dialog.reject()


def test_cancelling_the_ccf_dialog_changes_nothing(qtbot, make_window, modal, keys):
    window = make_window("dummy:")
    directory = window.ctx.services.customers
    saved = directory.save(SavedCustomer(None, "Beto Ruiz"))
    dialog = CustomerDirectoryDialog(None, window.sale.cart.totals().gross, directory, window.ctx.runner, window)
    qtbot.addWidget(dialog)
    dialog.show()
    keys(dialog.search, "beto")
    qtbot.waitUntil(lambda: names(dialog) == ["Beto Ruiz"])
    dialog.edit_current()
    modal(lambda ccf: keys(None, Qt.Key.Key_Escape), CcfCustomerDialog)

    assert not dialog.edit_ccf_data()  # works without catalogs too (codes typed)
    assert directory.get(saved.id) == saved and dialog.ccf_dialog is None
    dialog.reject()
