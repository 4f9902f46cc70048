"""Layering rules, enforced by the import-linter contracts in pyproject.toml ([tool.importlinter]).

* layers: ``__main__ > cli > commands > bootstrap > ui > workers > diagnostics > services > sandbox | store
  > api | journal | printing | config | logs > domain > i18n > resources | paths``; nothing imports a
  layer above it, and the siblings of one layer do not import each other;
* of the services, only the container (training mode) imports the sandbox;
* core packages never import Qt (PySide6 / shiboken6); only ui/, workers/ and the composition root do;
* only the composition root (app/bootstrap.py, app/commands/gui.py) imports app.ui directly;
* the domain imports no keyring (nor anything else platform-bound), and its tests run without it.

The contracts themselves are checked here, so that weakening one (dropping a layer, reordering them,
removing a package from the Qt ban) fails a test instead of passing silently.
"""

from __future__ import annotations

import ast
import subprocess
import sys
import textwrap
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "app"
CORE = ["domain", "api", "printing", "journal", "services", "sandbox", "store"]
QT_MODULES = ("PySide6", "shiboken6", "PyQt5", "PyQt6")


def _contracts(kind: str) -> list[dict]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]
    return [c for c in config["contracts"] if c["type"] == kind]


def _banned_for(module: str) -> set[str]:
    """What the forbidden contracts keep ``module`` from importing."""
    return {m for c in _contracts("forbidden") if module in c["source_modules"] for m in c["forbidden_modules"]}


def _layer_index() -> dict[str, int]:
    (contract,) = _contracts("layers")
    layers = contract["layers"]
    return {name.strip(): i for i, layer in enumerate(layers) for name in layer.split("|")}


def test_import_linter_contracts_are_kept():
    code = (
        "import sys\nfrom importlinter.cli import lint_imports\nsys.exit(lint_imports(no_cache=True, no_logo=True))\n"
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
    # The sandbox is a fake server: below services only so the container can start it in training.
    assert index["services"] < index["sandbox"] < index["api"]
    # The store (PostgreSQL) replicates the journal: below services, above the journal.
    assert index["services"] < index["store"] < index["journal"]
    (contract,) = _contracts("layers")
    assert contract["containers"] == ["app"]
    assert contract.get("exhaustive") is True  # a new top-level package must be placed in a layer


def test_every_app_package_has_a_layer():
    children = {p.stem for p in APP.glob("*.py") if p.stem != "__init__"}
    children |= {p.parent.name for p in APP.glob("*/__init__.py")}
    assert children <= set(_layer_index())


def _imported_names(path: Path) -> list[tuple[int, str]]:
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.append((node.lineno, node.module))
    return out


def _importers_of(package: str, allowed: set[Path]) -> list[str]:
    """Modules outside ``package`` and ``allowed`` that import it directly."""
    own = APP / package.removeprefix("app.").replace(".", "/")
    return [
        f"{path.relative_to(ROOT)}:{line} imports {name}"
        for path in APP.rglob("*.py")
        if path not in allowed and own not in path.parents
        for line, name in _imported_names(path)
        if name == package or name.startswith(package + ".")
    ]


def test_only_the_container_and_its_command_reach_the_sandbox():
    """Training mode's sandbox is started by the services container; no other service may touch it."""
    assert _importers_of("app.sandbox", {APP / "services" / "container.py", APP / "commands" / "sandbox.py"}) == []


def test_only_composition_root_imports_ui():
    """Finer than the layers (which let all of commands/ sit above ui): only these two modules may."""
    assert _importers_of("app.ui", {APP / "bootstrap.py", APP / "commands" / "gui.py"}) == []


def test_qt_ban_covers_every_core_package():
    for package in CORE:
        assert {"PySide6", "shiboken6"} <= _banned_for(f"app.{package}"), package


def test_domain_ban_on_keyring_is_a_contract():
    assert "keyring" in _banned_for("app.domain")


@pytest.mark.slow
def test_domain_tests_pass_without_keyring_installed():
    """The domain is pure Python: its tests (conftest included) must not need the OS keyring."""
    code = textwrap.dedent("""
        import sys
        sys.modules["keyring"] = None  # from here on, `import keyring` raises ImportError
        import pytest
        sys.exit(pytest.main(["tests/domain", "-q", "-x", "-p", "no:cacheprovider"]))
    """)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]


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
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=APP.parent)
    assert result.returncode == 0, result.stdout + result.stderr


def test_modules_over_500_lines_say_why() -> None:
    """A module in app/ grows past ~500 lines only with its reason at the top of its docstring."""
    import ast

    limit = 500
    unexplained = []
    for path in sorted((ROOT / "app").rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        if text.count("\n") <= limit:
            continue
        doc = ast.get_docstring(ast.parse(text)) or ""
        if "Why over 500 lines:" not in doc:
            unexplained.append(f"{path.relative_to(ROOT)} ({text.count(chr(10))} lines)")
    assert not unexplained, "split these modules or give the reason ('Why over 500 lines: ...'): " + ", ".join(
        unexplained
    )
