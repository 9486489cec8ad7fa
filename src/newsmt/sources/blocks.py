"""An lxml tree -> blocks: paragraph text with its kind and inline spans.

The page's HTML is walked once (article mode votes on these blocks; page mode takes them all). A
block has a kind (title, heading with ``meta["level"]``, text, list_item, quote, table_cell, caption,
code), its text (whitespace collapsed, NFC; code verbatim) and spans (link with ``href``, emphasis,
strong, code) as offsets into that text, and the element it comes from (``el``: the block-level
element that holds its text).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from lxml import etree
from lxml import html as lxml_html

__all__ = ["UNSPACED", "Block", "norm", "page_blocks", "word_count"]


@dataclass
class Block:
    kind: str
    text: str
    spans: list[tuple[str, int, int, dict[str, str]]] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)
    cls: str = ""  # class attribute of the block element (article mode: a hint for the filters)
    el: Any = field(default=None, repr=False, compare=False)  # the element that holds the text

    @cached_property
    def words(self) -> int:
        """``word_count`` of the text."""
        return word_count(self.text)

    @cached_property
    def link_chars(self) -> int:
        """Characters (spaces aside) inside links."""
        total, end = 0, 0
        for s, e in sorted((s, e) for kind, s, e, _attrs in self.spans if kind == "link"):
            s = max(s, end)
            if e > s:
                chunk = self.text[s:e]
                total += len(chunk) - chunk.count(" ")
                end = e
        return total


# soft hyphen, zero-width space, joiners (a regex: str.translate with a table is many times slower on non-Latin text)
_INVISIBLE = re.compile("[\u00ad\u200b\u2060\ufeff]")
_CODE_BLANKS = re.compile(r"\n\s*\n")  # a blank line inside code would read as a paragraph break


class _Walker:
    """Walks an HTML tree into blocks."""

    def __init__(self, skip: frozenset[str], el: Any) -> None:
        self.skip = skip
        self.blocks: list[Block] = []
        self.open: list[list[Any]] = []  # open inline spans: [kind, attrs, start]
        self._reset("text", {}, "", el)

    def _reset(self, kind: str, meta: dict[str, Any], cls: str, el: Any) -> None:
        self.parts: list[str] = []
        self.n = 0
        self.sep = ""  # separator owed before the next text ("", " " or "\n")
        self.kind, self.meta, self.cls, self.el = kind, meta, cls, el
        self.spans: list[tuple[str, int, int, dict[str, str]]] = []

    def _emit(self, s: str) -> None:
        self.parts.append(s)
        self.n += len(s)

    def add(self, s: str | None) -> None:
        if not s:
            return
        if self.kind == "code":
            self._emit(s)
            return
        lead, trail = s[0].isspace(), s[-1].isspace()
        if lead and trail and s.isspace():
            if self.n and not self.sep:
                self.sep = " "
            return
        if not s.isascii():
            s = _INVISIBLE.sub("", s)
        s = " ".join(s.split())
        if lead and self.n and not self.sep:
            self.sep = " "
        if not s:
            return
        if self.n and self.sep:
            self._emit(self.sep)
        self.sep = " " if trail else ""
        self._emit(unicodedata.normalize("NFC", s) if not s.isascii() else s)

    def newline(self) -> None:
        """A line break (``<br>``); a second one with no text since is a paragraph break."""
        if self.kind == "code":
            self._emit("\n")
        elif self.n and self.sep == "\n":
            self.flush(self.kind, self.meta, self.cls, self.el)
        elif self.n:
            self.sep = "\n"

    def flush(self, kind: str, meta: dict[str, Any], cls: str, el: Any) -> None:
        """Close the current block and open a new one of ``kind`` (text of ``el``)."""
        if not self.n:
            for sp in self.open:
                sp[2] = 0
            self.kind, self.meta, self.cls, self.el, self.sep = kind, meta, cls, el, ""
            self.spans.clear()
            return
        text = "".join(self.parts)
        spans = list(self.spans)
        for sp in self.open:  # an inline element that spans a block boundary is cut there
            spans.append((sp[0], sp[2], self.n, sp[1]))
            sp[2] = 0
        if self.kind == "code":
            stripped = text.strip()
            lead = len(text) - len(text.lstrip())
            text = _CODE_BLANKS.sub("\n", stripped)
            spans = [] if text != stripped else [(k, s - lead, e - lead, a) for k, s, e, a in spans]
        if text.strip():
            clean = []
            for k, s, e, a in spans:
                s, e = max(s, 0), min(e, len(text))
                while s < e and text[s].isspace():
                    s += 1
                while e > s and text[e - 1].isspace():
                    e -= 1
                if s < e:
                    clean.append((k, s, e, a))
            self.blocks.append(Block(self.kind, text, clean, self.meta, self.cls, self.el))
        self._reset(kind, meta, cls, el)


_HTML_BLOCKS = {
    "address", "article", "aside", "blockquote", "body", "center", "dd", "details", "dialog", "dir", "div", "dl",
    "dt", "fieldset", "figcaption", "figure", "footer", "form", "frameset", "h1", "h2", "h3", "h4", "h5", "h6",
    "header", "hgroup", "html", "legend", "li", "main", "menu", "nav", "ol", "p", "pre", "section", "summary",
    "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul", "caption", "noscript", "option", "hr",
}
_HTML_SKIP = {"script", "style", "template", "svg", "math", "canvas", "iframe", "object", "embed", "head", "title",
              "meta", "link", "select", "datalist", "audio", "video", "source", "track", "map", "button", "input",
              "textarea", "noscript", "img", "picture"}
_HTML_INLINE = {"a": "link", "em": "emphasis", "i": "emphasis", "cite": "emphasis", "strong": "strong",
                "b": "strong", "code": "code", "kbd": "code", "samp": "code", "tt": "code"}
_HTML_KIND = {"li": "list_item", "dd": "list_item", "dt": "list_item", "blockquote": "quote", "pre": "code",
              "td": "table_cell", "th": "table_cell", "figcaption": "caption", "caption": "caption"}
_INHERITING = {"quote", "list_item", "table_cell", "caption"}


def _hidden(el: etree._Element) -> bool:
    if el.get("hidden") is not None or el.get("aria-hidden") == "true":
        return True
    style = el.get("style")
    return bool(style) and re.search(r"display\s*:\s*none|visibility\s*:\s*hidden", style) is not None


def _open_block(w: _Walker, kind: str, meta: dict[str, Any], cls: str, el: Any) -> None:
    if w.n or w.open:
        w.flush(kind, meta, cls, el)
    else:
        w.kind, w.meta, w.cls, w.el, w.sep = kind, meta, cls, el, ""


def _link(href: str | None) -> dict[str, str] | None:
    if not href:
        return None
    href = href.strip()
    if not href or href[0] == "#" or href[:11].lower() == "javascript:":
        return None
    return {"href": href}  # made absolute once the document is built


# what an element is to the walker: skipped (None), a line break, a block (kind, meta, class; kind ""
# when it takes its context's kind) or an inline element (kind None; the span it opens, if any)
_Step = tuple[Any, dict[str, Any], str, "list[Any] | None"]
_LINE_BREAK: _Step = ("br", {}, "", None)  # <br>, <lb>


def _html_step(w: _Walker, el: Any) -> _Step | None:
    tag = el.tag
    if not isinstance(tag, str):  # comments, processing instructions
        return None
    tag = tag.lower()
    if tag in w.skip:
        return None
    attrib = el.attrib
    if attrib and ("hidden" in attrib or "aria-hidden" in attrib or "style" in attrib) and _hidden(el):
        return None
    if tag in _HTML_BLOCKS:
        if tag in _HTML_KIND:
            kind, meta = _HTML_KIND[tag], {}
        elif len(tag) == 2 and tag[0] == "h" and tag[1] in "123456":
            kind, meta = "heading", {"level": int(tag[1])}
        else:
            kind, meta = "", {}
        return kind, meta, attrib.get("class") or "" if attrib else "", None
    if tag == "br":
        return _LINE_BREAK
    k = _HTML_INLINE.get(tag)
    span = None
    if k == "link":
        attrs = _link(attrib.get("href"))
        span = [k, attrs, w.n] if attrs else None
    elif k and w.kind != "code":
        span = [k, {}, w.n]
    return None, {}, "", span


def _walk(w: _Walker, el: Any, ctx: str, ctx_meta: dict[str, Any], ctx_el: Any) -> None:
    step = _html_step(w, el)
    if step is None:
        return
    if step is _LINE_BREAK:
        w.newline()
        return
    kind, meta, cls, span = step
    block = kind is not None
    if not block:  # inline: its text stays in the enclosing block
        kind, meta, holder = ctx, ctx_meta, ctx_el
        if span is not None:
            w.open.append(span)
    else:
        if not kind:
            kind, meta = (ctx, ctx_meta) if ctx in _INHERITING or ctx == "code" else ("text", {})
        holder = el
        _open_block(w, kind, meta, cls, el)
    w.add(el.text)  # read once: lxml decodes the text anew on every access
    for child in el:
        _walk(w, child, kind, meta, holder)
        w.add(child.tail)
    if block:
        _open_block(w, ctx, ctx_meta, "", ctx_el)
    elif span is not None:
        # by identity: two nested spans of one kind (<em><i>) are equal lists, and ``remove`` would
        # take the outer one
        for i in range(len(w.open) - 1, -1, -1):
            if w.open[i] is span:
                del w.open[i]
                break
        w.spans.append((span[0], span[2], w.n, span[1]))


def page_blocks(tree: lxml_html.HtmlElement, skip: frozenset[str] = frozenset()) -> list[Block]:
    """All visible text of a page, block by block (``skip``: tags left out with their content)."""
    body = tree.find("body") if tree.tag == "html" else tree
    root = body if body is not None else tree
    w = _Walker(_HTML_SKIP | skip, root)
    _walk(w, root, "text", {}, root)
    w.flush("text", {}, "", None)
    return w.blocks


# scripts written without spaces between words (the vote takes each character as a word; word_count
# counts about how many make a word)
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f"
_SOUTHEAST = "\u0e00-\u0eff\u0f00-\u0fff\u1000-\u109f\u1780-\u17ff"  # Thai, Lao, Tibetan, Myanmar, Khmer
UNSPACED = f"[{_SOUTHEAST}{_CJK}]"  # one character of them, as a regex
_UNSPACED = re.compile(UNSPACED)
# runs of them: a regex match per run, not per character
_CJK_RUN, _SOUTHEAST_RUN = (re.compile(f"[{chars}]+") for chars in (_CJK, _SOUTHEAST))


def word_count(text: str) -> int:
    """Words in ``text``: space-separated ones, and where a script writes no spaces (Chinese,
    Japanese, Thai, ...) its characters, a word for every two (CJK) or five (Southeast Asian)."""
    if text.isascii() or not _UNSPACED.search(text):
        return len(text.split())
    rest, runs = _CJK_RUN.subn(" ", text)  # each run of characters becomes a space: a word boundary
    cjk = len(text) - len(rest) + runs
    spaced, runs = _SOUTHEAST_RUN.subn(" ", rest)
    southeast = len(rest) - len(spaced) + runs
    return len(spaced.split()) + round(cjk / 2 + southeast / 5)


_WORDS = re.compile(r"\w+")


def norm(s: str) -> str:
    """Text compared case- and punctuation-blind: a repeated title, a duplicate paragraph."""
    return " ".join(_WORDS.findall(s.casefold()))
