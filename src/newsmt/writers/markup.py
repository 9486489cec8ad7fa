"""The translated HTML of a document read by ``sources.markup``: its own markup, the text of each
unit replaced by its translation (the text between sentences kept as it is).

The inline elements of a sentence are placed in its translation the way the "html" format places
links (``links.translated`` with ``inline=True``: where the translation holds the element's text
verbatim, else on the aligned words, else by position; nested as in the source; an element without
text, an image or a line break, at its point). An element that crosses a sentence boundary is cut
there, one copy per piece (the copies without ``id``). A link that finds no place in a translation
is appended after its sentence with its source text, as in the "html" format; other elements that
find none are dropped, their text translated with the sentence.

``sanitize``: scripts, ``on*`` attributes, ``javascript:`` URLs, embedded objects and frames are
removed from the result (``lxml_html_clean``).
"""
from __future__ import annotations

import copy
import html
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from ..document import Document, Paragraph
from ..sources.markup import Attribute, Run, kept, parse, unit_texts
from .common import one_line
from .links import Link, Wrap, translated

Inline = list[tuple[int, int, Any]]  # (start, end, element) in a unit's text


@dataclass
class _Node:
    start: int
    end: int
    n: int  # the source element's number in the unit (-1: the unit itself)
    first: bool = True  # the first piece of its element
    children: list[_Node] = field(default_factory=list)


def render_markup(doc: Document, sanitize: bool = False) -> str:
    """The document's source markup with its translations (see the module docstring)."""
    root, whole = parse(doc.meta["markup"])
    found = list(unit_texts(root))
    if len(found) != len(doc.paragraphs):
        raise ValueError(f"{doc.id}: the markup has {len(found)} units but the document {len(doc.paragraphs)} paragraphs")
    work = [(unit, text, inline, p) for (unit, text, inline), p in zip(found, doc.paragraphs)
            if any(s.id in doc.translations for s in p.sentences)]
    # attributes first: the elements of a run are rebuilt as copies, which take the new values along
    for unit, text, inline, p in sorted(work, key=lambda w: not isinstance(w[0], Attribute)):
        base = p.start - (len(text) - len(text.lstrip()))
        if doc.text[base:base + len(text)] != text:
            raise ValueError(f"{doc.id}/{p.id}: the document text does not match its markup")
        links = {n for n, (_, _, el) in enumerate(inline) if el.tag == "a"}
        out, nodes = translated_unit(doc, p, text, [(a, b) for a, b, _ in inline], base, links)
        if isinstance(unit, Attribute):
            unit.element.set(unit.name, out)
        else:
            _replace(unit, out, nodes, inline)
    if sanitize:
        from lxml_html_clean import Cleaner

        Cleaner(scripts=True, javascript=True, embedded=True, frames=True, comments=False, style=False,
                inline_style=False, links=False, meta=False, page_structure=False, processing_instructions=False,
                forms=False, annoying_tags=False, remove_unknown_tags=False, safe_attrs_only=False)(root)
    if whole:
        return etree.tostring(root.getroottree(), method="html", encoding="unicode")
    return html.escape(root.text or "", quote=False) + "".join(
        etree.tostring(child, method="html", encoding="unicode", with_tail=True) for child in root)


