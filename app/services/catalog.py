"""The product catalog: CSV import, lookup by code or barcode, text search.

The CSV has the columns code, description, price (VAT included) and an optional barcode. Files
come from spreadsheets, so the importer is forgiving about form and strict about content:

* separator ``;`` or ``,`` (whichever the first line uses), UTF-8 with or without BOM (Excel's
  "CSV UTF-8"), falling back to Windows-1252 (Excel's plain "CSV" on Windows);
* an optional header row, recognised by its names in Spanish or English, in any column order;
  without one the order is code, description, price, barcode;
* prices with a decimal comma (``1,25``), a currency sign or thousands separators (``1.234,50``);
* a code already in the catalog is updated; a bad row is reported with its line number and the
  rest is imported.
"""

from __future__ import annotations

import csv
import io
import logging
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Protocol

from app.domain.errors import CajaError
from app.domain.money import CENT
from app.i18n import _, ngettext
from app.journal import Journal, Product
from app.resources import resource_path

log = logging.getLogger(__name__)

#: ~30 typical tienda products, for training mode and demos.
SAMPLE_CATALOG = "sample_catalog.csv"
MAX_CODE = 50
MAX_DESCRIPTION = 1000

_HEADER_NAMES = {
    "code": {"code", "codigo", "código", "cod", "sku", "id"},
    "description": {"description", "descripcion", "descripción", "name", "nombre", "producto", "product"},
    "price": {"price", "precio", "precio con iva", "price with vat", "pvp", "unit price", "precio unitario"},
    "barcode": {"barcode", "codigo de barras", "código de barras", "codigo_barras", "ean", "upc", "gtin"},
}
_POSITIONAL = ("code", "description", "price", "barcode")


class CatalogFileError(CajaError):
    """The catalog file cannot be read at all (missing, unreadable, no usable columns)."""


@dataclass(frozen=True)
class RowError:
    """A CSV row that was not imported: its 1-based line number and the translated reason."""

    line: int
    message: str

    def __str__(self) -> str:
        return _("Line {line}: {problem}").format(line=self.line, problem=self.message)


@dataclass
class ImportReport:
    """What an import did."""

    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def imported(self) -> int:
        """Rows saved (new or changed or already identical)."""
        return self.inserted + self.updated + self.unchanged

    def summary(self) -> str:
        """One translated sentence for people."""
        bad = len(self.errors)
        return ", ".join(
            (
                ngettext("{n} new product", "{n} new products", self.inserted).format(n=self.inserted),
                ngettext("{n} updated", "{n} updated", self.updated).format(n=self.updated),
                ngettext("{n} unchanged", "{n} unchanged", self.unchanged).format(n=self.unchanged),
                ngettext("{n} row with errors", "{n} rows with errors", bad).format(n=bad),
            )
        )


def parse_price(text: str) -> Decimal:
    """Read a price as people write it in spreadsheets: ``1.25``, ``1,25``, ``$1,234.50``, ``1.234,50``.

    Raises:
        ValueError: not a positive amount with at most two decimals (translated message).
    """
    cleaned = re.sub(r"[\s$]|US\$|USD", "", text.strip(), flags=re.IGNORECASE)
    if "," in cleaned and "." in cleaned:
        decimal_mark = "," if cleaned.rfind(",") > cleaned.rfind(".") else "."
        thousands = "." if decimal_mark == "," else ","
        cleaned = cleaned.replace(thousands, "").replace(decimal_mark, ".")
    elif "," in cleaned:
        cleaned = cleaned.replace(",", ".")
    try:
        price = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(_("the price “{value}” is not a number").format(value=text.strip())) from None
    if not price.is_finite() or price <= 0:
        raise ValueError(_("the price must be greater than zero"))
    if price != price.quantize(CENT):
        raise ValueError(_("the price “{value}” has more than two decimals").format(value=text.strip()))
    return price.quantize(CENT)


