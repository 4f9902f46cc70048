"""Amounts in Spanish words, as MH's ``resumen.totalLetras`` and printed tickets show them.

``amount_in_words(Decimal("10.17")) == "DIEZ 17/100 DÓLARES"``. Fiscal data, not UI text: always
Spanish, upper case, whatever the application's language.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

_UNITS = [
    "CERO",
    "UNO",
    "DOS",
    "TRES",
    "CUATRO",
    "CINCO",
    "SEIS",
    "SIETE",
    "OCHO",
    "NUEVE",
    "DIEZ",
    "ONCE",
    "DOCE",
    "TRECE",
    "CATORCE",
    "QUINCE",
    "DIECISÉIS",
    "DIECISIETE",
    "DIECIOCHO",
    "DIECINUEVE",
    "VEINTE",
    "VEINTIUNO",
    "VEINTIDÓS",
    "VEINTITRÉS",
    "VEINTICUATRO",
    "VEINTICINCO",
    "VEINTISÉIS",
    "VEINTISIETE",
    "VEINTIOCHO",
    "VEINTINUEVE",
]
_TENS = {3: "TREINTA", 4: "CUARENTA", 5: "CINCUENTA", 6: "SESENTA", 7: "SETENTA", 8: "OCHENTA", 9: "NOVENTA"}
_HUNDREDS = {
    1: "CIENTO",
    2: "DOSCIENTOS",
    3: "TRESCIENTOS",
    4: "CUATROCIENTOS",
    5: "QUINIENTOS",
    6: "SEISCIENTOS",
    7: "SETECIENTOS",
    8: "OCHOCIENTOS",
    9: "NOVECIENTOS",
}


def _below_thousand(n: int, apocope: bool) -> str:
    """Words for 0 < n < 1000; ``apocope`` shortens UNO to UN before a noun (VEINTIÚN DÓLARES)."""
    hundreds, rest = divmod(n, 100)
    parts = []
    if hundreds:
        parts.append("CIEN" if hundreds == 1 and rest == 0 else _HUNDREDS[hundreds])
    if rest:
        if rest < 30:
            word = _UNITS[rest]
        else:
            tens, units = divmod(rest, 10)
            word = _TENS[tens] + (f" Y {_UNITS[units]}" if units else "")
        if apocope and word.endswith("UNO"):
            word = word[:-3] + ("ÚN" if word == "VEINTIUNO" else "UN")
        parts.append(word)
    return " ".join(parts)


def number_in_words(n: int, *, apocope: bool = True) -> str:
    """Spanish words for a whole number 0 <= n < 10**12 (UN MILLÓN, DOS MIL, CIENTO UN MIL)."""
    if not 0 <= n < 10**12:
        raise ValueError(f"out of range: {n}")
    if n == 0:
        return "CERO"
    millions, rest = divmod(n, 1_000_000)
    thousands, units = divmod(rest, 1000)
    parts = []
    if millions:
        parts.append("UN MILLÓN" if millions == 1 else f"{number_in_words(millions)} MILLONES")
    if thousands:
        parts.append("MIL" if thousands == 1 else f"{_below_thousand(thousands, True)} MIL")
    if units:
        parts.append(_below_thousand(units, apocope))
    return " ".join(parts)


def amount_in_words(amount: Decimal) -> str:
    """``DIEZ 17/100 DÓLARES``; ``UN 00/100 DÓLAR`` for exactly one dollar."""
    cents_total = int(amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP) * 100)
    whole, cents = divmod(cents_total, 100)
    noun = "DÓLAR" if whole == 1 and cents == 0 else "DÓLARES"
    return f"{number_in_words(whole)} {cents:02d}/100 {noun}"