def translated_unit(doc: Document, p: Paragraph, text: str, inline: list[tuple[int, int]], base: int,
                    links: set[int] = frozenset()) -> tuple[str, list[_Node]]:
    """The text of a unit (a paragraph of ``doc`` with its surroundings, starting at ``base``) with
    each sentence replaced by its translation, and where its inline elements (``inline``: their
    ranges in ``text``) stand in it, a piece per sentence they touch. ``links``: the elements
    appended after their sentence when they find no place."""
    out: list[str] = []
    nodes: list[_Node] = []
    size = 0
    done: set[int] = set()  # elements that already have a piece
    pos = 0

    def node(a: int, b: int, n: int) -> None:
        nodes.append(_Node(a, b, n, n not in done))
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
        gap(pos, a_s)
        t = doc.translations.get(s.id)
        target = one_line(t.text) if t else s.text
        pieces = [(n, max(a, a_s), min(b, b_s)) for n, (a, b) in enumerate(inline)
                  if (a == b and a_s < a < b_s) or max(a, a_s) < min(b, b_s)]
        wraps, left = translated(s.text, s.start, target, [Link(base + a, base + b, str(i)) for i, (_, a, b) in
                                                          enumerate(pieces)], inline=True)
        appended = ""
        for link in left:
            n, a, b = pieces[int(link.href)]
            if n in links and text[a:b].strip():
                start = len(target) + len(appended) + 1
                appended += " " + " ".join(text[a:b].split())
                wraps.append(Wrap(start, len(target) + len(appended), link.href))
        for w in sorted(wraps, key=lambda w: (w.start, -w.end)):
            node(size + w.start, size + w.end, pieces[int(w.href)][0])
        out.append(target + appended)
        size += len(target) + len(appended)
        pos = b_s
    gap(pos, len(text))
    return "".join(out), nodes


def _tree(nodes: list[_Node], inline: Inline, length: int) -> _Node:
    """The pieces nested: inside another that holds it, where the source nests the same way or it
    stands strictly within (the placement never crosses pieces otherwise)."""
    depth = {n: sum(1 for _ in _ancestors(el, inline)) for n, (_, _, el) in enumerate(inline)}
    top = _Node(0, length, -1)
    stack = [top]
    for nd in sorted(nodes, key=lambda x: (x.start, -x.end, depth[x.n])):
        while len(stack) > 1:
            up = stack[-1]
            inside = up.start <= nd.start and nd.end <= up.end
            if inside and (up.start < nd.start and nd.end < up.end or inline[up.n][2] in _ancestors(inline[nd.n][2], inline)):
                break
            stack.pop()
        stack[-1].children.append(nd)
        if nd.end > nd.start:
            stack.append(nd)
    return top


def _ancestors(el: Any, inline: Inline) -> list[Any]:
    """The inline elements of the unit that hold ``el``."""
    mine = {id(e) for _, _, e in inline}
    out = []
    parent = el.getparent()
    while parent is not None and id(parent) in mine:
        out.append(parent)
        parent = parent.getparent()
    return out


def _build(nd: _Node, text: str, inline: Inline) -> Any:
    """The element of a piece (a copy of the source element), filled with its text and children;
    an element kept as it is is copied whole."""
    source = inline[nd.n][2]
    if kept(source) or nd.end == nd.start:
        el = copy.deepcopy(source)
        el.tail = None
        return el
    el = source.makeelement(source.tag, dict(source.attrib))
    if not nd.first and "id" in el.attrib:
        del el.attrib["id"]
    el.text = _fill(el, nd, text, inline)
    return el


def _fill(el: Any, nd: _Node, text: str, inline: Inline) -> str:
    """Append the children of ``nd`` to ``el``; returns the text before the first one."""
    pos, last = nd.start, None
    lead = ""
    for child in nd.children:
        piece = text[pos:child.start]
        if last is None:
            lead = piece
        else:
            last.tail = piece
        last = _build(child, text, inline)
        el.append(last)
        pos = child.end
    if last is None:
        return text[pos:nd.end]
    last.tail = text[pos:nd.end]
    return lead


def _replace(run: Run, text: str, nodes: list[_Node], inline: Inline) -> None:
    """Put the translated run into the tree in place of the source run."""
    parent = run.parent
    at = parent.index(run.nodes[0]) if run.nodes else (parent.index(run.after) + 1 if run.after is not None else 0)
    for old in run.nodes:
        parent.remove(old)
    holder = parent.makeelement("div", {})
    lead = _fill(holder, _tree(nodes, inline, len(text)), text, inline)
    for i, child in enumerate(list(holder)):
        parent.insert(at + i, child)
    if run.after is None:
        parent.text = lead
    else:
        run.after.tail = lead
