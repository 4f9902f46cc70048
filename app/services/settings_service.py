"""Saving the settings and printing a test page, for the Settings dialog (Qt-free).

Storage is team settings' (``app.config``): ``save_settings`` writes the file atomically without
the key, ``set_api_key`` puts the key in the OS keyring (or its documented private fallback file).
Both functions that touch the disk, the keyring or a printer block: run them on a worker.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError as PydanticValidationError

from app.config import Settings, is_valid_api_key, save_settings, set_api_key
from app.domain.errors import CajaError
from app.i18n import _
from app.services.container import PrinterFactory
from app.services.print_queue import PrintQueue

if TYPE_CHECKING:
    from app.printing.ticket_printer import PrintReceipt


def settings_from_values(current: Settings, changes: Mapping[str, Any], new_key: str = "") -> Settings:
    """``current`` with ``changes`` applied and checked; the key in effect is kept in memory.

    Raises:
        CajaError: names every field that is wrong (or the malformed ``new_key``).
    """
    values = current.model_dump()
    values.update(changes)
    try:
        settings = Settings.model_validate(values)
    except PydanticValidationError as exc:
        names = {"api_url": _("API URL"), "branch_code": _("Branch code"), "register_code": _("Register code")}
        fields = sorted({names.get(str(e["loc"][0]), str(e["loc"][0])) for e in exc.errors()})
        raise CajaError(_("Check these fields: {fields}").format(fields=", ".join(fields))) from None
    if new_key and not is_valid_api_key(new_key):
        raise CajaError(_("The API key must be “odt_” followed by 56 lowercase hexadecimal characters."))
    # The key in effect stays in memory for this run; it is never written to the file.
    return settings.model_copy(update={"api_key": current.api_key})


def printer_changed(old: Settings, new: Settings) -> bool:
    """True when the new settings need another print queue."""
    return (new.printer, new.printer_profile, new.cut) != (old.printer, old.printer_profile, old.cut)


def save_all(
    settings: Settings, new_key: str | None, forget_key: bool, printer_factory: PrinterFactory | None = None
) -> tuple[Settings, PrintQueue | None]:
    """Store the settings file and, when asked, the API key (keyring). Runs on a worker.

    Returns ``(settings, printer)``: a new print queue when ``printer_factory`` is given (the
    printer changed), made first so that a bad printer URL stops the save before anything is
    written.
    """
    printer = printer_factory(settings, None) if printer_factory is not None else None
    save_settings(settings)
    if forget_key:
        set_api_key(None)
    elif new_key:
        set_api_key(new_key)
    return settings, printer


def test_print(factory: PrinterFactory, settings: Settings, url: str) -> PrintReceipt:
    """Print the self-test page on ``url`` with a throwaway print queue (its own printer thread)."""
    queue = factory(settings, url or None)
    try:
        return queue.run(queue.printer.test_page)
    finally:
        queue.close()


test_print.__test__ = False  # type: ignore[attr-defined]  # not a pytest test when imported
