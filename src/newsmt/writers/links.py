"""The source's inline elements placed in a translation: the one placement code of the two HTML
writers (``html_page``: the "html" format; ``markup``: an HTML input translated in place).

``translated_unit`` takes the text of a unit (a paragraph with what surrounds its sentences) and
its inline elements (links, emphasis, strong, code, any inline tag of an HTML input: ranges in
the text). Text between sentences and untranslated sentences keep the source's characters, and an
element there wraps exactly its characters. In a translated sentence (the writer has no
translation of the element's text alone) each element wraps the first of these that is free
(elements never cross; they may nest the way they nest in the source; those found verbatim are
placed before the others):

1. the element's text itself, where the translation contains it (names, numbers, URLs; case
   ignored): the occurrence nearest its relative position in the source sentence;
2. ``approx``: an element holding the whole sentence (but its final punctuation) holds the whole
   translation (but its own);
3. ``approx``: the target words aligned to the element's words: alike words (case and accents
   ignored, equal or sharing their first four letters: names, numbers, cognates such as
   International/Internacional) or, where the pair has a bilingual lexicon (``translate.lexicon``:
   the two Bergamot models' shortlists), a translation of the word (Tuesday/terça-feira), those
   near the one closest to the element's relative position, from the first to the last, widened by
   its words that found none when the order is kept;
4. ``approx``: as many target words as the element has, scaled by the sentence length ratio, at
   its relative position (then shifted a word at a time, then shorter);
5. nothing free or no target words: a link the writer lets append (``appendable``) is appended
   after the sentence with its source text (``appended``); another element is dropped, its text
   translated with the sentence. An element without text (an image, a line break) stands at a
   point (``point``): the start, before the final punctuation, the end, or after the translation of
   the word before it.

An element that crosses a sentence boundary is cut there, a piece per sentence. ``nest`` makes a
tree of the pieces, which each writer turns into its own markup. A link's ``href`` is shown only
when it is http(s), mailto or relative (``safe_href``).
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from ..document import Document, Paragraph
from ..languages import base as primary
from .common import one_line

if TYPE_CHECKING:
    from ..translate.lexicon import Lexicon

SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
_URL_CONTROL = re.compile("[\x00-\x1f\x7f]")  # removed anywhere: browsers skip tab/newline anywhere, others at the ends
_WORD = re.compile(r"\w+(?:[-'’.]\w+)*")
_TRAILING = re.compile(r"[\s.!?…:;,\"'”’»)\]]*$")
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


@dataclass
class Node:
    """A piece of an element in a unit's translated text, with the pieces inside it."""

    start: int
    end: int
    n: int  # the element's number in the unit (-1: the unit itself)
    first: bool = True  # the first piece of its element
    cls: str = ""
    children: list[Node] = field(default_factory=list)


def safe_href(href: str) -> str | None:
    """``href`` when it is http(s), mailto or relative (scheme-less); None otherwise. Control
    characters (anywhere) and spaces (at the ends) are removed first: browsers ignore them, so
    ``java\\tscript:`` is still javascript."""
    href = _URL_CONTROL.sub("", href).strip(" ")
    m = _SCHEME.match(href)
    if m and m.group(1).lower() not in SAFE_SCHEMES:
        return None
    return href if href else None


@lru_cache(maxsize=8)
def _lexicon(src: str, tgt: str) -> Lexicon | None:
    from ..translate.lexicon import Lexicon

    return Lexicon.for_pair(src, tgt)


def pair_lexicon(doc: Document) -> Lexicon | None:
    """The bilingual lexicon of a translated document's pair (loaded once per pair), if installed."""
    if not (doc.translations and doc.lang and doc.tgt_lang):
        return None
    return _lexicon(primary(doc.lang), primary(doc.tgt_lang))


# ---- one unit: its text with the translations in, and where its elements stand --------------------
def translated_unit(doc: Document, p: Paragraph, text: str, inline: list[tuple[int, int]], base: int,
                    appendable: Callable[[int], bool] = lambda n: False,
                    fold: Callable[[str], str] = one_line) -> tuple[str, list[Node]]:
    """The text of a unit (a paragraph of ``doc`` with its surroundings, starting at ``base``) with
    each sentence replaced by its translation (``fold``-ed), and where its inline elements
    (``inline``: their ranges in ``text``) stand in it, a piece per sentence they touch.
    ``appendable(n)``: whether element ``n`` is appended after its sentence when it finds no place."""
    out: list[str] = []
    nodes: list[Node] = []
    size = 0
    done: set[int] = set()  # elements that already have a piece
    pos = 0
    lexicon = pair_lexicon(doc)

    def node(a: int, b: int, n: int, cls: str = "") -> None:
        nodes.append(Node(a, b, n, n not in done, cls))
        done.add(n)

    def gap(lo: int, hi: int) -> None:
        nonlocal size
        for n, (a, b) in enumerate(inline):
            if (a == b and lo <= a <= hi) or text[max(a, lo):min(b, hi)].strip():
                node(size + max(a, lo) - lo, size + min(b, hi) - lo, n)
        out.append(text[lo:hi])
        size += hi - lo

    for s in p.sentences:
        a_s, b_s = s.start - base, s.end - base
        t = doc.translations.get(s.id)
        if t is None:  # the source's own characters: every element exactly where it is
            gap(pos, b_s)
            pos = b_s
            continue
        gap(pos, a_s)
        target = fold(t.text)
        pieces = [(n, max(a, a_s), min(b, b_s)) for n, (a, b) in enumerate(inline)
                  if (a == b and a_s < a < b_s) or max(a, a_s) < min(b, b_s)]
        wraps, left = translated(s.text, s.start, target, [Link(base + a, base + b, str(i)) for i, (_, a, b) in
                                                          enumerate(pieces)], inline=True, lexicon=lexicon)
        appended = ""
        for link in left:
            n, a, b = pieces[int(link.href)]
            if appendable(n) and text[a:b].strip():
                start = len(target) + len(appended) + 1
                appended += " " + " ".join(text[a:b].split())
                wraps.append(Wrap(start, len(target) + len(appended), link.href, "appended"))
        for w in sorted(wraps, key=lambda w: (w.start, -w.end)):
            node(size + w.start, size + w.end, pieces[int(w.href)][0], w.cls)
        out.append(target + appended)
        size += len(target) + len(appended)
        pos = b_s
    gap(pos, len(text))
    return "".join(out), nodes


