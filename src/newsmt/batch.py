"""Batch jobs: inputs -> articles -> ``pipeline.process`` on local workers or Ray -> outdir, resumable.

Layout of an output directory::

    records.jsonl          one aligned record per article (Document JSON), in input order
    errors.jsonl           {"source", "id", "reason"} per article that failed, in input order
    index.jsonl            {"source", "id", "key", "status"} per article, in input order
    manifest.json          settings, models, counts, flag counts
    <id>.<ext>             the per-article outputs of ``output.formats``
    .newsmt/parts/<key>    the finished record of each article: the resume journal

Each article's key is the sha256 of its input document, the output settings, the model revisions
and the newsmt version (canonical JSON). The runner commits an article by writing its outputs, then
its part file, each with an atomic rename; the four files at the top are rebuilt from the parts at
the end, also atomically. So a job killed at any point and run again skips the finished keys, redoes
the rest and ends with the same bytes as an uninterrupted run; a changed article or setting gets a
new key and is redone. Workers only compute; every file is written by this (driver) process.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import multiprocessing
import os
import signal
import sys
import time
from collections import Counter
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import chain, islice
from pathlib import Path
from typing import Any, Iterator

from . import __version__
from .config import PipelineConfig, available_cores
from .document import Document
from .errors import InputError, ModelError, NewsmtError
from .pipeline import Resources, model_ids, process_json, settings
from .progress import progress
from .readers import expand_inputs, iter_path
from .writers import check_formats, safe_filename, write_atomic, write_outputs

PARTS = Path(".newsmt") / "parts"
Task = tuple[int, str]  # (article index, input Document JSON)
Result = tuple[int, dict[str, Any]]  # (article index, pipeline.process_json result)


@dataclass
class Item:
    """One input article (or unreadable input), in input order."""

    source: str
    id: str = ""
    key: str = ""
    error: str = ""


@dataclass
class RunSummary:
    outdir: Path
    done: int = 0  # processed in this run
    skipped: int = 0  # finished by an earlier run (same key)
    failed: int = 0
    seconds: float = 0.0
    sentences: int = 0  # sentences processed in this run
    flags: dict[str, int] = field(default_factory=dict)  # translation flags over all finished articles

    def line(self) -> str:
        rate = self.sentences / self.seconds if self.seconds else 0.0
        flags = ", ".join(f"{k} {v}" for k, v in sorted(self.flags.items())) or "none"
        return (f"done {self.done}, skipped {self.skipped}, failed {self.failed} in {self.seconds:.1f} s "
                f"({self.sentences} sentences, {rate:.1f} sentences/s); flags: {flags}")

    def to_dict(self) -> dict[str, Any]:
        return {**dataclasses.asdict(self), "outdir": str(self.outdir)}


class EventLog:
    """``--log-json``: one JSON object per line on stderr; silent otherwise."""

    def __init__(self, enabled: bool) -> None:
        self.enabled, self.t0 = enabled, time.perf_counter()

    def __call__(self, event: str, **fields: Any) -> None:
        if self.enabled:
            rec = {"event": event, "t": round(time.perf_counter() - self.t0, 3), **fields}
            print(json.dumps(rec, ensure_ascii=False), file=sys.stderr, flush=True)


# -- keys and files ----------------------------------------------------------------------------
def canonical(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def article_key(doc: Document, run_settings: dict[str, Any], models: dict[str, str]) -> str:
    """sha256 over the input document, output settings, model revisions and newsmt version."""
    payload = {"doc": doc.to_dict(), "settings": run_settings, "models": models, "newsmt": __version__}
    return hashlib.sha256(canonical(payload).encode("utf-8")).hexdigest()


def part_path(outdir: Path, key: str) -> Path:
    return outdir / PARTS / key[:2] / f"{key}.json"


@contextmanager
def atomic_lines(path: Path) -> Iterator[Any]:
    """Stream lines to a temp file beside ``path``; rename it over ``path`` only when complete."""
    tmp = path.with_name(f".{path.name}.stream.tmp")  # the ".<name>.*.tmp" of writers.write_atomic
    with tmp.open("w", encoding="utf-8", newline="\n") as f:
        yield f
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def _remove_temp_files(outdir: Path) -> None:
    """Drop what a killed run left half-written (its final names were never created)."""
    for p in chain(outdir.glob(".*.tmp"), (outdir / PARTS).glob("*/.*.tmp")):
        p.unlink(missing_ok=True)


# -- reading -----------------------------------------------------------------------------------
def scan(inputs: list[str], cfg: PipelineConfig, outdir: Path,
         models: dict[str, dict[str, str]]) -> Iterator[tuple[Item, Document | None]]:
    """Every input article in order, with its key; the Document only when it still needs work.

    ``models`` collects the model ids per source language (resolved once, before any work).
    """
    run_settings = settings(cfg)
    ids: set[str] = set()
    out = outdir.resolve()
    for path in expand_inputs(inputs):
        if out in path.resolve().parents:
            continue  # never read our own outputs back
        for doc in iter_path(path, cfg.input.format, cfg.segment.lang, cfg.input):
            if isinstance(doc, InputError):
                yield Item(str(path), error=str(doc)), None
                continue
            doc.id = _unique(doc.id, ids)
            item = Item(doc.meta.get("source", str(path)), doc.id)
            if len(doc.text) > cfg.run.max_chars:
                item.error = (f"article has {len(doc.text)} characters, over run.max_chars="
                              f"{cfg.run.max_chars} (raise it with --set run.max_chars=N)")
                yield item, None
                continue
            if doc.lang not in models:
                models[doc.lang] = model_ids(cfg, doc.lang)
            item.key = article_key(doc, run_settings, models[doc.lang])
            yield item, (None if part_path(outdir, item.key).is_file() else doc)


def _unique(doc_id: str, seen: set[str]) -> str:
    """The id, or ``id-2``, ``id-3``... when an earlier article's output files have its name."""
    candidate, n = doc_id, 1
    while safe_filename(candidate) in seen:
        n += 1
        candidate = f"{doc_id}-{n}"
    seen.add(safe_filename(candidate))
    return candidate


