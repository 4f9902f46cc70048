"""Every user-facing string has a Spanish translation with the same ``{fields}`` and all plural forms.

The catalogs are gettext ``.po`` files (``resources/translations/<lang>/LC_MESSAGES/caja.po``) kept
by ``packaging/translations.py``; the app reads the compiled ``.mo`` with the stdlib ``gettext``.
"""

from __future__ import annotations

import gettext
import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app import i18n

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("translations_tool", ROOT / "packaging" / "translations.py")
translations_tool = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(translations_tool)


def test_every_string_is_translated_to_spanish():
    problems = translations_tool.problems()
    assert problems == [], "run `python packaging/translations.py extract` and translate:\n" + "\n".join(problems)


def test_language_switch(spanish):
    assert i18n.current_language() == "es"
    assert i18n._("Caja point of sale") == "Punto de venta Caja"
    i18n.set_language("en")
    assert i18n._("Caja point of sale") == "Caja point of sale"


def test_unknown_language_falls_back_to_spanish():
    assert i18n.set_language("xx_YY") == "es"


@pytest.mark.parametrize(
    ("singular", "plural", "one", "two"),
    [
        ("{n} sale found.", "{n} sales found.", "1 venta encontrada.", "2 ventas encontradas."),
        (
            "{n} document needs attention.",
            "{n} documents need attention.",
            "1 documento requiere atención.",
            "2 documentos requieren atención.",
        ),
        ("{n} document counted", "{n} documents counted", "1 documento contabilizado", "2 documentos contabilizados"),
        ("{n} new product", "{n} new products", "1 producto nuevo", "2 productos nuevos"),
    ],
)
def test_plural_forms_follow_the_count_in_spanish(spanish, singular, plural, one, two):
    assert i18n.ngettext(singular, plural, 1).format(n=1) == one
    assert i18n.ngettext(singular, plural, 2).format(n=2) == two
    assert i18n.ngettext(singular, plural, 0).format(n=0) == two.replace("2", "0", 1)  # "0 ventas"


def test_plural_forms_in_english_need_no_catalog():
    i18n.set_language("en")
    assert i18n.ngettext("{n} sale found.", "{n} sales found.", 1).format(n=1) == "1 sale found."
    assert i18n.ngettext("{n} sale found.", "{n} sales found.", 3).format(n=3) == "3 sales found."


def test_every_plural_message_has_both_spanish_forms_with_the_count():
    catalog = translations_tool.read_catalog("es")
    assert catalog.num_plurals == 2
    plurals = [m for m in catalog if m.id and m.pluralizable]
    assert len(plurals) >= 8  # history, end of day, catalog import, diagnostics, rate limit...
    for message in plurals:
        assert len(message.string) == 2 and all(message.string), message.id
        assert "{n}" not in message.id[1] or "{n}" in message.string[1], message.id


def test_messages_with_a_context_are_translated_apart(spanish):
    assert i18n.pgettext("QFileDialog", "&Look in:") == "Buscar &en:"
    assert i18n._("&Look in:") == "&Look in:"  # the same English without that context is another message


# ----------------------------------------------------------------------------------- the check itself


@pytest.fixture
def scratch_catalogs(tmp_path, monkeypatch):
    """The tool pointed at an empty translations folder and a fixed set of source strings."""
    monkeypatch.setattr(translations_tool, "TRANSLATIONS", tmp_path)
    found = {}

    def source(msgid, plural=None, context=None):
        entry = translations_tool.Found()
        entry.plural = plural
        entry.files.add("app/example.py")
        found[(context, msgid)] = entry

    monkeypatch.setattr(translations_tool, "collect", lambda: dict(found))
    return source


def _write(entries: list[tuple[str | tuple[str, str], str | tuple[str, ...]]]) -> None:
    catalog = translations_tool.new_catalog("es")
    for msgid, string in entries:
        catalog.add(msgid, string)
    translations_tool.write_catalog("es", catalog)


def test_check_reports_untranslated_strings(scratch_catalogs):
    scratch_catalogs("Sale {ref} was voided")
    scratch_catalogs("Cancel")
    _write([("Sale {ref} was voided", "")])
    problems = translations_tool.problems()
    assert any("untranslated" in p and "Sale {ref} was voided" in p for p in problems)
    assert any("not in the catalog" in p and "'Cancel'" in p for p in problems)


def test_check_reports_changed_placeholders(scratch_catalogs):
    scratch_catalogs("Sale {ref} was voided")
    scratch_catalogs("%(prog)s: error: %(message)s\n")
    _write(
        [
            ("Sale {ref} was voided", "La venta {referencia} fue anulada"),
            ("%(prog)s: error: %(message)s\n", "%(prog)s: error\n"),
        ]
    )
    problems = translations_tool.problems()
    assert len(problems) == 2 and all("placeholders differ" in p for p in problems)


def test_check_reports_incomplete_plural_forms(scratch_catalogs):
    scratch_catalogs("{n} sale found.", "{n} sales found.")
    scratch_catalogs("{n} row", "{n} rows")
    scratch_catalogs("{n} line", "{n} lines")
    _write(
        [
            (("{n} sale found.", "{n} sales found."), ("{n} venta encontrada.", "")),
            (("{n} row", "{n} rows"), ("{n} fila", "filas")),  # the count lost in the plural form
            (("{n} line", "{n} lines"), ("una línea", "{n} líneas")),
        ]
    )  # the singular may spell out 1
    problems = translations_tool.problems()
    assert len(problems) == 2
    assert "plural forms incomplete" in problems[0] or "plural forms incomplete" in problems[1]
    assert any("placeholders differ" in p and "'filas'" in p for p in problems)


