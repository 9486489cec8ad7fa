"""Clock times by value: ``10:16 pm`` = ``22h16`` = ``22:16`` = ``10:16 da noite`` = ``в 22 часа``
(minute of the day).

``clock_times`` finds the clock times of a text with every minute of the day each may mean: a 12-hour
time with its ``am``/``pm`` (``a.m.``, ``PM``), a 24-hour time (``20:30``, ``20h30``, ``15h``,
``07h19min``), and, from the language pack's ``dates`` section (``[clock]``), an hour with a day
period (``8 da noite``, ``в 10 вечера``), an hour with its hour word and minutes (``às 11 horas``,
``в 22 часа``, ``в 18 ч. 30 мин.``: also a duration, so it keeps its plain number), named times
(``noon``, ``meia-noite``, ``полдень``).
Where the language writes 12-hour clocks (English), an unmarked ``10:16`` may mean 10:16 or 22:16.
``format_time`` writes a minute of the day in the style of a target time the model got wrong
(``8:30`` -> ``20:30``, ``11 horas`` -> ``23 horas``), so a time shifted by 12 hours is rewritten in place.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ...languages import Language
from .packs import alternation, word_pattern

_AMPM = r"(?:([ap])\.\s?m\.?|([ap])\s?m\b)"  # "p.m." keeps its dot, "pm." leaves the sentence's
_TIME_12 = re.compile(rf"(?<![\d.,:])(\d{{1,2}})(?:[:.](\d{{2}}))?\s?{_AMPM}", re.IGNORECASE)
_TIME_24 = re.compile(r"(?<![\d.,:])(\d{1,2})(?:(:)(\d{2})|(\.)(\d{2})|h(\d{2})?(?:min)?)(?![\d\w])")
_ZONES = ["GMT", "UTC", "hrs"]
_SECONDS = re.compile(r"[.:]\d")  # "4:41.30", "1:09:02": a duration, read as written
_ZONES_24 = "GMT|UTC|BST|CES?T|EES?T|WES?T|MSK"  # "10:15 BST": wire style, 24 h
_ZONE_24 = re.compile(rf"\s?(?:{_ZONES_24})\b")
_ZONE = re.compile(rf"\s?({_ZONES_24}|[ECMP][SD]?T)(?!\w)")  # and the American zones (EST, PDT, ET)


def zone_after(text: str, end: int) -> str:
    """The time zone written after a clock time that ends at ``end`` (``GMT``, ``EST``; ``UTC`` of
    ``UTC+3``, whose offset is a number), or ""."""
    m = _ZONE.match(text, end)
    return m.group(1) if m else ""


def zone_kept(zone: str, text: str, lang: Language) -> bool:
    """Whether ``text`` names the time ``zone``: as written, or in ``lang``'s words for it or for
    the place's own time (its pack's ``[clock.zones]`` stems: ``GMT`` = ``по Гринвичу``, ``MDT`` =
    ``по горному времени``, ``local`` = ``по местному времени``)."""
    low, zones = text.lower(), _rules(lang).zones
    return bool(re.search(rf"\b{zone}\b", text)) or any(w in low for w in zones.get(zone, ()) + zones.get("local", ()))


@dataclass(frozen=True)
class Clock:
    """A clock time in a text: span, the minutes of the day it may mean, and how it is written."""

    start: int
    end: int
    minutes: frozenset[int]
    style: str  # ampm | colon | dot | h | period | hours | oclock | bare | named


class _Rules:
    """One language's ``[clock]`` words compiled."""

    def __init__(self, lang: Language) -> None:
        c = (lang.section("dates") or {}).get("clock", {})
        self.format, self.am, self.pm = c.get("format", "colon"), c.get("am", "a.m."), c.get("pm", "p.m.")
        self.named = {k.lower(): int(v) for k, v in c.get("named", {}).items()}
        self.named_re = word_pattern(self.named)
        self.periods = {k.lower(): tuple(v) for k, v in c.get("periods", {}).items()}
        hours, joiners = alternation(c.get("hours", [])), alternation(w for w in c.get("period_joiners", []) if w)
        # an hour with a day period may be a word: "às três da tarde"
        self.hour_words = {k.lower(): int(v) for k, v in ((lang.section("numbers") or {}).get("words", {})).items() if 1 <= int(v) <= 12}
        hour = rf"\d{{1,2}}|(?<!\w)(?:{alternation(self.hour_words)})" if self.hour_words else r"\d{1,2}"
        self.period_re = re.compile(
            rf"(?<![\d.,:])({hour})(?:[:h.](\d{{2}}))?(?:\s?(?:{hours}))?\s(?:(?:{joiners})\s)?({alternation(self.periods)})(?!\w)",
            re.IGNORECASE) if self.periods else None
        minute_words = alternation(c.get("minutes", []))  # "в 22 часа 15 минут", "18 ч. 30 мин."
        minutes = rf"(?:\.?\s(\d{{2}})\s?(?:{minute_words}))?" if minute_words else "()"
        self.hours_re = re.compile(rf"(?<![\d.,:])(\d{{1,2}})\s?(?:{hours}){minutes}(?!\w)", re.IGNORECASE) if hours else None
        military = alternation(_ZONES + c.get("military", []))
        self.military_re = re.compile(rf"(?<![\d.,:])([01]\d|2[0-3])([0-5]\d)\s?(?=(?:{military})(?!\w))")  # 1200 GMT
        oclock = alternation(c.get("oclock", []))
        self.oclock_re = re.compile(rf"(?<![\d.,:])(\d{{1,2}}) (?:{oclock})(?!\w)", re.IGNORECASE) if oclock else None
        at = alternation(c.get("at", []))
        self.at_re = re.compile(rf"(?<!\w)(?:{at})\s(\d{{1,2}})(?![\d\w:.,h%])", re.IGNORECASE) if at else None
        self.range_re = re.compile(rf"\s?(?:{alternation(c.get('range', []))})\s?$") if c.get("range") else None
        self.early_re, self.late_re = word_pattern(c.get("early", [])), word_pattern(c.get("late", []))
        self.zones = {k: tuple(w.lower() for w in v) for k, v in c.get("zones", {}).items()}  # GMT = "по Гринвичу"


