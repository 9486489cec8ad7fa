"""The source's inline links placed in the text of a rendered page (the "html" format).

A link is a ``Document.spans`` entry of kind "link" with an ``href``; its offsets point into
``Document.text``. It belongs to the sentence it overlaps most, else to the paragraph whose text
holds it, else (outside every paragraph) to the nearest paragraph before it. Where the page shows
the source's own characters (an untranslated sentence, code, a URL, text between sentences) the
link wraps exactly its characters. In a translation (the writer has no translation of the link
text alone) it wraps the first of these that is free (links never nest or overlap; the links of a
sentence found verbatim are placed before the others):

1. the link text itself, where the translation contains it (names, numbers, URLs; case ignored):
   the occurrence nearest the link's relative position in the source sentence;
2. ``class="approx"``: the target words aligned to the link's words: alike words (case and
   accents ignored, equal or sharing their first four letters: names, numbers, cognates such as
   International/Internacional), those near the one closest to the link's relative position, from
   the first to the last, widened by the link's words that found none when the order is kept;
3. ``class="approx"``: as many target words as the link has, scaled by the sentence length ratio,
   at the link's relative position in the sentence (then shifted a word at a time, then shorter);
4. ``class="appended"``: nothing free or no target words: the link is appended after the sentence
   with its source text.

So every link with a safe ``href`` appears exactly once; an ``href`` other than http(s), mailto
or a relative reference (``javascript:``, ``data:``, ...) is dropped and its text stays plain.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Iterator

from ..document import Document

SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
_URL_CONTROL = re.compile("[\x00-\x1f\x7f]")  # removed anywhere: browsers skip tab/newline anywhere, others at the ends
_WORD = re.compile(r"\w+(?:[-'’.]\w+)*")
_NEAR = 2  # alike words further than the link's length plus this from the nearest one: left out
_PREFIX = 4  # letters two words must share to count as alike


@dataclass(frozen=True)
class Link:
    start: int  # offsets into Document.text
    end: int
    href: str  # safe (see ``safe_href``)


@dataclass(frozen=True)
class Wrap:
    """A link placed on characters ``start:end`` of a displayed text."""

    start: int
    end: int
    href: str
    cls: str = ""  # "" (exact or verbatim), "approx"


def safe_href(href: str) -> str | None:
    """``href`` when it is http(s), mailto or relative (scheme-less); None otherwise. Control
    characters (anywhere) and spaces (at the ends) are removed first: browsers ignore them, so
    ``java\\tscript:`` is still javascript."""
    href = _URL_CONTROL.sub("", href).strip(" ")
    m = _SCHEME.match(href)
    if m and m.group(1).lower() not in SAFE_SCHEMES:
        return None
    return href if href else None


def doc_links(doc: Document) -> list[Link]:
    """The document's links with a safe href, in text order; unsafe ones are left out."""
    out = []
    for span in doc.spans:
        href = safe_href(span.attrs.get("href", "")) if span.kind == "link" else None
        if href is not None and 0 <= span.start <= span.end <= len(doc.text):
            out.append(Link(span.start, span.end, href))
    return sorted(out, key=lambda x: (x.start, x.end, x.href))


def _free(a: int, b: int, taken: list[Wrap]) -> bool:
    return b > a and all(b <= w.start or a >= w.end for w in taken)


def exact(base: int, text: str, links: list[Link]) -> tuple[list[Wrap], list[Link]]:
    """Links wrapping exactly their characters of ``text`` (which starts at offset ``base`` of the
    document; a link is clipped to it), and the links left over (empty, or overlapping another)."""
    wraps: list[Wrap] = []
    left: list[Link] = []
    for link in links:
        a, b = max(link.start, base) - base, min(link.end, base + len(text)) - base
        if _free(a, b, wraps) and text[a:b].strip():
            wraps.append(Wrap(a, b, link.href))
        else:
            left.append(link)
    return sorted(wraps, key=lambda w: w.start), left


def _windows(ideal: int, length: int, count: int):
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


