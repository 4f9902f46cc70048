"""Settings screen: Ocote connection, printer, register, language.

Storage is team settings' (``app.config``): ``save_settings`` writes the file atomically without
the key, ``set_api_key`` puts the key in the OS keyring (or its documented private fallback file).
The key field is masked and never shows the stored key back: left empty it keeps the stored one.
Saving and the test print run on the ``backend`` executor (a keyring or a printer may be slow).

What applies when: the printer immediately; the API URL and key, and the language, on restart
(the services are wired once at start), which the dialog says.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.config import Settings
from app.domain.errors import CajaError
from app.i18n import LANGUAGES, _
from app.printing.profiles import PROFILES
from app.services.print_queue import PrintQueue
from app.services.settings_service import printer_changed, save_all, settings_from_values, test_print
from app.ui.context import AppContext
from app.ui.errors import error_text

log = logging.getLogger(__name__)

ERROR_STYLE = "color:#b00020;"


class SettingsDialog(QDialog):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = context
        self.setWindowTitle(_("Settings"))
        self.busy = False
        s = context.settings

        ocote = QGroupBox(_("Ocote"))
        form = QFormLayout(ocote)
        self.api_url = QLineEdit(s.api_url)
        self.api_key = QLineEdit()
        self.api_key.setObjectName("apiKey")
        self.api_key.setEchoMode(QLineEdit.EchoMode.Password)
        self.api_key.setPlaceholderText(
            _("stored; type a new key to replace it") if not s.training_mode else _("none: Caja runs in training mode")
        )
        self.forget_key = QCheckBox(_("Forget the stored key (back to training mode)"))
        self.forget_key.setEnabled(not s.training_mode)
        form.addRow(_("API URL"), self.api_url)
        form.addRow(_("API key"), self.api_key)
        form.addRow("", self.forget_key)

        printer = QGroupBox(_("Printer"))
        form = QFormLayout(printer)
        self.printer_url = QLineEdit(s.printer)
        self.printer_url.setPlaceholderText("tcp://192.168.1.50  ·  usb://04b8:0e28  ·  preview:/tmp/tickets")
        self.profile = QComboBox()
        for name, profile in PROFILES.items():
            self.profile.addItem(profile.display_label, name)
        self.profile.setCurrentIndex(max(0, self.profile.findData(s.printer_profile)))
        self.cut = QCheckBox(_("Cut the paper after each ticket"))
        self.cut.setChecked(s.cut)
        self.drawer = QCheckBox(_("Open the cash drawer on cash sales"))
        self.drawer.setChecked(s.drawer_on_cash)
        self.test_button = QPushButton(_("Test print"))
        self.test_button.clicked.connect(self.test_print)
        test_row = QHBoxLayout()
        test_row.addWidget(self.test_button)
        test_row.addStretch(1)
        form.addRow(_("Printer URL"), self.printer_url)
        form.addRow(_("Model"), self.profile)
        form.addRow("", self.cut)
        form.addRow("", self.drawer)
        form.addRow("", test_row)
        # Word-wrapped labels inside a form layout overlap the rows below (and a long printer
        # error got clipped there): the test result and the note go under the box, full width.
        self.test_result = QLabel()
        self.test_result.setObjectName("testResult")
        self.test_result.setWordWrap(True)
        self.test_result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.test_result.hide()
        self.training_note = QLabel(
            _(
                "In training mode tickets print on this printer marked ENTRENAMIENTO, SIN VALIDEZ; "
                "with no printer they are shown on screen."
            )
        )
        self.training_note.setWordWrap(True)
        self.training_note.setVisible(context.training)

        register = QGroupBox(_("Register"))
        form = QFormLayout(register)
        self.branch = QLineEdit(s.branch_code)
        self.branch.setMaxLength(4)
        self.register = QLineEdit(s.register_code)
        self.register.setMaxLength(4)
        self.cashier = QLineEdit(s.cashier)
        self.language = QComboBox()
        for code, name in LANGUAGES.items():
            self.language.addItem(name, code)
        self.language.setCurrentIndex(max(0, self.language.findData(s.language)))
        form.addRow(_("Branch code"), self.branch)
        form.addRow(_("Register code"), self.register)
        form.addRow(_("Cashier"), self.cashier)
        form.addRow(_("Language"), self.language)

        self.restart_note = QLabel(
            _("The language, the API URL and the API key apply when Caja is restarted; the printer applies at once.")
        )
        self.restart_note.setWordWrap(True)
        self.error = QLabel()
        self.error.setObjectName("settingsError")
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(_("Save"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(ocote)
        layout.addWidget(printer)
        layout.addWidget(self.test_result)
        layout.addWidget(self.training_note)
        layout.addWidget(register)
        layout.addWidget(self.restart_note)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.resize(560, 0)

    # -- values --------------------------------------------------------------------------------
    def new_settings(self, new_key: str = "") -> Settings:
        """The settings as entered (without the key); raises CajaError with what is wrong."""
        return settings_from_values(
            self.ctx.settings,
            dict(
                api_url=self.api_url.text().strip(),
                printer=self.printer_url.text().strip(),
                printer_profile=self.profile.currentData(),
                cut=self.cut.isChecked(),
                drawer_on_cash=self.drawer.isChecked(),
                branch_code=self.branch.text().strip(),
                register_code=self.register.text().strip(),
                cashier=self.cashier.text().strip(),
                language=self.language.currentData(),
            ),
            new_key,
        )

    def _set_busy(self, busy: bool, focus: QWidget | None = None) -> None:
        """Disable the actions while a worker runs. A disabled button loses the keyboard, which Qt
        hands to the next field (the branch code, its text selected): hold it on ``focus`` meanwhile
        and give it back to ``focus`` after."""
        self.busy = busy
        if busy and focus is not None:
            self.setFocus(Qt.FocusReason.OtherFocusReason)  # the dialog keeps it, no field does
        self.buttons.setEnabled(not busy)
        self.test_button.setEnabled(not busy)
        if not busy and focus is not None:
            focus.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- actions ---------------------------------------------------------------------------------
    def test_print(self) -> None:
        if self.busy or self.ctx.printer_factory is None:
            return
        try:
            settings = self.new_settings()
        except CajaError as exc:
            self.error.setText(exc.message)
            return
        self._set_busy(True, self.test_button)
        self.test_result.setStyleSheet("")
        self.test_result.setText(_("Printing the test page…"))
        self.test_result.show()

        def done(_receipt: object) -> None:
            self._set_busy(False, self.test_button)
            self.test_result.setStyleSheet("color:#0b5d1e;")
            self.test_result.setText(_("Test page sent. Check the paper."))

        def failed(exc: BaseException) -> None:
            self._set_busy(False, self.test_button)
            self.test_result.setStyleSheet(ERROR_STYLE + " padding:4px; border:1px solid #b00020;")
            self.test_result.setText(error_text(exc, _("The printer failed; see the log."), what="test print"))

        self.ctx.runner.submit(
            "backend",
            test_print,
            self.ctx.printer_factory,
            settings,
            self.printer_url.text().strip(),
            on_done=done,
            on_error=failed,
        )

    def save(self) -> None:
        if self.busy:
            return
        key = self.api_key.text().strip()
        try:
            settings = self.new_settings(key)
        except CajaError as exc:
            self.error.setText(exc.message)
            return
        self._set_busy(True)
        old = self.ctx.settings

        def done(result: tuple[Settings, PrintQueue | None]) -> None:
            saved, printer = result
            self._set_busy(False)
            self.api_key.clear()
            self.ctx.settings = saved
            if printer is not None:
                self.ctx.use_printer(printer)
            self.accept()

        def failed(exc: BaseException) -> None:
            self._set_busy(False)
            self.error.setText(error_text(exc, _("The settings could not be saved."), what="saving settings"))

        changed = printer_changed(old, settings)
        factory = self.ctx.printer_factory if changed else None  # training prints there too, marked
        self.ctx.runner.submit(
            "backend",
            save_all,
            settings,
            key or None,
            self.forget_key.isChecked(),
            factory,
            on_done=done,
            on_error=failed,
        )
