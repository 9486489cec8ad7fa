"""Cross-lingual summaries: a summary's sentences translated by a ``TranslationEngine``, with the
same sources, scores and flags (plus the translation's flags)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from ..document import Document, Summary, SummarySentence

if TYPE_CHECKING:
    from ..translate.engine import TranslationEngine


def translate_summary(summary: Summary, doc: Document, engine: TranslationEngine) -> Summary:
    """The summary in ``engine.tgt``: same sources and scores; an extractive sentence reuses its
    source sentence's translation when the document was translated to that language."""
    reuse = {s.sources[0]: doc.translations[s.sources[0]] for s in summary.sentences
             if summary.method == "extractive" and doc.tgt_lang == engine.tgt and s.sources
             and s.sources[0] in doc.translations}
    todo = [s.text for s in summary.sentences if not (s.sources and s.sources[0] in reuse)]
    fresh = iter(engine.translate_texts(todo) if todo else [])
    sents, models = [], []
    for s in summary.sentences:
        tr = reuse[s.sources[0]] if s.sources and s.sources[0] in reuse else next(fresh)
        models.append(tr.model)
        sents.append(SummarySentence(tr.text, list(s.sources), s.score, list(s.flags) + list(tr.flags)))
    mt = ", ".join(dict.fromkeys(m for m in models if m))
    model = f"{summary.model} + {mt}" if mt else summary.model
    return Summary(engine.tgt, summary.method, model, sents, source_lang=summary.lang, flags=list(summary.flags))