@lru_cache(maxsize=64)
def _rules(lang: Language) -> _Rules:
    return _Rules(lang)


def _add(out: list[Clock], clock: Clock) -> None:
    if not any(c.start < clock.end and clock.start < c.end for c in out):
        out.append(clock)


def _in_period(h: int, mins: int, period: tuple[int, int]) -> int | None:
    """The minute of the day of ``h`` (1-12) in a day period (its hours ``start``-``end``)."""
    start, end = period
    for hour in (h % 12, h % 12 + 12):
        if (hour - start) % 24 < end - start:
            return hour * 60 + mins
    return None


def clock_times(text: str, lang: Language, target: bool = False) -> list[Clock]:
    """The clock times of ``text`` written in ``lang``. ``target``: also the forms that are only
    evidence in a translation (a bare hour after "at", "às", "в")."""
    rules = _rules(lang)
    if not any(ch.isdigit() for ch in text) and not (rules.named_re and rules.named_re.search(text)) \
            and not (rules.period_re and rules.hour_words and rules.period_re.search(text)):
        return []
    out: list[Clock] = []
    for m in _TIME_12.finditer(text):
        h, mins = int(m.group(1)), int(m.group(2) or 0)
        if 1 <= h <= 12 and mins < 60:
            late = (m.group(3) or m.group(4)).lower() == "p"
            _add(out, Clock(m.start(), m.end(), frozenset({(h % 12 + (12 if late else 0)) * 60 + mins}), "ampm"))
    for m in rules.period_re.finditer(text) if rules.period_re else ():
        h = int(m.group(1)) if m.group(1).isdigit() else rules.hour_words[m.group(1).lower()]
        mins = int(m.group(2) or 0)
        minute = _in_period(h, mins, rules.periods[m.group(3).lower()]) if 1 <= h <= 12 and mins < 60 else None
        if minute is not None:
            _add(out, Clock(m.start(), m.end(), frozenset({minute}), "period"))
    for m in _TIME_24.finditer(text):
        h = int(m.group(1))
        mins = int(m.group(3) or m.group(5) or m.group(6) or 0)
        if h >= 24 or mins >= 60:
            continue
        style = "colon" if m.group(2) else "dot" if m.group(4) else "h"  # "20.30" may be a number too
        readings = {h * 60 + mins}
        if rules.format == "12h" and style == "colon" and 1 <= h <= 12 and not m.group(1).startswith("0"):
            readings = _twelve_hour_readings(text, m, h, mins, out, rules)
        elif 1 <= h < 12 and (start := _range_start(text, m, h, mins, out, rules)) is not None:
            readings.add(start)  # "10:00 и 11:00 вечера": the evening's 22:00, or 10:00 as written
        _add(out, Clock(m.start(), m.end(), frozenset(readings), style))
    for m in rules.military_re.finditer(text):
        _add(out, Clock(m.start(), m.end(), frozenset({int(m.group(1)) * 60 + int(m.group(2))}), "dot"))
    for m in rules.oclock_re.finditer(text) if rules.oclock_re else ():
        h = int(m.group(1))
        if 1 <= h <= 12:
            _add(out, Clock(m.start(), m.end(), frozenset({h % 12 * 60, (h % 12 + 12) * 60}), "oclock"))
    for m in rules.hours_re.finditer(text) if rules.hours_re else ():
        h, mins = int(m.group(1)), int(m.group(2) or 0)
        if h < 24 and mins < 60:
            _add(out, Clock(m.start(), m.end(), frozenset({h * 60 + mins}), "hours"))
    for m in rules.at_re.finditer(text) if target and rules.at_re else ():
        h = int(m.group(1))
        if h < 24:
            _add(out, Clock(m.start(1), m.end(1), frozenset({h * 60}), "bare"))
    for m in rules.named_re.finditer(text) if rules.named_re else ():
        _add(out, Clock(m.start(), m.end(), frozenset({rules.named[m.group().lower()]}), "named"))
    return sorted(out, key=lambda c: c.start)


