"""The server's state: models (``Resources``), the batcher, language pairs, the language identifier,
limits, metrics and the work threads. Every endpoint's work goes through ``Service.run``: a function
on a work thread, given the batched ``Resources`` to pass to ``pipeline.process``, under the
request's deadline.

Everything is loaded once, in a background thread started by the app's lifespan; until it is done
``state`` is "loading" and ``/health`` answers 503.
"""
from __future__ import annotations

import asyncio
import dataclasses
import logging
import shutil
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

from ..config import PipelineConfig
from ..errors import ConfigError, InputError, LanguageError, ModelError, NewsmtError
from ..languages import AUTO, Language, base, display_name, norm_lang, resolve, same_language
from ..languages.identify import LanguageIdentifier
from ..pipeline import Resources
from ..translate.backend import ModelThread
from .batching import BatchedResources, Batcher, Cancelled, Closed, QueueFull
from .files import FileStore
from .limits import Access, ServeError, ServeOptions
from .metrics import Metrics
from .ratelimit import SharedLimiter
from .suggestions import SuggestionStore

log = logging.getLogger("newsmt.serve")
T = TypeVar("T")


def emit(event: str, **fields: Any) -> None:
    log.info(event, extra={"fields": fields})


def error_status(e: NewsmtError) -> int:
    """HTTP status for a newsmt error: a model that failed -> 500; the client's input -> 400."""
    return 500 if isinstance(e, ModelError) else 400


