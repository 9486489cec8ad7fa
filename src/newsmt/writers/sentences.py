"""Sentence formats: the record, segments, sentence pairs as JSON lines and TSV."""
from __future__ import annotations

from ..document import Document
from .common import flags_of, jsonl, pairs


def render_record(doc: Document) -> str:
    return doc.to_json() + "\n"


def render_segments(doc: Document) -> str:
    return jsonl(
        {"doc": doc.id, "id": s.id, "paragraph": p.id, "start": s.start, "end": s.end, "text": s.text}
        for p, s, _ in pairs(doc)
    )


def render_jsonl(doc: Document) -> str:
    return jsonl(
        {"doc": doc.id, "id": s.id, "paragraph": p.id, "src": s.text, "tgt": t.text if t else None,
         "src_start": s.start, "src_end": s.end, "score": t.score if t else None, "flags": flags_of(t)}
        for p, s, t in pairs(doc)
    )


def _tsv_cell(s: str) -> str:
    return s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def render_tsv(doc: Document) -> str:
    """Columns: doc/id, source, target, score, flags (comma-separated); no header, so files of
    several documents concatenate. Backslash, tab and newline inside text are escaped."""
    rows = []
    for _, s, t in pairs(doc):
        score = "" if t is None or t.score is None else f"{t.score:.4f}"
        cells = [f"{doc.id}/{s.id}", s.text, t.text if t else "", score, ",".join(flags_of(t))]
        rows.append("\t".join(_tsv_cell(c) for c in cells) + "\n")
    return "".join(rows)
