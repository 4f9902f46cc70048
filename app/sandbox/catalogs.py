"""Small excerpts of MH catalogs served by the sandbox's ``/catalogs/*`` routes.

CAT-019 (economic activities) has some 770 entries; a handful typical of retail counters is enough
for the POS's pickers. CAT-012 (departments) is complete, with CAT-013 municipalities. Fiscal data, in Spanish.
"""

from __future__ import annotations

from typing import Any

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


def _department(code: str, name: str, *municipalities: str) -> dict[str, Any]:
    """A department entry; each municipality is written ``"CC Name"``."""
    return {
        "code": code,
        "value": name,
        "municipalities": [{"code": m[:2], "value": m[3:]} for m in municipalities],
    }


#: CAT-012 departments, each with its CAT-013 municipalities as MH numbered them after the 2024
#: reform (the sandbox's reading; the real list is whatever Ocote serves).
DEPARTMENTS: list[dict[str, Any]] = [
    _department("01", "Ahuachapán", "13 Ahuachapán Norte", "14 Ahuachapán Centro", "15 Ahuachapán Sur"),
    _department(
        "02",
        "Santa Ana",
        "14 Santa Ana Norte",
        "15 Santa Ana Centro",
        "16 Santa Ana Este",
        "17 Santa Ana Oeste",
    ),
    _department(
        "03",
        "Sonsonate",
        "17 Sonsonate Norte",
        "18 Sonsonate Centro",
        "19 Sonsonate Este",
        "20 Sonsonate Oeste",
    ),
    _department("04", "Chalatenango", "34 Chalatenango Norte", "35 Chalatenango Centro", "36 Chalatenango Sur"),
    _department(
        "05",
        "La Libertad",
        "23 La Libertad Norte",
        "24 La Libertad Centro",
        "25 La Libertad Oeste",
        "26 La Libertad Este",
        "27 La Libertad Costa",
        "28 La Libertad Sur",
    ),
    _department(
        "06",
        "San Salvador",
        "20 San Salvador Norte",
        "21 San Salvador Oeste",
        "22 San Salvador Este",
        "23 San Salvador Centro",
        "24 San Salvador Sur",
    ),
    _department("07", "Cuscatlán", "17 Cuscatlán Norte", "18 Cuscatlán Sur"),
    _department("08", "La Paz", "23 La Paz Oeste", "24 La Paz Centro", "25 La Paz Este"),
    _department("09", "Cabañas", "10 Cabañas Oeste", "11 Cabañas Este"),
    _department("10", "San Vicente", "14 San Vicente Norte", "15 San Vicente Sur"),
    _department("11", "Usulután", "24 Usulután Norte", "25 Usulután Este", "26 Usulután Oeste"),
    _department("12", "San Miguel", "21 San Miguel Norte", "22 San Miguel Centro", "23 San Miguel Oeste"),
    _department("13", "Morazán", "27 Morazán Norte", "28 Morazán Sur"),
    _department("14", "La Unión", "19 La Unión Norte", "20 La Unión Sur"),
]


def search(entries: list[dict[str, Any]], text: str, limit: int | None = None) -> list[dict[str, Any]]:
    """Entries whose code or name contains ``text`` (accent- and case-insensitive)."""
    needle = fold(text.strip())
    found = [e for e in entries if needle in fold(e["value"]) or needle in e["code"]]
    return found[:limit] if limit else found
