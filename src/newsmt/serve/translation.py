"""Texts and HTML translated the way every command translates: each text read into a ``Document``
(``sources.read_text`` for text, ``sources.markup`` for HTML), all of a request's documents through
one ``pipeline.process`` call (so their sentences share engine batches), each written back
(``writers.common.substituted``: the text between sentences kept byte for byte; ``writers.markup``:
the HTML's own markup).
"""
from __future__ import annotations

import dataclasses
from typing import Any

from ..config import PipelineConfig
from ..document import Document, Paragraph, Span
from ..pipeline import process
from ..sources import read_text
from ..sources.decode import normalize_newlines
from ..sources.markup import read_markup
from ..writers.common import substituted
from ..writers.markup import render_markup


def merged(docs: list[Document]) -> tuple[Document, list[tuple[int, int]]]:
    """One document holding ``docs`` one after the other (a blank line apart; paragraphs renumbered)
    and the text range of each."""
    texts, paragraphs, spans, ranges = [], [], [], []
    pos = 0
    for doc in docs:
        if texts:
            texts.append("\n\n")
            pos += 2
        ranges.append((pos, pos + len(doc.text)))
        for p in doc.paragraphs:
            paragraphs.append(Paragraph(f"p{len(paragraphs) + 1}", p.start + pos, p.end + pos, p.kind, p.translatable,
                                        meta=dict(p.meta)))
        spans += [Span(s.kind, s.start + pos, s.end + pos, dict(s.attrs)) for s in doc.spans]
        texts.append(doc.text)
        pos += len(doc.text)
    first = docs[0]
    return Document(first.id, first.lang, "".join(texts), paragraphs, first.format, spans=spans), ranges


def split(whole: Document, docs: list[Document], ranges: list[tuple[int, int]]) -> None:
    """Give each of ``docs`` its sentences and translations from the processed ``whole``."""
    it = iter(whole.paragraphs)
    for doc, (a, _) in zip(docs, ranges):
        for p in doc.paragraphs:
            q = next(it)
            p.sentences = [dataclasses.replace(s, id=f"{p.id}s{j}", start=s.start - a, end=s.end - a)
                           for j, s in enumerate(q.sentences, 1)]
            for s, old in zip(p.sentences, q.sentences):
                if old.id in whole.translations:
                    doc.translations[s.id] = whole.translations[old.id]
        doc.tgt_lang = whole.tgt_lang


def read(text: str, fmt: str, lang: str) -> Document | None:
    """A text (``fmt`` "text") or HTML (``"html"``) as a Document; None for a blank text."""
    if fmt == "html":
        return read_markup(text, lang=lang)
    text = normalize_newlines(text)
    return read_text(text, "txt", lang)[0] if text.strip() else None


def translate_texts(items: list[str], fmt: str, cfg: PipelineConfig, resources: Any, sanitize: bool) -> tuple[list[str], int]:
    """The translations of ``items`` (all in ``cfg.segment.lang``) and the number of sentences."""
    docs = [read(t, fmt, cfg.segment.lang) for t in items]
    todo = [d for d in docs if d is not None and any(p.translatable for p in d.paragraphs)]
    sentences = 0
    if todo:
        whole, ranges = merged(todo)
        whole = process(whole, cfg, resources)
        split(whole, todo, ranges)
        sentences = sum(1 for _ in whole.sentences())
    done = {id(d) for d in todo}
    out = [t if d is None or (id(d) not in done and not sanitize) else render_markup(d, sanitize) if fmt == "html"
           else substituted(d, 0, len(d.text)) for t, d in zip(items, docs)]
    return out, sentences
