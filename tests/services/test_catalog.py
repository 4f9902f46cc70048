"""The product catalog: CSV import in the forms spreadsheets produce, lookup and search."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from app.journal import Journal
from app.resources import resource_path
from app.services.catalog import CatalogFileError, CatalogService, parse_price

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def catalog(tmp_path):
    with Journal.open(tmp_path / "j.sqlite3") as journal:
        yield CatalogService(journal)


def write(tmp_path, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / "products.csv"
    path.write_bytes(text.encode(encoding))
    return path


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1.25", "1.25"),
        ("1,25", "1.25"),
        ("$1,234.50", "1234.50"),
        ("1.234,50", "1234.50"),
        (" 3 ", "3.00"),
    ],
)
def test_prices_as_people_write_them(text, value):
    assert parse_price(text) == Decimal(value)


@pytest.mark.parametrize("text", ["abc", "0", "-1", "1.005", "NaN"])
def test_bad_prices_are_refused(text):
    with pytest.raises(ValueError):
        parse_price(text)


def test_sample_catalog_imports_completely(catalog):
    report = catalog.import_csv(resource_path("sample_catalog.csv"))
    assert report.errors == [] and report.inserted == catalog.count() >= 30
    coke = catalog.find_by_code("BEB001")
    assert coke.description == "Coca-Cola 600 ml" and coke.price == Decimal("0.90")
    assert catalog.find_by_code(coke.barcode) == coke
    assert [p.code for p in catalog.search("cafe")] == ["CAF002", "CAF001"]  # accents ignored, by description
    assert [p.code for p in catalog.search("leche salud entera")] == ["LAC001"]
    again = catalog.import_csv(resource_path("sample_catalog.csv"))
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, report.inserted)


def test_sample_is_imported_only_into_an_empty_catalog(tmp_path, catalog):
    assert catalog.ensure_sample().inserted >= 30
    assert catalog.ensure_sample() is None
    with Journal.open(tmp_path / "other.sqlite3") as journal:
        mine = CatalogService(journal)
        mine.import_csv(write(tmp_path, "X1;Algo;1,00\n"))
        assert mine.ensure_sample() is None and mine.count() == 1


def test_semicolon_bom_header_in_any_order_and_updates(tmp_path, catalog):
    catalog.import_csv(write(tmp_path, "A1,Arroz 1 lb,1.00\n"))  # no header, comma, positional
    path = write(
        tmp_path,
        "\ufeffPrecio;Descripción;Código;Código de barras\n"
        "1,10;Arroz San Francisco 1 lb;A1;7412017000103\n"
        "0,35;Sal 1 lb;S1;\n",
    )
    report = catalog.import_csv(path)
    assert (report.inserted, report.updated, report.errors) == (1, 1, [])
    assert catalog.find_by_code("7412017000103").price == Decimal("1.10")
    assert catalog.find_by_code("S1").barcode is None


def test_bad_rows_are_reported_with_line_numbers_and_the_rest_imported(tmp_path, catalog, spanish):
    path = write(
        tmp_path,
        "code;description;price;barcode\n"
        "P1;Pan;1,00;111\n"
        ";Sin código;1,00;\n"
        "P3;;1,00;\n"
        "P4;Precio malo;gratis;\n"
        "\n"
        "P5;Mismo código de barras;2,00;111\n"
        "P6;Bien;2,50;\n",
    )
    report = catalog.import_csv(path)
    assert report.inserted == 2
    assert [e.line for e in report.errors] == [3, 4, 5, 7]
    assert "código" in report.errors[0].message  # translated
    assert "P1" in report.errors[3].message
    assert str(report.errors[0]).startswith("Línea 3")


def test_windows_1252_file_from_excel(tmp_path, catalog):
    report = catalog.import_csv(write(tmp_path, "C1;Café molido;4,95\n", encoding="cp1252"))
    assert report.inserted == 1 and catalog.find_by_code("C1").description == "Café molido"


def test_unreadable_or_headerless_files(tmp_path, catalog):
    with pytest.raises(CatalogFileError):
        catalog.import_csv(tmp_path / "missing.csv")
    with pytest.raises(CatalogFileError):
        catalog.import_csv(write(tmp_path, "\n\n"))
    with pytest.raises(CatalogFileError):
        catalog.import_csv(write(tmp_path, "codigo;descripcion;existencias\nX;Y;3\n"))


def _caja(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "app", *args], capture_output=True, text=True, cwd=ROOT, timeout=60)


def test_catalog_commands(tmp_path):
    imported = _caja("catalog", "import", str(resource_path("sample_catalog.csv")), "--json")
    assert imported.returncode == 0, imported.stderr
    assert json.loads(imported.stdout)["inserted"] >= 30
    listed = _caja("catalog", "list", "--search", "coca", "--json")
    assert listed.returncode == 0, listed.stderr
    assert [p["code"] for p in json.loads(listed.stdout)] == ["BEB002", "BEB001"]
    bad = write(tmp_path, "X;Nada;cero\n")
    assert _caja("catalog", "import", str(bad)).returncode == 2


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_excel_unicode_text_export_is_read(tmp_path, catalog, encoding):
    # Excel's "Unicode Text" (and "CSV UTF-16") is UTF-16, tab separated, usually with a BOM.
    report = catalog.import_csv(
        write(tmp_path, "codigo\tdescripcion\tprecio\nA1\tCafé con leche\t1,25\n", encoding=encoding)
    )
    assert (report.inserted, report.errors) == (1, [])
    assert catalog.find_by_code("A1").description == "Café con leche"


def test_a_workbook_or_binary_file_is_refused_as_a_whole(tmp_path, catalog):
    path = tmp_path / "products.xlsx"
    path.write_bytes(b"PK\x03\x04\x14\x00\x06\x00" + b"\x00\x01binary" * 50)
    with pytest.raises(CatalogFileError):
        catalog.import_csv(path)
    assert catalog.count() == 0


def test_a_field_over_the_csv_limit_is_a_file_error_not_a_crash(tmp_path, catalog):
    with pytest.raises(CatalogFileError):
        catalog.import_csv(write(tmp_path, "code,description,price\nA," + "x" * 200_000 + ",1\n"))
