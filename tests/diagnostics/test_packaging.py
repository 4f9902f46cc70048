"""Packaging files are consistent; the build script never skips silently.

The frozen build itself runs in CI (``.ci/run``: ``packaging/build.py --smoke``), not here: it takes
minutes.
"""

from __future__ import annotations

import ast
import configparser
import importlib.util
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PIL import Image

from app import __version__

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"


def load_build_script():
    spec = importlib.util.spec_from_file_location("caja_build_script", PACKAGING / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_spec_is_valid_python_and_names_what_exists():
    source = (PACKAGING / "caja.spec").read_text(encoding="utf-8")
    ast.parse(source)
    assert '"app" / "__main__.py"' in source and (ROOT / "app" / "__main__.py").exists()
    assert (ROOT / "resources" / "icons" / "caja.png").exists()
    assert 'name="caja"' in source
    for needed in ('collect_data_files("escpos")', '"pymupdf"', '"keyring.backends"', '"PySide6.QtWidgets"'):
        assert needed in source
    for unused in ("QtNetwork", "QtQml", "QtQuick", "QtWebEngineCore", "QtMultimedia", "QtPdf"):
        assert f'"{unused}"' in source


def test_escpos_capabilities_file_exists_where_the_spec_collects_it():
    escpos = importlib.util.find_spec("escpos")
    assert (Path(escpos.origin).parent / "capabilities.json").is_file()


def test_desktop_entry():
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str
    parser.read(PACKAGING / "caja.desktop", encoding="utf-8")
    entry = parser["Desktop Entry"]
    assert entry["Type"] == "Application"
    assert entry["Exec"] == "caja" and entry["Icon"] == "caja"
    assert entry["Terminal"] == "false"
    assert entry["Categories"].endswith(";")
    assert entry["Name"] == "Caja" and "Comment[es]" in entry


def test_icons():
    with Image.open(ROOT / "resources" / "icons" / "caja.png") as png:
        assert png.size == (256, 256) and png.mode == "RGBA"
        assert png.getpixel((0, 0))[3] == 0  # transparent corner
    svg = ET.parse(ROOT / "resources" / "icons" / "caja.svg").getroot()
    assert svg.tag.endswith("svg") and svg.get("viewBox") == "0 0 64 64"


def test_udev_rules_are_well_formed_and_documented():
    text = (PACKAGING / "udev" / "60-caja-escpos.rules").read_text(encoding="utf-8")
    rules = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    device_rules = [r for r in rules if 'SUBSYSTEM=="usb' in r]
    assert device_rules
    for rule in device_rules:
        assert 'TAG+="uaccess"' in rule and 'GROUP="lp"' in rule and 'MODE="0660"' in rule
        assert rule.count('"') % 2 == 0
    used = set(re.findall(r'idVendor}=="([0-9a-f]{4})"', text))
    documented = set(re.findall(r"^#   ([0-9a-f]{4}) ", text, flags=re.M)) | {"0416"}
    assert used == documented == {"04b8", "0519", "1504", "1d90", "0416"}
    assert 'ATTRS{idProduct}=="5011"' in text  # the Winbond chip: one product, not the vendor


def test_build_script_says_so_when_pyinstaller_is_missing(monkeypatch, capsys):
    build = load_build_script()
    real_find_spec = build.importlib.util.find_spec
    monkeypatch.setattr(
        build.importlib.util, "find_spec", lambda name, *a: None if name == "PyInstaller" else real_find_spec(name, *a)
    )
    monkeypatch.chdir(ROOT)
    assert build.main(["--no-install", "--skip-if-unavailable"]) == 0
    assert "SKIPPED: the frozen build was not made: PyInstaller is not installed" in capsys.readouterr().out
    assert build.main(["--no-install"]) == build.EXIT_UNAVAILABLE
    assert "SKIPPED" in capsys.readouterr().out


def test_build_requirements_come_from_pyproject():
    assert any(r.startswith("pyinstaller") for r in load_build_script().build_requirements())


def test_the_build_scripts_test_ticket_is_a_one_page_80mm_pdf(tmp_path):
    import pymupdf

    load_build_script().ticket_pdf(tmp_path / "t.pdf")
    with pymupdf.open(tmp_path / "t.pdf") as doc:
        assert doc.page_count == 1
        assert round(doc[0].rect.width / 72 * 25.4) == 80
        assert "FACTURA" in doc[0].get_text()


@pytest.mark.parametrize("args", [["--version"], ["-v", "--version"]])
def test_version_from_the_command_line(args):
    env = dict(os.environ, PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring")
    result = subprocess.run(
        [sys.executable, "-m", "app", *args], capture_output=True, text=True, cwd=ROOT, env=env, timeout=60
    )
    assert result.returncode == 0
    assert result.stdout.strip() == f"caja {__version__}"


def test_the_spec_excludes_no_qt_module_the_app_imports():
    tree = ast.parse((PACKAGING / "caja.spec").read_text(encoding="utf-8"))
    [excluded] = [
        ast.literal_eval(node.value)
        for node in tree.body
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "UNUSED_QT"
    ]
    used = set()
    for path in (ROOT / "app").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("PySide6."):
                used.add(node.module.split(".")[1])
            elif isinstance(node, ast.ImportFrom) and node.module == "PySide6":
                used.update(alias.name for alias in node.names)
    assert used & set(excluded) == set()
