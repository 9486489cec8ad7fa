"""Dates and other counted facts by value: month and weekday names, decades and ordinals.

``date_facts`` reads them in English or Portuguese as ``Quantity`` objects with prefixed readings
(``m:1`` January, ``w:2`` Tuesday, ``d:2010`` the 2010s, ``o:3`` third), so ``numbers.repair_numbers``
matches them with the other numbers of a translation. ``repair_fact`` rewrites what a model wrote
in a wrong form: a decade written as a year (``início de 2010`` -> ``início da década de 2010``),
another month or weekday in place of the source's, ``3o`` for ``3º``. What cannot be repaired is
reported missing (the engine flags it ``number_mismatch``).
"""
from __future__ import annotations

import re

from .quantity import DECADE, MONTH, NUMBER, ORDINAL, WEEKDAY, Quantity

_EN_MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september",
              "october", "november", "december"]
_PT_MONTHS = ["janeiro", "fevereiro", "março", "abril", "maio", "junho", "julho", "agosto", "setembro",
              "outubro", "novembro", "dezembro"]
_EN_ABBR = {"jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
            "oct": 10, "nov": 11, "dec": 12}
_PT_ABBR = {"jan": 1, "fev": 2, "mar": 3, "abr": 4, "mai": 5, "jun": 6, "jul": 7, "ago": 8, "set": 9,
            "out": 10, "nov": 11, "dez": 12}
_EN_DAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_PT_DAYS = ["segunda", "terça", "quarta", "quinta", "sexta", "sábado", "domingo"]
_NAMES = {"en": (_EN_MONTHS, _EN_ABBR, _EN_DAYS), "pt": (_PT_MONTHS, _PT_ABBR, _PT_DAYS)}
# English month names that are also words or names (May, March, April, June, August): a month only
# next to a number or after a word that introduces a date
_EN_AMBIGUOUS = {"march", "may", "april", "june", "august"}
_DATE_CONTEXT = re.compile(r"(?:\b(?:in|on|of|since|until|by|from|to|last|next|this|early|late|mid|through|"
                           r"during|between|and|or|before|after|end|em|de|desde|até|entre|e|ou)\s|mid-)$", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_]+(?:-feira)?\.?")
_NEAR_NUMBER = re.compile(r"^\.?,?\s\d|\d\s$")

_ORD_EN = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
           "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth",
           "eighteenth", "nineteenth", "twentieth"]
_ORD_PT = ["primeir", "segund", "terceir", "quart", "quint", "sext", "sétim", "oitav", "non", "décim"]
_ORD_PT_WORD = re.compile(r"\b(?:(décim|vigésim)[oa]s?\s)?(primeir|segund|terceir|quart|quint|sext|sétim|oitav|non|"
                          r"décim|vigésim)[oa]s?\b", re.IGNORECASE)
_TENS_EN = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
# "first" alone is too idiomatic ("at first"); "twenty-first" is not
_ORD_EN_WORD = re.compile(r"\b(?:(twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)-)?(" + "|".join(_ORD_EN[1:])
                          + r"|(?<=-)first)\b", re.IGNORECASE)
_FRACTION_BEFORE = re.compile(r"\b(?:one|two|a)[\s-]$", re.IGNORECASE)
_ORD_DIGITS = {"en": re.compile(r"(?<![\w.,])(\d{1,4})(st|nd|rd|th)\b", re.IGNORECASE),
               "pt": re.compile(r"(?<![\w.,])(\d{1,4})\.?(º|ª|o|a|os|as)(?!\w)")}
_PT_ARTICLE = re.compile(r"\b(?:o|a|os|as|do|da|dos|das|no|na|nos|nas|pelo|pela|ao|à|um|uma)\s$", re.IGNORECASE)
_DECADE_WORDS = {"twenties": 20, "thirties": 30, "forties": 40, "fifties": 50, "sixties": 60, "seventies": 70,
                 "eighties": 80, "nineties": 90, "vinte": 20, "trinta": 30, "quarenta": 40, "cinquenta": 50,
                 "sessenta": 60, "setenta": 70, "oitenta": 80, "noventa": 90}
