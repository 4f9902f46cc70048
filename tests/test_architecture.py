"""Layering rules: core packages never import Qt; nothing but the composition root imports ``ui``."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

APP = Path(__file__).resolve().parent.parent / "app"
CORE = ["domain", "api", "printing", "journal", "services", "sandbox"]
QT_MODULES = ("PySide6", "shiboken6", "PyQt5", "PyQt6")


def imported_modules(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.append((node.lineno, node.module))
    return out


def test_core_packages_do_not_import_qt():
    offenders = []
    for package in CORE:
        for path in (APP / package).rglob("*.py"):
            for line, name in imported_modules(path):
                if name.split(".")[0] in QT_MODULES:
                    offenders.append(f"{path.relative_to(APP.parent)}:{line} imports {name}")
    assert offenders == []


def test_core_packages_do_not_import_ui_or_workers():
    offenders = []
    for package in CORE:
        for path in (APP / package).rglob("*.py"):
            for line, name in imported_modules(path):
                if name.startswith(("app.ui", "app.workers")):
                    offenders.append(f"{path.relative_to(APP.parent)}:{line} imports {name}")
    assert offenders == []


def test_only_composition_root_imports_ui():
    allowed = {APP / "bootstrap.py", APP / "commands" / "gui.py"}
    offenders = []
    for path in APP.rglob("*.py"):
        if path in allowed or (APP / "ui") in path.parents:
            continue
        for line, name in imported_modules(path):
            if name.startswith("app.ui"):
                offenders.append(f"{path.relative_to(APP.parent)}:{line} imports {name}")
    assert offenders == []


def test_importing_every_core_module_loads_no_qt():
    """The static check above misses dynamic imports; this one runs the imports for real."""
    modules = []
    for package in CORE:
        for path in sorted((APP / package).rglob("*.py")):
            rel = path.relative_to(APP.parent).with_suffix("")
            parts = list(rel.parts)
            if parts[-1] == "__init__":
                parts.pop()
            modules.append(".".join(parts))
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        f"bad = [m for m in sys.modules if m.split('.')[0] in {QT_MODULES!r}]\n"
        "print(','.join(bad)); sys.exit(1 if bad else 0)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=APP.parent)
    assert result.returncode == 0, result.stdout + result.stderr
