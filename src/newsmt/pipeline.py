"""One way through: ``process(doc, cfg, resources)`` with stages switched on or off, and ``Resources``.

Every command is this path: ``segment`` (translate and summarize off), ``translate``, ``summarize``,
``run`` (batch workers and Ray actors), ``serve`` (per request) and the one-text API helpers.
``stream`` is the one loop over a document stream that the commands share: each bad item (from the
sources, or an article that fails in a stage) comes out as one ``InputError`` naming it, and the
stream goes on; a model that cannot load (it would fail every article) ends it with ``ModelError``.
"""
from __future__ import annotations

import dataclasses
import time
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterator

from . import __version__
from .config import PipelineConfig
from .document import Document
from .errors import InputError, LanguageError, ModelError, NewsmtError, extras_needed
from .languages import resolve as resolve_language, same_language

if TYPE_CHECKING:
    from .quality import QualityScorer
    from .score import PairScorer
    from .translate.engine import TranslationEngine

Progress = Callable[[int], None]


def summary_target(cfg: PipelineConfig) -> str:
    """The language of the cross-lingual summary: ``summarize.to``, else the translation target
    when translation is on; "" for none."""
    if not (cfg.summarize.enabled and cfg.summarize.translate):
        return ""
    return cfg.summarize.to or (cfg.translate.tgt if cfg.translate.enabled else "")


def model_ids(cfg: PipelineConfig, src: str) -> dict[str, str]:
    """Name and revision of each model an article in ``src`` goes through; resolves without loading.

    Raises ModelError (naming what is missing and how to get it) when a model is not installed.
    """
    from .models import resolve

    ids: dict[str, str] = {}
    if cfg.translate.enabled and not same_language(src, cfg.translate.tgt):
        m = resolve(src, cfg.translate.tgt, cfg.translate.model, cfg.translate.backend)
        ids["translate"] = f"{m.name}@{m.revision}"
    if cfg.summarize.enabled:
        from .summarize import summarizer_id

        ids["summarize"] = summarizer_id(cfg.summarize, src)
        to = summary_target(cfg)
        if to and not same_language(src, to) and not cfg.translate.enabled:
            m = resolve(src, to, cfg.translate.model, cfg.translate.backend)
            ids["summary_translate"] = f"{m.name}@{m.revision}"
    return ids


class ModelIds:
    """``model_ids`` of each language, resolved once: the ids, or the error saying what is missing."""

    def __init__(self, cfg: PipelineConfig) -> None:
        self.cfg = cfg
        self.known: dict[str, dict[str, str] | LanguageError | ModelError] = {}

    def __call__(self, lang: str) -> dict[str, str] | LanguageError | ModelError:
        if lang not in self.known:
            try:
                self.known[lang] = model_ids(self.cfg, lang)
            except (LanguageError, ModelError) as e:
                self.known[lang] = e
        return self.known[lang]


def _one_model(a: tuple[str, str], b: tuple[str, str]) -> bool:
    """Whether two pairs differ at most in their regions (``en-pt``, ``en-pt-BR``): one model serves both."""
    return all((x.code, x.script) == (y.code, y.script) for x, y in zip(map(resolve_language, a), map(resolve_language, b)))


class Resources:
    """Every model one worker holds: translation engines and quality scorers per pair, the
    abstractive summarizer. Each is loaded on first use, kept for every later article, and closed
    by ``close`` (or ``with``)."""

    def __init__(self, cfg: PipelineConfig) -> None:
        self.cfg = cfg
        self._engines: dict[tuple[str, ...], TranslationEngine] = {}
        self._summarizer: Any = None
        self._scorers: dict[tuple[str, ...], PairScorer | QualityScorer] = {}

    @classmethod
    def load(cls, cfg: PipelineConfig) -> Resources:
        return cls(cfg)

    def engine(self, src: str, tgt: str) -> TranslationEngine:
        """The translation engine for ``src -> tgt`` (loaded once)."""
        if (src, tgt) not in self._engines:
            scorer = self.scorer(src, tgt) if self.cfg.translate.score else None
            loaded = next((e for key, e in self._engines.items() if len(key) == 2 and _one_model(key, (src, tgt))), None)
            self._engines[(src, tgt)] = (loaded.variant(src, tgt, scorer) if loaded is not None
                                         else self._load(src, tgt, self.cfg.translate, scorer))
        return self._engines[(src, tgt)]

    def scorer(self, src: str, tgt: str) -> PairScorer | QualityScorer:
        """The quality scorer for ``src -> tgt``: checks, round trip through the ``tgt -> src``
        engine (the pair's default model, loaded here without scoring of its own), flags; the
        embedding score (``quality.QualityScorer``) when no model translates the other way."""
        if (src, tgt) not in self._scorers:
            from .quality import QualityScorer
            from .score import PairScorer

            threshold = self.cfg.translate.low_quality_threshold
            back_key = (tgt, src, "back")
            try:
                if back_key not in self._engines:
                    back_cfg = dataclasses.replace(self.cfg.translate, model="", score=False)
                    self._engines[back_key] = self._load(tgt, src, back_cfg, None)
                self._scorers[(src, tgt)] = PairScorer(src, tgt, threshold, back=self._engines[back_key])
            except (ModelError, LanguageError):  # no model the other way: the embedding score
                self._scorers[(src, tgt)] = QualityScorer(src, tgt, threshold=threshold)
        return self._scorers[(src, tgt)]

    def pair_scorer(self, src: str, tgt: str) -> PairScorer:
        """``scorer(src, tgt)`` as a ``PairScorer`` (the meaning checks around the embedding score
        where no model translates back), loaded once: what ``newsmt score`` and ``/score`` use."""
        from .score import PairScorer

        scorer = self.scorer(src, tgt)
        if isinstance(scorer, PairScorer):
            return scorer
        if (src, tgt, "checks") not in self._scorers:
            self._scorers[(src, tgt, "checks")] = PairScorer(scorer.source, scorer.target, quality=scorer)
        return self._scorers[(src, tgt, "checks")]

    @staticmethod
    def _load(src: str, tgt: str, cfg: Any, scorer: PairScorer | QualityScorer | None) -> TranslationEngine:
        from .translate.engine import load_engine

        return load_engine(src, tgt, cfg, scorer)

    def summarizer(self) -> Any:
        """The abstractive summarizer of ``cfg.summarize.model`` (loaded once)."""
        if self._summarizer is None:
            from .summarize import load_summarizer

            with extras_needed():  # transformers, torch: the [hf] extra
                self._summarizer = load_summarizer(self.cfg.summarize.model)
        return self._summarizer

    def close(self) -> None:
        """Free every loaded model; the object can be used again (models load anew)."""
        for engine in self._engines.values():
            engine.close()
        for scorer in self._scorers.values():
            scorer.close()
        self._engines.clear()
        self._scorers.clear()
        if self._summarizer is not None:
            self._summarizer.close()
        self._summarizer = None

    def __enter__(self) -> Resources:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@contextmanager
