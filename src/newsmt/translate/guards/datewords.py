"""A language's ``dates`` section compiled for ``dates``: month and weekday forms, decades, ordinals."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ...languages import Language
from .packs import alternation

_I = re.IGNORECASE


@dataclass(frozen=True)
class DateWords:
    capitalized: bool  # names only with a capital (English)
    month_forms: list[list[str]]  # per month, its forms (cases)
    weekday_forms: list[list[str]]
    months: dict[str, int]  # form -> 1-12
    weekdays: dict[str, int]  # form -> 1-7
    abbreviations: dict[str, int]
    ambiguous: frozenset[str]  # forms that are also words: only next to a number or a date word
    target_only: frozenset[str]  # forms read only in a translation ("segunda" without "-feira")
    names: re.Pattern  # any month, weekday or abbreviation form
    context: re.Pattern  # a date word right before
    decades: re.Pattern | None
    decade_words: dict[str, int]
    decade_repair: dict[str, str]  # word before a year -> words before a decade
    repair_suffix: str  # "s": a decade the model wrote as a year gets it
    digit_ordinals: re.Pattern | None  # group 1 the digits, 2 the suffix
    weak_suffixes: frozenset[str]
    word_ordinals: re.Pattern | None  # group 1 the tens word, 2 the stem
    ordinal_words: dict[str, int]
    fractions: re.Pattern | None  # a fraction's noun that a translation writes for an ordinal ("terço")
    fraction_words: dict[str, int]
    ordinal_tens: dict[str, int]
    compound_only: frozenset[str]
    source_skip: frozenset[str]
    ordinal_after: re.Pattern | None  # in a source, an ordinal word only after one of these
    fraction_before: re.Pattern | None
    fraction_after: re.Pattern | None
    proper: dict[str, str]  # letter suffix -> proper ordinal sign ("o" -> "º")
    improper: re.Pattern


@lru_cache(maxsize=64)
def date_words(lang: Language) -> DateWords | None:
    """The compiled ``dates`` section of ``lang``; None where its pack has none."""
    s = lang.section("dates")
    if s is None:
        return None
    month_forms = [[f.lower() for f in forms] for forms in s["months"]]
    weekday_forms = [[f.lower() for f in forms] for forms in s["weekdays"]]
    months = {f: i + 1 for i, forms in enumerate(month_forms) for f in forms}
    weekdays = {f: i + 1 for i, forms in enumerate(weekday_forms) for f in forms}
    abbreviations = {k.lower(): int(v) for k, v in s.get("abbreviations", {}).items()}
    names = re.compile(rf"(?<!\w)(?:{alternation([*months, *weekdays])}|(?:{alternation(abbreviations)})\.?)(?!\w)", _I)
    context_words = s.get("date_words", [])
    space = r"\s"
    context = re.compile("(?:" + "|".join(rf"(?<!\w){re.escape(w)}{'' if w.endswith('-') else space}"
                                          for w in context_words) + ")$" if context_words else "(?!)", _I)
    d, o = s.get("decades", {}), s.get("ordinals", {})
    endings = alternation(o.get("endings", [""])) or ""
    stems, tens, fractions = o.get("words", {}), o.get("tens", {}), o.get("fractions", {})
    word_ordinals = None
    if stems:
        tens_part = f"(?:({alternation(tens)})(?:{endings})?{re.escape(o.get('tens_joiner', ' '))})?" if tens else "()"
        word_ordinals = re.compile(rf"(?<!\w){tens_part}({alternation(stems)})(?:{endings})(?!\w)", _I)
    suffixes = o.get("suffixes", [])
    joiners = alternation(o.get("digit_joiners", [""]))
    after, before = o.get("after"), o.get("fraction_before")
    return DateWords(
        capitalized=bool(s.get("capitalized")), month_forms=month_forms, weekday_forms=weekday_forms,
        months=months, weekdays=weekdays, abbreviations=abbreviations,
        ambiguous=frozenset(w.lower() for w in s.get("ambiguous", [])),
        target_only=frozenset(w.lower() for w in s.get("target_only", [])), names=names, context=context,
        decades=_decade_pattern(d), decade_words={k.lower(): int(v) for k, v in d.get("words", {}).items()},
        decade_repair=dict(d.get("repair", {})), repair_suffix=d.get("repair_suffix", ""),
        digit_ordinals=re.compile(rf"(?<![\w.,])(\d{{1,4}})(?:{joiners})({alternation(suffixes)})(?!\w)", _I) if suffixes else None,
        weak_suffixes=frozenset(o.get("weak_suffixes", [])), word_ordinals=word_ordinals,
        ordinal_words={k.lower(): int(v) for k, v in stems.items()}, ordinal_tens={k.lower(): int(v) for k, v in tens.items()},
        fractions=re.compile(rf"(?<!\w)(?:{alternation(fractions)})(?!\w)", _I) if fractions else None,
        fraction_words={k.lower(): int(v) for k, v in fractions.items()},
        compound_only=frozenset(o.get("compound_only", [])), source_skip=frozenset(o.get("source_skip", [])),
        ordinal_after=re.compile(rf"(?<!\w)(?:{alternation(after)})\s$", _I) if after else None,
        fraction_before=re.compile(rf"(?<!\w)(?:{alternation(before)})[\s-]$", _I) if before else None,
        fraction_after=re.compile(rf"\s(?:{alternation(o.get('fraction_after', []))})(?!\w)", _I) if before else None,
        proper=dict(o.get("proper", {})),
        improper=re.compile(rf"(\d{{1,4}})({alternation(w for w in suffixes if w[0] in o.get('proper', {}))})")
        if o.get("proper") else re.compile("(?!)"),
    )


def _decade_pattern(d: dict) -> re.Pattern | None:
    """One pattern for every way the section writes a decade; the matched group holds its number or word."""
    alts = []
    if d.get("suffixes"):
        alts.append(rf"(?<![\w.,])(\d{{3}}0)(?:{alternation(d['suffixes'])})(?!\w)")
        spelled = alternation(w for w in d["suffixes"] if not w.endswith("s"))  # "90-х" (an English "90s" needs "the")
        if spelled:
            alts.append(rf"(?<![\w.,])([2-9]0)(?:{spelled})(?!\w)")
    for mark in d.get("short", []):
        alts.append(rf"{re.escape(mark)}(\d0)s\b")
    for word in d.get("short_after", []):
        alts.append(rf"(?<={re.escape(word)}{'' if word.endswith('-') else ' '})([1-9]0)s\b")
    if d.get("before"):
        alts.append(rf"(?<!\w)(?:{alternation(d['before'])})\s(\d{{2,4}})\b")
    if d.get("words"):
        lead = alternation(d.get("words_after", []))
        alts.append(rf"(?<!\w){f'(?:{lead})[ ]' if lead else ''}({alternation(d['words'])})(?!\w)")
    return re.compile("|".join(alts), _I) if alts else None
