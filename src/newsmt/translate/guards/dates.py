"""Dates and other counted facts by value: month and weekday names, decades and ordinals.

``date_facts`` reads them as ``Quantity`` objects with prefixed readings (``m:1`` January, ``w:2``
Tuesday, ``d:2010`` the 2010s, ``o:3`` third), so ``numbers.repair_numbers`` matches them with the
other numbers of a translation. The words, in every case form (``5 декабря``, ``в среду``), come
from the language pack's ``dates`` section (``datewords.DateWords``). ``repair_fact`` rewrites what a
model wrote in a wrong form: a decade written as a year (``início de 2010`` -> ``início da década de
2010``), another month or weekday in place of the source's, ``3o`` for ``3º``. What cannot be
repaired is reported missing (the engine flags it ``number_mismatch``).
"""
from __future__ import annotations

import re

from ...languages import Language
from .datewords import DateWords, date_words
from .quantity import DECADE, MONTH, NUMBER, ORDINAL, WEEKDAY, Quantity

_NEAR_NUMBER = re.compile(r"^\.?,?\s\d|\d\s$")


def _q(m: re.Match, group: int | str, kind: str, values: set[str]) -> Quantity:
    return Quantity(m.start(group), m.end(group), m.group(group), min(values), frozenset(values), kind=kind)


def _decade_values(n: int) -> set[str]:
    """A decade's readings; ``1800s`` also names its century (``19 века``, ``século XIX``)."""
    if n < 100:
        return {f"d:{n}"}
    century = n // 100 + 1
    return {f"d:{n}", f"d:{n % 100}"} | ({f"o:{century}", str(century)} if n % 100 == 0 and n < 2000 else set())


def date_facts_known(lang: Language) -> bool:
    """Whether months, weekdays, decades and ordinals are read in ``lang`` (a pair is checked for
    them only when both sides are)."""
    return date_words(lang) is not None


def date_facts(text: str, lang: Language, target: bool = False) -> list[Quantity]:
    """Months, weekdays, decades and ordinals of ``text`` (none without a ``dates`` section).
    ``target``: read leniently, as evidence that a source fact is present."""
    words = date_words(lang)
    if words is None:
        return []
    out = _decades(text, words) + _ordinals(text, words, target)
    for m in words.names.finditer(text):
        token = m.group()
        word = token.rstrip(".").lower()
        if words.capitalized and not token[0].isupper():
            continue
        if word in words.target_only and not target:
            continue
        before, after = text[max(0, m.start() - 12):m.start()], text[m.end():m.end() + 3]
        near = bool(_NEAR_NUMBER.search(after) or _NEAR_NUMBER.search(before[-2:]))
        if word in words.ambiguous and not target and not (near or words.context.search(before)):
            continue
        if word in words.months:
            kind, value = MONTH, f"m:{words.months[word]}"
        elif word in words.weekdays:
            kind, value = WEEKDAY, f"w:{words.weekdays[word]}"
        elif near:  # an abbreviated month: only next to a number ("Jan. 17")
            out.append(Quantity(m.start(), m.end(), token, f"m:{words.abbreviations[word]}",
                                frozenset({f"m:{words.abbreviations[word]}"}), kind=MONTH))
            continue
        else:
            continue
        out.append(Quantity(m.start(), m.start() + len(word), token[:len(word)], value, frozenset({value}), kind=kind))
    # "3ª feira" is a weekday, not the ordinal "3ª"
    named = [(q.start, q.end) for q in out if q.kind == WEEKDAY and any(c.isdigit() for c in q.token)]
    return [q for q in out if q.kind != ORDINAL or not any(a <= q.start < b for a, b in named)]


def _decades(text: str, words: DateWords) -> list[Quantity]:
    out = []
    for m in words.decades.finditer(text) if words.decades else ():
        raw = next(g for g in m.groups() if g)
        n = words.decade_words[raw.lower()] if raw.isalpha() else int(raw)
        if n % 10 or (100 <= n < 1000) or n < 20:
            continue
        out.append(Quantity(m.start(), m.end(), m.group(), f"d:{n}", frozenset(_decade_values(n)), kind=DECADE))
    return out


