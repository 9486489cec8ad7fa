"""Units and currencies of numbers: the same unit, or the same amount converted into the target's
convention (``5 miles`` -> ``8 km``, ``70 °F`` -> ``21 °C``).

Symbols and codes (``$``, ``€``, ``km``, ``°C``, ``%``) are read in every language; unit names in
their cases (``dólares``, ``километров``) come from the language pack's ``units`` section, and the
scale words between a number and its unit (``5 milhões de dólares``) from its ``numbers`` section.
``unit_of`` reads the unit written after a number (``45%``, ``40-acre``, ``150 €``; the first number of a range
``2 to 4 inches`` has the unit of the second) or the currency before it (``$``, ``US$``, ``R$``,
``EUR``); ``compatible`` says whether two units may name the same amount; ``converted`` whether a
target number is a source amount converted.
"""
from __future__ import annotations

import re
from functools import lru_cache

from ...languages import Language
from ..letters import standalone
from .packs import alternation

# symbols and codes, read in every language ("pounds"/"libras" in the packs may be money or weight)
_NEUTRAL: dict[str, str] = {
    "$": "usd", "us$": "usd", "us $": "usd", "usd": "usd", "r$": "brl", "brl": "brl", "€": "eur", "eur": "eur",
    "£": "gbp", "gbp": "gbp", "¥": "jpy", "jpy": "jpy", "₽": "rub", "rub": "rub", "km": "km", "m": "m", "cm": "cm",
    "mm": "mm", "ft": "ft", "mph": "mph", "km/h": "kmh", "km / h": "kmh", "km /h": "kmh", "km/ h": "kmh",
    "kph": "kmh", "kg": "kg", "lb": "lb", "lbs": "lb", "g": "g", "ha": "ha", "yd": "yd", "°c": "c", "ºc": "c", "°f": "f",
    "ºf": "f", "°": "deg", "%": "pct", "pct": "pct",
}
CURRENCIES = frozenset({"usd", "brl", "eur", "gbp", "jpy", "rub"})
_CONVERT = {("mi", "km"): 1.609344, ("mph", "kmh"): 1.609344, ("ft", "m"): 0.3048, ("in", "cm"): 2.54,
            ("lb", "kg"): 0.45359237, ("acre", "ha"): 0.40468564, ("gal", "l"): 3.78541, ("km", "mi"): 1 / 1.609344,
            ("kmh", "mph"): 1 / 1.609344, ("m", "ft"): 1 / 0.3048, ("cm", "in"): 1 / 2.54, ("kg", "lb"): 1 / 0.45359237,
            ("yd", "m"): 0.9144, ("m", "yd"): 1 / 0.9144, ("in", "mm"): 25.4, ("mm", "in"): 1 / 25.4,
            ("ft", "cm"): 30.48, ("cm", "ft"): 1 / 30.48}  # a height: "6ft 2in" = "188 см"
_BEFORE = re.compile(r"(US\s?\$|R\$|\$|€|£|¥|₽|\b(?:USD|EUR|GBP|JPY|RUB|BRL))\s?$", re.IGNORECASE)


class _Units:
    """One language's unit names compiled: form -> unit ids, and the patterns after a number."""

    def __init__(self, lang: Language) -> None:
        section = lang.section("units") or {}
        self.forms = dict(_NEUTRAL)
        for ids, forms in section.get("forms", {}).items():
            self.forms.update({f.lower(): ids for f in forms})
        endings = section.get("adjective_endings", [])  # "300-килограммовый": a unit's adjective
        for ids, stems in section.get("adjectives", {}).items():
            self.forms.update({(stem + end).lower(): ids for stem in stems for end in endings})
        scales = alternation((lang.section("numbers") or {}).get("scale", {}))
        joiners = alternation(section.get("joiners", []))
        names = alternation(f for f in self.forms if f != "$")  # "150 €", "150 mil €", "500 ₽"; not "5 $10"
        scale = f"(?:(?:{scales})\\s)?" if scales else ""
        joiner = f"(?:(?:{joiners})\\s)?" if joiners else ""
        self.after = re.compile(rf"[\s-]?{scale}{joiner}({names})(?![\w$])", re.IGNORECASE)
        glued = {f.lower(): ids for ids, forms in section.get("glued", {}).items() for f in forms}
        self.forms.update(glued)
        self.glued = re.compile(rf"({alternation(glued)})(?![\w$])", re.IGNORECASE) if glued else None
        self.scale_after = re.compile(rf"\s(?:{scales})(?!\w)", re.IGNORECASE) if scales else None
        self.by_unit: dict[str, list[str]] = {}
        for form, ids in self.forms.items():
            for unit in ids.split():
                self.by_unit.setdefault(unit, []).append(form)
        ranges = "|".join(re.escape(w) for w in section.get("range", []))
        words = f"|\\s(?:{ranges})\\s" if ranges else ""
        self.range = re.compile(rf"\s?(?:-|–{words})\s?\d[\d.,]*(?=[\s-]?[^\W\d])", re.IGNORECASE)


    def unit_at(self, text: str, pos: int) -> re.Match | None:
        """The unit written at ``pos``, right after a number (a ``glued`` form only with no space)."""
        return self.after.match(text, pos) or (self.glued.match(text, pos) if self.glued else None)


