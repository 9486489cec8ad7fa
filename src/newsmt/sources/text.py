"""Plain text, pre-segmented lines and Markdown -> ``Document`` with paragraphs (offsets into the text).

- ``txt``   paragraphs are separated by blank lines; hard-wrapped lines stay one paragraph; a short
            unpunctuated first line is the title.
- ``md``    Markdown block structure (markdown-it-py); offsets point into the original file text.
- ``lines`` one pre-segmented sentence per line (evaluation on gold segments).

Readers only build paragraphs; sentences come from ``segment.segment_document`` (except ``lines``).
Paragraph spans never include surrounding whitespace: ``doc.text[p.start:p.end]`` is the paragraph.
"""
from __future__ import annotations

import re
from typing import Iterator

from ..document import Document, Paragraph, Sentence

MAX_TITLE_CHARS = 150  # a headline is short; longer unpunctuated lines are ordinary paragraphs
_SENTENCE_END = re.compile(r"[.!?…][\"'”’»)\]]*$")
_URL = re.compile(r"(?:https?://|www\.)\S+$", re.IGNORECASE)


def _blocks(text: str, start: int = 0, end: int | None = None) -> Iterator[tuple[int, int, int]]:
    """(start, end, line count) of runs of non-blank lines in ``text[start:end]``, whitespace trimmed."""
    end = len(text) if end is None else end
    block: list[tuple[int, int]] = []  # (first non-space, last non-space + 1) per line
    pos = start
    while pos <= end:
        nl = text.find("\n", pos, end)
        line_end = end if nl < 0 else nl
        line = text[pos:line_end]
        if line.strip():
            lead = len(line) - len(line.lstrip())
            block.append((pos + lead, pos + len(line.rstrip())))
        elif block:
            yield block[0][0], block[-1][1], len(block)
            block = []
        pos = line_end + 1
    if block:
        yield block[0][0], block[-1][1], len(block)


def text_paragraph(text: str, start: int, end: int, kind: str = "text") -> Paragraph:
    """A paragraph; a bare URL becomes kind "url" (not translatable)."""
    if kind != "code" and _URL.fullmatch(text[start:end]):
        return Paragraph("", start, end, kind="url", translatable=False)
    return Paragraph("", start, end, kind=kind)


def is_title(text: str, first: bool, lines: int) -> bool:
    """The title rule for plain text: the first paragraph, one line, short, no final punctuation."""
    return first and lines == 1 and len(text) <= MAX_TITLE_CHARS and not _SENTENCE_END.search(text)


def txt_paragraphs(text: str, start: int = 0, detect_title: bool = True) -> list[Paragraph]:
    paras = []
    for i, (s, e, n) in enumerate(_blocks(text, start)):
        p = text_paragraph(text, s, e)
        if p.kind == "text" and detect_title and is_title(text[s:e], i == 0, n):
            p.kind = "title"
        paras.append(p)
    return paras


def number_paragraphs(doc: Document) -> Document:
    """Give paragraphs their ids p1, p2, ... in document order."""
    for i, p in enumerate(doc.paragraphs, 1):
        p.id = f"p{i}"
    return doc


def read_txt(text: str, lang: str, doc_id: str) -> Document:
    return number_paragraphs(Document(doc_id, lang, text, txt_paragraphs(text), format="txt"))


# -- lines -------------------------------------------------------------------------------------
def read_lines(text: str, lang: str, doc_id: str) -> Document:
    """Line i (1-based) is paragraph ``p{i}`` with the one sentence ``p{i}s1``.

    Blank lines stay as paragraphs of kind "blank" with no sentence (not translatable), so line i
    of the input is always paragraph ``p{i}`` and line i of the rebuilt ("doc") output.
    A final newline does not start an extra line.
    """
    paras = []
    pos = 0
    lines = text.split("\n")
    if text.endswith("\n"):
        lines.pop()
    for i, line in enumerate(lines, 1):
        s = pos + len(line) - len(line.lstrip())
        e = pos + len(line.rstrip())
        if e > s:
            p = Paragraph(f"p{i}", s, e, sentences=[Sentence(f"p{i}s1", s, e, text[s:e])])
        else:
            p = Paragraph(f"p{i}", pos, pos, kind="blank", translatable=False)
        paras.append(p)
        pos += len(line) + 1
    return Document(doc_id, lang, text, paras, format="lines")


