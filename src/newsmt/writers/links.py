"""The source's inline links placed in the text of a rendered page (the "html" format).

A link is a ``Document.spans`` entry of kind "link" with an ``href``; its offsets point into
``Document.text``. It belongs to the sentence it overlaps most, else to the paragraph whose text
holds it, else (outside every paragraph) to the nearest paragraph before it. Where the page shows
the source's own characters (an untranslated sentence, code, a URL, text between sentences) the
link wraps exactly its characters. In a translation (the writer has no translation of the link
text alone) it wraps the first of these that is free (links never nest or overlap):

1. the link text itself, where the translation contains it (names, numbers, URLs; case ignored):
   the occurrence nearest the link's relative position in the source sentence;
2. ``class="approx"``: the target words equal to the link's own words of four or more letters or
   with a digit (case ignored), from the first to the last when they lie close together, else the
   one nearest the link's relative position;
3. ``class="approx"``: as many target words as the link has, scaled by the sentence length ratio,
   at the link's relative position in the sentence (then shifted a word at a time, then shorter);
4. ``class="appended"``: nothing free or no target words: the link is appended after the sentence
   with its source text.

So every link with a safe ``href`` appears exactly once; an ``href`` other than http(s), mailto
or a relative reference (``javascript:``, ``data:``, ...) is dropped and its text stays plain.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..document import Document

SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
_URL_STRIPPED = re.compile("[\x00-\x20\x7f]")  # what browsers ignore at the ends (tab/newline anywhere)
_WORD = re.compile(r"\w+(?:[-'’.]\w+)*")
_NEAR = 2  # shared words further apart than the link's length plus this: the nearest one alone


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
    characters and spaces are removed first, as browsers ignore them (``java\\tscript:``)."""
    href = _URL_STRIPPED.sub("", href)
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


def _candidates(src: str, tgt: str, a: int, b: int):
    """Character ranges of ``tgt`` for the link ``src[a:b]``, best first, with their class."""
    text = " ".join(src[a:b].split())
    ratio = a / max(len(src), 1)
    if text:
        hits = [m.span() for m in re.finditer(re.escape(text), tgt, re.IGNORECASE)]
        for span in sorted(hits, key=lambda h: (abs(h[0] / max(len(tgt), 1) - ratio), h[0])):
            yield span, ""
    tgt_words = list(_WORD.finditer(tgt))
    src_words = list(_WORD.finditer(src))
    inside = [w for w in src_words if w.start() < b and w.end() > a]
    if not tgt_words or not inside:
        return
    m, n = len(tgt_words), len(src_words)
    ideal = min(m - 1, src_words.index(inside[0]) * m // n)
    length = max(1, round(len(inside) * m / n))
    keys = {w.group().casefold() for w in inside if len(w.group()) >= 4 or any(c.isdigit() for c in w.group())}
    shared = [j for j, w in enumerate(tgt_words) if w.group().casefold() in keys]
    if shared and shared[-1] - shared[0] < length + _NEAR:
        yield (tgt_words[shared[0]].start(), tgt_words[shared[-1]].end()), "approx"
    for j in sorted(shared, key=lambda j: (abs(j - ideal), j)):
        yield (tgt_words[j].start(), tgt_words[j].end()), "approx"
    for first, end in _windows(ideal, length, m):
        yield (tgt_words[first].start(), tgt_words[end - 1].end()), "approx"


def translated(src: str, base: int, tgt: str, links: list[Link]) -> tuple[list[Wrap], list[Link]]:
    """Links of the source sentence ``src`` (at offset ``base``) placed in its translation ``tgt``
    (see the module docstring), and the links to append after it."""
    wraps: list[Wrap] = []
    left: list[Link] = []
    for link in links:
        a, b = max(link.start, base) - base, min(link.end, base + len(src)) - base
        place = next(((span, cls) for span, cls in _candidates(src, tgt, a, b) if _free(*span, wraps)), None)
        if place is None:
            left.append(link)
        else:
            wraps.append(Wrap(*place[0], link.href, place[1]))
    return sorted(wraps, key=lambda w: w.start), left
