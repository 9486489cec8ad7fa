"""The Python API: one text through ``pipeline.process``, and batch jobs. The CLI uses the same path.

Each helper takes an optional ``Resources`` to reuse loaded models across calls (its own config's
model settings apply); without one, the models are loaded for the call and closed after it.
"""
from __future__ import annotations

import dataclasses
from contextlib import nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Any, ContextManager

from .config import PipelineConfig, validate, with_settings
from .document import Document, Summary
from .pipeline import Resources, process

if TYPE_CHECKING:
    from .batch import RunSummary


def _resources(cfg: PipelineConfig, resources: Resources | None) -> ContextManager[Resources]:
    return nullcontext(resources) if resources is not None else Resources(cfg)


def _one(text: str, fmt: str, lang: str, cfg: PipelineConfig, resources: Resources | None) -> Document:
    from .sources import read_text

    doc = read_text(text, fmt=fmt, lang=lang, cfg=cfg.input)[0]
    with _resources(cfg, resources) as res:
        return process(doc, cfg, res)


def translate_text(text: str, src: str, tgt: str, format: str = "txt", resources: Resources | None = None,
                   **settings: Any) -> Document:
    """Read (``format`` txt|md|html|lines), segment and translate one text; ``settings`` are
    ``[translate]`` fields (``beam=2``, ``score=True``...)."""
    cfg = with_settings(PipelineConfig(), "translate", {**settings, "tgt": tgt})
    cfg = with_settings(cfg, "summarize", {"enabled": False})
    return _one(text, format, src, cfg, resources)


def summarize_text(text: str, lang: str = "en", to: str = "", format: str = "txt",
                   resources: Resources | None = None, **settings: Any) -> Summary:
    """Summarize one article; ``settings`` are ``[summarize]`` fields (``sentences=2``,
    ``method="abstractive", model="path/to/bart"``). With ``to``, the summary is returned in that
    language (translated with the default engine for the pair), with the same sources."""
    cfg = with_settings(PipelineConfig(), "translate", {"enabled": False})
    cfg = with_settings(cfg, "summarize", {**settings, "translate": bool(to), "to": to})
    return _one(text, format, lang, cfg, resources).summaries[-1]


def run(inputs: list[str], cfg: PipelineConfig, outdir: str | Path, workers: int | None = None,
        engine: str | None = None, address: str | None = None, threads: int | None = None,
        log_json: bool | None = None, files: bool | None = None) -> RunSummary:
    """Process files, directories, globs, JSONL, pages, feeds or archives into record shards in
    ``outdir`` (``files``: also per-article files); resumable (see ``batch``). Arguments given (not None) override the config's ``[run]`` table. Worker
    processes are started with "spawn": a script calling this needs ``if __name__ == "__main__":``."""
    from .batch import run_batch

    given = {"workers": workers, "engine": engine, "address": address, "threads": threads, "log_json": log_json,
             "files": files}
    cfg = dataclasses.replace(cfg, run=dataclasses.replace(cfg.run, **{k: v for k, v in given.items() if v is not None}))
    validate(cfg)
    return run_batch(inputs, cfg, Path(outdir))


def score_texts(sources: list[str], translations: list[str], src: str, tgt: str, threshold: float | None = None,
                resources: Resources | None = None) -> list[dict[str, Any]]:
    """Score translations made by anyone: one record per pair with the score, every flag and its
    evidence (see ``score.PairScorer``; the pairs are read as one text for names); the round trip
    uses the ``tgt -> src`` model."""
    from .score import score_pairs

    cfg = PipelineConfig()
    if threshold is not None:
        cfg = with_settings(cfg, "translate", {"low_quality_threshold": threshold})
    with _resources(cfg, resources) as res:
        return score_pairs(sources, translations, res.pair_scorer(src, tgt))
