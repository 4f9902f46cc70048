"""Small excerpts of MH catalogs served by the sandbox's ``/catalogs/*`` routes.

CAT-019 (economic activities) has some 770 entries; a handful typical of retail counters is enough
for the POS's pickers. CAT-012 (departments) is complete. Fiscal data, in Spanish.
"""

from __future__ import annotations

from app.domain.text import fold

ACTIVITIES: list[dict[str, str]] = [
    {"code": "10711", "value": "Elaboración de pan, galletas y productos de panadería"},
    {"code": "46900", "value": "Venta al por mayor de otros productos"},
    {"code": "47111", "value": "Venta en supermercados"},
    {"code": "47112", "value": "Venta en tiendas de artículos de primera necesidad"},
    {"code": "47119", "value": "Almacenes (venta de diversos artículos)"},
    {"code": "47190", "value": "Venta al por menor de otros productos en comercios no especializados"},
    {"code": "47214", "value": "Venta al por menor de frutas y hortalizas"},
    {"code": "47300", "value": "Venta de combustibles, lubricantes y otros (gasolineras)"},
    {"code": "47521", "value": "Venta al por menor de artículos de ferretería"},
    {"code": "47611", "value": "Venta al por menor de libros, periódicos y artículos de papelería"},
    {"code": "47711", "value": "Venta al por menor de prendas de vestir y accesorios de vestir"},
    {
        "code": "47721",
        "value": "Venta al por menor de medicamentos farmacéuticos y otros materiales y artículos de uso médico",
    },
    {"code": "56101", "value": "Restaurantes"},
    {"code": "56106", "value": "Pupusería"},
    {"code": "56107", "value": "Actividades varias de restaurantes"},
    {"code": "62010", "value": "Programación informática"},
    {"code": "96020", "value": "Peluquería y otros tratamientos de belleza"},
]

DEPARTMENTS: list[dict[str, str]] = [
    {"code": "01", "value": "Ahuachapán"},
    {"code": "02", "value": "Santa Ana"},
    {"code": "03", "value": "Sonsonate"},
    {"code": "04", "value": "Chalatenango"},
    {"code": "05", "value": "La Libertad"},
    {"code": "06", "value": "San Salvador"},
    {"code": "07", "value": "Cuscatlán"},
    {"code": "08", "value": "La Paz"},
    {"code": "09", "value": "Cabañas"},
    {"code": "10", "value": "San Vicente"},
    {"code": "11", "value": "Usulután"},
    {"code": "12", "value": "San Miguel"},
    {"code": "13", "value": "Morazán"},
    {"code": "14", "value": "La Unión"},
]


def search(entries: list[dict[str, str]], text: str, limit: int | None = None) -> list[dict[str, str]]:
    """Entries whose code or name contains ``text`` (accent- and case-insensitive)."""
    needle = fold(text.strip())
    found = [e for e in entries if needle in fold(e["value"]) or needle in e["code"]]
    return found[:limit] if limit else found
