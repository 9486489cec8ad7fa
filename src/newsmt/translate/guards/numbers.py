"""Numbers and the facts written with them, matched by value; repair of what the model altered.

What counts as a preserved number: the same value written in the source's or in the target
language's convention (``1,000`` -> ``1.000`` and ``3.5`` -> ``3,5`` in Portuguese are kept), or
the same literal (dates such as ``17.07.2017``), with a compatible unit or currency (``5 miles`` ->
``5 milhas`` or ``8 km``; not ``5 km``); a scaled number only as the same amount where the
translation scales it too (``8 billion`` -> ``8 bilhões`` or ``8000 milhões``; not ``8 milhões``).
Clock times match by minute of the day (``clock``), months, weekdays, decades and ordinals by their
value (``dates``). Repairs, where the model wrote a wrong
form: a number whose digits survived in a broken format (``1,234.56`` -> ``1,234,56``) is rewritten
in the target convention; a clock time read 12 hours off (``10:16 pm`` -> ``10:16``) gets its hour;
a decade written as a year, another month or weekday, ``3o`` for ``3º`` (``dates.repair_fact``).
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from decimal import Decimal
from functools import lru_cache
from typing import NamedTuple

from ...languages import Language
from .clock import clock_times, format_time, shifted, zone_after, zone_kept
from .dates import date_facts, date_facts_known, fact_spans, ordinal_form, repair_fact
from .numwords import fraction_words, fractions, with_halves, word_numbers
from .packs import alternation
from .quantity import DECADE, MONTH, NUMBER, ORDINAL, TIME, WEEKDAY, Quantity, canonical
from .spans import protected_spans
from .typography import normalize_source
from .units import CURRENCIES, compatible, converted, mentions, unit_of, unit_span

_NUMBER = re.compile(r"(?<!\d)(?:\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)*)(?!\d)")
_DIGIT = re.compile(r"\d")
_NUMERIC_DATE = re.compile(r"(?<![\d/.-])(\d{1,2})([/.-])(\d{1,2})\2\d{2,4}(?![\d/])")
_TIME_ONLY = {"ampm", "colon", "h", "period", "oclock", "named"}  # clock styles that are no plain number
_KIND_ORDER = {TIME: 0, NUMBER: 2}  # facts (decades, ordinals, months, weekdays) in between
_GROUP_SEPS = " \u00a0\u202f.,"
_GROUP_SPLIT = re.compile(r"[ \u00a0\u202f.,]")
_ROMAN = re.compile(r"(?<!\w)[IVXL]{1,7}(?!\w)")
_YEAR_RANGE = re.compile(r"(?<!\d)(1[5-9]|20)(\d\d)[-–/]$")  # "1950-53": the end is 1953
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50}
_SUM_GAP = re.compile(r"\s+(?:[^\W\d]{1,3}\s+)?")  # between the parts of "2 milhões e 750 mil"
_DEFAULT_FORMAT = (",", ".")  # a language without a numbers section: read in either convention


def number_format(lang: Language) -> tuple[str, str]:
    """(thousands separator, decimal separator) of ``lang`` (its pack's ``numbers`` section)."""
    section = lang.section("numbers")
    return (section["group"], section["decimal"]) if section else _DEFAULT_FORMAT


def _decimal_sep(lang: Language) -> str:
    return number_format(lang)[1]


@lru_cache(maxsize=64)
def _scales(langs: tuple[Language, ...]) -> tuple[dict[str, int], re.Pattern | None]:
    """Scale words of ``langs`` (``mil``, ``million``, ``млн``) and the pattern that reads one after a number."""
    table = {k.lower(): int(v) for lang in langs for k, v in ((lang.section("numbers") or {}).get("scale", {})).items()}
    if not table:
        return table, None
    return table, re.compile(rf"\s?({alternation(table)})(?!\w)", re.IGNORECASE)


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
    return canonical(Decimal("".join(groups) + ("." + frac if frac else "")))


def quantities(text: str, lang: Language, skip: list[tuple[int, int]] = (), other_lang: Language | None = None,
               target: bool = False) -> list[Quantity]:
    """Numbers and facts of ``text`` outside the ``skip`` spans, each with all its readings.

    A number is read in the convention of ``lang`` first, then of ``other_lang`` (or the opposite
    decimal separator); a following scale word ("mil", "million", "млн") adds the scaled value. Clock
    times, decades and ordinals take their digits; months and weekdays are words. ``target``: read
    a translation leniently (a bare hour after "às", a numeric date's month, a Roman numeral, numbers
    and fractions in words).
    """
    facts = date_facts(text, lang, target)
    if target and other_lang:  # a name carried over in the source's words: "The Sunday Times", "Saturday Night Live"
        facts += [q for q in date_facts(text, other_lang, target) if q.kind in (MONTH, WEEKDAY)
                  and not any(f.start < q.end and q.start < f.end for f in facts)]
    out = [q for q in facts + fractions(text) if not _inside(q.start, skip)]
    taken = list(skip) + fact_spans(out)
    hours: dict[int, tuple[frozenset[str], str]] = {}  # number start -> clock readings, style
    if _DIGIT.search(text) or out or target:
        for c in clock_times(text, lang, target):
            if any(a < c.end and c.start < b for a, b in taken):
                continue
            readings = frozenset(f"t:{m}" for m in c.minutes)
            if c.style in _TIME_ONLY:
                hour: set[str] = set()
                if c.style == "period":  # an hour with its day period may be a count in a source
                    # ("arrested 12 in the morning raids"); in a translation, the hour its source gives
                    # alone ("at 7" = "в 7 вечера")
                    hour = {f"h:{m // 60 % 12 or 12}" for m in c.minutes if not m % 60} if target \
                        else set(re.findall(r"^\d+", text[c.start:c.end]))
                out.append(Quantity(c.start, c.end, text[c.start:c.end], min(readings), readings | hour, kind=TIME,
                                    style=c.style))
                taken.append((c.start, c.end))
            else:
                hours[c.start] = (readings, c.style)
    lenient = []
    if target:  # a fraction's numerator ("dois terços") is no number of its own
        lenient = [w for w in fraction_words(text, lang) if not _inside(w.start, taken)]
        taken += [(w.start, w.end) for w in lenient]
        lenient += _roman(text) + [w for w in word_numbers(text, lang) if not _inside(w.start, taken)]
    if not _DIGIT.search(text):
        return with_halves(sorted(out + lenient, key=lambda q: q.start), text, lang, _scales((lang,))[0]) if target \
            else sorted(out, key=lambda q: q.start)
    decs = list(dict.fromkeys([_decimal_sep(lang), _decimal_sep(other_lang) if other_lang else "", ",", "."]))
    scales, scale_re = _scales((lang, other_lang) if other_lang else (lang,))
    months = {m.start(k): f"m:{int(m.group(k))}" for m in _NUMERIC_DATE.finditer(text) for k in (1, 3)
              if target and 1 <= int(m.group(k)) <= 12}
    scaled: list[tuple[int, int, int, Decimal]] = []  # (index in out, exponent, end of the scale word, value)
    for m in _NUMBER.finditer(text):
        if _inside(m.start(), taken):
            continue
        tok = m.group()
        value, grouped, readings, parsed = tok, False, {tok}, False
        for d in filter(None, decs):
            v = parse_number(tok, d)
            if v is None:
                continue
            if not parsed:
                value, parsed = v, True
                head = tok.rsplit(d, 1)[0] if "." in v else tok
                grouped = any(c in _GROUP_SEPS for c in head)
            readings.add(v)
        year = _YEAR_RANGE.search(text, max(0, m.start() - 5), m.start()) if len(tok) == 2 else None
        if year and tok > year.group(2):
            readings.add(year.group(1) + tok)
        scale = scale_re.match(text, m.end()) if scale_re else None
        if scale and parsed:
            exponent = scales[scale.group(1).lower()]
            scaled.append((len(out), exponent, scale.end(), Decimal(value).scaleb(exponent)))
            readings.add(canonical(scaled[-1][3]))
        clock, style = hours.get(m.start(), (frozenset(), ""))
        readings.update(clock)
        if m.start() in months:
            readings.add(months[m.start()])
        if not target and value.isdigit() and 1 <= int(value) <= 12:
            readings.add(f"h:{int(value)}")  # an hour given alone
        if target and value.isdigit():
            readings.add(f"o:{value}")  # "4 de julho" for "4th July", "século 16" for "16th century"
            if int(value) in range(20, 100, 10):
                readings.add(f"d:{value}")  # "in his mid-70s" = "больше 70 лет"
        out.append(Quantity(m.start(), m.end(), tok, value, frozenset(readings), grouped, style=style,
                            scaled=bool(scale and parsed)))
    _scaled_sums(out, scaled, text)
    if target:
        return with_halves(sorted(out + lenient, key=lambda q: q.start), text, lang, _scales((lang,))[0])
    return sorted(_feet_and_inches(out, text, lang), key=lambda q: q.start)


def _scaled_sums(out: list[Quantity], scaled: list[tuple[int, int, int, Decimal]], text: str) -> None:
    """A scaled number followed by a smaller one also reads as their sum, in both (``2 миллиона 750
    тысяч`` and ``2 milhões e 750 mil`` for ``2.75 million``)."""
    for (i, big, end, a), (j, small, _, b) in zip(scaled, scaled[1:]):
        if small < big and b < Decimal(10).scaleb(big) and _SUM_GAP.fullmatch(text, end, out[j].start):
            total = canonical(a + b)
            out[i], out[j] = (replace(q, values=q.values | {total}) for q in (out[i], out[j]))


def _feet_and_inches(out: list[Quantity], text: str, lang: Language) -> list[Quantity]:
    """A length in feet and inches (``6-foot-6``, ``6 feet 6 inches``) as one amount in feet (the
    translation writes ``1,98 m``); the feet keep their own reading (``6 pés e 6 polegadas``)."""
    nums = sorted((q for q in out if q.kind == NUMBER), key=lambda q: q.start)
    for feet, inches in zip(nums, nums[1:]):
        if not (feet.value.isdigit() and inches.value.isdigit() and int(inches.value) < 12
                and "ft" in unit_of(text, feet.start, feet.end, lang)):
            continue
        gap = text[unit_span(text, feet.start, feet.end, lang)[1]:inches.start]
        unit = unit_of(text, inches.start, inches.end, lang)
        if gap == "-" and not unit or gap in ("-", " ") and "in" in unit:
            out = [q for q in out if q is not inches and q is not feet]
            out.append(replace(feet, value=f"{int(feet.value) + int(inches.value) / 12:.4f}"))
    return out


def _inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    return any(a <= pos < b for a, b in spans)


def _roman(text: str) -> list[Quantity]:
    out = []
    for m in _ROMAN.finditer(text):
        digits = [_ROMAN_VALUES[c] for c in m.group()]
        total = sum(-d if i + 1 < len(digits) and d < digits[i + 1] else d for i, d in enumerate(digits))
        out.append(Quantity(m.start(), m.end(), m.group(), str(total), frozenset({str(total), f"o:{total}"})))
    return out


def format_number(num: Quantity, lang: Language) -> str:
    """``num`` written in the convention of ``lang`` (grouping kept only where the source grouped)."""
    if num.value == num.token and "." not in num.token:
        return num.token
    group, dec = number_format(lang)
    head, _, frac = num.value.partition(".")
    written = re.search(r"[.,](\d+)$", num.token)  # the decimals as written: "12.50" is not "12,5"
    if frac and written and written.group(1).startswith(frac) and not written.group(1)[len(frac):].strip("0"):
        frac = written.group(1)
    if num.grouped:
        first = len(head) % 3 or 3
        head = group.join([head[:first]] + [head[i:i + 3] for i in range(first, len(head), 3)])
    return head + (dec + frac if frac else "")


def checkable(numbers: list[Quantity], tgt_lang: Language) -> list[Quantity]:
    """The source numbers and facts a ``tgt_lang`` translation can be checked for: months,
    weekdays, decades and ordinals only where the target's words for them are known."""
    if date_facts_known(tgt_lang):
        return numbers
    return [q for q in numbers if q.kind not in (MONTH, WEEKDAY, DECADE, ORDINAL)]


class Repaired(NamedTuple):
    text: str  # the target, wrong forms rewritten
    missing: list[Quantity]  # source numbers and facts with no counterpart
    changed: list[str]  # ``"wrong -> right"`` where the model wrote another value (a clock time
    # 12 hours off, a decade as a year, another month or weekday), not merely another form


def repair_numbers(numbers: list[Quantity], target: str, src_lang: Language, tgt_lang: Language,
                   skip: list[tuple[int, int]] = (), source: str = "") -> Repaired:
    """Match source numbers and facts to the target's by any reading; fix wrong forms.

    A number counts as kept when the
    target has a number sharing one of its readings (value in either convention, scaled value,
    Roman numeral) with a compatible unit (``source`` is the text ``numbers`` were read from), or
    the amount converted to another unit of the same kind. An unmatched number whose digits appear
    unchanged in an unmatched target number (``1,234.56`` -> ``1,234,56``) is rewritten there in the
    target convention, and so is a grouped number copied verbatim whose separator is the target's
    decimal mark (en ``2,500`` in pt); clock times, decades, months and weekdays written in a wrong
    form are rewritten (module docstring).
    """
    numbers = checkable(numbers, tgt_lang)
    if not numbers:
        return Repaired(target, [], [])
    found = quantities(target, tgt_lang, skip, src_lang, target=True)
    used, unmatched, pairs = _match(numbers, found)
    missing, changed = [], []
    edits: list[tuple[int, int, str]] = []
    for num, k in pairs:
        q = found[k]
        units, target_units = (unit_of(source, num.start, num.end, src_lang), unit_of(target, q.start, q.end, tgt_lang)) \
            if num.kind == NUMBER and source else (frozenset(), frozenset())
        # the same number in another unit: kept only where that is the amount converted ("30 yards" -> "30 metros")
        if units and not compatible(units, target_units) and not _converted(num, units, q, target_units):
            missing.append(_with_unit(num, source, src_lang))
        elif units and units <= CURRENCIES and not target_units and not mentions(target, units, tgt_lang):
            # money only ("135-pound" may be a weight): an amount whose currency the translation names nowhere
            money = source[unit_span(source, num.start, num.end, src_lang)[0]:num.start]  # "€12.50" -> "12.50"
            if money:  # written before the amount in the source: so in the target, with its figures
                edits.append((q.start, q.end, money + format_number(num, tgt_lang)))
                changed.append(f"{q.token} -> {edits[-1][2]}")
            else:
                missing.append(_with_unit(num, source, src_lang))
        elif num.kind == TIME and source and (zone := zone_after(source, num.end)) \
                and not zone_kept(zone, target, tgt_lang):
            edits.append((q.end, q.end, " " + zone))  # "10:45 GMT" -> "10:45": the zone written back after the time
            changed.append(f"{q.token} -> {q.token} {zone}")
        elif q.kind == ORDINAL and ordinal_form(q.token, tgt_lang):
            edits.append((q.start, q.end, ordinal_form(q.token, tgt_lang)))
    for num in unmatched:
        edit = _repair(num, found, used, target, source, src_lang, tgt_lang)
        if edit is None:
            missing.append(_with_unit(num, source, src_lang) if num.kind == NUMBER and source else num)
        elif edit != ():
            edits.append(edit)
            if num.kind != NUMBER:
                changed.append(f"{target[edit[0]:edit[1]]} -> {edit[2]}")
    dec = _decimal_sep(tgt_lang)
    if dec != _decimal_sep(src_lang):  # "2,500" copied into pt reads 2.5 there: write "2.500"
        misread = {n.token: n for n in numbers if n.grouped and dec in n.token}
        edited = {a for a, _, _ in edits}
        edits += [(q.start, q.end, format_number(misread[q.token], tgt_lang))
                  for q in found if q.token in misread and q.start not in edited]
    for a, b, s in sorted(edits, reverse=True):
        target = target[:a] + s + target[b:]
    return Repaired(target, missing, changed)


def _repair(num: Quantity, found: list[Quantity], used: list[bool], target: str, source: str,
            src_lang: Language, lang: Language) -> tuple[int, int, str] | tuple[()] | None:
    """The edit that writes the unmatched ``num`` where the model wrote it in a wrong form, ``()``
    when it is there after all (a converted amount), or None when it is missing."""
    free = [i for i, q in enumerate(found) if not used[i]]
    if num.kind == TIME:
        for i in free:
            minute = shifted(num, found[i])
            if minute is not None:
                used[i] = True
                q = found[i]
                return q.start, q.end, format_time(minute, q.style, q.token, lang)
        return None
    if num.kind != NUMBER:
        return repair_fact(num, found, used, target, lang)
    units = unit_of(source, num.start, num.end, src_lang) if source else frozenset()
    if num.value == "100" and "pct" in units and _whole(lang).search(target):
        return ()  # "100 percent certain" -> "certeza absoluta"
    # a converted amount; one the source gave in two units ("45 miles (72 km)") may be written once, in
    # the other unit: then an amount already matched counts too, unless the target has this unit
    own_unit = units and any(units & unit_of(target, q.start, q.end, lang) for q in found if q.kind == NUMBER)
    for i in (free if own_unit else range(len(found))):
        q = found[i]
        if units and q.kind == NUMBER and _converted(num, units, q, unit_of(target, q.start, q.end, lang)):
            used[i] = True
            return ()
    digits = _digits(num.token)
    k = next((i for i in free if found[i].kind == NUMBER and _digits(found[i].token) == digits
              and not (num.scaled and found[i].scaled)), -1)  # "8 billion" is not "8 milhões" in another form
    if k < 0:
        return None
    used[k] = True
    return found[k].start, found[k].end, format_number(num, lang)


@lru_cache(maxsize=64)
def _whole(lang: Language) -> re.Pattern:
    """The stems of the words ``lang`` writes for "100 percent" (its pack's ``numbers.whole``)."""
    stems = (lang.section("numbers") or {}).get("whole", [])
    return re.compile(rf"(?<!\w)(?:{alternation(stems)})", re.IGNORECASE) if stems else re.compile(r"(?!)")


def _converted(num: Quantity, units: frozenset[str], q: Quantity, target_units: frozenset[str]) -> bool:
    """Whether the target number ``q`` is the source ``num`` converted to another unit (``units.converted``)."""
    value, target_value = _float(num.value), _float(q.value)
    return value is not None and target_value is not None and converted(value, units, target_value, target_units)


def _float(value: str) -> float | None:
    try:
        return float(value)
    except ValueError:
        return None


def _with_unit(num: Quantity, source: str, lang: Language) -> Quantity:
    """``num`` with the unit written after it in ``source`` in its token (for the flag's evidence)."""
    a, b = unit_span(source, num.start, num.end, lang)
    return replace(num, token=source[a:b].strip(), start=a, end=b) if (a, b) != (num.start, num.end) else num


def _match(numbers: list[Quantity], found: list[Quantity]) -> tuple[list[bool], list[Quantity], list[tuple[Quantity, int]]]:
    """Greedy one-to-one matching by shared reading, clock times first and plain numbers last, a
    target fact of the same kind preferred: (target facts used, source facts unmatched, matched pairs)."""
    used = [False] * len(found)
    unmatched: list[Quantity] = []
    pairs: list[tuple[Quantity, int]] = []
    for num in sorted(numbers, key=lambda q: (_KIND_ORDER.get(q.kind, 1), q.start)):
        cands = [i for i, q in enumerate(found) if not used[i] and _same(num, q)]
        k = min(cands, key=lambda i: (found[i].kind != num.kind, i), default=-1)
        if k < 0:
            unmatched.append(num)
        else:
            used[k] = True
            pairs.append((num, k))
    return used, sorted(unmatched, key=lambda q: q.start), pairs


def _same(num: Quantity, q: Quantity) -> bool:
    """Whether ``num`` and ``q`` share a reading; two scaled numbers must share their amount
    (``8 billion`` is not ``8 milhões``, ``1.5 billion`` is ``1500 млн``)."""
    shared = num.values & q.values
    return bool(shared - {num.value, q.value} if num.scaled and q.scaled else shared)


def preserved(source: str, target: str, src_lang: Language, tgt_lang: Language) -> tuple[int, int, int, int]:
    """(numbers, numbers kept, protected items, items kept verbatim) of a translation, checked as the
    engine checks them but without repairing anything (for evaluation)."""
    norm = normalize_source(source)
    spans = protected_spans(norm)
    items = Counter(norm[a:b] for a, b in spans)
    kept_items = sum(min(n, target.count(item)) for item, n in items.items())
    numbers = checkable(quantities(norm, src_lang, spans), tgt_lang)
    found = quantities(target, tgt_lang, protected_spans(target), src_lang, target=True)
    lost = _match(numbers, found)[1] if numbers else []
    return len(numbers), len(numbers) - len(lost), sum(items.values()), kept_items


def _digits(token: str) -> str:
    return "".join(c for c in token if c.isdigit())
