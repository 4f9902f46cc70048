"""Layering rules, enforced by the import-linter contracts in pyproject.toml ([tool.importlinter]).

* layers: ``__main__ > cli > commands > bootstrap > ui > workers > services | sandbox | diagnostics
  > api | journal | printing | config | logs > domain > i18n > resources | paths``; nothing imports a
  layer above it, and the siblings of one layer do not import each other;
* core packages never import Qt (PySide6 / shiboken6); only ui/, workers/ and the composition root do.

The contracts themselves are checked here, so that weakening one (dropping a layer, reordering them,
removing a package from the Qt ban) fails a test instead of passing silently.
"""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "app"
CORE = ["domain", "api", "printing", "journal", "services", "sandbox"]
QT_MODULES = ("PySide6", "shiboken6", "PyQt5", "PyQt6")


def _contracts() -> dict[str, dict]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]
    return {c["type"]: c for c in config["contracts"]}


def _layer_index() -> dict[str, int]:
    layers = _contracts()["layers"]["layers"]
    return {name.strip(): i for i, layer in enumerate(layers) for name in layer.split("|")}


def test_import_linter_contracts_are_kept():
    code = (
        "import sys\n"
        "from importlinter.cli import lint_imports\n"
        "sys.exit(lint_imports(no_cache=True, no_logo=True))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


def test_layers_contract_keeps_the_architecture_order():
    index = _layer_index()
    order = ["bootstrap", "ui", "workers", "services", "api", "domain"]
    ranks = [index[name] for name in order]  # 0 is the top layer
    assert ranks == sorted(set(ranks)), dict(zip(order, ranks, strict=True))
    # The adapters share one layer and are independent of each other.
    assert index["api"] == index["journal"] == index["printing"]
    # The sandbox is a fake server: services never reach it (same layer, independent).
    assert index["sandbox"] == index["services"]
    contract = _contracts()["layers"]
    assert contract["containers"] == ["app"]
    assert contract.get("exhaustive") is True  # a new top-level package must be placed in a layer


def test_every_app_package_has_a_layer():
    children = {p.stem for p in APP.glob("*.py") if p.stem != "__init__"}
    children |= {p.parent.name for p in APP.glob("*/__init__.py")}
    assert children <= set(_layer_index())


def test_qt_ban_covers_every_core_package():
    contract = _contracts()["forbidden"]
    assert {f"app.{p}" for p in CORE} <= set(contract["source_modules"])
    assert {"PySide6", "shiboken6"} <= set(contract["forbidden_modules"])


def test_importing_every_core_module_loads_no_qt():
    """The static contracts miss dynamic imports; this one runs the imports for real."""
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
