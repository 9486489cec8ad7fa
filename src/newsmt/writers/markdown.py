"""Markdown views: the side-by-side review table and the summaries.

Text from the document is inert in them: ``&``, ``<`` and ``>`` become entities, so markup that
came from a web page as escaped text (the characters ``<script>``) never turns live; the characters
that would make links, images or code spans (``[``, ``]``, `````, ``\\``) are backslash-escaped,
in table cells ``|`` too. Emphasis markers (``*``, ``_``, ``~``) are left as they are: they cannot
inject anything, and ordinary text keeps its bytes. A summary sentence that would start a
block inside its list item (``#``, ``-``, ``+``, ``*``, ``1.`` before a space) gets it escaped.
"""
from __future__ import annotations

import re

from ..document import Document
from .common import one_line, pairs
from .summaries import summary_pairs

_MD_ENTITY = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_MD_INLINE = re.compile(r"[&<>\\`\[\]]")
_MD_CELL = re.compile(r"[&<>\\`\[\]|]")
_BLOCK_START = re.compile(r"^(\s*)(#{1,6}|[+*-]|\d{1,9}[.)])(?=\s|$)")


def md_text(s: str, cell: bool = False) -> str:
    """One line of document text made inert as Markdown inline content; in a table ``cell`` the
    ``|`` is escaped too."""
    return (_MD_CELL if cell else _MD_INLINE).sub(lambda m: _MD_ENTITY.get(m.group(), "\\" + m.group()), one_line(s))


def _md_cell(s: str) -> str:
    return md_text(s, cell=True)


def _md_item(s: str) -> str:
    """``md_text`` for a list item: a leading block marker escaped too."""

    def escape(m: re.Match) -> str:
        marker = m.group(2)
        return m.group(1) + (marker[:-1] + "\\" + marker[-1] if marker[0].isdigit() else "\\" + marker)

    return _BLOCK_START.sub(escape, md_text(s), count=1)


def render_md(doc: Document) -> str:
    """Side-by-side review: a Markdown table per paragraph (id | source | target); paragraphs
    kept verbatim (code, tables, URLs) get one row saying so."""
    tgt = _md_cell(doc.tgt_lang or "target")
    out = [f"# {_md_cell(doc.id)} ({_md_cell(doc.lang)} → {tgt})\n"]
    for p in doc.paragraphs:
        if not p.translatable and not p.sentences:
            if p.kind == "blank":
                continue
            rows = [(p.id, doc.text[p.start:p.end], f"*(kept as is: {_md_cell(p.kind)})*")]
        else:
            rows = [(s.id, s.text, _md_cell(t.text) if t else "") for _, s, t in pairs(doc, [p])]
        out.append(f"\n| id | {_md_cell(doc.lang)} | {tgt} |\n|---|---|---|\n")
        out.extend(f"| {_md_cell(a)} | {_md_cell(b)} | {c} |\n" for a, b, c in rows)
    return "".join(out)


def render_summary_md(doc: Document) -> str:
    out = [f"# Summary: {_md_cell(doc.id)}\n"]
    for o, t in summary_pairs(doc):
        for s in (o, t) if t else (o,):
            model = f", {md_text(s.model)}" if s.model else ""
            out.append(f"\n## {md_text(s.lang)} ({md_text(s.method)}{model})\n\n")
            out.extend(f"- {_md_item(x.text)} [{md_text(', '.join(x.sources))}]\n" for x in s.sentences)
            if s.flags:
                out.append(f"\nFlags: {md_text(', '.join(s.flags))}\n")
    return "".join(out)
