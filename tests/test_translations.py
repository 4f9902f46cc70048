"""Every user-facing string has a Spanish translation with the same ``{fields}``."""

from __future__ import annotations

import importlib.util
from pathlib import Path

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


def test_command_line_errors_are_in_spanish():
    """argparse's own usage and error words go through the catalog too (default language: es)."""
    import os
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-m", "app", "void", "X", "--yes"], capture_output=True,
                            text=True, cwd=ROOT, env=dict(os.environ))
    assert result.returncode == 2
    assert "uso: caja void" in result.stderr
    assert "faltan estos argumentos obligatorios: --reason" in result.stderr
