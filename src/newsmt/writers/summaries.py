"""Summaries as JSON lines: each original summary with its translation beside it."""
from __future__ import annotations

from typing import Iterator

from ..document import Document, Summary
from .common import jsonl


def summary_sentences(s: Summary) -> list[dict]:
    return [{"text": x.text, "sources": list(x.sources), "score": x.score, "flags": list(x.flags)}
            for x in s.sentences]


def summary_pairs(doc: Document) -> Iterator[tuple[Summary, Summary | None]]:
    """Each original summary with its translation (same method, ``source_lang`` = its language);
    a translation without its original is listed on its own."""
    originals = [s for s in doc.summaries if not s.source_lang or s.source_lang == s.lang]
    used = {id(s) for s in originals}
    for o in originals:
        t = next((x for x in doc.summaries if id(x) not in used
                  and x.source_lang == o.lang and x.method == o.method), None)
        if t is not None:
            used.add(id(t))
        yield o, t
    for x in doc.summaries:
        if id(x) not in used:
            yield x, None


def render_summary_jsonl(doc: Document) -> str:
    return jsonl(
        {"doc": doc.id, "method": o.method, "model": o.model, "lang": o.lang, "flags": list(o.flags),
         "summary": summary_sentences(o),
         "translation": None if t is None else {"lang": t.lang, "model": t.model, "flags": list(t.flags),
                                                "summary": summary_sentences(t)}}
        for o, t in summary_pairs(doc)
    )
