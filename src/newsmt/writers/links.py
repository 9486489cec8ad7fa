"""The source's inline elements placed in a translation: the one placement code of the two HTML
writers (``html_page``: the "html" format; ``markup``: an HTML input translated in place).

``translated_unit`` takes the text of a unit (a paragraph with what surrounds its sentences) and
its inline elements (links, emphasis, strong, code, any inline tag of an HTML input: ranges in
the text). Text between sentences and untranslated sentences keep the source's characters, and an
element there wraps exactly its characters. In a translated sentence each element wraps what
``placement.translated`` finds for it, told the element's text translated alone where the engine
made it (``Translation.inline``); one left over is, if the writer lets it (``appendable``: a
link), appended after the sentence with its source text (``appended``), else dropped, its text
translated with the sentence.

An element that crosses a sentence boundary is cut there, a piece per sentence. ``nest`` makes a
tree of the pieces, which each writer turns into its own markup. A link's ``href`` is shown only
when it is http(s), mailto or relative (``safe_href``).
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..document import Document, Paragraph
from ..languages import base as primary
from ..placement import Link, Wrap, pair_lexicon as _lexicon, translated
from .common import one_line

if TYPE_CHECKING:
    from ..translate.lexicon import Lexicon

SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
_URL_CONTROL = re.compile("[\x00-\x1f\x7f]")  # removed anywhere: browsers skip tab/newline anywhere, others at the ends


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
                                                          enumerate(pieces)], inline=True, lexicon=lexicon,
                                 alone=[t.inline.get(f"{a - a_s}:{b - a_s}", "") for _, a, b in pieces])
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


