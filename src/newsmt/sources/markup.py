"""HTML read for translation in place: the markup stays, its text is translated (LibreTranslate's
``format=html``, an HTML file sent to ``/translate_file``).

``units(root)`` walks the tree. Each run of text between two block boundaries, with the inline
elements inside it (links, emphasis, spans, ...), is one unit, so a sentence with ``<b>`` in it is
translated whole; so is each translatable attribute (``title``, ``alt``, ``placeholder``,
``aria-label``). What is not text to translate stays as it is: ``script``, ``style``, ``pre``,
``code`` blocks, SVG and MathML, elements marked ``translate="no"`` or ``class="notranslate"``;
inside a run they stand at a point, like images and line breaks.

``read_markup`` makes a ``Document`` of the units: a paragraph per unit (kind "blank", not
translatable, for a unit without words), the inline elements as ``Document.spans`` (offsets into
the text; ``attrs["n"]``: the element's number in its unit; empty spans for the elements that
stand at a point), the source in ``meta["markup"]``. ``writers.markup`` walks the same tree again
to put the translations in.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Iterator

from lxml import etree
from lxml import html as lxml_html

from ..document import Document, Paragraph, Span
from ..errors import InputError
from .blocks import _HTML_BLOCKS

BLOCKS = frozenset(_HTML_BLOCKS | {"head", "title", "select", "optgroup", "button", "output", "datalist"})
OPAQUE = frozenset({"script", "style", "template", "svg", "math", "pre", "textarea", "noscript", "iframe",
                    "object", "embed", "canvas", "audio", "video"})
ATTRIBUTES = ("title", "alt", "placeholder", "aria-label")
SPAN_KINDS = {"a": "link", "em": "emphasis", "i": "emphasis", "cite": "emphasis", "strong": "strong", "b": "strong",
              "code": "code", "kbd": "code", "samp": "code", "tt": "code"}
_WORDS = re.compile(r"[^\W_]")
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_WHOLE = re.compile(r"\s*(?:<!--.*?-->\s*)*<(?:!doctype|html[\s>])", re.I | re.S)
_PAGE_PARSER = lxml_html.HTMLParser(default_doctype=False)  # a page without a doctype gets none


@dataclass
class Run:
    """Text between block boundaries: ``parent.text`` (``after`` None) or ``after.tail``, then the
    inline children ``nodes`` of ``parent`` with their tails."""

    parent: Any
    after: Any = None
    nodes: list[Any] = field(default_factory=list)


@dataclass
class Attribute:
    element: Any
    name: str


def parse(source: str) -> tuple[Any, bool]:
    """(root, whole page?): a page with its ``<html>``, else the fragment in a ``<div>`` wrapper."""
    source = _INVALID_XML.sub("", source)
    try:
        if _WHOLE.match(source):
            return lxml_html.document_fromstring(source, parser=_PAGE_PARSER), True
        return lxml_html.fragment_fromstring(source, create_parent="div"), False
    except (etree.ParserError, ValueError) as e:
        raise InputError(f"cannot parse the HTML ({e})") from None


def _tag(el: Any) -> str:
    return el.tag.lower() if isinstance(el.tag, str) else ""


def kept(el: Any) -> bool:
    """An element whose content is not translated (see the module docstring)."""
    tag = _tag(el)
    if not tag or tag in OPAQUE:
        return True
    return el.get("translate", "").lower() == "no" or "notranslate" in (el.get("class") or "").split()


def _block(el: Any) -> bool:
    """A block boundary: a block element, or an inline one holding a block."""
    tag = _tag(el)
    if tag in BLOCKS:
        return True
    return bool(tag) and not kept(el) and any(_tag(d) in BLOCKS for d in el.iterdescendants())


def units(root: Any) -> list[Run | Attribute]:
    """The units of a tree, in document order (a run's attributes right after it)."""
    out: list[Run | Attribute] = []

    def attributes(el: Any) -> None:
        if isinstance(el.tag, str) and not kept(el):
            out.extend(Attribute(el, name) for name in ATTRIBUTES if _WORDS.search(el.get(name) or ""))

    def inline_attributes(el: Any) -> None:
        attributes(el)
        if not kept(el):
            for d in el.iterdescendants():
                attributes(d)

    def container(el: Any) -> None:
        attributes(el)
        run = Run(el)
        for child in el:
            if _block(child):
                _close(run)
                if not kept(child):
                    container(child)
                run = Run(el, child)
            else:
                run.nodes.append(child)
        _close(run)

    def _close(run: Run) -> None:
        out.append(run)
        for node in run.nodes:
            inline_attributes(node)

    container(root)
    return out


def flatten(run: Run) -> tuple[str, list[tuple[int, int, Any]]]:
    """The text of a run and its inline elements as (start, end, element), numbered in this order
    (pre-order); an element kept as it is (a script, a comment) or without text (an image, a line
    break) is empty: it stands at a point."""
    parts: list[str] = []
    spans: list[tuple[int, int, Any]] = []
    size = 0

    def add(s: str | None) -> None:
        nonlocal size
        if s:
            parts.append(s)
            size += len(s)

    def inline(el: Any) -> None:
        at = len(spans)
        spans.append((size, size, el))
        if kept(el):
            return
        add(el.text)
        for child in el:
            inline(child)
            add(child.tail)
        spans[at] = (spans[at][0], size, el)

    add(run.parent.text if run.after is None else run.after.tail)
    for node in run.nodes:
        inline(node)
        add(node.tail)
    return "".join(parts), spans


def unit_texts(root: Any) -> Iterator[tuple[Run | Attribute, str, list[tuple[int, int, Any]]]]:
    """Each unit with its text and inline elements (none for an attribute)."""
    for unit in units(root):
        if isinstance(unit, Attribute):
            yield unit, unit.element.get(unit.name) or "", []
        else:
            yield (unit, *flatten(unit))


def read_markup(source: str, doc_id: str = "doc", lang: str = "") -> Document:
    """An HTML fragment or page as a Document whose paragraphs are its units (module docstring)."""
    root, _ = parse(source)
    parts: list[str] = []
    paragraphs: list[Paragraph] = []
    spans: list[Span] = []
    pos = 0
    for i, (unit, text, inline) in enumerate(unit_texts(root), 1):
        if parts:
            parts.append("\n\n")
            pos += 2
        parts.append(text)
        lead = len(text) - len(text.lstrip())
        words = bool(_WORDS.search(text))
        kind = "title" if isinstance(unit, Run) and _tag(unit.parent) == "title" else "text" if words else "blank"
        end = pos + len(text.rstrip()) if words else pos + lead
        paragraphs.append(Paragraph(f"p{i}", pos + lead, end, kind=kind, translatable=words))
        for n, (a, b, el) in enumerate(inline):
            attrs = {"n": str(n), "tag": _tag(el) or "#node"}
            if _tag(el) == "a" and el.get("href"):
                attrs["href"] = el.get("href")
            kind_ = SPAN_KINDS.get(_tag(el), "inline") if a < b else "point"
            spans.append(Span(kind_, pos + a, pos + b, attrs))
        pos += len(text)
    doc = Document(id=doc_id, lang=lang, text="".join(parts), paragraphs=paragraphs, format="html", spans=spans)
    doc.meta["markup"] = source
    return doc