# -- Markdown ----------------------------------------------------------------------------------
_CONTAINER_KIND = {"list_item_open": "list_item", "blockquote_open": "quote"}
_VERBATIM_KIND = {"fence": "code", "code_block": "code", "html_block": "html", "table_open": "table"}


def _inside_emphasis(text: str, s: int, e: int, children: list) -> tuple[int, int]:
    """``(s, e)`` inside the emphasis that wraps a whole paragraph (``*By …*``, ``**Note**``): the
    delimiters stay outside every sentence, so a translation cannot turn them into a list marker."""
    children = [c for c in children if c.type != "text" or c.content]
    while len(children) > 2 and children[0].type in ("em_open", "strong_open"):
        depth = 0
        for i, child in enumerate(children):
            depth += child.nesting
            if depth == 0:
                break
        mark = children[0].markup
        if i != len(children) - 1 or not (text.startswith(mark, s) and text.endswith(mark, s, e)):
            break
        s, e, children = s + len(mark), e - len(mark), children[1:-1]
    return s, e


def read_md(text: str, lang: str, doc_id: str) -> Document:
    """Markdown blocks: headings (meta level), list items (meta marker), quotes, paragraphs;
    code, tables and raw HTML are kept verbatim (not translatable). A first-block level-1
    heading is the title. Spans exclude ``#`` and list/quote markers; inline markup stays."""
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    line_starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def line(i: int) -> tuple[int, str]:
        end = line_starts[i + 1] - 1 if i + 1 < len(line_starts) else len(text)
        return line_starts[i], text[line_starts[i]:end]

    paras: list[Paragraph] = []
    containers: list[tuple[str, dict]] = []
    heading: dict | None = None
    skip_until = ""
    for tok in tokens:
        if skip_until:
            skip_until = "" if tok.type == skip_until else skip_until
            continue
        if tok.type in _CONTAINER_KIND:
            marker = tok.info + tok.markup  # "-", "*", "1.", "2)"; quotes have none
            containers.append((_CONTAINER_KIND[tok.type], {"marker": marker} if tok.type == "list_item_open" else {}))
        elif tok.type in ("list_item_close", "blockquote_close"):
            containers.pop()
        elif tok.type == "heading_open":
            heading = {"level": int(tok.tag[1])}
        elif tok.type == "heading_close":
            heading = None
        elif tok.type in _VERBATIM_KIND:
            (ls, first), (le, last) = line(tok.map[0]), line(tok.map[1] - 1)
            s = ls + len(first) - len(first.lstrip())
            e = s + len(text[s:le + len(last)].rstrip())
            if tok.type == "table_open":
                skip_until = "table_close"
            if e > s:
                paras.append(Paragraph("", s, e, kind=_VERBATIM_KIND[tok.type], translatable=False))
        elif tok.type == "inline" and tok.map and tok.content.strip():
            content = tok.content.split("\n")
            (ls, first), (le, last) = line(tok.map[0]), line(tok.map[0] + len(content) - 1)
            i = first.rfind(content[0])
            s = ls + (i if i >= 0 else len(first) - len(first.lstrip(" \t>")))
            j = last.rfind(content[-1])
            e = le + (j + len(content[-1]) if j >= 0 else len(last.rstrip()))
            s, e = _inside_emphasis(text, s, e, tok.children or [])
            if heading is not None:
                kind = "title" if not paras and heading["level"] == 1 else "heading"
                paras.append(Paragraph("", s, e, kind=kind, meta=dict(heading)))
            elif containers:
                kind, meta = containers[-1]
                p = text_paragraph(text, s, e, kind)
                p.meta.update(meta)
                paras.append(p)
            elif _links_only(tok.children or []):  # a row of badges or links: nothing to translate
                paras.append(Paragraph("", s, e, kind="url", translatable=False))
            else:
                paras.append(text_paragraph(text, s, e))
    return number_paragraphs(Document(doc_id, lang, text, paras, format="md"))


def _links_only(children: list) -> bool:
    """Whether an inline run is only images, possibly linked (badges), and separators: no words."""
    seen = False
    for c in children:
        if c.type == "image":
            seen = True
        elif c.type == "text" and c.content.strip(" |·•-"):
            return False
        elif c.type not in ("link_open", "link_close", "softbreak", "hardbreak", "text"):
            return False
    return seen

