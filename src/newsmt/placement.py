"""Where the inline elements of a source sentence (links, emphasis, strong, code, any inline tag)
stand in its translation, which was made without them: the one placement of the HTML writers
(``writers.links``) and of the engine's Markdown emphasis (``translate.guards.emphasis``).

``translated`` places each element (a range of the source sentence) on the first of these that is
free (elements never cross; they may nest the way they nest in the source; those found verbatim
are placed before the others):

1. the element's text itself, where the translation contains it as whole words (names, numbers,
   URLs; case ignored): the occurrence nearest its relative position in the source sentence;
   ``approx``: the element's text translated alone, where the caller has it (``alone``) and the
   translation contains it;
2. ``approx``: an element holding the whole sentence (but its final punctuation) holds the whole
   translation (but its own);
3. ``approx``: the target words aligned to the element's words: alike words (case and accents
   ignored, equal or sharing their first four letters: names, numbers, cognates such as
   International/Internacional) or, where the pair has a bilingual lexicon (``pair_lexicon``:
   the two Bergamot models' shortlists), a translation of the word (Tuesday/terça-feira), those
   near the one closest to the element's relative position, from the first to the last, widened by
   its words that found none when the order is kept;
4. ``approx``: as many target words as the element has, scaled by the sentence length ratio, at
   its relative position (then shifted a word at a time, then shorter);
5. nothing free or no target words: the element is left over (the caller decides). An element
   without text (an image, a line break) stands at a point (``point``): the start, before the final
   punctuation, the end, or after the translation of the word before it.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from .translate.letters import fold, standalone

if TYPE_CHECKING:
    from .translate.lexicon import Lexicon

_WORD = re.compile(r"\w+(?:[-'’.]\w+)*")
_TRAILING = re.compile(r"[\s.!?…:;,\"'”’»)\]]*$")
_BARE = re.compile(r"^[\s\"'“”«»]+|[\s.!?…\"'“”«»]+$")  # what a text translated alone adds at its ends
_END_MARKS = re.compile(r"[.,:;!?…\"'“”«»]*$")
_NEAR = 2  # alike words further than the element's length plus this from the nearest one: left out
_PREFIX = 4  # letters two words must share to count as alike
LEXICON_MIN = 4  # letters a word needs for the lexicon: its shortlists give function words (the, of) many


@dataclass(frozen=True)
class Link:
    """An inline element of a source sentence: offsets into Document.text and the caller's key."""

    start: int
    end: int
    href: str


@dataclass(frozen=True)
class Wrap:
    """An element placed on characters ``start:end`` of a displayed text."""

    start: int
    end: int
    href: str
    cls: str = ""  # "" (exact or verbatim), "approx", "appended"


@lru_cache(maxsize=8)
def pair_lexicon(src: str, tgt: str) -> Lexicon | None:
    """The bilingual lexicon of a pair of primary language tags (loaded once per pair), if installed."""
    from .translate.lexicon import Lexicon

    return Lexicon.for_pair(src, tgt)


def _windows(ideal: int, length: int, count: int) -> Iterator[tuple[int, int]]:
    """Word windows (first, end) near ``ideal``: shifted 0, +1, -1, +2, ... then shorter."""
    for size in range(min(length, count), 0, -1):
        for shift in range(count):
            for first in dict.fromkeys((ideal + shift, ideal - shift)):
                if 0 <= first and first + size <= count:
                    yield first, first + size


def _alike(a: str, b: str) -> bool:
    """Folded words that look like one word in two languages: equal, or sharing their first
    ``_PREFIX`` letters (International/Internacional, colony/colônia); numbers must be equal."""
    if a == b:
        return True
    if any(c.isdigit() for c in a + b) or min(len(a), len(b)) < _PREFIX:
        return False
    return a[:_PREFIX] == b[:_PREFIX]


def _matches(word: str, tgt: list[str], lexicon: Lexicon | None = None, expected: float = 0.0,
             reach: float = 0.0) -> list[int]:
    """Indexes of the (folded) target words alike to ``word``, anywhere; where there is none and a
    ``lexicon``, those translating it within ``reach`` of its ``expected`` place (a lexicon lists a
    word's possible translations, the other weekdays with ``Tuesday``: only a near one counts)."""
    folded = fold(word)
    alike = [j for j, w in enumerate(tgt) if _alike(folded, w)]
    if alike or lexicon is None or len(word) < LEXICON_MIN:
        return alike
    known = lexicon.translations(word)
    return [j for j, w in enumerate(tgt) if w in known and abs(j - expected) <= reach]


