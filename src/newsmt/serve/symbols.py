"""Emoji kept through translation: the models write an emoji as "-" or drop it, so each run of emoji
is taken out of a text before it is translated and put back into the translation where it stood
(``writers.links.point``: the start, before the final punctuation, the end, or after the
translation of the word before it). An emoji is a Unicode pictograph with its modifiers, a
ZWJ sequence, a flag (two regional indicators) or a keycap."""
from __future__ import annotations

import regex

from ..writers.links import point

_ONE = r"(?:\p{RI}\p{RI}|[#*0-9]\uFE0F?\u20E3|\p{Extended_Pictographic}[\uFE0E\uFE0F]?\p{EMod}?" \
       r"(?:\u200D\p{Extended_Pictographic}[\uFE0E\uFE0F]?\p{EMod}?)*)"
EMOJI = regex.compile(rf"{_ONE}(?:[ \t]*{_ONE})*")

Taken = list[tuple[int, str]]  # (where in the text without them, what was there: the emoji and a space)


def take_out(text: str) -> tuple[str, Taken]:
    """``text`` without its emoji (each run with the space before it, else the one after it) and
    what was taken out, with the place it stood in the shorter text."""
    if text.isascii():
        return text, []
    out: list[str] = []
    taken: Taken = []
    pos = length = 0
    for m in EMOJI.finditer(text):
        a, b = m.span()
        if a < pos:
            continue
        if a > pos and text[a - 1] in " \t":
            a -= 1
        elif b < len(text) and text[b] in " \t":
            b += 1
        out.append(text[pos:a])
        length += a - pos
        taken.append((length, text[a:b]))
        pos = b
    if not taken:
        return text, []
    out.append(text[pos:])
    return "".join(out), taken


def put_back(source: str, translation: str, taken: Taken) -> str:
    """``translation`` of ``source`` (a text without its emoji) with them put back."""
    places = [point(source, translation, at) for at, _ in taken]
    for at, (_, piece) in sorted(zip(places, taken), key=lambda x: x[0], reverse=True):
        translation = translation[:at] + piece + translation[at:]
    return translation