def test_check_reports_a_wrong_plural_rule(scratch_catalogs):
    scratch_catalogs("Cancel")
    catalog = translations_tool.new_catalog("es")
    catalog.mime_headers = [(k, v) for k, v in catalog.mime_headers if k != "Plural-Forms"] + [
        ("Plural-Forms", "nplurals=1; plural=0;")
    ]
    catalog.add("Cancel", "Cancelar")
    translations_tool.write_catalog("es", catalog)
    assert any("Plural-Forms" in p for p in translations_tool.problems())


def test_compiled_catalog_is_read_by_the_standard_library(scratch_catalogs):
    scratch_catalogs("{n} sale found.", "{n} sales found.")
    scratch_catalogs("Cancel")
    scratch_catalogs("Unfinished")
    _write(
        [
            (("{n} sale found.", "{n} sales found."), ("{n} venta encontrada.", "{n} ventas encontradas.")),
            ("Cancel", "Cancelar"),
            ("Unfinished", ""),
        ]
    )
    assert translations_tool.compile_catalogs() == 0
    with open(translations_tool.mo_path("es"), "rb") as fh:
        catalog = gettext.GNUTranslations(fh)
    assert catalog.ngettext("{n} sale found.", "{n} sales found.", 1) == "{n} venta encontrada."
    assert catalog.ngettext("{n} sale found.", "{n} sales found.", 2) == "{n} ventas encontradas."
    assert catalog.gettext("Cancel") == "Cancelar"
    assert catalog.gettext("Unfinished") == "Unfinished"  # English, never an empty string


# ------------------------------------------------------------------------------------ loading at run time


@pytest.fixture
def catalog_folder(tmp_path, monkeypatch):
    """``app.i18n`` reading its Spanish catalog from a temporary folder."""
    monkeypatch.setattr(i18n, "catalog_dir", lambda language: tmp_path)
    po = tmp_path / "caja.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n'
        '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n'
        'msgid "Cancel"\nmsgstr "Cancelar"\n',
        encoding="utf-8",
    )
    yield tmp_path
    i18n.set_language("en")


def test_the_compiled_catalog_needs_no_babel(catalog_folder, monkeypatch):
    mo = catalog_folder / "caja.mo"
    mo.write_bytes(i18n.mo_bytes(catalog_folder / "caja.po"))
    os.utime(mo, (mo.stat().st_atime, (catalog_folder / "caja.po").stat().st_mtime + 10))
    monkeypatch.setitem(sys.modules, "babel", None)  # any import of Babel now fails
    i18n.set_language("es")
    assert i18n._("Cancel") == "Cancelar"


def test_a_stale_compiled_catalog_is_not_used_in_a_checkout(catalog_folder):
    """After a pull the .po is newer than the .mo: the .po is what the developer means."""
    mo = catalog_folder / "caja.mo"
    po = catalog_folder / "caja.po"
    mo.write_bytes(i18n.mo_bytes(po))
    po.write_text(po.read_text(encoding="utf-8").replace("Cancelar", "Cancelar ya"), encoding="utf-8")
    os.utime(po, (po.stat().st_atime, mo.stat().st_mtime + 10))
    i18n.set_language("es")
    assert i18n._("Cancel") == "Cancelar ya"


# --------------------------------------------------------------------------------------- Qt's own strings


def test_qt_dialogs_speak_spanish(qapp, qtbot, spanish):
    """Qt's catalog for standard buttons, and Caja's for the file dialog labels Qt's catalog lacks."""
    from PySide6.QtWidgets import QFileDialog, QLabel, QMessageBox

    from app.bootstrap import install_translators

    translators = install_translators(qapp)
    try:
        box = QMessageBox(
            QMessageBox.Icon.Question, "Caja", "?", QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel
        )
        qtbot.addWidget(box)
        assert box.button(QMessageBox.StandardButton.Yes).text() == "&Sí"
        assert box.button(QMessageBox.StandardButton.Cancel).text() == "Cancelar"
        dialog = QFileDialog(None, "Caja")
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
        qtbot.addWidget(dialog)
        labels = {label.text() for label in dialog.findChildren(QLabel)}
        assert {"Buscar &en:", "Archivos de &tipo:", "&Nombre de archivo:"} <= labels  # Latin American Spanish
    finally:
        for translator in translators:
            qapp.removeTranslator(translator)
    dialog = QFileDialog(None, "Caja")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    qtbot.addWidget(dialog)
    assert "&Look in:" in {label.text() for label in dialog.findChildren(QLabel)}


def test_no_translators_for_english(qapp):
    from app.bootstrap import install_translators

    i18n.set_language("en")
    assert install_translators(qapp) == []


def test_command_line_errors_are_in_spanish():
    """argparse's own usage and error words go through the catalog too (default language: es)."""
    result = subprocess.run(
        [sys.executable, "-m", "app", "void", "X", "--yes"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=dict(os.environ),
    )
    assert result.returncode == 2
    assert "uso: caja void" in result.stderr
    assert "faltan estos argumentos obligatorios: --reason" in result.stderr
