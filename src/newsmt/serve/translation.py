"""Texts and HTML translated the way every command translates: each text read into a ``Document``
(``sources.read_text`` for text, ``sources.markup`` for HTML), all of a request's documents through
one ``pipeline.process`` call (so their sentences share engine batches), each written back
(``writers.common.substituted``: the text between sentences kept byte for byte; ``writers.markup``:
the HTML's own markup).
"""
from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from ..config import PipelineConfig
from ..document import Document, Paragraph, Span, Translation
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


def translate_texts(items: list[str], fmt: str, cfg: PipelineConfig, resources: Any, sanitize: bool,
                    alternatives: int = 0) -> tuple[list[str], list[list[str]], int]:
    """The translations of ``items`` (all in ``cfg.segment.lang``), up to ``alternatives`` other
    translations of each (``alternatives_of``), and the number of sentences."""
    docs = [read(t, fmt, cfg.segment.lang) for t in items]
    todo = [d for d in docs if d is not None and any(p.translatable for p in d.paragraphs)]
    sentences = 0
    if todo:
        whole, ranges = merged(todo)
        whole = process(whole, cfg, resources)
        split(whole, todo, ranges)
        sentences = sum(1 for _ in whole.sentences())

    def write(d: Document) -> str:
        return render_markup(d, sanitize) if fmt == "html" else substituted(d, 0, len(d.text))

    done = {id(d) for d in todo}
    out = [t if d is None or (id(d) not in done and not sanitize) else write(d) for t, d in zip(items, docs)]
    others = alternatives_of(todo, cfg, resources, alternatives, write) if alternatives and todo else {}
    return out, [others.get(id(d), []) for d in docs], sentences


def alternatives_of(docs: list[Document], cfg: PipelineConfig, resources: Any, n: int,
                    write: Callable[[Document], str]) -> dict[int, list[str]]:
    """Up to ``n`` other translations of each translated document (by ``id``), from the engine's
    n-best lists (``TranslationEngine.translate_nbest``, through the same guards): the k-th puts each
    sentence's k-th translation other than its own (or its own where it has fewer), as
    LibreTranslate joins a text's sentence hypotheses rank by rank. None for an engine without an
    n-best list."""
    sents = [(d, s) for d in docs for s in d.sentences() if s.id in d.translations]
    engine = resources.engine(cfg.segment.lang, cfg.translate.tgt) if sents else None
    if engine is None or not engine.nbest:
        return {}
    ranked = engine.translate_nbest([s.text for _, s in sents], n + 1)
    others: dict[int, dict[str, list[Translation]]] = {}
    for (d, s), found in zip(sents, ranked):
        own = d.translations[s.id].text
        others.setdefault(id(d), {})[s.id] = [t for t in found if t.text != own][:n]
    out: dict[int, list[str]] = {}
    for d in docs:
        mine = others.get(id(d), {})
        texts = []
        for k in range(max(map(len, mine.values()), default=0)):
            swapped = {sid: dataclasses.replace(alts[k], inline=d.translations[sid].inline)  # its spans alone: the same
                       for sid, alts in mine.items() if k < len(alts)}
            texts.append(write(dataclasses.replace(d, translations={**d.translations, **swapped})))
        out[id(d)] = list(dict.fromkeys(texts))
    return out
