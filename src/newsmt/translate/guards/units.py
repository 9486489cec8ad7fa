"""Units and currencies of numbers, in English and Portuguese: the same unit, or the same amount
converted into the target's convention (``5 miles`` -> ``8 km``, ``70 °F`` -> ``21 °C``).

``unit_of`` reads the unit written after a number (``5 milhões de dólares``, ``45%``, ``40-acre``;
the first number of a range ``2 to 4 inches`` has the unit of the second) or the currency before
it (``$``, ``US$``, ``R$``, ``EUR``); ``compatible`` says whether two units may name the same amount; ``converted`` whether a target number is a source amount converted.
"""
from __future__ import annotations

import re

_FORMS: dict[str, str] = {
    # currencies ("pounds"/"libras" may be money or weight)
    "$": "usd", "us$": "usd", "us $": "usd", "usd": "usd", "dollars": "usd", "dollar": "usd", "dólares": "usd",
    "dólar": "usd", "r$": "brl", "brl": "brl", "reais": "brl", "real": "brl", "€": "eur", "eur": "eur",
    "euros": "eur", "euro": "eur", "£": "gbp", "gbp": "gbp", "pounds": "gbp lb", "pound": "gbp lb",
    "libras": "gbp lb", "libra": "gbp lb", "libras esterlinas": "gbp", "pounds sterling": "gbp", "¥": "jpy",
    "jpy": "jpy", "yen": "jpy", "ienes": "jpy", "₽": "rub", "rub": "rub", "rubles": "rub", "roubles": "rub",
    "rublos": "rub",
    # length, speed, mass, area, volume, temperature, shares
    "km": "km", "kilometres": "km", "kilometers": "km", "kilometre": "km", "kilometer": "km", "quilômetros": "km",
    "quilómetros": "km", "quilômetro": "km", "quilómetro": "km", "miles": "mi", "mile": "mi", "milhas": "mi",
    "milha": "mi", "m": "m", "metres": "m", "meters": "m", "metre": "m", "meter": "m", "metros": "m", "metro": "m",
    "cm": "cm", "centimetres": "cm", "centimeters": "cm", "centímetros": "cm", "mm": "mm", "millimetres": "mm",
    "millimeters": "mm", "milímetros": "mm", "feet": "ft", "foot": "ft", "ft": "ft", "pés": "ft", "pé": "ft",
    "inches": "in", "inch": "in", "polegadas": "in", "polegada": "in", "mph": "mph", "miles per hour": "mph",
    "milhas por hora": "mph", "km/h": "kmh", "km / h": "kmh", "km /h": "kmh", "km/ h": "kmh", "kph": "kmh", "kilometres per hour": "kmh",
    "kilometers per hour": "kmh", "quilômetros por hora": "kmh", "quilómetros por hora": "kmh", "kg": "kg",
    "kilograms": "kg", "kilogrammes": "kg", "kilos": "kg", "quilos": "kg", "quilogramas": "kg", "lb": "lb",
    "lbs": "lb", "tons": "t", "tonnes": "t", "ton": "t", "tonne": "t", "toneladas": "t", "tonelada": "t",
    "grams": "g", "gramas": "g", "g": "g", "acres": "acre", "acre": "acre", "hectares": "ha", "hectare": "ha",
    "ha": "ha", "litres": "l", "liters": "l", "litros": "l", "litre": "l", "liter": "l", "litro": "l",
    "gallons": "gal", "gallon": "gal", "galões": "gal", "galão": "gal", "°c": "c", "ºc": "c",
    "degrees celsius": "c", "graus celsius": "c", "celsius": "c", "°f": "f", "ºf": "f", "fahrenheit": "f",
    "degrees fahrenheit": "f", "graus fahrenheit": "f", "degrees": "deg", "graus": "deg", "°": "deg",
    "%": "pct", "percent": "pct", "per cent": "pct", "por cento": "pct", "pct": "pct",
    "percentage points": "pp", "percentage point": "pp", "pontos percentuais": "pp", "ponto percentual": "pp",
}
_CONVERT = {("mi", "km"): 1.609344, ("mph", "kmh"): 1.609344, ("ft", "m"): 0.3048, ("in", "cm"): 2.54,
            ("lb", "kg"): 0.45359237, ("acre", "ha"): 0.40468564, ("gal", "l"): 3.78541, ("km", "mi"): 1 / 1.609344,
            ("kmh", "mph"): 1 / 1.609344, ("m", "ft"): 1 / 0.3048, ("cm", "in"): 1 / 2.54, ("kg", "lb"): 1 / 0.45359237}
