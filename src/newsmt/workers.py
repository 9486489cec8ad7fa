"""Batch workers: each takes a group of input items, reads and writes it into the group's shard and
answers with a small acknowledgement; in the driver's process, in a pool of spawned processes, or
in Ray actors (``ray_engine``), all behind one ``Engine`` interface.

A worker reads the group's items (``sources.read_raw``), settles each article's id and duplicate
(``plan.Resolver``: its own, or the driver's decisions), computes its content key, takes the
finished record of that key from any shard an earlier run left (re-stamped with the article's id
and source) or else runs ``pipeline.process``; then it writes the shard (``shards.write_shard``:
one fsync) and, with ``run.files``, each article's files of ``output.formats``. ``machine_plan``
and ``with_threads`` split the cores between workers and translation threads, here and on Ray.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import multiprocessing
import os
import signal
import sys
from collections import Counter, deque
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any, NamedTuple, Protocol

from . import __version__
from .config import PipelineConfig, available_cores
from .document import Document, canonical
from .errors import InputError, ModelError, NewsmtError
from .journal import RecordFinder, ScratchView
from .languages.identify import LanguageIdentifier
from .pipeline import ModelIds, Resources, process_record
from .plan import GroupTask, Resolver, Seen, body_digest, detach
from .shards import write_shard
from .sources import read_raw
from .writers import write_outputs

# {"g", "shard": {name, sha256, bytes, records}, "articles": [Article...], "flags", "models"} | {"g", "fatal"} | {"g", "error"}
Ack = dict[str, Any]


class Article(NamedTuple):
    """What an acknowledgement says of one article (or unreadable item), in input order."""

    source: str
    candidate: str  # the id as read ("" for an unreadable item)
    digest: bytes  # the body digest (b"": none)
    id: str  # as settled, with duplicate_of
    duplicate_of: str
    key: str
    status: str  # "done", "failed", "duplicate"
    line: int  # in the shard (-1: none)
    reason: str
    sentences: int = 0
    reused: bool = False  # the record of an earlier shard
    timings: dict[str, float] | None = None


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
        self.settled = ScratchView(outdir)
        self.identifier = LanguageIdentifier()  # loads only when an article's language is detected
        self.model_ids = ModelIds(cfg)

    def __call__(self, task: GroupTask) -> Ack:
        """Read, settle, process and write the group (see the module docstring)."""
        docs = [d for raw in task.raws for d in read_raw(raw, self.cfg.input, self.cfg.segment.lang, self.identifier)]
        decisions = iter(task.decisions) if task.decisions is not None else None
        resolver = Resolver(Seen(self.settled))
        todo: list[tuple[Document | InputError, str, bytes, str, str]] = []  # candidate, digest, duplicate_of, reason
        for doc in docs:
            if isinstance(doc, InputError):
                todo.append((doc, "", b"", "", str(doc)))
                continue
            candidate, reason = doc.id, ""
            if len(doc.text) > self.cfg.run.max_chars:
                reason = (f"article has {len(doc.text)} characters, over run.max_chars={self.cfg.run.max_chars} "
                          "(raise it with --set run.max_chars=N)")
            digest = b"" if reason else body_digest(doc)
            doc.id, duplicate_of = next(decisions) if decisions is not None else resolver.decide(candidate, digest)
            if not reason and not duplicate_of:
                try:
                    reason = self._model_error(doc)
                except ModelError as e:
                    return {"g": task.g, "fatal": str(e)}
            todo.append((doc, candidate, digest, duplicate_of, reason))
        keyed = [d for d, _, _, dup, reason in todo if isinstance(d, Document) and not dup and not reason]
        models = {d.lang: self.model_ids(d.lang) for d in keyed}  # resolved: their ids
        heads = {lang: key_head(self.cfg.settings, m) for lang, m in models.items()}
        keys = {id(d): article_key(detach(d), heads[d.lang]) for d in keyed}
        found = self.finder.find(list(keys.values()))
        lines: list[str] = []
        articles: list[Article] = []
        flags: Counter[str] = Counter()
        for doc, candidate, digest, duplicate_of, reason in todo:
            if isinstance(doc, InputError):
                articles.append(Article(doc.source, "", b"", "", "", "", "failed", -1, reason))
                continue
            base = (doc.meta.get("source", doc.id), candidate, digest, doc.id, duplicate_of)
            if reason:
                articles.append(Article(*base, "", "failed", -1, reason))
                continue
            key = keys.get(id(doc), "")
            result = self._record(doc, duplicate_of, key, found.get(key))
            if "fatal" in result:
                return {"g": task.g, "fatal": result["fatal"]}
            if "error" in result:
                articles.append(Article(*base, result["key"], "failed", -1, result["error"]))
                continue
            done = result["doc"]
            flags.update([f for t in done.translations.values() for f in t.flags] + done.meta.get("flags", []))
            if self.cfg.run.files and task.decisions is not None:  # named as the driver settled
                write_outputs(done, self.outdir, self.cfg.output.formats)
            articles.append(Article(*base, result["key"], "duplicate" if duplicate_of else "done", len(lines), "",
                                    result.get("sentences", 0), result["reused"], result.get("timings", {})))
            lines.append(result["record"])
        name, sha, size = write_shard(self.outdir, task.g, lines)
        shard = {"name": name, "sha256": sha, "bytes": size, "records": len(lines)}
        return {"g": task.g, "shard": shard, "articles": articles, "flags": dict(flags), "models": models}

    def _model_error(self, doc: Document) -> str:
        """Why ``doc`` cannot be processed for want of a model ("" when its models resolve);
        raises the ModelError when that ends the job (a language asked for, not detected)."""
        found = self.model_ids(doc.lang)
        if isinstance(found, dict):
            return ""
        if isinstance(found, ModelError) and "lang_detected" not in doc.meta:
            raise found
        return f"language {doc.lang!r}: {found}"

    def close(self) -> None:
        self.resources.close()
        self.finder.close()
        self.settled.close()
        self.identifier.close()

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


class Engine(Protocol):
    """Where groups are written: ``slots`` groups in flight at most, acknowledgements in completion order."""

    slots: int

    def submit(self, task: GroupTask) -> None: ...

    def next(self) -> Ack: ...

    def close(self) -> None: ...


class InProcess:
    """One worker: the driver's own process, a group at a time."""

    slots = 1

    def __init__(self, cfg: PipelineConfig, outdir: Path) -> None:
        self.writer, self.waiting = GroupWriter(cfg, outdir), deque[GroupTask]()

    def submit(self, task: GroupTask) -> None:
        self.waiting.append(task)

    def next(self) -> Ack:
        return guarded(self.writer, self.waiting.popleft())

    def close(self) -> None:
        self.writer.close()


