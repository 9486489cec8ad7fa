"""Numbers written as words (``oito``, ``vinte e cinco``, ``mil``; ``eight``, ``twenty-five``) and
vulgar fractions (``¾``, ``3/4``), read as evidence that a translation keeps a source number: a
translator writes ``8 times`` as ``oito vezes`` and ``$1000`` as ``mil dólares``."""
from __future__ import annotations

import re

from .quantity import NUMBER, Quantity

_UNITS = {
    "pt": {"zero": 0, "um": 1, "uma": 1, "dois": 2, "duas": 2, "três": 3, "quatro": 4, "cinco": 5, "seis": 6,
           "sete": 7, "oito": 8, "nove": 9, "dez": 10, "onze": 11, "doze": 12, "treze": 13, "catorze": 14,
           "quatorze": 14, "quinze": 15, "dezesseis": 16, "dezasseis": 16, "dezessete": 17, "dezassete": 17,
           "dezoito": 18, "dezenove": 19, "dezanove": 19, "vinte": 20, "trinta": 30, "quarenta": 40,
           "cinquenta": 50, "sessenta": 60, "setenta": 70, "oitenta": 80, "noventa": 90, "cem": 100,
           "duzentos": 200, "duzentas": 200, "trezentos": 300, "quinhentos": 500, "mil": 1000},
    "en": {"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
           "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
           "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
           "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100,
           "thousand": 1000, "dozen": 12},
}
_WORDS = {lang: re.compile(r"\b(" + "|".join(sorted(table, key=len, reverse=True)) + r")(?:(?: e |-)("
                           + "|".join(k for k, v in table.items() if v < 10) + r"))?\b", re.IGNORECASE)
          for lang, table in _UNITS.items()}
_AFTER_NUMBER = re.compile(r"\d\s$")
_VULGAR = {"¼": "0.25", "½": "0.5", "¾": "0.75", "⅓": "1/3", "⅔": "2/3", "⅛": "0.125"}
_FRACTION = re.compile(r"(?<![\d/])(\d)/([2348])(?![\d/])|[¼½¾⅓⅔⅛]")


def word_numbers(text: str, lang: str) -> list[Quantity]:
    """Numbers written as words in ``text`` (not a scale word after digits: ``5 mil``)."""
    table = _UNITS.get(lang)
    if table is None:
        return []
    out = []
    for m in _WORDS[lang].finditer(text):
        if _AFTER_NUMBER.search(text[:m.start()]):
            continue
        n = table[m.group(1).lower()] + (table[m.group(2).lower()] if m.group(2) else 0)
        out.append(Quantity(m.start(), m.end(), m.group(), str(n), frozenset({str(n), f"o:{n}"})))
    return out


def fractions(text: str) -> list[Quantity]:
    """``3/4`` and ``¾`` as one number each (``normalize_source`` writes ``¾`` as `` 3/4``)."""
    out = []
    for m in _FRACTION.finditer(text):
        if m.group(1):
            a, b = int(m.group(1)), int(m.group(2))
            value = f"{a}/{b}" if b == 3 else format(a / b, "g")
        else:
            value = _VULGAR[m.group()]
        out.append(Quantity(m.start(), m.end(), m.group(), value, frozenset({value}), kind=NUMBER))
    return out
