"""Summaries whose every sentence links to the source sentence ids it rests on.

- ``extractive`` (the default, no model): source sentences ranked by LexRank-style centrality over
  character n-grams, a lead prior and MMR; attribution is exact.
- ``abstractive``: a seq2seq model (``Seq2SeqSummarizer``), map-reduce over long articles, never
  truncated; generated sentences are attributed by ``attribution.Attributor``.
- ``crosslingual``: the summary's sentences translated by a ``TranslationEngine``, same sources.

Models are not cached here: whoever summarizes many articles opens one summarizer
(``load_summarizer(cfg.model)``), passes it to ``summarize_document`` and closes it at the end.
"""
from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Iterator

from ..config import PipelineConfig, SummarizeConfig
from ..document import Document, Summary
from ..errors import ConfigError, InputError
from .abstractive import Seq2SeqSummarizer, abstractive_summary, load_summarizer, model_path, summarizer_id
from .attribution import MAX_SOURCES, MIN_GAIN, SUPPORTED, Attributor
from .crosslingual import translate_summary
from .extractive import (
    EXTRACTIVE_MODEL, SHORT_INPUT, SKIPPED_KINDS, NgramVectors, candidates, extractive_summary, fragments,
    rank_scores, select,
)

if TYPE_CHECKING:
    from ..translate.engine import TranslationEngine

__all__ = [
    "EXTRACTIVE_MODEL", "MAX_SOURCES", "MIN_GAIN", "SHORT_INPUT", "SKIPPED_KINDS", "SUPPORTED", "Attributor",
    "NgramVectors", "Seq2SeqSummarizer", "abstractive_summary", "candidates", "extractive_summary", "fragments",
    "load_summarizer", "model_path", "rank_scores", "select", "summarize_document", "summarize_paths",
    "summarize_text", "summarizer_id", "translate_summary",
]


def summarize_document(doc: Document, cfg: SummarizeConfig, engine: TranslationEngine | None = None,
                       summarizer: Seq2SeqSummarizer | None = None) -> Document:
    """Append the summary in the article's language to ``doc.summaries``, and its translation into
    ``engine.tgt`` when an engine is given and ``cfg.translate``; returns ``doc``. Sentences are
    segmented first if the document has none.

    An abstractive ``cfg`` uses ``summarizer``; without one, a summarizer is opened for this call
    alone and closed again (fine for one article; a caller with many passes its own)."""
    if not any(True for _ in doc.sentences()):
        from ..segment import segment_document

        segment_document(doc)
    if cfg.method != "abstractive":
        summary = extractive_summary(doc, cfg)
    elif summarizer is not None:
        summary = abstractive_summary(doc, cfg, summarizer)
    else:
        with load_summarizer(cfg.model) as own:  # a missing model fails for every article alike
            summary = abstractive_summary(doc, cfg, own)
    doc.summaries.append(summary)
    if engine is not None and cfg.translate and engine.tgt != doc.lang:
        doc.summaries.append(translate_summary(summary, doc, engine))
    return doc


def _config(overrides: dict) -> SummarizeConfig:
    known = {f.name for f in dataclasses.fields(SummarizeConfig)}
    unknown = set(overrides) - known
    if unknown:
        raise ConfigError(f"unknown summarize option(s): {', '.join(sorted(unknown))}; known: {', '.join(sorted(known))}")
    from ..config import validate

    cfg = PipelineConfig(summarize=SummarizeConfig(**overrides))
    validate(cfg)
    return cfg.summarize


def summarize_text(text: str, lang: str = "en", to: str = "", **cfg_overrides) -> Summary:
    """Summarize one article given as plain text (``SummarizeConfig`` fields as keywords, e.g.
    ``sentences=2``, ``method="abstractive", model="path/to/bart"``). With ``to``, the summary is
    returned in that language (translated with the default engine for the pair). An abstractive
    model is loaded for this call and released after it."""
    from ..segment import segment_text

    cfg = _config(cfg_overrides)
    engine = None
    if to and to != lang:
        from ..translate.engine import shared_engine

        engine, cfg = shared_engine(lang, to), dataclasses.replace(cfg, translate=True)
    doc = summarize_document(segment_text(text, lang), cfg, engine)
    return doc.summaries[-1]


def summarize_paths(inputs: list[str], cfg: PipelineConfig, lang: str = "en", to: str = "") -> Iterator[Document | InputError]:
    """Read, segment and summarize every article of ``inputs`` (files, dirs, globs, JSONL, "-"),
    with a progress bar on a terminal; ``to`` adds a summary translated into that language. A bad
    input (file or JSONL line) is yielded as its InputError and the rest goes on. An abstractive
    model is opened at the first article and closed when the iteration ends."""
    from ..progress import progress
    from ..readers import detect_format, expand_inputs, iter_path
    from ..segment import segment_document

    paths = expand_inputs(inputs)
    engine = None
    if to and to != lang:
        from ..translate.engine import load_engine

        engine = load_engine(lang, to, cfg.translate)
    streams = cfg.input.format == "jsonl" or any(detect_format(p) == "jsonl" or str(p) == "-" for p in paths)
    summarizer = None
    try:
        with progress("summarizing", total=None if streams else len(paths)) as bar:  # one article per file
            for path in paths:
                for doc in iter_path(path, lang=lang, cfg=cfg.input):
                    if not isinstance(doc, InputError):
                        if summarizer is None and cfg.summarize.method == "abstractive":
                            summarizer = load_summarizer(cfg.summarize.model)
                        doc = summarize_document(segment_document(doc), cfg.summarize, engine, summarizer)
                    yield doc
                    bar.advance(1)
    finally:
        if summarizer is not None:
            summarizer.close()
