"""Numbers and clock times: extraction, matching by value, repair of what the model altered.

What counts as a preserved number: the same value written in the source's or in the target
language's convention (``1,000`` -> ``1.000`` and ``3.5`` -> ``3,5`` in Portuguese are kept), or
the same literal (dates such as ``17.07.2017``). A number whose digits survived in a broken
format (``1,234.56`` -> ``1,234,56``) is rewritten in the target convention.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from .spans import protected_spans
from .typography import normalize_source

_NUMBER = re.compile(r"(?<!\d)(?:\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)*)(?!\d)")
_DIGIT = re.compile(r"\d")
_GROUP_SEPS = " \u00a0\u202f.,"
_GROUP_SPLIT = re.compile(r"[ \u00a0\u202f.,]")
_SCALE = re.compile(
    r"\s?(mil|milhões|milhão|thousand|million|millions|billion|billions|bn|bilhões|bilhão|trillion|trilhões|"
    r"тыс\.?|тысяч[аи]?|млн\.?|миллион(?:а|ов)?|млрд\.?|миллиард(?:а|ов)?)(?!\w)", re.IGNORECASE)
_SCALES = {"mil": 3, "thousand": 3, "тыс": 3, "тыс.": 3, "тысяч": 3, "тысяча": 3, "тысячи": 3,
           "million": 6, "millions": 6, "milhão": 6, "milhões": 6, "млн": 6, "млн.": 6,
           "миллион": 6, "миллиона": 6, "миллионов": 6, "billion": 9, "billions": 9, "bn": 9,
           "bilhão": 9, "bilhões": 9, "млрд": 9, "млрд.": 9, "миллиард": 9, "миллиарда": 9,
           "миллиардов": 9, "trillion": 12, "trilhões": 12}
# clock times: 8:30 p.m., 2pm | 20:30, 12.00 | 20h30, 15h, 07h19min
_TIME_12 = re.compile(r"(?<![\d.,:])(\d{1,2})(?:[:.](\d{2}))?\s?([ap])\.?\s?m(?:\.|(?!\w))", re.IGNORECASE)
_TIME_24 = re.compile(r"(?<![\d.,:])(\d{1,2})(?:[:.](\d{2})|h(\d{2})?(?:min)?)(?![\d\w])")
_ROMAN = re.compile(r"(?<!\w)[IVXL]{1,7}(?!\w)")
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50}
# (thousands separator, decimal separator) per language
NUMBER_FORMAT: dict[str, tuple[str, str]] = {
    "en": (",", "."),
    "pt": (".", ","),
    "es": (".", ","),
    "de": (".", ","),
    "ru": ("\u00a0", ","),
    "uk": ("\u00a0", ","),
    "be": ("\u00a0", ","),
    "kk": ("\u00a0", ","),
    "fr": ("\u202f", ","),
}


def _decimal_sep(lang: str) -> str:
    return NUMBER_FORMAT.get(lang, (",", "."))[1]


def parse_number(token: str, dec: str) -> str | None:
    """Canonical "int[.frac]" of ``token`` read with decimal separator ``dec``; None if not valid so."""
    head, frac = token, ""
    if dec in token:
        head, frac = token.rsplit(dec, 1)
        if not head or dec in head or not frac.isdigit():
            return None
    groups = _GROUP_SPLIT.split(head)
    if not all(g.isdigit() for g in groups):
        return None
    if len(groups) > 1 and (len(groups[0]) > 3 or any(len(g) != 3 for g in groups[1:])):
        return None
    return _canonical(Decimal("".join(groups) + ("." + frac if frac else "")))


def _canonical(d: Decimal) -> str:
    text = format(d, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


@dataclass(frozen=True)
class Quantity:
    """A number or clock time of a text: its token, canonical value and every reading it may have."""

    start: int
    end: int
    token: str
    value: str  # canonical number, or the literal token when it reads as no number (dates, versions)
    values: frozenset[str]  # value, scaled value ("2.8 bn"), clock time "t:<minutes>", literal
    grouped: bool = False  # the source wrote thousands separators


def _times(text: str) -> list[tuple[int, int, str]]:
    out = []
    for m in _TIME_12.finditer(text):
        h, mins = int(m.group(1)), int(m.group(2) or 0)
        if 1 <= h <= 12 and mins < 60:
            out.append((m.start(), m.end(), f"t:{(h % 12 + (12 if m.group(3).lower() == 'p' else 0)) * 60 + mins}"))
    taken = [(a, b) for a, b, _ in out]
    for m in _TIME_24.finditer(text):
        if any(a <= m.start() < b for a, b in taken):
            continue
        h, mins = int(m.group(1)), int(m.group(2) or m.group(3) or 0)
        if h < 24 and mins < 60:
            out.append((m.start(), m.end(), f"t:{h * 60 + mins}"))
    return out


def quantities(text: str, lang: str, skip: list[tuple[int, int]] = (), other_lang: str = "") -> list[Quantity]:
    """Numbers and clock times of ``text`` outside the ``skip`` spans, each with all its readings.

    A number is read in the convention of ``lang`` first, then of ``other_lang`` (or the opposite
    decimal separator); a following scale word ("mil", "million", "млн") adds the scaled value.
    """
    if not _DIGIT.search(text):
        return []
    decs = list(dict.fromkeys([_decimal_sep(lang), _decimal_sep(other_lang) if other_lang else "", ",", "."]))
    times = _times(text)
    out = []
    for m in _NUMBER.finditer(text):
        if any(a <= m.start() < b for a, b in skip):
            continue
        tok = m.group()
        value, grouped, readings = tok, False, {tok}
        for d in filter(None, decs):
            v = parse_number(tok, d)
            if v is None:
                continue
            if value == tok:
                value = v
                head = tok.rsplit(d, 1)[0] if "." in v else tok
                grouped = any(c in _GROUP_SEPS for c in head)
            readings.add(v)
        if len(tok) == 4 and tok.endswith("0") and text[m.end():m.end() + 1] == "s":
            readings.add(tok[2:])  # the 1960s = the 60s
        scale = _SCALE.match(text, m.end())
        if scale and value != tok:
            readings.add(_canonical(Decimal(value).scaleb(_SCALES[scale.group(1).lower()])))
        readings.update(t for a, b, t in times if a <= m.start() < b)
        out.append(Quantity(m.start(), m.end(), tok, value, frozenset(readings), grouped))
    return out


def _roman(text: str) -> list[Quantity]:
    out = []
    for m in _ROMAN.finditer(text):
        digits = [_ROMAN_VALUES[c] for c in m.group()]
        total = sum(-d if i + 1 < len(digits) and d < digits[i + 1] else d for i, d in enumerate(digits))
        out.append(Quantity(m.start(), m.end(), m.group(), str(total), frozenset({str(total)})))
    return out


def format_number(num: Quantity, lang: str) -> str:
    """``num`` written in the convention of ``lang`` (grouping kept only where the source grouped)."""
    if num.value == num.token:
        return num.token
    group, dec = NUMBER_FORMAT.get(lang, (",", "."))
    head, _, frac = num.value.partition(".")
    if num.grouped:
        first = len(head) % 3 or 3
        head = group.join([head[:first]] + [head[i:i + 3] for i in range(first, len(head), 3)])
    return head + (dec + frac if frac else "")


def repair_numbers(numbers: list[Quantity], target: str, src_lang: str, tgt_lang: str,
                   skip: list[tuple[int, int]] = ()) -> tuple[str, list[Quantity]]:
    """Match source numbers to target numbers by any reading; fix format-only damage.

    Returns (target, the source numbers still missing). A number counts as kept when the target has a number
    sharing one of its readings (value in either convention, scaled value, clock time, Roman
    numeral); an unmatched number whose digits appear unchanged in an unmatched target number
    (``1,234.56`` -> ``1,234,56``) is rewritten there in the target convention, and so is a grouped
    number copied verbatim whose separator is the target's decimal mark (en ``2,500`` in pt).
    """
    if not numbers:
        return target, []
    found = quantities(target, tgt_lang, skip, src_lang) + _roman(target)
    used, unmatched = _match(numbers, found)
    missing = []
    edits: list[tuple[int, int, str]] = []
    for num in unmatched:
        digits = _digits(num.token)
        k = next((i for i, q in enumerate(found) if not used[i] and _digits(q.token) == digits), -1)
        if k < 0:
            missing.append(num)
            continue
        used[k] = True
        edits.append((found[k].start, found[k].end, format_number(num, tgt_lang)))
    dec = _decimal_sep(tgt_lang)
    if dec != _decimal_sep(src_lang):  # "2,500" copied into pt reads 2.5 there: write "2.500"
        misread = {n.token: n for n in numbers if n.grouped and dec in n.token}
        edited = {a for a, _, _ in edits}
        edits += [(q.start, q.end, format_number(misread[q.token], tgt_lang))
                  for q in found if q.token in misread and q.start not in edited]
    for a, b, s in sorted(edits, reverse=True):
        target = target[:a] + s + target[b:]
    return target, missing


def _match(numbers: list[Quantity], found: list[Quantity]) -> tuple[list[bool], list[Quantity]]:
    """Greedy one-to-one matching by shared reading: (target numbers used, source numbers unmatched)."""
    used = [False] * len(found)
    unmatched: list[Quantity] = []
    for num in numbers:
        k = next((i for i, q in enumerate(found) if not used[i] and num.values & q.values), -1)
        if k < 0:
            unmatched.append(num)
        else:
            used[k] = True
    return used, unmatched


def preserved(source: str, target: str, src_lang: str, tgt_lang: str) -> tuple[int, int, int, int]:
    """(numbers, numbers kept, protected items, items kept verbatim) of a translation, checked as the
    engine checks them but without repairing anything (for evaluation)."""
    norm = normalize_source(source)
    spans = protected_spans(norm)
    items = Counter(norm[a:b] for a, b in spans)
    kept_items = sum(min(n, target.count(item)) for item, n in items.items())
    numbers = quantities(norm, src_lang, spans)
    found = quantities(target, tgt_lang, protected_spans(target), src_lang) + _roman(target)
    lost = _match(numbers, found)[1] if numbers else []
    return len(numbers), len(numbers) - len(lost), sum(items.values()), kept_items


def _digits(token: str) -> str:
    return "".join(c for c in token if c.isdigit())

