"""Word files (.docx) translated with their layout, through python-docx.

Every paragraph of the body, its tables (nested ones too) and the headers and footers is a paragraph
of the ``Document``; its runs (the stretches of one formatting, links' runs included) are inline
spans. After translation each paragraph's runs keep their formatting and order: a run gets the
stretch of the translation from where its span was placed (``writers.markup.translated_unit``) to
where the next run's starts, so bold stays on the words that were bold when the translation keeps
their order. Runs that are not plain text (pictures, fields, breaks of page) are left as they are.
"""
from __future__ import annotations

import io
import re
from typing import Any

from ..document import Document, Paragraph
from ..errors import InputError
from ..writers.markup import translated_unit

_WORDS = re.compile(r"[^\W_]")
_TEXT_PARTS = {"rPr", "t", "tab", "br", "cr", "noBreakHyphen", "softHyphen", "lastRenderedPageBreak"}


def _text_run(run: Any) -> bool:
    """A run of plain text (which python-docx can rewrite without losing anything)."""
    return all(child.tag.rsplit("}", 1)[-1] in _TEXT_PARTS for child in run._r)


def _paragraphs(document: Any) -> list[Any]:
    """Every paragraph of the body, its tables and text boxes, and the headers and footers."""
    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph as DocxParagraph

    parts = [document.element.body]
    seen = set()
    for section in document.sections:
        for hf in (section.header, section.footer, section.first_page_header, section.first_page_footer,
                   section.even_page_header, section.even_page_footer):
            if not hf.is_linked_to_previous and id(hf._element) not in seen:
                seen.add(id(hf._element))
                parts.append(hf._element)
    return [DocxParagraph(p, document) for part in parts for p in part.iter(qn("w:p"))]


def _runs(paragraph: Any) -> list[Any]:
    from docx.text.hyperlink import Hyperlink

    out = []
    for item in paragraph.iter_inner_content():
        out.extend(item.runs if isinstance(item, Hyperlink) else [item])
    return out


def read_docx(data: bytes, lang: str, name: str) -> tuple[Document, Any]:
    """The Document of a .docx file and the loaded file (for ``write_docx``)."""
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as e:  # noqa: BLE001 - python-docx and zipfile raise many kinds on a broken file
        raise InputError(f"{name}: not a readable .docx file ({type(e).__name__})") from None
    texts, paragraphs, units = [], [], []
    pos = 0
    for i, par in enumerate(_paragraphs(document), 1):
        runs = _runs(par)
        text = "".join(r.text if _text_run(r) else "" for r in runs)
        if texts:
            pos += 2
        texts.append(text)
        words = bool(_WORDS.search(text))
        lead = len(text) - len(text.lstrip())
        paragraphs.append(Paragraph(f"p{i}", pos + lead, pos + len(text.rstrip()) if words else pos + lead,
                                    kind="text" if words else "blank", translatable=words))
        units.append((runs, text))
        pos += len(text)
    doc = Document(id=name, lang=lang, text="\n\n".join(texts), paragraphs=paragraphs, format="docx")
    return doc, (document, units)


def write_docx(doc: Document, loaded: Any) -> bytes:
    """The .docx file with each translated paragraph's text put into its runs."""
    document, units = loaded
    for p, (runs, text) in zip(doc.paragraphs, units):
        if not any(s.id in doc.translations for s in p.sentences):
            continue
        spans, texts = [], []
        at = 0
        for r in runs:
            if _text_run(r):
                texts.append(r)
                spans.append((at, at + len(r.text)))
                at += len(r.text)
        base = p.start - (len(text) - len(text.lstrip()))
        out, nodes = translated_unit(doc, p, text, spans, base)
        starts: list[int | None] = [None] * len(texts)
        for nd in nodes:
            starts[nd.n] = nd.start if starts[nd.n] is None else min(starts[nd.n], nd.start)
        starts[0] = 0
        for k in range(1, len(starts)):  # the runs keep their order; one not placed gets nothing
            starts[k] = starts[k - 1] if starts[k] is None else max(starts[k], starts[k - 1])
        for k, r in enumerate(texts):
            r.text = out[starts[k]:starts[k + 1] if k + 1 < len(starts) else len(out)]
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()