def _aligned(inside: list[str], tgt: list[str], ideal: int, scale: float,
             lexicon: Lexicon | None) -> tuple[int, int] | None:
    """(first, end) target words for an element whose words are ``inside``: the words matching the
    element's (``_matches``; each element word to its nearest match), those close to the one nearest
    ``ideal``; when the order is kept and the span has fewer words than the element, widened by the
    element's unmatched words on either side (as far as the difference)."""
    size = max(1, round(len(inside) * scale))
    pairs = []
    for r, word in enumerate(inside):
        expected = ideal + r * scale
        found = _matches(word, tgt, lexicon, expected, size + _NEAR)
        if found:
            pairs.append((r, min(found, key=lambda j: (abs(j - expected), j))))
    if not pairs:
        return None
    anchor = min(pairs, key=lambda p: (abs(p[1] - ideal - p[0] * scale), p[1]))[1]
    pairs = [p for p in pairs if abs(p[1] - anchor) <= size + _NEAR]
    first, last = min(j for _, j in pairs), max(j for _, j in pairs)
    deficit = len(inside) - (last - first + 1)  # element words the span cannot hold yet
    if deficit > 0 and [j for _, j in pairs] == sorted(j for _, j in pairs):  # same order: widen
        left = min(pairs[0][0], deficit)
        first, last = first - left, last + min(len(inside) - 1 - pairs[-1][0], deficit - left)
    return max(first, 0), min(last, len(tgt) - 1) + 1


def _found(text: str, tgt: str, ratio: float) -> Iterator[tuple[int, int]]:
    """Where ``tgt`` holds ``text`` (case ignored, not inside a word), nearest ``ratio`` of it first."""
    text = " ".join(text.split())
    if not text:
        return
    hits = [m.span() for m in re.finditer(standalone(text), tgt, re.IGNORECASE)]
    yield from sorted(hits, key=lambda h: (abs(h[0] / max(len(tgt), 1) - ratio), h[0]))


def _verbatim(src: str, tgt: str, a: int, b: int, lexicon: Lexicon | None, alone: str) -> Iterator[tuple[int, int]]:
    """Where ``tgt`` holds the element's text ``src[a:b]`` itself, nearest its relative position first."""
    return _found(src[a:b], tgt, a / max(len(src), 1))


def _alone(src: str, tgt: str, a: int, b: int, lexicon: Lexicon | None, alone: str) -> Iterator[tuple[int, int]]:
    """Where ``tgt`` holds the element's text translated ``alone`` (what the model adds at its ends
    aside), nearest its relative position first."""
    return _found(_BARE.sub("", alone), tgt, a / max(len(src), 1))