def nest(nodes: list[Node], holds: Callable[[int, int], bool], length: int) -> Node:
    """The pieces as a tree under the unit's own node: a piece inside another that holds it, where
    the source nests the two the same way (``holds(outer, inner)``: element numbers) or it stands
    strictly within (the placement never crosses pieces otherwise)."""
    elements = {nd.n for nd in nodes}
    depth = {n: sum(holds(m, n) for m in elements if m != n) for n in elements}
    top = Node(0, length, -1)
    stack = [top]
    for nd in sorted(nodes, key=lambda x: (x.start, -x.end, depth[x.n])):
        while len(stack) > 1:
            up = stack[-1]
            inside = up.start <= nd.start and nd.end <= up.end
            if inside and (up.start < nd.start and nd.end < up.end or holds(up.n, nd.n)):
                break
            stack.pop()
        stack[-1].children.append(nd)
        if nd.end > nd.start:
            stack.append(nd)
    return top


# ---- one sentence: where its elements go in the translation ----------------------------------------
def _windows(ideal: int, length: int, count: int) -> Iterator[tuple[int, int]]:
    """Word windows (first, end) near ``ideal``: shifted 0, +1, -1, +2, ... then shorter."""
    for size in range(min(length, count), 0, -1):
        for shift in range(count):
            for first in dict.fromkeys((ideal + shift, ideal - shift)):
                if 0 <= first and first + size <= count:
                    yield first, first + size


def _fold(word: str) -> str:
    """A word compared across languages: case and accents ignored."""
    return "".join(c for c in unicodedata.normalize("NFKD", word.casefold()) if not unicodedata.combining(c))


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
    folded = _fold(word)
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


def _verbatim(src: str, tgt: str, a: int, b: int, lexicon: Lexicon | None = None) -> Iterator[tuple[int, int]]:
    """Where ``tgt`` holds the element's text ``src[a:b]`` itself (case ignored), nearest its
    relative position first."""
    text = " ".join(src[a:b].split())
    if not text:
        return
    ratio = a / max(len(src), 1)
    hits = [m.span() for m in re.finditer(re.escape(text), tgt, re.IGNORECASE)]
    yield from sorted(hits, key=lambda h: (abs(h[0] / max(len(tgt), 1) - ratio), h[0]))


def _approximate(src: str, tgt: str, a: int, b: int, lexicon: Lexicon | None = None) -> Iterator[tuple[int, int]]:
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
    aligned = _aligned([w.group() for w in inside], [_fold(w.group()) for w in tgt_words], ideal, scale, lexicon)
    if aligned is not None:
        yield tgt_words[aligned[0]].start(), tgt_words[aligned[1] - 1].end()
    for first, end in _windows(ideal, max(1, round(len(inside) * scale)), m):
        yield tgt_words[first].start(), tgt_words[end - 1].end()


def translated(src: str, base: int, tgt: str, links: list[Link], inline: bool = False,
               lexicon: Lexicon | None = None) -> tuple[list[Wrap], list[Link]]:
    """Elements of the source sentence ``src`` (at offset ``base``) placed in its translation ``tgt``
    (see the module docstring): first every one found verbatim, then the others in text order.
    Returns the wraps and the elements left over.

    ``inline``: an element nested in another in the source may be nested the same way in the
    translation, and an empty one (an image, a line break) is placed at a point (``point``), never
    left over; else elements never overlap."""
    spans = [(max(x.start, base) - base, min(x.end, base + len(src)) - base) for x in links]
    placed: dict[int, Wrap] = {}
    for find, cls in ((_verbatim, ""), (_approximate, "approx")):
        for i, (link, (a, b)) in enumerate(zip(links, spans)):
            if i not in placed and (a < b or not inline):
                span = next((x for x in find(src, tgt, a, b, lexicon) if _fits(x, spans[i], placed, spans, inline)), None)
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
    found = [j for j in _matches(before[-1].group(), [_fold(w.group()) for w in tgt_words], lexicon, ideal, _NEAR + 1)
             if abs(j - ideal) <= _NEAR + 1]
    j = min(found, key=lambda j: (abs(j - ideal), j)) if found else ideal
    return tgt_words[j].end()
