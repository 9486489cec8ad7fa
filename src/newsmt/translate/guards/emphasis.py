"""Markdown emphasis (``*a*``, ``**a**``, ``***a***``, ``_a_``, ``__a__``) taken round the model.

A model given ``The **mayor** of`` copies the emphasized word untranslated (``O **mayor** de``)
or drops a delimiter run, and with it the emphasis's end. ``detach_emphasis`` hands the model the
sentence without its paired delimiter runs; ``place_emphasis`` puts each pair round the words of
the translation that ``placement.translated`` finds for its text (the placement of the HTML
writers, told the text's translation alone: the engine has the model). A run is paired as
CommonMark pairs it where the two agree (a left-flanking run opens, a right-flanking run of the
same character and length closes, ``_`` not inside a word); unpaired runs (``Smith*``, ``2 * 3``,
``snake_case``) and runs inside a URL, e-mail address or handle (``@_user_``) stay in the text. An
emphasis the placement finds no words for is dropped: its words are translated with the sentence.

Struck text (GitHub's ``~~12~~ 14``, a correction) is no part of what the sentence says: the model
reads the sentence without it (given ``was ~~approved~~ rejected``, it wrote ``foi aprovado``, the
meaning turned round), and its translation alone goes back, struck, at the translation's point for
it (``placement.point``).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ...languages import base
from ...placement import Link, pair_lexicon, point, translated
from .spans import MD_LINK, protected_spans

_RUN = re.compile(r"\*+|_+|~~(?!~)")
MAX_PAIRS = 32  # more in one sentence is not prose (and placing them costs the square): left to the model


@dataclass(frozen=True)
class Emphasis:
    """A delimiter run (``**``) round ``start:end`` of the text without paired runs; or struck text
    (``~~12~~``, a correction: not part of what the sentence says), taken out at ``start`` = ``end``."""

    start: int
    end: int
    run: str
    struck: str = ""


def _loose(c: str) -> bool:
    """Whether ``c`` lets a run next to it flank: space or punctuation (the text's ends count as space)."""
    return c.isspace() or unicodedata.category(c)[0] in "PS"


def _sides(text: str, m: re.Match) -> tuple[bool, bool]:
    """(opens, closes): whether the run can open or close emphasis (CommonMark's flanking rules)."""
    before = text[m.start() - 1] if m.start() else " "
    after = text[m.end()] if m.end() < len(text) else " "
    left = not after.isspace() and (not _loose(after) or _loose(before))
    right = not before.isspace() and (not _loose(before) or _loose(after))
    if m.group()[0] == "_":  # not inside a word
        return left and (not right or _loose(before)), right and (not left or _loose(after))
    return left, right


def detach_emphasis(text: str) -> tuple[str, list[Emphasis]]:
    """``text`` without its paired delimiter runs, and the pairs (outer before inner) as ranges of it."""
    if "*" not in text and "_" not in text and "~~" not in text:
        return text, []
    stack: list[re.Match] = []
    pairs: list[tuple[re.Match, re.Match]] = []
    protected = protected_spans(text)  # "@_user_", "site.org/*path*/": not emphasis
    for m in _RUN.finditer(text):
        if len(m.group()) > 3 or text[m.start() - 1:m.start()] == "\\" or any(a <= m.start() < b for a, b in protected):
            continue
        opens, closes = _sides(text, m)
        at = next((i for i in range(len(stack) - 1, -1, -1) if stack[i].group() == m.group()), -1) if closes else -1
        if at >= 0:
            pairs.append((stack[at], m))
            del stack[at:]
        elif opens:
            stack.append(m)
    if not pairs or len(pairs) > MAX_PAIRS:
        return text, []
    struck = [_with_space(text, o.start(), c.end()) for o, c in pairs if o.group() == "~~"]
    pairs = [(o, c) for o, c in pairs if o.group() == "~~" or not any(a <= o.start() < b for a, b in struck)]
    cuts = sorted([(a, b) for a, b in struck] + [m.span() for pair in pairs if pair[0].group() != "~~" for m in pair])
    bare = "".join(text[b:a] for (_, b), (a, _) in zip([(0, 0)] + cuts, cuts + [(len(text), 0)]))

    def at(i: int) -> int:  # where the text's position i is in ``bare``
        return i - sum(min(b, i) - a for a, b in cuts if a < i)

    found = [Emphasis(at(o.start()), at(o.start()), "~~", text[o.end():c.start()]) if o.group() == "~~"
             else Emphasis(at(o.end()), at(c.start()), o.group()) for o, c in pairs]
    return bare, sorted(found, key=lambda e: (e.start, -e.end))


def _with_space(text: str, a: int, b: int) -> tuple[int, int]:
    """``a:b`` with one space beside it, so that no two are left (``was ~~approved~~ rejected``,
    ``was 14 ~~12~~.``)."""
    if text[b:b + 1] == " " and text[a - 1:a] in ("", " "):
        return a, b + 1
    return (a - 1, b) if text[a - 1:a] == " " else (a, b)


def place_emphasis(source: str, target: str, emphasis: list[Emphasis], pair: tuple[str, str],
                   alone: list[str]) -> str:
    """``target`` (the translation of ``source``, the text without the pairs) with each pair round
    the words ``placement.translated`` finds for it (given its text translated ``alone``; with the
    ``pair``'s lexicon, if installed), widened to hold a Markdown link it would cut; struck text,
    translated ``alone``, at the translation's ``placement.point`` for it."""
    lexicon = pair_lexicon(base(pair[0]), base(pair[1]))
    shown = [i for i, e in enumerate(emphasis) if not e.struck]
    wraps, _ = translated(source, 0, target, [Link(emphasis[i].start, emphasis[i].end, str(i)) for i in shown],
                          inline=True, lexicon=lexicon, alone=[alone[i] for i in shown])
    links = [m.span() for m in MD_LINK.finditer(target)]
    marks: list[tuple[int, int, int, str]] = []
    for e, text in zip(emphasis, alone):
        if e.struck:
            spot, text = point(source, target, e.start, lexicon), text.strip() or e.struck
            marks.append((spot, 2, 0, f"~~{text}~~ " if spot == 0 else f" ~~{text}~~"))
    for w in wraps:
        a, b = w.start, w.end
        for s, e in links:
            a, b = (s if s < a < e else a), (e if s < b < e else b)
        run = emphasis[int(w.href)].run
        marks += [(b, 0, -a, run), (a, 1, -b, run)]  # at one place: closers (inner first), then openers (outer first)
    out, last = [], 0
    for at, _, _, run in sorted(marks):
        out += [target[last:at], run]
        last = at
    return "".join(out) + target[last:]