def _aligned(inside: list[str], tgt: list[str], ideal: int, scale: float) -> tuple[int, int] | None:
    """(first, end) target words for a link whose words are ``inside``: the words alike to the
    link's (each link word to its nearest alike word), those close to the one nearest ``ideal``;
    when the order is kept and the span has fewer words than the link, widened by the link's
    unmatched words on either side (as far as the difference)."""
    pairs = []
    for r, word in enumerate(inside):
        expected = ideal + r * scale
        alike = [j for j, w in enumerate(tgt) if _alike(word, w)]
        if alike:
            pairs.append((r, min(alike, key=lambda j: (abs(j - expected), j))))
    if not pairs:
        return None
    size = max(1, round(len(inside) * scale))
    anchor = min(pairs, key=lambda p: (abs(p[1] - ideal - p[0] * scale), p[1]))[1]
    pairs = [p for p in pairs if abs(p[1] - anchor) <= size + _NEAR]
    first, last = min(j for _, j in pairs), max(j for _, j in pairs)
    deficit = len(inside) - (last - first + 1)  # link words the span cannot hold yet
    if deficit > 0 and [j for _, j in pairs] == sorted(j for _, j in pairs):  # same order: widen
        left = min(pairs[0][0], deficit)
        first, last = first - left, last + min(len(inside) - 1 - pairs[-1][0], deficit - left)
    return max(first, 0), min(last, len(tgt) - 1) + 1


def _verbatim(src: str, tgt: str, a: int, b: int) -> Iterator[tuple[int, int]]:
    """Where ``tgt`` holds the link text ``src[a:b]`` itself (case ignored), nearest the link's
    relative position first."""
    text = " ".join(src[a:b].split())
    if not text:
        return
    ratio = a / max(len(src), 1)
    hits = [m.span() for m in re.finditer(re.escape(text), tgt, re.IGNORECASE)]
    yield from sorted(hits, key=lambda h: (abs(h[0] / max(len(tgt), 1) - ratio), h[0]))


def _approximate(src: str, tgt: str, a: int, b: int) -> Iterator[tuple[int, int]]:
    """Character ranges of ``tgt`` for the link ``src[a:b]`` by aligned words, then by position."""
    tgt_words = list(_WORD.finditer(tgt))
    src_words = list(_WORD.finditer(src))
    inside = [w for w in src_words if w.start() < b and w.end() > a]
    if not tgt_words or not inside:
        return
    m, n = len(tgt_words), len(src_words)
    scale = m / n
    ideal = min(m - 1, src_words.index(inside[0]) * m // n)
    aligned = _aligned([_fold(w.group()) for w in inside], [_fold(w.group()) for w in tgt_words], ideal, scale)
    if aligned is not None:
        yield tgt_words[aligned[0]].start(), tgt_words[aligned[1] - 1].end()
    for first, end in _windows(ideal, max(1, round(len(inside) * scale)), m):
        yield tgt_words[first].start(), tgt_words[end - 1].end()


def translated(src: str, base: int, tgt: str, links: list[Link],
               inline: bool = False) -> tuple[list[Wrap], list[Link]]:
    """Links of the source sentence ``src`` (at offset ``base``) placed in its translation ``tgt``
    (see the module docstring): first every link found verbatim, then the others in text order.
    Returns the wraps and the links left to append after the sentence.

    ``inline``: the spans are any inline elements (``href`` their key): a span nested in another
    in the source may be nested the same way in the translation, and an empty span (an image, a
    line break, an emoji taken out of the text) is placed at a point (``point``), never left over."""
    wraps: list[Wrap] = []
    spans = [(max(x.start, base) - base, min(x.end, base + len(src)) - base) for x in links]
    placed: dict[int, Wrap] = {}
    for find, cls in ((_verbatim, ""), (_approximate, "approx")):
        for i, (link, (a, b)) in enumerate(zip(links, spans)):
            if i not in placed and (a < b or not inline):
                span = next((x for x in find(src, tgt, a, b) if _fits(x, spans[i], placed, spans, inline)), None)
                if span is not None:
                    placed[i] = Wrap(*span, link.href, cls)
    if inline:
        for i, (link, (a, b)) in enumerate(zip(links, spans)):
            if a >= b and i not in placed:
                at = point(src, tgt, a)
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


_TRAILING = re.compile(r"[\s.!?…:;,\"'”’»)\]]*$")


def point(src: str, tgt: str, at: int) -> int:
    """Where in the translation ``tgt`` a point ``at`` of the source sentence ``src`` goes: the
    start, before the final punctuation or the end as in the source; else after the translation of
    the word before it (an alike word near its relative position, else the word at that position)."""
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
    word = _fold(before[-1].group())
    alike = [j for j, w in enumerate(tgt_words) if _alike(word, _fold(w.group())) and abs(j - ideal) <= _NEAR + 1]
    j = min(alike, key=lambda j: (abs(j - ideal), j)) if alike else ideal
    return tgt_words[j].end()