@lru_cache(maxsize=64)
def _units(lang: Language) -> _Units:
    return _Units(lang)


def unit_of(text: str, start: int, end: int, lang: Language) -> frozenset[str]:
    """The unit ids of the number at ``text[start:end]`` (currency before it, unit after it)."""
    rules = _units(lang)
    units: set[str] = set()
    m = _BEFORE.search(text, max(0, start - 6), start)
    if m:
        units.update(rules.forms[re.sub(r"\s", "", m.group(1).lower())].split())
    m = rules.unit_at(text, end)
    if m is None and (r := rules.range.match(text, end)):
        m = rules.unit_at(text, r.end())
    if m:
        units.update(rules.forms[m.group(1).lower()].split())
    return frozenset(units)


def unit_span(text: str, start: int, end: int, lang: Language) -> tuple[int, int]:
    """``(start, end)`` widened to the currency before and the unit after the number, if any."""
    rules = _units(lang)
    before = _BEFORE.search(text, max(0, start - 6), start)
    after = rules.unit_at(text, end) or (rules.scale_after.match(text, end) if rules.scale_after else None)
    return before.start() if before else start, after.end() if after else end


def mentions(text: str, units: frozenset[str], lang: Language) -> bool:
    """Whether ``text`` names any of ``units`` anywhere (sign, code or ``lang``'s word: ``€``, ``EUR``, ``euros``)."""
    forms = [f for unit in sorted(units) for f in _units(lang).by_unit.get(unit, [])]
    return any(re.search(standalone(f), text, re.IGNORECASE) for f in forms)


def compatible(a: frozenset[str], b: frozenset[str]) -> bool:
    """Whether units ``a`` and ``b`` may name the same amount (unknown or absent units always may)."""
    if not a or not b or a & b:
        return True
    return bool(("deg" in a and b & {"c", "f"}) or ("deg" in b and a & {"c", "f"}))


def _rounding(value: float) -> float:
    """How far a writer may round to ``value``: 0.05 for a decimal, 0.6 for a unit, half the round
    step of a round number (600 km for 619.6: 50)."""
    if value != int(value):
        return 0.05
    n, step = int(value), 1
    while n and n % 10 == 0:
        n, step = n // 10, step * 10
    return max(0.6, step / 2)


def converted(value: float, units: frozenset[str], target_value: float, target_units: frozenset[str]) -> bool:
    """Whether ``target_value`` in ``target_units`` is ``value`` in ``units`` converted (rounded as
    a writer would: within 3%, or within the precision the target number is written to but never
    more than 25% off: ``10`` is no rounding of 6.2)."""
    for a in units:
        for b in target_units:
            if (a, b) in _CONVERT:
                wants = [value * _CONVERT[(a, b)]]
            elif (a, b) in (("f", "c"), ("deg", "deg")):  # US "80 degrees" written in Celsius, or a
                wants = [(value - 32) * 5 / 9, value * 5 / 9]  # difference ("10 degrees above average")
            elif (a, b) == ("c", "f"):
                wants = [value * 9 / 5 + 32]
            else:
                continue
            if any(abs(target_value - want) <= max(0.03 * abs(want), min(_rounding(target_value), 0.25 * abs(want)))
                   for want in wants):
                return True
    return False
