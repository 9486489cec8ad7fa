"""The translated document in its input format ("doc")."""
from __future__ import annotations

from ..document import Document
from .common import substituted, to_json
from .html_page import render_html_rebuild


def render_doc(doc: Document) -> str:
    """The translated document in its input format. txt/md/lines: every sentence span replaced
    by its translation (text between sentences kept byte for byte, hard wraps inside a sentence
    collapsed); html: a clean HTML page from the paragraphs; jsonl: the record with translated
    title and text."""
    if doc.format == "html":
        return render_html_rebuild(doc)
    if doc.format == "jsonl":
        return _render_jsonl_record(doc)
    return substituted(doc, 0, len(doc.text))


def _render_jsonl_record(doc: Document) -> str:
    record = dict(doc.meta.get("fields", {}))
    offset = doc.meta.get("text_offset", 0)
    if offset:
        title = doc.paragraphs[0]
        record[doc.meta.get("title_field", "title")] = substituted(doc, title.start, title.end)
    record[doc.meta.get("text_field", "text")] = substituted(doc, offset, len(doc.text))
    return to_json(record) + "\n"
