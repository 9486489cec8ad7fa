"""One way through an article: segment -> translate -> summarize, for local and Ray runs alike.

``process`` is the only place the stages are chained. A batch runner loads ``Resources`` once per
worker process (or Ray actor) and calls ``process`` for each article; ``run`` is the public batch API.
"""
from __future__ import annotations

import dataclasses
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator

from . import __version__
from .config import PipelineConfig
from .document import Document
from .errors import ModelError, NewsmtError

if TYPE_CHECKING:
    from .batch import RunSummary
    from .translate.engine import TranslationEngine


def settings(cfg: PipelineConfig) -> dict[str, Any]:
    """The settings that decide what a run writes (``[run]`` and thread counts do not)."""
    d = cfg.to_dict()
    del d["run"]
    del d["translate"]["threads"]
    return d


def model_ids(cfg: PipelineConfig, src: str) -> dict[str, str]:
    """Name and revision of each model an article in ``src`` goes through; resolves without loading.

    Raises ModelError (naming what is missing and how to get it) when a model is not installed.
    """
    ids: dict[str, str] = {}
    if cfg.translate.enabled:
        from .models import resolve

        m = resolve(src, cfg.translate.tgt, cfg.translate.model, cfg.translate.backend)
        ids["translate"] = f"{m.name}@{m.revision}"
    if cfg.summarize.enabled:
        from .summarize import summarizer_id

        ids["summarize"] = summarizer_id(cfg.summarize, src)
    return ids


@dataclass
class Resources:
    """The models one worker holds, each loaded on first use and kept for every later article."""

    cfg: PipelineConfig
    _engines: dict[tuple[str, str], TranslationEngine] = field(default_factory=dict, repr=False)

    @classmethod
    def load(cls, cfg: PipelineConfig) -> Resources:
        return cls(cfg)

    def engine(self, src: str, tgt: str) -> TranslationEngine:
        """The translation engine for ``src -> tgt`` (loaded once)."""
        if (src, tgt) not in self._engines:
            from .translate.engine import load_engine

            self._engines[(src, tgt)] = load_engine(src, tgt, self.cfg.translate)
        return self._engines[(src, tgt)]


@contextmanager
def _timed(timings: dict[str, float], stage: str) -> Iterator[None]:
    t0 = time.perf_counter()
    yield
    timings[stage] = round(time.perf_counter() - t0, 4)


def process(doc: Document, cfg: PipelineConfig, resources: Resources) -> Document:
    """Segment, translate and summarize one article; returns it with its layers, timings, provenance."""
    from .segment import segment_document

    timings: dict[str, float] = {}
    with _timed(timings, "segment"):
        doc = segment_document(doc)
    engine = resources.engine(doc.lang, cfg.translate.tgt) if cfg.translate.enabled else None
    if engine is not None:
        with _timed(timings, "translate"):
            doc = engine.translate_document(doc)
    if cfg.summarize.enabled:
        from .summarize import summarize_document

        with _timed(timings, "summarize"):
            doc = summarize_document(doc, cfg.summarize, engine if cfg.summarize.translate else None)
    doc.timings.update(timings)
    doc.provenance.update({"newsmt": __version__, "settings": settings(cfg)})
    return doc


def process_json(doc_json: str, cfg: PipelineConfig, resources: Resources) -> dict[str, Any]:
    """``process`` for a batch runner: a JSON record in, a plain result out.

    A failing article becomes ``{"error": reason}`` instead of an exception, so it cannot stop a job;
    a model that cannot load becomes ``{"fatal": reason}`` (it would fail every article). Otherwise:
    ``record`` (the output line; timings only if ``run.timings``), ``timings``, ``sentences``.
    """
    try:
        doc = process(Document.from_json(doc_json), cfg, resources)
    except ModelError as e:
        return {"fatal": str(e)}
    except NewsmtError as e:
        return {"error": str(e)}
    except Exception as e:  # noqa: BLE001 - one broken article must not end a batch job
        return {"error": f"internal error: {type(e).__name__}: {e}"}
    timings = doc.timings
    if not cfg.run.timings:
        doc = dataclasses.replace(doc, timings={})
    return {"record": doc.to_json(), "timings": timings, "sentences": sum(1 for _ in doc.sentences())}


def run(inputs: list[str], cfg: PipelineConfig, outdir: str | Path, workers: int | None = None,
        engine: str | None = None, address: str | None = None, threads: int | None = None,
        log_json: bool | None = None) -> RunSummary:
    """Process files, directories, globs or JSONL streams into ``outdir``; resumable (see ``batch``).

    Arguments given (not None) override the config's ``[run]`` table. Worker processes are started
    with "spawn": a script calling this needs the ``if __name__ == "__main__":`` guard.
    """
    from .batch import run_batch
    from .config import validate

    given = {"workers": workers, "engine": engine, "address": address, "threads": threads, "log_json": log_json}
    cfg = dataclasses.replace(cfg, run=dataclasses.replace(cfg.run, **{k: v for k, v in given.items() if v is not None}))
    validate(cfg)
    return run_batch(inputs, cfg, Path(outdir))
