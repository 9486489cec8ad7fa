"""The translated HTML of a document read by ``sources.markup``: its own markup, the text of each
unit replaced by its translation (the text between sentences kept as it is).

The inline elements of a sentence are placed in its translation by ``links.translated_unit``, the
placement of the "html" format (where the translation holds the element's text verbatim, else on
the aligned or lexicon-matched words, else by position; nested as in the source; an element
without text, an image or a line break, at its point). An element that crosses a sentence boundary
is cut there, one copy per piece (the copies without ``id``). A link that finds no place in a
translation is appended after its sentence with its source text; other elements that find none are
dropped, their text translated with the sentence.

``sanitize``: scripts, ``on*`` attributes, ``javascript:`` URLs, embedded objects and frames are
removed from the result (``lxml_html_clean``).
"""
from __future__ import annotations

import copy
import html
from typing import Any

from lxml import etree

from ..document import Document
from ..sources.markup import Attribute, Run, kept, parse, unit_texts
from .links import Node, nest, translated_unit

Inline = list[tuple[int, int, Any]]  # (start, end, element) in a unit's text


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
        out, nodes = translated_unit(doc, p, text, [(a, b) for a, b, _ in inline], base,
                                     lambda n, inline=inline: inline[n][2].tag == "a")
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


def _holders(inline: Inline) -> list[set[int]]:
    """For each inline element of a unit, the ids of the unit's inline elements that hold it."""
    mine = {id(e) for _, _, e in inline}
    out = []
    for _, _, el in inline:
        held, parent = set(), el.getparent()
        while parent is not None and id(parent) in mine:
            held.add(id(parent))
            parent = parent.getparent()
        out.append(held)
    return out


def _build(nd: Node, text: str, inline: Inline) -> Any:
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


def _fill(el: Any, nd: Node, text: str, inline: Inline) -> str:
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


def _replace(run: Run, text: str, nodes: list[Node], inline: Inline) -> None:
    """Put the translated run into the tree in place of the source run."""
    parent = run.parent
    at = parent.index(run.nodes[0]) if run.nodes else (parent.index(run.after) + 1 if run.after is not None else 0)
    for old in run.nodes:
        parent.remove(old)
    holder = parent.makeelement("div", {})
    holders = _holders(inline)
    tree = nest(nodes, lambda outer, inner: id(inline[outer][2]) in holders[inner], len(text))
    lead = _fill(holder, tree, text, inline)
    for i, child in enumerate(list(holder)):
        parent.insert(at + i, child)
    if run.after is None:
        parent.text = lead
    else:
        run.after.tail = lead
