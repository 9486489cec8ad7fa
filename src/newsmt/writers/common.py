"""What the renderers share: JSON lines, hard-wrap collapsing, (sentence, translation) pairs and
the document text with its sentences replaced by their translations."""
from __future__ import annotations

import json
import re
from typing import Any, Iterator

from ..document import Document, Paragraph, Sentence, Translation

UNTRANSLATED = "untranslated"
_WRAP = re.compile(r"[ \t]*\n[ \t]*")
_QUOTE_WRAP = re.compile(r"[ \t]*\n[ \t>]*")


def to_json(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, sort_keys=True)


def jsonl(rows: Iterator[dict]) -> str:
    return "".join(to_json(r) + "\n" for r in rows)


def one_line(s: str, quote: bool = False) -> str:
    """Collapse the line breaks of a (hard-wrapped) text; in a Markdown quote also the ``>``s."""
    return (_QUOTE_WRAP if quote else _WRAP).sub(" ", s)


def pairs(doc: Document, paragraphs: list[Paragraph] | None = None,
          ) -> Iterator[tuple[Paragraph, Sentence, Translation | None]]:
    """(paragraph, sentence, translation or None) for every sentence, in document order."""
    for p in doc.paragraphs if paragraphs is None else paragraphs:
        for s in p.sentences:
            yield p, s, doc.translations.get(s.id)


def flags_of(t: Translation | None) -> list[str]:
    return list(t.flags) if t else [UNTRANSLATED]


def substituted(doc: Document, start: int, end: int) -> str:
    """``doc.text[start:end]`` with every sentence in it replaced by its translation (or kept),
    all text between sentences (markup, markers, whitespace, code) unchanged."""
    out: list[str] = []
    pos = start
    for p in doc.paragraphs:
        for s in p.sentences:
            if s.start < start or s.end > end:
                continue
            t = doc.translations.get(s.id)
            out.append(doc.text[pos:s.start])
            out.append(one_line(t.text if t else s.text, quote=doc.format == "md" and p.kind == "quote"))
            pos = s.end
    out.append(doc.text[pos:end])
    return "".join(out)