def _ordinals(text: str, words: DateWords, target: bool) -> list[Quantity]:
    out = []
    for m in words.digit_ordinals.finditer(text) if words.digit_ordinals else ():
        if m.group(2).lower() in words.weak_suffixes and not target:
            continue  # "3a" is too rare a source form to trust
        n = int(m.group(1))
        out.append(_q(m, 0, ORDINAL, {f"o:{n}", str(n)} if target else {f"o:{n}"}))  # "no 15.º" for "on 15"
    for m in words.word_ordinals.finditer(text) if words.word_ordinals else ():
        tens = words.ordinal_tens.get((m.group(1) or "").lower(), 0)
        stem = m.group(2).lower()
        if stem in words.compound_only and not tens:
            continue  # "at first" is idiomatic; "twenty-first" is not
        n = tens + words.ordinal_words[stem]
        if not target and words.ordinal_after is not None and (
                stem in words.source_skip or not words.ordinal_after.search(text[:m.start()])):
            continue  # "primeiro" is as idiomatic as "first"; "segundo" is also "according to"
        if words.fraction_before and (words.fraction_before.search(text[:m.start()])
                                      or words.fraction_after.match(text, m.end())):
            continue  # "one-third", "a third of": a fraction
        out.append(_q(m, 0, ORDINAL, {f"o:{n}", str(n)} if target else {f"o:{n}"}))
    for m in words.fractions.finditer(text) if target and words.fractions else ():
        out.append(_q(m, 0, ORDINAL, {f"o:{words.fraction_words[m.group().lower()]}"}))  # "the final third" -> "o terço final"
    return out


def fact_spans(facts: list[Quantity]) -> list[tuple[int, int]]:
    """Spans whose digits belong to a fact (a decade, an ordinal, a weekday: ``3ª feira``), not plain numbers."""
    return [(q.start, q.end) for q in facts if q.kind in (DECADE, ORDINAL, NUMBER) or any(c.isdigit() for c in q.token)]


def repair_fact(num: Quantity, found: list[Quantity], used: list[bool], target: str, lang: Language) -> tuple[int, int, str] | None:
    """An edit (start, end, text) of ``target`` that writes the source fact ``num`` where the model
    wrote it in a wrong form (marks the target fact it rewrites as used); None when there is none."""
    words = date_words(lang)
    if words is None:
        return None
    value = int(num.value[2:])
    for i, q in enumerate(found):
        if used[i]:
            continue
        if num.kind == DECADE and q.kind == NUMBER and value >= 1000 and q.value == str(value):
            edit = _decade_edit(q, target, value, words)
        elif num.kind == q.kind and num.kind in (MONTH, WEEKDAY) and _is_word(q.token):
            edit = (q.start, q.end, _name(num, q.token, words))
        else:
            continue
        if edit:
            used[i] = True
            return edit
    return None


def _decade_edit(q: Quantity, target: str, value: int, words: DateWords) -> tuple[int, int, str] | None:
    if words.repair_suffix:
        return q.start, q.end, f"{value}{words.repair_suffix}"
    before = target[:q.start]
    for prep, new in words.decade_repair.items():
        prep += " "
        if before.lower().endswith(prep) and not before[:-len(prep)][-1:].isalpha():
            return q.start - len(prep), q.end, (new[0].upper() + new[1:] if before[-len(prep)].isupper() else new) + f" {value}"
    return None


def _is_word(token: str) -> bool:
    return token.replace("-", "").isalpha()


def _name(num: Quantity, like: str, words: DateWords) -> str:
    """The source's month or weekday in the form of the target word the model wrote (with or
    without a suffix such as "-feira": the form in the same place of its list)."""
    n = int(num.value[2:])
    table = words.month_forms if num.kind == MONTH else words.weekday_forms
    wrote = like.lower()
    position = next((forms.index(wrote) for forms in table if wrote in forms), 0)
    forms = table[n - 1]
    word = forms[min(position, len(forms) - 1)]
    return word.capitalize() if like[:1].isupper() or words.capitalized else word


def ordinal_form(token: str, lang: Language) -> str | None:
    """The proper form of a digit ordinal the model wrote with letters (Portuguese ``3o`` -> ``3º``)."""
    words = date_words(lang)
    if words is None or not words.proper:
        return None
    m = words.improper.fullmatch(token)
    if m is None:
        return None
    suffix = m.group(2)
    return f"{m.group(1)}{words.proper[suffix[0]]}{'s' if suffix.endswith('s') else ''}"