class Service:
    """Models, batcher, identifier, limits and metrics of one server process."""

    def __init__(self, cfg: PipelineConfig, opts: ServeOptions, resources: Resources | None = None) -> None:
        self.cfg, self.opts = cfg, opts
        self.state = "loading"  # loading | ready | error | draining
        self.error = ""
        self._given_resources = resources
        self._resources: dict[str, Resources] = {}
        self._engine_lock = threading.RLock()
        self._engines: dict[tuple[str, str], Any] = {}
        self.pairs: dict[tuple[str, str], str] = {}  # (src, tgt) -> model name
        self.in_flight = 0
        self._own_state = opts.state_dir is None
        self.state_dir = Path(tempfile.mkdtemp(prefix="newsmt-serve-")) if opts.state_dir is None else opts.state_dir
        self.state_dir.mkdir(parents=True, exist_ok=True)
        self.access = Access(opts, SharedLimiter(self.state_dir / "ratelimit.sqlite"))
        self.metrics = Metrics()
        self.identifier = LanguageIdentifier()
        self.batcher = Batcher(self.engine, max_queue=opts.max_queue, max_wait=opts.batch_wait_ms / 1000.0,
                               max_sentences=opts.batch_sentences, max_chars=opts.batch_chars,
                               on_batch=self.metrics.on_batch, log=emit,
                               on_exit=lambda: self.models.call(self._close_resources),
                               on_queue=self.metrics.queue.set)
        self.files = FileStore(self.state_dir / "files", opts.files_ttl)
        self._suggestions: SuggestionStore | None = None
        self.work = ThreadPoolExecutor(opts.max_in_flight, thread_name_prefix="newsmt-work")
        self.scoring = ThreadPoolExecutor(1, thread_name_prefix="newsmt-score")
        self.models = ModelThread.get()
        self._ready = threading.Event()

    # ---- start and stop ----------------------------------------------------------------------
    @property
    def default_pair(self) -> tuple[Language | None, Language]:
        """The config's languages: ``segment.lang`` (None when it detects) and ``translate.tgt``."""
        src = norm_lang(self.cfg.segment.lang)
        return (resolve(src) if src and src != AUTO else None), resolve(self.cfg.translate.tgt)

    @property
    def default_codes(self) -> tuple[str, str] | None:
        """The config's pair as the primary languages that key ``pairs``; None when it detects."""
        src, tgt = self.default_pair
        return (src.code, tgt.code) if src is not None else None

    def start(self) -> None:
        threading.Thread(target=self._load, name="newsmt-load", daemon=True).start()

    def wait_ready(self, timeout: float | None = None) -> bool:
        return self._ready.wait(timeout)

    def _load(self) -> None:
        t0 = time.perf_counter()
        try:
            self.pairs = self._available_pairs()
            default = self.default_codes
            wanted = [default] if default and self.cfg.translate.enabled else []
            wanted += [tuple(p.split("-")) for p in self.opts.preload]
            for src, tgt in dict.fromkeys(wanted):
                if (src, tgt) not in self.pairs:
                    if (src, tgt) != default:
                        raise ConfigError(f"preload {src}-{tgt}: no installed model serves this pair")
                    emit("pair_unavailable", pair=f"{src}-{tgt}", reason=self._why_unavailable(src, tgt))
                    continue
                tags = tuple(x.tag for x in self.default_pair) if (src, tgt) == default else (src, tgt)
                self.engine(*tags).translate_texts(["Ready."])  # load, warm up
            self.identifier.detect("This warms up the language identifier.")
            if self.state == "loading":
                self.state = "ready"
                self.metrics.ready.set(1)
            emit("ready", seconds=round(time.perf_counter() - t0, 2), pairs=[f"{s}-{t}" for s, t in sorted(self.pairs)])
        except Exception as e:  # noqa: BLE001 - reported by /health, never a crash loop
            self.state, self.error = "error", f"{type(e).__name__}: {e}"
            emit("load_failed", error=self.error)
        finally:
            self._ready.set()

    def begin_drain(self) -> None:
        """New requests get 503 from now on; those in flight finish."""
        if self.state != "draining":
            self.state = "draining"
            self.metrics.ready.set(0)
            emit("draining", in_flight=self.in_flight)

    def close(self) -> None:
        """Finish what is queued, then free the models (on the batch worker, which loaded them)."""
        self.begin_drain()
        self.batcher.close(drain=True, timeout=self.opts.shutdown_grace)
        self.work.shutdown(wait=False, cancel_futures=True)
        self.scoring.shutdown(wait=False, cancel_futures=True)
        self.identifier.close()
        self.access.limiter.close()
        if self._suggestions is not None:
            self._suggestions.close()
        self.metrics.close()
        if self._own_state:
            shutil.rmtree(self.state_dir, ignore_errors=True)
        emit("stopped")

    def _close_resources(self) -> None:
        self._engines.clear()
        for res in self._resources.values():
            if res is not self._given_resources and hasattr(res, "close"):
                try:
                    res.close()
                except Exception as e:  # noqa: BLE001
                    emit("close_failed", error=str(e))

    def require_ready(self) -> None:
        if self.state == "ready":
            return
        if self.state == "loading":
            raise ServeError(503, "the models are still loading; retry shortly", {"Retry-After": "2"})
        if self.state == "draining":
            raise ServeError(503, "the server is shutting down", {"Retry-After": "5", "Connection": "close"})
        raise ServeError(500, f"the server could not load its models: {self.error}")

    # ---- models and pairs ----------------------------------------------------------------------
    def cfg_for_pair(self, src: str, tgt: str) -> PipelineConfig:
        """The config's own model serves its pair (``pt-BR`` is the ``pt`` pair); other pairs get the
        registry's default model."""
        if (base(src), base(tgt)) == self.default_codes or not self.cfg.translate.model:
            return self.cfg
        return dataclasses.replace(self.cfg, translate=dataclasses.replace(self.cfg.translate, model="", backend="auto"))

    def task_cfg(self, src: Language, tgt: Language, translate: bool | None = True,
                 summarize: bool | None = False) -> PipelineConfig:
        """The config a request runs with: ``src`` (segmentation), ``tgt``, translation and summary
        switched as asked (None: as the config says; a text already in ``tgt``'s language is not
        translated, ``pipeline.process`` says so)."""
        cfg = self.cfg_for_pair(src.tag, tgt.tag)
        t = dataclasses.replace(cfg.translate, tgt=tgt.tag, enabled=cfg.translate.enabled if translate is None else translate)
        s = cfg.summarize if summarize is None else dataclasses.replace(cfg.summarize, enabled=summarize)
        segment = dataclasses.replace(cfg.segment, lang=src.tag)
        return dataclasses.replace(cfg, segment=segment, translate=t, summarize=s)

    def resources_for(self, cfg: PipelineConfig) -> Resources:
        key = cfg.translate.model
        with self._engine_lock:
            if key not in self._resources:
                given = self._given_resources is not None and cfg.translate.model == self.cfg.translate.model
                self._resources[key] = self._given_resources if given else Resources.load(cfg)
            return self._resources[key]

    def engine(self, src: str, tgt: str) -> Any:
        """The TranslationEngine for a pair, loaded once, on the model thread (``translate.backend.ModelThread``)."""
        engine = self._engines.get((src, tgt))
        if engine is not None:
            return engine

        def load() -> Any:
            with self._engine_lock:
                if (src, tgt) not in self._engines:
                    self._engines[(src, tgt)] = self.resources_for(self.cfg_for_pair(src, tgt)).engine(src, tgt)
                return self._engines[(src, tgt)]

        return self.models.call(load)

    def _available_pairs(self) -> dict[tuple[str, str], str]:
        from ..models import list_models, resolve

        candidates: list[tuple[str, str]] = []
        for m in list_models():
            if getattr(m, "path", None) is None:
                continue
            pairs = list(m.pairs) or [f"{a}-{b}" for a in m.languages for b in m.languages if a != b]
            candidates += [tuple(p.split("-", 1)) for p in pairs if "-" in p]
        if self.cfg.translate.enabled and self.default_codes:
            candidates.insert(0, self.default_codes)
        found: dict[tuple[str, str], str] = {}
        for src, tgt in dict.fromkeys(candidates):
            t = self.cfg_for_pair(src, tgt).translate
            try:
                found[(src, tgt)] = resolve(src, tgt, t.model, t.backend).name
            except NewsmtError:
                continue
        return found

    def _why_unavailable(self, src: str, tgt: str) -> str:
        from ..models import resolve

        t = self.cfg_for_pair(src, tgt).translate
        try:
            resolve(src, tgt, t.model, t.backend)
        except NewsmtError as e:
            return str(e)
        return "unknown"

    def loaded_pairs(self) -> set[tuple[str, str]]:
        """The pairs (primary languages, as ``pairs``) with an engine loaded, for any variant."""
        return {(base(s), base(t)) for s, t in self._engines}

    def languages(self) -> list[dict[str, Any]]:
        """LibreTranslate's /languages: every source language with its targets; the config's target
        variant (``pt-BR``) is listed beside its language, so /frontend/settings names a listed code."""
        targets: dict[str, list[str]] = {}
        for src, tgt in self.pairs:
            targets.setdefault(src, []).append(tgt)
            targets.setdefault(tgt, [])
        variant = self.default_pair[1]
        if variant.tag != variant.code and variant.code in targets:
            targets[variant.tag] = list(targets[variant.code])
            for tgts in targets.values():
                if variant.code in tgts:
                    tgts.append(variant.tag)
        return [{"code": c, "name": display_name(c), "targets": sorted(targets[c])} for c in sorted(targets)]

    def check_pair(self, src: Language, tgt: Language) -> None:
        """ServeError 400 in LibreTranslate's words when ``src -> tgt`` is not served (a variant,
        ``pt-BR``, is served by its language's pair)."""
        known = {c for pair in self.pairs for c in pair}
        for lang in (src, tgt):
            if lang.code not in known:
                raise ServeError(400, f"{lang} is not supported")
        if not same_language(src, tgt) and (src.code, tgt.code) not in self.pairs:
            raise ServeError(400, f"{tgt.name} ({tgt}) is not available as a target language from {src.name} ({src})")

    def source_of(self, text: str, tgt: Language) -> tuple[Language, float]:
        """The language of ``text`` and the identifier's confidence, for ``source=auto``: ServeError
        400 when no model translates it into ``tgt`` (never a guess among the served languages); the
        config's source language, confidence 0, for a text without letters."""
        code, confidence = self.identifier.detect(text)
        tag = norm_lang(code)
        if not tag:
            return self.default_pair[0] or tgt, 0.0
        src = resolve(tag)
        if not same_language(src, tgt) and (src.code, tgt.code) not in self.pairs:
            raise ServeError(400, f"{src} is not supported: the text was detected as {src.name} "
                                  f"(confidence {confidence:.2f}), which this server does not translate into {tgt}")
        return src, confidence

    def suggestions(self) -> SuggestionStore:
        """The suggestions database (opened on first use)."""
        with self._engine_lock:
            if self._suggestions is None:
                self._suggestions = SuggestionStore(self.opts.suggestions_db)
            return self._suggestions

    # ---- work ------------------------------------------------------------------------------------
    def batched(self, cfg: PipelineConfig, deadline: float) -> BatchedResources:
        """``Resources`` for ``pipeline.process`` whose engines go through the shared batcher."""
        return BatchedResources(self.resources_for(cfg), self.engine, self.batcher, deadline)

    async def run(self, fn: Callable[[float, dict[str, Any]], T], timeout: float | None = None) -> T:
        """``fn(deadline, handle)`` on a work thread; ``handle["resources"]`` (set by ``fn``) is
        cancelled when the deadline passes. Limits become ServeErrors (503, 504), newsmt errors
        their status (``error_status``)."""
        timeout = timeout or self.opts.timeout
        deadline = time.monotonic() + timeout
        handle: dict[str, Any] = {}
        fut = asyncio.get_running_loop().run_in_executor(self.work, fn, deadline, handle)
        try:
            return await asyncio.wait_for(asyncio.shield(fut), max(0.001, deadline - time.monotonic()))
        except (TimeoutError, asyncio.TimeoutError):
            raise ServeError(504, f"the request took longer than {timeout:g} s") from None
        except QueueFull as e:
            raise ServeError(503, str(e), {"Retry-After": str(e.retry_after)}, reason="queue_full") from None
        except (Closed, Cancelled) as e:
            raise ServeError(503, str(e) or "the request was cancelled", {"Retry-After": "5"}) from None
        except (InputError, LanguageError, ConfigError) as e:
            raise ServeError(400, str(e)) from None
        finally:
            if not fut.done() and "resources" in handle:
                handle["resources"].cancel()

    async def score(self, src: Language, tgt: Language, sources: list[str],
                    targets: list[str]) -> tuple[str, list[dict[str, Any]]]:
        """(scorer name, ``score.score_pairs`` records): the scorer of ``Resources.scorer``, the one
        ``newsmt score`` and the engine use (single words translated with the pair's own engine)."""
        from ..score import score_pairs

        resources = self.resources_for(self.cfg_for_pair(src.tag, tgt.tag))

        def load() -> tuple[str, Any]:  # every model the scorer uses, on the model thread
            name, scorer = type(resources.scorer(src.tag, tgt.tag)).__name__, resources.pair_scorer(src.tag, tgt.tag)
            if (src.code, tgt.code) in self.pairs:
                scorer.use_forward(self.engine(src.tag, tgt.tag).backend)
            return name, scorer

        try:
            name, scorer = await asyncio.wrap_future(self.models.submit(load))
        except (ImportError, OSError, ModelError, LanguageError) as e:
            raise ServeError(501, f"quality scoring is not available on this server ({type(e).__name__}: {e})") from None
        try:
            records = await asyncio.wait_for(asyncio.get_running_loop().run_in_executor(
                self.scoring, score_pairs, sources, targets, scorer), self.opts.timeout)
        except (TimeoutError, asyncio.TimeoutError):
            raise ServeError(504, f"scoring took longer than {self.opts.timeout:g} s") from None
        return name, records