def _approximate(src: str, tgt: str, a: int, b: int, lexicon: Lexicon | None, alone: str = "") -> Iterator[tuple[int, int]]:
    """Character ranges of ``tgt`` for the element ``src[a:b]``: the whole translation for the whole
    sentence, else by aligned words, then by position."""
    tail = src[b:]
    if not src[:a].strip() and _TRAILING.fullmatch(tail) and tgt.strip():
        end = len(tgt.rstrip()) if not tail.strip() else _TRAILING.search(tgt).start()
        yield len(tgt) - len(tgt.lstrip()), end
    tgt_words = list(_WORD.finditer(tgt))
    src_words = list(_WORD.finditer(src))
    inside = [w for w in src_words if w.start() < b and w.end() > a]
    if not tgt_words or not inside:
        return
    m, n = len(tgt_words), len(src_words)
    scale = m / n
    ideal = min(m - 1, src_words.index(inside[0]) * m // n)
    aligned = _aligned([w.group() for w in inside], [fold(w.group()) for w in tgt_words], ideal, scale, lexicon)
    if aligned is not None:
        yield tgt_words[aligned[0]].start(), tgt_words[aligned[1] - 1].end()
    for first, end in _windows(ideal, max(1, round(len(inside) * scale)), m):
        yield tgt_words[first].start(), tgt_words[end - 1].end()


def translated(src: str, base: int, tgt: str, links: list[Link], inline: bool = False,
               lexicon: Lexicon | None = None, alone: list[str] | None = None) -> tuple[list[Wrap], list[Link]]:
    """Elements of the source sentence ``src`` (at offset ``base``) placed in its translation ``tgt``
    (see the module docstring): first every one found verbatim, then by its text translated
    ``alone`` (each element's, where the caller has it), then the others in text order; an
    element's final marks (``Need:``) come with it where ``tgt`` has them there too. Returns the
    wraps and the elements left over.

    ``inline``: an element nested in another in the source may be nested the same way in the
    translation, and an empty one (an image, a line break) is placed at a point (``point``), never
    left over; else elements never overlap."""
    spans = [(max(x.start, base) - base, min(x.end, base + len(src)) - base) for x in links]
    placed: dict[int, Wrap] = {}
    hints = alone or [""] * len(links)
    tails = [_END_MARKS.search(src[a:b].rstrip()).group() for a, b in spans]  # final marks, where tgt has them too
    for find, cls in ((_verbatim, ""), (_alone, "approx"), (_approximate, "approx")):
        for i, (link, (a, b)) in enumerate(zip(links, spans)):
            if i not in placed and (a < b or not inline):
                tail = tails[i]
                found = ((s, e + len(tail) * tgt.startswith(tail, e)) for s, e in find(src, tgt, a, b, lexicon, hints[i]))
                span = next((x for x in found if _fits(x, spans[i], placed, spans, inline)), None)
                if span is not None:
                    placed[i] = Wrap(*span, link.href, cls)
    if inline:
        for i, (link, (a, b)) in enumerate(zip(links, spans)):
            if a >= b and i not in placed:
                at = point(src, tgt, a, lexicon)
                placed[i] = Wrap(at, at, link.href, "" if at in (0, len(tgt)) else "approx")
    wraps = list(placed.values())
    return sorted(wraps, key=lambda w: (w.start, -w.end)), [x for i, x in enumerate(links) if i not in placed]


def _fits(x: tuple[int, int], source: tuple[int, int], placed: dict[int, Wrap], spans: list[tuple[int, int]],
          inline: bool) -> bool:
    """Whether a wrap on ``x`` (for the source span ``source``) keeps clear of the wraps placed:
    no overlap at all, or (``inline``) nested the way the two spans nest in the source."""
    a, b = x
    if b <= a:
        return False
    for j, w in placed.items():
        if b <= w.start or a >= w.end or (w.start == w.end and inline):
            continue
        sa, sb = spans[j]
        if not inline:
            return False
        outer = source[0] <= sa and sb <= source[1] and a <= w.start and w.end <= b
        inner = sa <= source[0] and source[1] <= sb and w.start <= a and b <= w.end
        if not (outer or inner):
            return False
    return True


def point(src: str, tgt: str, at: int, lexicon: Lexicon | None = None) -> int:
    """Where in the translation ``tgt`` a point ``at`` of the source sentence ``src`` goes: the
    start, before the final punctuation or the end as in the source; else after the translation of
    the word before it (a matching word near its relative position, else the word at that position)."""
    if not src[:at].strip():
        return 0
    tail = src[at:]
    if not tail.strip():
        return len(tgt)
    if _TRAILING.fullmatch(tail):
        return _TRAILING.search(tgt).start()
    src_words = list(_WORD.finditer(src))
    tgt_words = list(_WORD.finditer(tgt))
    before = [w for w in src_words if w.end() <= at]
    if not tgt_words or not before:
        return 0
    k, m, n = len(before), len(tgt_words), len(src_words)
    ideal = min(m - 1, max(0, round(k * m / n) - 1))
    found = [j for j in _matches(before[-1].group(), [fold(w.group()) for w in tgt_words], lexicon, ideal, _NEAR + 1)
             if abs(j - ideal) <= _NEAR + 1]
    j = min(found, key=lambda j: (abs(j - ideal), j)) if found else ideal
    return tgt_words[j].end()