_SCALE_WORDS = (r"(?:mil|milhões|milhão|bilhões|bilhão|trilhões|thousand|million|millions|billion|billions|bn|"
                r"trillion)")
_ALTERNATIVES = "|".join(re.escape(f) for f in sorted(_FORMS, key=len, reverse=True) if f not in ("$", "£", "€", "¥", "₽"))
_AFTER = re.compile(rf"[\s-]?(?:{_SCALE_WORDS}\s)?(?:de\s|of\s)?({_ALTERNATIVES})(?![\w$])", re.IGNORECASE)
_SCALE_AFTER = re.compile(rf"\s{_SCALE_WORDS}(?!\w)", re.IGNORECASE)
_BEFORE = re.compile(r"(US\s?\$|R\$|\$|€|£|¥|₽|\b(?:USD|EUR|GBP|JPY|RUB|BRL))\s?$", re.IGNORECASE)
# the first number of a range takes the unit written after the second ("2 to 4 inches", "5 a 10 cm")
_RANGE = re.compile(r"\s?(?:-|–|\s(?:to|and|or|a|e|ou|até)\s)\s?\d[\d.,]*(?=[\s-]?[^\W\d])", re.IGNORECASE)


def unit_of(text: str, start: int, end: int) -> frozenset[str]:
    """The unit ids of the number at ``text[start:end]`` (currency before it, unit after it)."""
    units: set[str] = set()
    m = _BEFORE.search(text, max(0, start - 6), start)
    if m:
        units.update(_FORMS[re.sub(r"\s", "", m.group(1).lower())].split())
    m = _AFTER.match(text, end)
    if m is None and (r := _RANGE.match(text, end)):
        m = _AFTER.match(text, r.end())
    if m:
        units.update(_FORMS[m.group(1).lower()].split())
    return frozenset(units)


def unit_span(text: str, start: int, end: int) -> tuple[int, int]:
    """``(start, end)`` widened to the currency before and the unit after the number, if any."""
    before = _BEFORE.search(text, max(0, start - 6), start)
    after = _AFTER.match(text, end) or _SCALE_AFTER.match(text, end)
    return before.start() if before else start, after.end() if after else end


def compatible(a: frozenset[str], b: frozenset[str]) -> bool:
    """Whether units ``a`` and ``b`` may name the same amount (unknown or absent units always may)."""
    if not a or not b or a & b:
        return True
    return bool(("deg" in a and b & {"c", "f"}) or ("deg" in b and a & {"c", "f"}))


def converted(value: float, units: frozenset[str], target_value: float, target_units: frozenset[str]) -> bool:
    """Whether ``target_value`` in ``target_units`` is ``value`` in ``units`` converted (rounded as
    a writer would: within 3%, or within the precision the target number is written to)."""
    for a in units:
        for b in target_units:
            if (a, b) in _CONVERT:
                want = value * _CONVERT[(a, b)]
            elif (a, b) == ("f", "c"):
                want = (value - 32) * 5 / 9
            elif (a, b) == ("c", "f"):
                want = value * 9 / 5 + 32
            else:
                continue
            if abs(target_value - want) <= max(0.03 * abs(want), 0.5 if target_value == int(target_value) else 0.05):
                return True
    return False