def _twelve_hour_readings(text: str, m: re.Match, h: int, mins: int, found: list[Clock], rules: _Rules) -> set[int]:
    """What an unmarked ``10:16`` may mean where clocks run to 12: as written when seconds follow
    (a race time) or a 24-hour zone (``GMT``); the period of the next time when it starts a range
    (``10:00-11:00 pm``); the one period the sentence's day words name (``morning``, ``night``);
    else either ("04:00" is 24 h)."""
    early, late = h * 60 + mins, (h + 12) * 60 + mins
    after = text[m.end():m.end() + 8]
    if _SECONDS.match(after) or _ZONE_24.match(after) or h == 12:  # "12:30" is past noon
        return {h * 60 + mins}
    start = _range_start(text, m, h, mins, found, rules)
    if start is not None:
        return {start}
    is_early = bool(rules.early_re and rules.early_re.search(text))
    is_late = bool(rules.late_re and rules.late_re.search(text))
    if is_early != is_late:
        return {late if is_late else early}
    return {early, late}


def _range_start(text: str, m: re.Match, h: int, mins: int, found: list[Clock], rules: _Rules) -> int | None:
    """The minute of the day of a time ``h:mins`` that starts a range whose end names its half of
    the day (``10:00-11:00 pm``, ``10:00 и 11:00 вечера``): that half, unless it would end before it
    starts; None where it starts no such range."""
    for c in found:
        if c.style in ("ampm", "period") and c.start > m.end() and len(c.minutes) == 1 and rules.range_re \
                and rules.range_re.match(text[m.end():c.start]):
            end, late = next(iter(c.minutes)), (h + 12) * 60 + mins
            return late if end >= 720 and late <= end else h * 60 + mins
    return None


def shifted(source, target) -> int | None:
    """The source's minute of the day when ``target`` is the same time read 12 hours off (same
    minutes past the hour, hour equal modulo 12); None otherwise. Both are ``Quantity`` objects."""
    want, got = source.minutes(), target.minutes()
    if len(want) != 1 or not got or target.style == "named":
        return None
    for minute in got:
        if minute % 60 == want[0] % 60 and (minute // 60) % 12 == (want[0] // 60) % 12 and minute != want[0]:
            return want[0]
    return None


def format_time(minutes: int, style: str, token: str, lang: Language) -> str:
    """``minutes`` written as the target time ``token`` (written in ``style``) is written; for an
    "11 horas" the token is the hour alone."""
    rules = _rules(lang)
    h, m = divmod(minutes, 60)
    if style == "hours":
        return str(h)
    if rules.format == "12h":
        return f"{h % 12 or 12}{f':{m:02d}' if m or ':' in token else ''} {rules.am if h < 12 else rules.pm}"
    if style == "colon" or rules.format == "colon":
        return f"{h:02d}:{m:02d}" if token[:2].isdigit() else f"{h}:{m:02d}"
    return f"{h}h{m:02d}" if m else f"{h}h"
