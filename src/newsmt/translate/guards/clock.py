"""Clock times by value: ``10:16 pm`` = ``22h16`` = ``22:16`` = ``10:16 da noite`` (minute of the day).

``clock_times`` finds the clock times of a text with every minute of the day each may mean: a 12-hour
time with its ``am``/``pm`` (``a.m.``, ``PM``), a 24-hour time (``20:30``, ``20h30``, ``15h``,
``07h19min``), a Portuguese day period (``8 da noite``, ``às 11 horas``), ``noon``/``meio-dia``,
``midnight``/``meia-noite``. An English ``10:16`` without am/pm may mean 10:16 or 22:16; a
Portuguese ``11 horas`` may be a duration, so it also keeps its plain number. ``format_time`` writes
a minute of the day in the style of a target time the model got wrong (``8:30`` -> ``20:30``,
``11 horas`` -> ``23 horas``), so a time shifted by 12 hours is rewritten in place.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

_AMPM = r"(?:([ap])\.\s?m\.?|([ap])\s?m\b)"  # "p.m." keeps its dot, "pm." leaves the sentence's
_TIME_12 = re.compile(rf"(?<![\d.,:])(\d{{1,2}})(?:[:.](\d{{2}}))?\s?{_AMPM}", re.IGNORECASE)
_TIME_24 = re.compile(r"(?<![\d.,:])(\d{1,2})(?:(:)(\d{2})|(\.)(\d{2})|h(\d{2})?(?:min)?)(?![\d\w])")
_PERIOD_PT = re.compile(
    r"(?<![\d.,:])(\d{1,2})(?:[:h](\d{2}))?(?:h|\s?horas?)?\s(?:da|de)\s(manhã|madrugada|tarde|noite)\b", re.IGNORECASE)
_HOURS_PT = re.compile(r"(?<![\d.,:])(\d{1,2})\s?horas?\b", re.IGNORECASE)
_MILITARY = re.compile(r"(?<![\d.,:])([01]\d|2[0-3])([0-5]\d)\s?(?=GMT|UTC|hrs\b|hours\b|horas\b)")  # 1200 GMT
_OCLOCK = re.compile(r"(?<![\d.,:])(\d{1,2}) o'clock\b", re.IGNORECASE)
_AT_BARE = re.compile(r"\b(?:às|as|at)\s(\d{1,2})(?![\d\w:.,h%])", re.IGNORECASE)
_NAMED = {"noon": 720, "midday": 720, "midnight": 0, "meio-dia": 720, "meia-noite": 0}
_NAMED_RE = re.compile(r"\b(noon|midday|midnight|meio-dia|meia-noite)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Clock:
    """A clock time in a text: span, the minutes of the day it may mean, and how it is written."""

    start: int
    end: int
    minutes: frozenset[int]
    style: str  # ampm | colon | dot | h | period | hours | oclock | bare | named
    hour_number: str = ""  # the plain number a Portuguese "11 horas" / bare "às 11" may also be


def _add(out: list[Clock], clock: Clock) -> None:
    if not any(c.start < clock.end and clock.start < c.end for c in out):
        out.append(clock)


def clock_times(text: str, lang: str, target: bool = False) -> list[Clock]:
    """The clock times of ``text`` written in ``lang``. ``target``: also the forms that are only
    evidence in a translation (``às 11``, a bare hour after "at")."""
    if not any(ch.isdigit() for ch in text) and not _NAMED_RE.search(text):
        return []
    out: list[Clock] = []
    for m in _TIME_12.finditer(text):
        h, mins = int(m.group(1)), int(m.group(2) or 0)
        if 1 <= h <= 12 and mins < 60:
            late = (m.group(3) or m.group(4)).lower() == "p"
            _add(out, Clock(m.start(), m.end(), frozenset({(h % 12 + (12 if late else 0)) * 60 + mins}), "ampm"))
    if lang == "pt" or target:
        for m in _PERIOD_PT.finditer(text):
            h, mins = int(m.group(1)), int(m.group(2) or 0)
            if 1 <= h <= 12 and mins < 60:
                period = m.group(3).lower()  # 12 da tarde = noon, 12 da noite = midnight
                late = period == "tarde" or (period == "noite" and h != 12)
                _add(out, Clock(m.start(), m.end(), frozenset({(h % 12 + (12 if late else 0)) * 60 + mins}), "period"))
    for m in _TIME_24.finditer(text):
        h = int(m.group(1))
        mins = int(m.group(3) or m.group(5) or m.group(6) or 0)
        if h >= 24 or mins >= 60:
            continue
        style = "colon" if m.group(2) else "dot" if m.group(4) else "h"  # "20.30" may be a number too
        readings = {h * 60 + mins}
        if lang == "en" and style == "colon" and 1 <= h <= 12 and not m.group(1).startswith("0"):
            readings = _english_readings(text, m, h, mins, out)
        _add(out, Clock(m.start(), m.end(), frozenset(readings), style))
    for m in _MILITARY.finditer(text):
        _add(out, Clock(m.start(), m.end(), frozenset({int(m.group(1)) * 60 + int(m.group(2))}), "dot"))
    for m in _OCLOCK.finditer(text):
        h = int(m.group(1))
        if 1 <= h <= 12:
            _add(out, Clock(m.start(), m.end(), frozenset({h % 12 * 60, (h % 12 + 12) * 60}), "oclock"))
    if lang == "pt" or target:
        for m in _HOURS_PT.finditer(text):
            h = int(m.group(1))
            if h < 24:
                _add(out, Clock(m.start(), m.end(), frozenset({h * 60}), "hours", m.group(1)))
    if target:
        for m in _AT_BARE.finditer(text):
            h = int(m.group(1))
            if h < 24:
                _add(out, Clock(m.start(1), m.end(1), frozenset({h * 60}), "bare", m.group(1)))
    for m in _NAMED_RE.finditer(text):
        _add(out, Clock(m.start(), m.end(), frozenset({_NAMED[m.group(1).lower()]}), "named"))
    return sorted(out, key=lambda c: c.start)


_SECONDS = re.compile(r"[.:]\d")  # "4:41.30", "1:09:02": a duration, read as written
_ZONE_24 = re.compile(r"\s?(?:GMT|UTC|BST|CES?T|EES?T|WES?T|MSK)\b")  # "10:15 BST": wire style, 24 h
_RANGE_TO = re.compile(r"\s?(?:-|–|to|until|till)\s?$")
_EARLY = re.compile(r"\b(?:morning|dawn|breakfast)\b", re.IGNORECASE)
_LATE = re.compile(r"\b(?:afternoon|evening|night|tonight|overnight|dinner)\b", re.IGNORECASE)


def _english_readings(text: str, m: re.Match, h: int, mins: int, found: list[Clock]) -> set[int]:
    """What an English ``10:16`` without am/pm may mean: as written when seconds follow (a race
    time) or a 24-hour zone (``GMT``); the period of the next time when it starts a range
    (``10:00-11:00 pm``); the one period the sentence's day words name (``morning``, ``night``);
    else either ("04:00" is 24 h)."""
    early, late = h * 60 + mins, (h + 12) * 60 + mins
    after = text[m.end():m.end() + 8]
    if _SECONDS.match(after) or _ZONE_24.match(after) or h == 12:  # "12:30" is past noon
        return {h * 60 + mins}
    for c in found:
        if c.style == "ampm" and c.start > m.end() and _RANGE_TO.match(text[m.end():c.start]) and len(c.minutes) == 1:
            end = next(iter(c.minutes))
            start = late if end >= 720 and late <= end else early
            return {start}
    is_early, is_late = bool(_EARLY.search(text)), bool(_LATE.search(text))
    if is_early != is_late:
        return {late if is_late else early}
    return {early, late}


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


def format_time(minutes: int, style: str, token: str, lang: str) -> str:
    """``minutes`` written as the target time ``token`` (written in ``style``) is written; for a
    Portuguese ``11 horas`` the token is the hour alone."""
    h, m = divmod(minutes, 60)
    if style == "hours":
        return str(h)
    if lang == "en":
        suffix = "a.m." if h < 12 else "p.m."
        return f"{h % 12 or 12}{f':{m:02d}' if m or ':' in token else ''} {suffix}"
    if style == "colon":
        return f"{h:02d}:{m:02d}" if token[:2].isdigit() else f"{h}:{m:02d}"
    return f"{h}h{m:02d}" if m else f"{h}h"