def _timed(timings: dict[str, float], stage: str) -> Iterator[None]:
    t0 = time.perf_counter()
    yield
    timings[stage] = round(time.perf_counter() - t0, 4)


def process(doc: Document, cfg: PipelineConfig, resources: Resources, progress: Progress | None = None) -> Document:
    """Segment, then translate and summarize as ``cfg`` switches them on; returns ``doc`` with its
    layers, timings and provenance. ``progress`` is called with each batch of sentences translated."""
    from .segment import segment_document

    timings: dict[str, float] = {}
    with _timed(timings, "segment"):
        doc = segment_document(doc)
    if cfg.translate.enabled and same_language(doc.lang, cfg.translate.tgt):
        doc.provenance["translate"] = f"skipped: the article is already in {cfg.translate.tgt}"
    elif cfg.translate.enabled:
        with _timed(timings, "translate"):
            doc = resources.engine(doc.lang, cfg.translate.tgt).translate_document(doc, progress)
    if cfg.summarize.enabled:
        from .summarize import summarize_document

        to = summary_target(cfg)
        engine = resources.engine(doc.lang, to) if to and not same_language(doc.lang, to) else None
        summarizer = resources.summarizer() if cfg.summarize.method == "abstractive" else None
        with _timed(timings, "summarize"):
            doc = summarize_document(doc, cfg.summarize, engine, summarizer)
    doc.timings.update(timings)
    doc.provenance.update({"newsmt": __version__, "settings": cfg.settings})
    return doc


def try_process(doc: Document, cfg: PipelineConfig, resources: Resources,
                progress: Progress | None = None) -> Document | NewsmtError:
    """``process``, with one article's failure returned instead of raised (``InputError`` for
    anything unexpected, so one broken article cannot end a job). ``ModelError`` propagates (a
    model that cannot load would fail every article), except for an article whose language was
    detected: no model for that language fails that article alone."""
    try:
        return process(doc, cfg, resources, progress)
    except ModelError as e:
        if "lang_detected" not in doc.meta:
            raise
        return e
    except NewsmtError as e:
        return e
    except (Exception, RecursionError) as e:  # noqa: BLE001 - the article is reported, the job goes on
        return InputError(f"internal error: {type(e).__name__}: {e}")


def stream(inputs: list[str], cfg: PipelineConfig, resources: Resources, lang: str,
           skip: Path | None = None, progress: Any = None) -> Iterator[Document | InputError]:
    """Read ``inputs`` (see ``sources.documents``) and ``process`` each article; every bad item,
    unreadable or failing, comes out as one InputError whose message starts with its source.

    ``progress``: an object with ``add_total(n)`` and ``advance(n)`` (``newsmt.progress``); it counts
    sentences when translating, else articles."""
    from .segment import segment_document
    from .sources import documents

    for doc in documents(inputs, cfg.input, lang, skip):
        if isinstance(doc, InputError):
            yield doc
            continue
        source = doc.meta.get("source", doc.id)
        advance = None
        if progress is not None and cfg.translate.enabled:
            segment_document(doc)
            progress.add_total(sum(len(p.sentences) for p in doc.paragraphs if p.translatable))
            advance = progress.advance
        elif progress is not None:
            progress.add_total(1)
        result = try_process(doc, cfg, resources, advance)
        if progress is not None and advance is None:
            progress.advance(1)
        yield InputError(f"{source}: {result}") if isinstance(result, NewsmtError) else result


def process_record(doc: Document, cfg: PipelineConfig, resources: Resources) -> dict[str, Any]:
    """``try_process`` for a batch worker, with a plain result: ``{"error": reason}``, ``{"fatal":
    reason}`` (a model that cannot load), or ``record`` (the output line; timings only if
    ``run.timings``), ``doc`` (the Document of that line), ``timings``, ``sentences``."""
    try:
        result = try_process(doc, cfg, resources)
    except ModelError as e:
        return {"fatal": str(e)}
    if isinstance(result, NewsmtError):
        return {"error": str(result)}
    timings = result.timings
    if not cfg.run.timings:
        result = dataclasses.replace(result, timings={})
    return {"record": result.to_json(), "doc": result, "timings": timings,
            "sentences": sum(1 for _ in result.sentences())}