_DECADES = {
    "en": re.compile(r"(?<![\w.,])(?:(\d{3}0)'?s|'(\d0)s|(?<=the )([1-9]0)s|(?<=mid-)([1-9]0)s|(?<=early )([1-9]0)s|"
                     r"(?<=late )([1-9]0)s)\b|\bthe (twenties|thirties|forties|fifties|sixties|seventies|eighties|"
                     r"nineties)\b", re.IGNORECASE),
    "pt": re.compile(r"\b(?:década|decênio|decénio)s?\s(?:de\s)?(\d{2,4})\b|\banos\s(?:de\s)?(\d{2,4})\b|"
                     r"\banos\s(vinte|trinta|quarenta|cinquenta|sessenta|setenta|oitenta|noventa)\b", re.IGNORECASE),
}


def _q(m: re.Match, group: int | str, kind: str, values: set[str]) -> Quantity:
    return Quantity(m.start(group), m.end(group), m.group(group), min(values), frozenset(values), kind=kind)


def _decade_values(n: int) -> set[str]:
    return {f"d:{n}", f"d:{n % 100}"} if n >= 100 else {f"d:{n}"}


def date_facts_known(lang: str) -> bool:
    """Whether months, weekdays, decades and ordinals are read in ``lang`` (a pair is checked for
    them only when both sides are)."""
    return lang in _NAMES


def date_facts(text: str, lang: str, target: bool = False) -> list[Quantity]:
    """Months, weekdays, decades and ordinals of ``text`` (``lang`` en or pt; others: none).
    ``target``: read leniently, as evidence that a source fact is present."""
    if lang not in _NAMES:
        return []
    out = _decades(text, lang) + _ordinals(text, lang, target)
    months, abbr, days = _NAMES[lang]
    for m in _WORD.finditer(text):
        word = m.group().rstrip(".").lower()
        base = word.removesuffix("-feira")
        if word not in months and word not in abbr and base not in days:
            continue
        before, after = text[max(0, m.start() - 12):m.start()], text[m.end():m.end() + 3]
        near = bool(_NEAR_NUMBER.search(after) or _NEAR_NUMBER.search(before[-2:]))
        if word in months:
            capital = m.group()[0].isupper()
            if lang == "en" and (not capital or (word in _EN_AMBIGUOUS and not (near or _DATE_CONTEXT.search(before)))):
                continue
            out.append(Quantity(m.start(), m.start() + len(word), m.group()[:len(word)], f"m:{months.index(word) + 1}",
                                frozenset({f"m:{months.index(word) + 1}"}), kind=MONTH))
        elif word in abbr and near and (m.group()[0].isupper() or lang == "pt"):
            out.append(Quantity(m.start(), m.end(), m.group(), f"m:{abbr[word]}", frozenset({f"m:{abbr[word]}"}), kind=MONTH))
        elif base in days and (lang == "en" or word != base or base in ("sábado", "domingo") or target):
            if lang == "en" and not m.group()[0].isupper():
                continue
            n = days.index(base) + 1
            out.append(Quantity(m.start(), m.start() + len(word), m.group()[:len(word)], f"w:{n}", frozenset({f"w:{n}"}), kind=WEEKDAY))
    return out


def _decades(text: str, lang: str) -> list[Quantity]:
    out = []
    for m in _DECADES[lang].finditer(text):
        k = next(i for i in range(1, (m.re.groups or 0) + 1) if m.group(i))
        raw = m.group(k)
        n = _DECADE_WORDS[raw.lower()] if raw.isalpha() else int(raw)
        if n % 10 or (n >= 100 and n < 1000):
            continue
        out.append(Quantity(m.start(), m.end(), m.group(), f"d:{n}", frozenset(_decade_values(n)), kind=DECADE))
    return out


