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

from typing import TYPE_CHECKING

from ..config import SummarizeConfig
from ..document import Document
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
    "load_summarizer", "model_path", "rank_scores", "select", "summarize_document", "summarizer_id", "translate_summary",
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