def _decode(data: bytes, name: str) -> str:
    """The file's text: UTF-8 (BOM or not), UTF-16 (Excel's "Unicode Text"), else Windows-1252.

    Raises:
        CatalogFileError: the file is not text (a workbook, an image, ...).
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16", errors="replace")
    elif b"\x00" in data[:4096]:
        # UTF-16 without a BOM: plain text puts its NUL bytes on one side of each pair.
        head = data[:4096]
        odd, even = head[1::2].count(0), head[0::2].count(0)
        encoding = "utf-16-le" if odd > even else "utf-16-be"
        text = data.decode(encoding, errors="replace") if max(odd, even) * 4 > len(head) else ""
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("cp1252", errors="replace")
    if "\x00" in text or (data and not text):
        raise CatalogFileError(
            _("The catalog file {file} is not a CSV text file; save it from the spreadsheet as “CSV”.").format(
                file=name
            )
        )
    return text


def _header_map(row: list[str]) -> dict[str, int] | None:
    """Column index per field when ``row`` is a header row, else None."""
    found: dict[str, int] = {}
    for index, cell in enumerate(row):
        name = " ".join(cell.strip().lower().replace("_", " ").split())
        for key, names in _HEADER_NAMES.items():
            if (name in names or name.replace(" ", "_") in names) and key not in found:
                found[key] = index
    if {"code", "description", "price"} <= found.keys():
        return found
    if len(found) >= 2:
        missing = sorted({"code", "description", "price"} - found.keys())
        raise CatalogFileError(_("The header row has no column for: {columns}").format(columns=", ".join(missing)))
    return None


class _CsvReader(Protocol):
    """What :func:`_rows` reads of a ``csv.reader``."""

    @property
    def line_num(self) -> int: ...

    def __iter__(self) -> Iterator[list[str]]: ...


def _rows(reader: _CsvReader, name: str) -> Iterator[list[str]]:
    """``reader``'s rows; a row the csv module cannot parse (a field over its size limit, a
    stray quote at the end of the file) is a file error, not a crash."""
    try:
        yield from reader
    except csv.Error as exc:
        log.warning("catalog file %s unreadable at line %d: %s", name, reader.line_num, exc)
        raise CatalogFileError(
            _("The catalog file {file} cannot be read as CSV (line {line}).").format(file=name, line=reader.line_num)
        ) from exc


class CatalogService:
    """The product catalog kept in the journal."""

    def __init__(self, journal: Journal) -> None:
        self.journal = journal
        #: Called after an import changed products (the store sync sends them soon).
        self.on_change: Callable[[], None] = lambda: None

    def import_csv(self, path: Path | str) -> ImportReport:
        """Import (insert or update) the products of a CSV file.

        Raises:
            CatalogFileError: the file cannot be read or has no usable columns.
            JournalError: the journal cannot be written.
        """
        path = Path(path)
        try:
            text = _decode(path.read_bytes(), path.name)
        except OSError as exc:
            raise CatalogFileError(
                _("Cannot read the catalog file {file}: {error}").format(file=path.name, error=exc.strerror or exc)
            ) from exc
        first = next((line for line in text.splitlines() if line.strip()), "")
        delimiter = ";" if first.count(";") > first.count(",") else ","
        if "\t" in first and first.count("\t") > first.count(delimiter):
            delimiter = "\t"
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        report = ImportReport()
        columns: dict[str, int] | None = None
        products: list[Product] = []
        lines: list[int] = []
        seen_codes: dict[str, int] = {}
        for row in _rows(reader, path.name):
            line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if columns is None:
                columns = _header_map(row)
                if columns is not None:
                    continue
                columns = {name: i for i, name in enumerate(_POSITIONAL)}
            try:
                product = self._product(row, columns)
            except ValueError as exc:
                report.errors.append(RowError(line, str(exc)))
                continue
            if product.code in seen_codes:  # the later row wins, like an update
                index = seen_codes[product.code]
                products[index], lines[index] = product, line
                continue
            seen_codes[product.code] = len(products)
            products.append(product)
            lines.append(line)
        if columns is None:
            raise CatalogFileError(_("The catalog file {file} is empty").format(file=path.name))
        outcome = self.journal.products.upsert(products)
        for index, other in outcome.conflicts:
            report.errors.append(
                RowError(
                    lines[index],
                    _("the barcode {barcode} already belongs to product {code}").format(
                        barcode=products[index].barcode, code=other
                    ),
                )
            )
        report.errors.sort(key=lambda e: e.line)
        report.inserted, report.updated, report.unchanged = outcome.inserted, outcome.updated, outcome.unchanged
        if outcome.inserted or outcome.updated:
            self.on_change()
        log.info(
            "catalog import of %s: %d new, %d updated, %d unchanged, %d errors",
            path.name,
            report.inserted,
            report.updated,
            report.unchanged,
            len(report.errors),
        )
        return report

    @staticmethod
    def _product(row: list[str], columns: dict[str, int]) -> Product:
        def cell(name: str) -> str:
            index = columns.get(name)
            return row[index].strip() if index is not None and index < len(row) else ""

        code, description, price_text, barcode = cell("code"), cell("description"), cell("price"), cell("barcode")
        if not code:
            raise ValueError(_("the code is missing"))
        if len(code) > MAX_CODE:
            raise ValueError(_("the code can have at most {max} characters").format(max=MAX_CODE))
        if not description:
            raise ValueError(_("the description is missing"))
        if len(description) > MAX_DESCRIPTION:
            raise ValueError(_("the description can have at most {max} characters").format(max=MAX_DESCRIPTION))
        if not price_text:
            raise ValueError(_("the price is missing"))
        if barcode and not re.fullmatch(r"[0-9A-Za-z\-.]{1,50}", barcode):
            raise ValueError(_("the barcode “{value}” is not valid").format(value=barcode))
        return Product(
            code=code, description=" ".join(description.split()), price=parse_price(price_text), barcode=barcode or None
        )

    def ensure_sample(self) -> ImportReport | None:
        """Import ``resources/sample_catalog.csv`` when the catalog is empty (training mode).

        Returns:
            The import report, or None when the catalog already had products.
        """
        if self.count():
            return None
        return self.import_csv(resource_path(SAMPLE_CATALOG))

    def find_by_code(self, code_or_barcode: str) -> Product | None:
        """The product with this code or barcode (what a scanner types), or None."""
        return self.journal.products.find(code_or_barcode)

    def search(self, text: str, limit: int = 20) -> list[Product]:
        """Products whose code or description contains every word of ``text`` (accents ignored)."""
        return self.journal.products.search(text, limit)

    def count(self) -> int:
        """How many products the catalog holds."""
        return self.journal.products.count()
