"""Numbers written as words (``oito``, ``vinte e cinco``, ``двух``; ``eight``, ``twenty-five``) and
fractions (``¾``, ``3/4``, ``two-thirds``, ``две трети``), read as evidence that a translation keeps a
source number: a translator writes ``8 times`` as ``oito vezes`` and ``$1000`` as ``mil dólares``.
The words, in every case form, come from the language pack's ``numbers`` section (``[words]``,
``[decimals]``, ``[fractions]``, ``and_a_half``, ``[compound]``: also the forms a number takes as the
first part of a compound word, ``четырёхмесячные`` for ``4-month-old``)."""
from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from ...languages import Language
from .packs import alternation
from .quantity import NUMBER, Quantity, canonical

_AFTER_NUMBER = re.compile(r"\d\s$")
_VULGAR = {"¼": "0.25", "½": "0.5", "¾": "0.75", "⅓": "1/3", "⅔": "2/3", "⅛": "0.125"}
_FRACTION = re.compile(r"(?<![\d/])(\d)/([2348])(?![\d/])|[¼½¾⅓⅔⅛]")


@lru_cache(maxsize=64)
def _words(lang: Language) -> tuple[dict[str, float], re.Pattern, dict[str, int], re.Pattern | None] | None:
    """The pack's number words (and ``[decimals]``: ``полтора`` 1.5) and the pattern that reads them;
    its compound heads (``двух`` in ``двухлетний``) and the pattern that reads one before a second
    part it lists."""
    section = lang.section("numbers") or {}
    table: dict[str, float] = {k.lower(): int(v) for k, v in section.get("words", {}).items()}
    if not table:
        return None
    compound = section.get("compound", {})
    joiners = alternation(compound.get("joiners", []))
    units = alternation(k for k, v in table.items() if v < 10)
    then = f"(?:(?:{joiners})({units}))?" if joiners and units else "()"
    table.update({k.lower(): float(v) for k, v in section.get("decimals", {}).items()})
    heads = {k.lower(): int(v) for k, v in compound.get("heads", {}).items()}
    tails = compound.get("tails", [])
    ones = alternation(k for k, v in heads.items() if v < 10)  # after a tens: "двадцати|восьми|летнего"
    head_re = re.compile(rf"(?<!\w)({alternation(heads)})({ones})?(?={alternation(tails)})\w*", re.IGNORECASE) \
        if heads and tails else None
    return table, re.compile(rf"(?<!\w)({alternation(table)}){then}(?!\w)", re.IGNORECASE), heads, head_re


def word_numbers(text: str, lang: Language) -> list[Quantity]:
    """Numbers written as words in ``text`` (not a scale word after digits: ``5 mil``), also as the
    first part of a compound word (``четырёхмесячные``: 4; ``двадцативосьмилетнего``: 28)."""
    rules = _words(lang)
    if rules is None:
        return []
    table, pattern, heads, head_re = rules
    out = []
    for m in pattern.finditer(text):
        if _AFTER_NUMBER.search(text[:m.start()]):
            continue
        n = table[m.group(1).lower()] + (table[m.group(2).lower()] if m.group(2) else 0)
        out.append(Quantity(m.start(), m.end(), m.group(), str(n), frozenset({str(n), f"o:{n}"})))
    for m in head_re.finditer(text) if head_re else ():
        n, one = heads[m.group(1).lower()], m.group(2)
        if one:
            if not (20 <= n < 100 and n % 10 == 0):
                continue  # "двухдвух...": no number
            n += heads[one.lower()]
        out.append(Quantity(m.start(), m.end(), m.group(), str(n), frozenset({str(n), f"o:{n}"})))
    return out


def fractions(text: str) -> list[Quantity]:
    """``3/4`` and ``¾`` as one number each (``normalize_source`` writes ``¾`` as `` 3/4``); not ``4/3``,
    which is a score or a ratio (a golf result ``4&3``), two numbers."""
    out = []
    for m in _FRACTION.finditer(text):
        if m.group(1):
            a, b = int(m.group(1)), int(m.group(2))
            if a >= b:
                continue
            value = _fraction(a, b)
        else:
            value = _VULGAR[m.group()]
        out.append(Quantity(m.start(), m.end(), m.group(), value, frozenset({value}), kind=NUMBER))
    return out


@lru_cache(maxsize=64)
def _fraction_nouns(lang: Language) -> tuple[dict[str, int], dict[str, int], re.Pattern] | None:
    """The pack's fraction nouns (``thirds``: 3), its number words below ten, and the pattern that
    reads a fraction (``two-thirds``, ``a quarter``: the numerator is optional)."""
    nouns = {k.lower(): int(v) for k, v in ((lang.section("numbers") or {}).get("fractions", {})).items()}
    if not nouns:
        return None
    words = _words(lang)
    numerators = {k: int(v) for k, v in (words[0] if words else {}).items() if v == int(v) and 0 < v < 10}
    head = rf"(?:({alternation(numerators)})[\s-])?" if numerators else "()"
    return nouns, numerators, re.compile(rf"(?<!\w){head}({alternation(nouns)})(?!\w)", re.IGNORECASE)


def fraction_words(text: str, lang: Language) -> list[Quantity]:
    """Fractions written as words in ``text`` (``two-thirds``, ``três quartos``, ``треть``: 1/3)."""
    rules = _fraction_nouns(lang)
    if rules is None:
        return []
    nouns, numerators, pattern = rules
    out = []
    for m in pattern.finditer(text):
        a, b = numerators[m.group(1).lower()] if m.group(1) else 1, nouns[m.group(2).lower()]
        if a < b:
            value = _fraction(a, b)
            out.append(Quantity(m.start(), m.end(), m.group(), value, frozenset({value}), kind=NUMBER))
    return out


def _fraction(a: int, b: int) -> str:
    """The value of ``a/b`` as the checks compare it: thirds exactly (``2/3``), others as a decimal."""
    return f"{a}/{b}" if b == 3 else format(a / b, "g")


@lru_cache(maxsize=64)
def _halves(lang: Language) -> re.Pattern | None:
    """The pattern of the pack's ``and_a_half`` words after a number, with at most a word between
    (``um milhão e meio``)."""
    words = (lang.section("numbers") or {}).get("and_a_half", [])
    return re.compile(rf"\s(?:([^\W\d_]+\.?)\s)?(?:{alternation(words)})(?!\w)", re.IGNORECASE) if words else None


def with_halves(quantities: list[Quantity], text: str, lang: Language, scale: dict[str, int]) -> list[Quantity]:
    """The numbers of a translation, one followed by the pack's ``and_a_half`` (``duas horas e meia``,
    ``um milhão e meio``, ``два с половиной``) also read with its half, scaled by a ``scale`` word between."""
    pattern = _halves(lang)
    if pattern is None:
        return quantities
    out = []
    for q in quantities:
        m = pattern.match(text, q.end) if q.kind == NUMBER else None
        try:
            half = Decimal(q.value) + Decimal("0.5") if m else None
        except InvalidOperation:
            half = None
        if half is not None:
            k = scale.get((m.group(1) or "").lower(), 0)
            q = replace(q, values=q.values | {canonical(half), canonical(half.scaleb(k))})
        out.append(q)
    return out