def _ordinals(text: str, lang: str, target: bool) -> list[Quantity]:
    out = []
    for m in _ORD_DIGITS[lang].finditer(text):
        suffix = m.group(2).lower()
        if lang == "pt" and suffix in ("a", "as") and not target:
            continue  # "3a" is too rare a source form to trust
        out.append(_q(m, 0, ORDINAL, {f"o:{int(m.group(1))}"}))
    words = _ORD_EN_WORD if lang == "en" else _ORD_PT_WORD
    for m in words.finditer(text):
        if lang == "en":
            n = _ORD_EN.index(m.group(2).lower()) + 1 + _TENS_EN.get((m.group(1) or "").lower(), 0)
        else:
            tens = {"décim": 10, "vigésim": 20}.get((m.group(1) or "").lower(), 0)
            stem = m.group(2).lower()
            n = tens + ({"vigésim": 20} | {s: i + 1 for i, s in enumerate(_ORD_PT)})[stem]
            if not target and (n == 1 or stem in ("quart", "sext") or not _PT_ARTICLE.search(text[:m.start()])):
                continue  # "primeiro" is as idiomatic as "first"; "segundo" is also "according to"
        if lang == "en" and (_FRACTION_BEFORE.search(text[:m.start()]) or text[m.end():m.end() + 3] == " of"):
            continue  # "one-third", "a third of": a fraction
        out.append(_q(m, 0, ORDINAL, {f"o:{n}", str(n)} if target else {f"o:{n}"}))
    return out


def fact_spans(facts: list[Quantity]) -> list[tuple[int, int]]:
    """Spans whose digits belong to a decade or an ordinal (not plain numbers)."""
    return [(q.start, q.end) for q in facts if q.kind in (DECADE, ORDINAL) or q.kind == NUMBER]


def repair_fact(num: Quantity, found: list[Quantity], used: list[bool], target: str, lang: str) -> tuple[int, int, str] | None:
    """An edit (start, end, text) of ``target`` that writes the source fact ``num`` where the model
    wrote it in a wrong form (marks the target fact it rewrites as used); None when there is none."""
    value = int(num.value[2:])
    for i, q in enumerate(found):
        if used[i]:
            continue
        if num.kind == DECADE and q.kind == NUMBER and value >= 1000 and q.value == str(value):
            edit = _decade_edit(q, target, value, lang)
        elif num.kind == q.kind and num.kind in (MONTH, WEEKDAY) and _is_word(q.token):
            edit = (q.start, q.end, _name(num, q.token, lang))
        else:
            continue
        if edit:
            used[i] = True
            return edit
    return None


def _decade_edit(q: Quantity, target: str, value: int, lang: str) -> tuple[int, int, str] | None:
    if lang == "en":
        return q.start, q.end, f"{value}s"
    if lang != "pt":
        return None
    before = target[:q.start]
    for prep, new in (("de ", "da década de "), ("em ", "na década de "), ("nos ", "nos anos "), ("os ", "os anos ")):
        if before.lower().endswith(prep):
            return q.start - len(prep), q.end, (new[0].upper() + new[1:] if before[-len(prep)].isupper() else new) + str(value)
    return None


def _is_word(token: str) -> bool:
    return token.replace("-", "").isalpha()


def _name(num: Quantity, like: str, lang: str) -> str:
    months, _, days = _NAMES[lang]
    n = int(num.value[2:])
    word = (months if num.kind == MONTH else days)[n - 1]
    if num.kind == WEEKDAY and lang == "pt" and n <= 5 and like.lower().endswith("-feira"):
        word += "-feira"
    return word.capitalize() if like[:1].isupper() or lang == "en" else word


def ordinal_form(token: str, lang: str) -> str | None:
    """The proper form of a Portuguese digit ordinal the model wrote as ``3o``/``21a`` (``3º``)."""
    if lang != "pt":
        return None
    m = re.fullmatch(r"(\d{1,4})(o|a|os|as)", token)
    return f"{m.group(1)}{'º' if m.group(2)[0] == 'o' else 'ª'}{'s' if m.group(2).endswith('s') else ''}" if m else None
