"""Batch workers: each takes a group of articles, writes the group's shard and answers with a small
acknowledgement; here in this process or in a pool of spawned processes (Ray: ``ray_engine``).

For each article a worker computes its content key, takes the finished record of that key from
any shard an earlier run left (re-stamped with the article's id and source) or else runs
``pipeline.process``; then it writes the shard (``shards.write_shard``: one fsync) and, with
``run.files``, each article's files of ``output.formats``. ``machine_plan`` and ``with_threads``
split the cores between workers and translation threads, here and on Ray.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import multiprocessing
import os
import signal
import sys
from collections import Counter
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from itertools import chain, islice
from pathlib import Path
from typing import Any, Iterator

from . import __version__
from .config import PipelineConfig, available_cores
from .document import Document, canonical
from .errors import NewsmtError
from .journal import RecordFinder
from .pipeline import Resources, process_record
from .plan import GroupTask, attach
from .shards import write_shard
from .writers import write_outputs

Ack = dict[str, Any]  # {"g", "shard": {name, sha256, bytes, records}, "articles": [...], "flags"} | {"g", "fatal"}


def machine_plan(workers: int, threads: int, jobs: int, cpus: int) -> tuple[int, int]:
    """Workers and threads per worker; 0 = fill ``cpus``, never more workers than ``jobs`` waiting."""
    workers = workers or max(1, min(jobs, cpus // (threads or 1)))
    return workers, threads or max(1, cpus // workers)


def with_threads(cfg: PipelineConfig, threads: int) -> PipelineConfig:
    """The config a worker runs with: the translation backend's threads set unless fixed already."""
    if cfg.translate.threads:
        return cfg
    return dataclasses.replace(cfg, translate=dataclasses.replace(cfg.translate, threads=threads))


def key_head(run_settings: dict[str, Any], models: dict[str, str]) -> bytes:
    """What decides an article's record besides its content: output settings, model revisions,
    newsmt version."""
    return canonical({"settings": run_settings, "models": models, "newsmt": __version__}).encode("utf-8")


def article_key(content: bytes, head: bytes) -> str:
    """sha256 over ``head`` (``key_head``) and the article's content as ``plan.detach`` gives it
    (no id, no source): the same article read from a renamed file or another line has the same key."""
    return hashlib.sha256(head + b"\0" + content).hexdigest()


def stamp(record: str, doc: Document) -> tuple[str, dict[str, Any]]:
    """A finished record with the id and source of ``doc`` (they differ after a rename): the line
    (``record`` itself when nothing changed) and its parsed form."""
    d = json.loads(record)
    source = doc.meta.get("source", doc.id)
    if d["id"] == doc.id and d["meta"].get("source", source) == source:
        return record, d
    d["id"] = doc.id
    if "source" in d["meta"]:
        d["meta"]["source"] = source
    return canonical(d), d