# -- local workers -----------------------------------------------------------------------------
def machine_plan(workers: int, threads: int, jobs: int, cpus: int) -> tuple[int, int]:
    """Workers and threads per worker; 0 = fill ``cpus``, never more workers than ``jobs`` waiting."""
    workers = workers or max(1, min(jobs, cpus // (threads or 1)))
    return workers, threads or max(1, cpus // workers)


def with_threads(cfg: PipelineConfig, threads: int) -> PipelineConfig:
    """The config a worker runs with: the translation backend's threads set unless fixed already."""
    if cfg.translate.threads:
        return cfg
    return dataclasses.replace(cfg, translate=dataclasses.replace(cfg.translate, threads=threads))


_WORKER: tuple[PipelineConfig, Resources] | None = None


def _init_worker(cfg: PipelineConfig, threads: int) -> None:
    """Worker start: die with the driver, leave Ctrl-C to it, cap math threads, load lazily."""
    global _WORKER
    if sys.platform.startswith("linux"):
        import ctypes

        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG: no orphans after a kill -9
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        os.environ[var] = str(threads)
    _WORKER = (cfg, Resources.load(cfg))


def _work(task: Task) -> Result:
    assert _WORKER is not None
    index, doc_json = task
    return index, process_json(doc_json, *_WORKER)


def execute_local(tasks: Iterator[Task], cfg: PipelineConfig) -> Iterator[Result]:
    """Results of ``tasks`` in completion order: in this process for one worker, else a spawn pool
    keeping at most two tasks per worker in flight (inputs are streamed, never loaded whole)."""
    head = list(islice(tasks, cfg.run.workers or available_cores()))
    workers, threads = machine_plan(cfg.run.workers, cfg.run.threads, len(head), available_cores())
    cfg = with_threads(cfg, threads)
    tasks = chain(head, tasks)
    if workers == 1:
        resources = Resources.load(cfg)
        yield from ((i, process_json(d, cfg, resources)) for i, d in tasks)
        return
    pool = ProcessPoolExecutor(workers, multiprocessing.get_context("spawn"), _init_worker, (cfg, threads))
    running: set[Future[Result]] = set()
    try:
        for task in chain(tasks, [None]):
            if task is not None:
                running.add(pool.submit(_work, task))
            while running and (task is None or len(running) >= 2 * workers):
                done, running = wait(running, return_when=FIRST_COMPLETED)
                yield from (f.result() for f in done)
    except BrokenProcessPool:
        raise NewsmtError("a worker process died (out of memory? from Python: newsmt.run called outside "
                          "`if __name__ == '__main__':`); finished articles are kept: run again to resume, "
                          "with fewer --workers if memory is short") from None
    finally:
        pool.shutdown(cancel_futures=True)


# -- the job -----------------------------------------------------------------------------------
def run_batch(inputs: list[str], cfg: PipelineConfig, outdir: Path) -> RunSummary:
    """Run a job (see the module docstring); ``cfg.run`` says how. Returns counts and rates."""
    t0 = time.perf_counter()
    check_formats(cfg.output.formats)
    outdir.mkdir(parents=True, exist_ok=True)
    _remove_temp_files(outdir)
    log = EventLog(cfg.run.log_json)
    log("run_start", inputs=inputs, outdir=str(outdir), engine=cfg.run.engine)
    summary = RunSummary(outdir)
    items: list[Item] = []
    models: dict[str, dict[str, str]] = {}
    with progress("articles", total=0, enabled=False if cfg.run.log_json else None) as bar:

        def tasks() -> Iterator[Task]:
            for item, doc in scan(inputs, cfg, outdir, models):
                items.append(item)
                bar.add_total(1)
                if doc is not None:
                    yield len(items) - 1, doc.to_json()
                    continue
                if item.error:
                    summary.failed += 1
                    log("article_failed", source=item.source, id=item.id, reason=item.error)
                else:
                    summary.skipped += 1
                    log("article_skipped", source=item.source, id=item.id, key=item.key)
                bar.advance(1)

        for index, result in _execute(tasks(), cfg):
            item = items[index]
            if "fatal" in result:
                raise ModelError(result["fatal"])
            if "error" in result:
                item.error = result["error"]
                summary.failed += 1
                log("article_failed", source=item.source, id=item.id, reason=item.error)
            else:
                _commit(outdir, item, result["record"], cfg.output.formats)
                summary.done += 1
                summary.sentences += result["sentences"]
                log("article_done", source=item.source, id=item.id, key=item.key,
                    sentences=result["sentences"], timings=result["timings"])
            bar.advance(1, description=f"articles ({summary.sentences} sentences)")
    summary.flags = _finish(outdir, items, cfg, models)
    summary.seconds = round(time.perf_counter() - t0, 3)
    log("run_done", **summary.to_dict())
    return summary


def _execute(tasks: Iterator[Task], cfg: PipelineConfig) -> Iterator[Result]:
    if cfg.run.engine == "ray":
        from .ray_engine import execute_ray

        return execute_ray(tasks, cfg)
    return execute_local(tasks, cfg)


def _commit(outdir: Path, item: Item, record: str, formats: list[str]) -> None:
    """Outputs first, then the part file: a part file means the article is complete on disk."""
    write_outputs(Document.from_json(record), outdir, formats)
    part = part_path(outdir, item.key)
    part.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(part, record + "\n")


def _finish(outdir: Path, items: list[Item], cfg: PipelineConfig, models: dict[str, dict[str, str]]) -> dict[str, int]:
    """Rebuild records, errors, index and manifest from the parts, in input order; flag counts."""
    flags: Counter[str] = Counter()
    with atomic_lines(outdir / "records.jsonl") as records, atomic_lines(outdir / "index.jsonl") as index:
        for item in items:
            status = "failed" if item.error else "done"
            index.write(canonical({"source": item.source, "id": item.id, "key": item.key, "status": status}) + "\n")
            if item.error:
                continue
            record = part_path(outdir, item.key).read_text(encoding="utf-8")
            records.write(record)
            flags.update(f for t in json.loads(record)["translations"].values() for f in t["flags"])
    with atomic_lines(outdir / "errors.jsonl") as errors:
        errors.writelines(canonical({"source": i.source, "id": i.id, "reason": i.error}) + "\n"
                          for i in items if i.error)
    failed = sum(1 for i in items if i.error)
    manifest = {"newsmt": __version__, "settings": settings(cfg), "models": models, "articles": len(items),
                "done": len(items) - failed, "failed": failed, "flags": dict(sorted(flags.items())),
                "files": ["records.jsonl", "errors.jsonl", "index.jsonl"]}
    write_atomic(outdir / "manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n")
    return dict(sorted(flags.items()))


