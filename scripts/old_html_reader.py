"""The old HTML reader, kept as the "old reader" baseline of ``scripts/eval_extract.py``.

HTML -> every visible block of the page as a paragraph, no extraction (newsmt's reader before
``newsmt.sources.web``). Block elements become paragraphs (meta tag, heading level, list type);
``<pre>`` is code; inline elements are flattened into their block; scripts, styles, navigation and
forms are skipped. Not part of the package: ``read_html(text, lang, doc_id)`` gives a ``Document``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from newsmt.document import Document, Paragraph
from newsmt.sources.text import number_paragraphs, text_paragraph

_IGNORED_TAGS = {"script", "style", "template", "noscript", "svg", "math", "iframe", "object",
                 "canvas", "nav", "footer", "select", "button"}
_PARAGRAPH_TAGS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "td", "th", "dt",
                   "dd", "figcaption", "caption", "pre", "title", "summary", "address"}
_BLOCK_TAGS = _PARAGRAPH_TAGS | {"div", "section", "article", "main", "header", "aside", "figure",
                                 "ul", "ol", "dl", "table", "tr", "thead", "tbody", "tfoot", "body",
                                 "html", "form", "fieldset", "details", "hr", "br"}


_HTML_SPACE = re.compile(r"[ \t\n\r\f]+")  # HTML collapses these, not e.g. no-break spaces


@dataclass
class _Block:
    tag: str
    text: str
    meta: dict = field(default_factory=dict)


class _HTMLExtractor(HTMLParser):
    """Collects the text of block elements; inline elements are flattened into their block."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[_Block] = []
        self._stack: list[str] = []  # open paragraph-like / list elements, innermost last
        self._ignored = 0
        self._buf: list[str] = []

    def _flush(self) -> None:
        raw = "".join(self._buf)
        self._buf = []
        tag = next((t for t in reversed(self._stack) if t in _PARAGRAPH_TAGS), "p")
        text = raw.strip("\n").rstrip() if tag == "pre" else _HTML_SPACE.sub(" ", raw).strip()
        if not text.strip():
            return
        meta: dict = {"tag": tag}
        if tag == "li":
            meta["list"] = next((t for t in reversed(self._stack) if t in ("ul", "ol")), "ul")
        self.blocks.append(_Block(tag, text, meta))

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in _IGNORED_TAGS:
            self._ignored += 1
        elif tag in _BLOCK_TAGS and not self._ignored:
            self._flush()
            if tag not in ("br", "hr"):
                self._stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        if tag in _BLOCK_TAGS and not self._ignored:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if tag in _IGNORED_TAGS:
            self._ignored = max(0, self._ignored - 1)
        elif not self._ignored and tag in self._stack:
            self._flush()
            while self._stack and self._stack.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        if not self._ignored:
            self._buf.append(data)

    def close(self) -> None:
        super().close()
        self._flush()


def read_html(text: str, lang: str, doc_id: str) -> Document:
    """Block elements become paragraphs (meta tag, heading level, list type); <pre> is code.
    ``<title>`` (else the first ``<h1>``) is the title paragraph."""
    parser = _HTMLExtractor()
    parser.feed(text)
    parser.close()
    blocks = parser.blocks
    title_at = next((i for i, b in enumerate(blocks) if b.tag == "title"), None)
    if title_at is None:
        title_at = next((i for i, b in enumerate(blocks) if b.tag == "h1"), None)
    parts: list[str] = []
    paras: list[Paragraph] = []
    pos = 0
    for i, b in enumerate(blocks):
        if parts:
            pos += 2
        kind = {"pre": "code", "li": "list_item", "blockquote": "quote"}.get(b.tag, "text")
        if b.tag[0] == "h" and b.tag[1:].isdigit():
            kind = "heading"
            b.meta["level"] = int(b.tag[1])
        if i == title_at:
            kind = "title"
        lead = len(b.text) - len(b.text.lstrip())  # <pre> keeps its indentation outside the span
        p = text_paragraph(b.text, lead, len(b.text), kind)
        if kind == "code":
            p.translatable = False
        p.start, p.end = pos + lead, pos + len(b.text)
        p.meta.update(b.meta)
        paras.append(p)
        parts.append(b.text)
        pos += len(b.text)
    return number_paragraphs(Document(doc_id, lang, "\n\n".join(parts), paras, format="html"))