class GroupWriter:
    """One worker's state: the config, the models (loaded on first use), the record finder."""

    def __init__(self, cfg: PipelineConfig, outdir: Path) -> None:
        self.cfg, self.outdir = cfg, outdir
        self.resources = Resources.load(cfg)
        self.finder = RecordFinder(outdir)

    def __call__(self, task: GroupTask) -> Ack:
        """Write the group's shard (and files); the acknowledgement lists each article's key,
        status ("done", "failed", "duplicate"), line in the shard (-1: none), reason, sentences,
        whether its record was reused, timings."""
        lines: list[str] = []
        articles: list[tuple[str, str, int, str, int, bool, dict[str, float]]] = []
        flags: Counter[str] = Counter()
        heads = {lang: key_head(self.cfg.settings, m) for lang, m in task.models.items()}
        todo = []
        for blob, doc_id, source, slot, duplicate_of in task.articles:
            doc = attach(blob, doc_id, source, slot)
            todo.append((doc, duplicate_of, "" if duplicate_of else article_key(blob, heads[doc.lang])))
        found = self.finder.find([key for _, _, key in todo if key])
        for doc, duplicate_of, key in todo:
            result = self._record(doc, duplicate_of, key, found.get(key))
            if "fatal" in result:
                return {"g": task.g, "fatal": result["fatal"]}
            if "error" in result:
                articles.append((result["key"], "failed", -1, result["error"], 0, False, {}))
                continue
            done = result["doc"]
            flags.update([f for t in done.translations.values() for f in t.flags] + done.meta.get("flags", []))
            if self.cfg.run.files:
                write_outputs(done, self.outdir, self.cfg.output.formats)
            status = "duplicate" if duplicate_of else "done"
            articles.append((result["key"], status, len(lines), "", result.get("sentences", 0), result["reused"],
                             result.get("timings", {})))
            lines.append(result["record"])
        name, digest, size = write_shard(self.outdir, task.g, lines)
        shard = {"name": name, "sha256": digest, "bytes": size, "records": len(lines)}
        return {"g": task.g, "shard": shard, "articles": articles, "flags": dict(flags)}

    def close(self) -> None:
        self.resources.close()
        self.finder.close()

    def _record(self, doc: Document, duplicate_of: str, key: str, found: str | None) -> dict[str, Any]:
        """``key`` and either ``record`` with its ``doc`` or ``error`` (or ``fatal``); ``found``: the
        finished record of ``key`` an earlier run left."""
        if duplicate_of:  # not processed: the article as read, pointing to the first one
            doc.provenance = {"duplicate_of": duplicate_of, "newsmt": __version__}
            record = doc.to_json()
            return {"key": hashlib.sha256(record.encode("utf-8")).hexdigest(), "record": record, "doc": doc,
                    "reused": False}
        if found is not None:
            record, parsed = stamp(found, doc)
            return {"key": key, "record": record, "doc": Document.from_dict(parsed), "reused": True}
        return {**process_record(doc, self.cfg, self.resources), "key": key, "reused": False}


_WORKER: GroupWriter | None = None


def _init_worker(cfg: PipelineConfig, outdir: Path, threads: int) -> None:
    """Worker start: die with the driver, leave Ctrl-C to it, cap math threads, load lazily."""
    global _WORKER
    if sys.platform.startswith("linux"):
        import ctypes

        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG: no orphans after a kill -9
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        os.environ[var] = str(threads)
    _WORKER = GroupWriter(cfg, outdir)


def _work(task: GroupTask) -> Ack:
    assert _WORKER is not None
    return guarded(_WORKER, task)


def guarded(writer: GroupWriter, task: GroupTask) -> Ack:
    """The group written, or an acknowledgement naming why it could not be (a full disk...)."""
    try:
        return writer(task)
    except OSError as e:
        return {"g": task.g, "error": f"cannot write the shard of group {task.g}: {e.strerror or e}"}


def execute_local(tasks: Iterator[GroupTask], cfg: PipelineConfig, outdir: Path) -> Iterator[Ack]:
    """Acknowledgements of ``tasks`` in completion order: in this process for one worker, else a
    spawn pool keeping at most two groups per worker in flight (inputs are streamed)."""
    head = list(islice(tasks, cfg.run.workers or available_cores()))
    workers, threads = machine_plan(cfg.run.workers, cfg.run.threads, len(head), available_cores())
    cfg = with_threads(cfg, threads)
    tasks = chain(head, tasks)
    if workers == 1:
        writer = GroupWriter(cfg, outdir)
        try:
            yield from (guarded(writer, t) for t in tasks)
        finally:
            writer.close()
        return
    pool = ProcessPoolExecutor(workers, multiprocessing.get_context("spawn"), _init_worker, (cfg, outdir, threads))
    running: set[Future[Ack]] = set()
    try:
        for task in chain(tasks, [None]):
            if task is not None:
                running.add(pool.submit(_work, task))
            while running and (task is None or len(running) >= 2 * workers):
                done, running = wait(running, return_when=FIRST_COMPLETED)
                yield from (f.result() for f in done)
    except BrokenProcessPool:
        raise NewsmtError("a worker process died (out of memory? from Python: newsmt.run called outside "
                          "`if __name__ == '__main__':`); finished groups are kept: run again to resume, "
                          "with fewer --workers if memory is short") from None
    finally:
        pool.shutdown(cancel_futures=True)