class Pool:
    """Spawned worker processes, two groups in flight per worker."""

    def __init__(self, cfg: PipelineConfig, outdir: Path, workers: int, threads: int) -> None:
        self.pool = ProcessPoolExecutor(workers, multiprocessing.get_context("spawn"), _init_worker, (cfg, outdir, threads))
        self.slots, self.running, self.done = 2 * workers, set[Future[Ack]](), deque[Future[Ack]]()

    def submit(self, task: GroupTask) -> None:
        self.running.add(self.pool.submit(_work, task))

    def next(self) -> Ack:
        if not self.done:
            finished, self.running = wait(self.running, return_when=FIRST_COMPLETED)
            self.done.extend(finished)
        try:
            return self.done.popleft().result()
        except BrokenProcessPool:
            raise NewsmtError("a worker process died (out of memory? from Python: newsmt.run called outside "
                              "`if __name__ == '__main__':`); finished groups are kept: run again to resume, "
                              "with fewer --workers if memory is short") from None

    def close(self) -> None:
        self.pool.shutdown(cancel_futures=True)


def local_engine(cfg: PipelineConfig, outdir: Path, jobs: int) -> Engine:
    """The local engine for ``jobs`` groups known so far: this process for one worker, else a pool."""
    workers, threads = machine_plan(cfg.run.workers, cfg.run.threads, jobs, available_cores())
    cfg = with_threads(cfg, threads)
    return InProcess(cfg, outdir) if workers == 1 else Pool(cfg, outdir, workers, threads)
