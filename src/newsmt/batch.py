"""Batch jobs: inputs -> articles -> ``pipeline.process`` on local workers or Ray -> shards, resumable.

Layout of an output directory::

    records/part-<group>-<hash>.jsonl.zst  the finished records (Document JSON) of each group of
                                           ``run.shard_size`` input items, in input order (``shards``)
    errors.jsonl           {"source", "id", "reason"} per article that failed, in input order
    manifest.json          settings, models, counts, flag counts, every shard with its sha256
    .newsmt/index.sqlite   id and content key -> shard and line; the journal of group commits
    .newsmt/lock           held while a job runs: a second job on the folder stops at once

    with ``run.files`` (``--files``, for small jobs), also:
    records.jsonl          every record, in input order
    index.jsonl            {"source", "id", "key", "status"} per article, in input order
    <id>.<ext>             the per-article outputs of ``output.formats``

The driver (this module) cuts the inputs into groups of items, not read (``plan``); workers
(``workers``, or Ray actors: ``ray_engine``) read and process each group and write its shard, one
fsync per group, and answer with a small acknowledgement. The driver settles each group's ids and
duplicates in input order and commits it to the index (``journal``).
At the end the driver writes errors.jsonl, the views and the manifest atomically and removes the
shards no group of this job uses. Each article's key is the sha256 of its content, settings, models
and newsmt version, never where it was read: a rerun sends only the groups whose articles changed,
and a worker reuses the record of every key a shard already holds. So a job killed at any point
and run again redoes at most the groups that were not committed and ends with the same bytes.
"""
from __future__ import annotations

import dataclasses
import json
import os
import sys
import time
from collections import deque
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any, Iterator

from . import __version__
from .config import PipelineConfig, available_cores
from .document import canonical
from .errors import LanguageError, ModelError, NewsmtError, OutputError
from .fileio import open_atomic, write_atomic
from .journal import Journal, Row, Scratch
from .pipeline import model_ids
from .plan import Group, GroupTask, Resolver, inputs_digest, plan
from .progress import progress
from .shards import SHARDS, prune_shards, read_lines, remove_temp_files
from .workers import Ack, Engine, local_engine
from .writers import check_formats

TEXT = {"encoding": "utf-8", "newline": "\n", "perms": 0o644}
VIEWS = ("records.jsonl", "index.jsonl")  # written with run.files only


@dataclass
class RunSummary:
    outdir: Path
    done: int = 0  # processed in this run
    skipped: int = 0  # finished by an earlier run (same key): reused, not processed
    failed: int = 0
    duplicates: int = 0  # same body as an earlier article of the job: not processed again
    seconds: float = 0.0
    sentences: int = 0  # sentences processed in this run
    flags: dict[str, int] = field(default_factory=dict)  # sentence and article flags over all finished articles

    def line(self) -> str:
        rate = self.sentences / self.seconds if self.seconds else 0.0
        flags = ", ".join(f"{k} {v}" for k, v in sorted(self.flags.items())) or "none"
        dup = f", duplicates {self.duplicates}" if self.duplicates else ""
        return (f"done {self.done}, skipped {self.skipped}, failed {self.failed}{dup} in {self.seconds:.1f} s "
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


@contextmanager
def locked(outdir: Path) -> Iterator[None]:
    """Hold ``outdir/.newsmt/lock`` for the job; OutputError at once when another job holds it."""
    import fcntl

    lock = outdir / ".newsmt" / "lock"
    lock.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "?"
            raise OutputError(f"{outdir} is in use by another newsmt run (pid {holder}); wait for it to "
                              "finish or choose another --outdir") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        try:
            yield
        finally:
            os.ftruncate(fd, 0)  # a finished job leaves the same bytes whoever ran it
    finally:
        os.close(fd)


# -- the job -----------------------------------------------------------------------------------
def run_batch(inputs: list[str], cfg: PipelineConfig, outdir: Path) -> RunSummary:
    """Run a job (see the module docstring); ``cfg.run`` says how. Returns counts and rates."""
    t0 = time.perf_counter()
    check_formats(cfg.output.formats)
    prepare_outdir(outdir)
    with locked(outdir):
        return _run_locked(inputs, cfg, outdir, t0)


def prepare_outdir(outdir: Path) -> None:
    """Create the output folder; OutputError when it is a file or cannot be created or written."""
    if outdir.exists() and not outdir.is_dir():
        raise OutputError(f"{outdir}: exists and is not a folder; choose a folder for the outputs")
    try:
        outdir.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise OutputError(f"{outdir}: cannot create the output folder ({e.strerror})") from None
    if not os.access(outdir, os.W_OK | os.X_OK):
        raise OutputError(f"{outdir}: the output folder is not writable")


def _run_locked(inputs: list[str], cfg: PipelineConfig, outdir: Path, t0: float) -> RunSummary:
    remove_temp_files(outdir)
    log = EventLog(cfg.run.log_json)
    log("run_start", inputs=inputs, outdir=str(outdir), engine=cfg.run.engine)
    summary = RunSummary(outdir)
    journal = Journal(outdir)
    try:
        digest = inputs_digest(inputs, cfg, outdir)
        if digest and _unchanged(journal, digest, cfg, outdir):
            summary.flags = _counted(journal, summary)
        else:
            journal.set("finished", "")  # from here on the folder is being changed
            models: dict[str, dict[str, str]] = {}
            summary.flags = _finish(outdir, cfg, journal, models, _work(inputs, cfg, outdir, journal, summary, models, log))
            if digest and journal.clean():
                journal.set("finished", digest)
                journal.set("models", canonical(models))
    finally:
        journal.close()
    summary.seconds = round(time.perf_counter() - t0, 3)
    log("run_done", **summary.to_dict())
    return summary


def _unchanged(journal: Journal, digest: str, cfg: PipelineConfig, outdir: Path) -> bool:
    """Whether the last complete run had these inputs and settings and the same models still
    resolve (nothing to do), and its outputs are all there."""
    if journal.get("finished") != digest:
        return False
    try:
        models = {lang: model_ids(cfg, lang) for lang in json.loads(journal.get("models"))}
        manifest = json.loads((outdir / "manifest.json").read_text(encoding="utf-8"))
        files = [s["name"] for s in manifest["shards"]] + manifest["files"]
    except (NewsmtError, OSError, ValueError, KeyError, TypeError):  # a model gone, a manifest edited
        return False
    return canonical(models) == journal.get("models") and all((outdir / f).is_file() for f in files)


def _counted(journal: Journal, summary: RunSummary) -> dict[str, int]:
    """A finished job's counts (every article skipped) and flags."""
    counts = journal.counts(journal.groups())
    summary.skipped, summary.duplicates, summary.failed = (counts.get("done", 0), counts.get("duplicate", 0),
                                                           counts.get("failed", 0))
    return journal.flags(journal.groups())


def _work(inputs: list[str], cfg: PipelineConfig, outdir: Path, journal: Journal, summary: RunSummary,
          models: dict[str, dict[str, str]], log: EventLog) -> int:
    """Plan the groups, have the workers write those not committed already, settle and commit
    them in input order; returns the number of groups."""
    scratch = Scratch(outdir)
    try:
        with progress("articles", total=0, enabled=False if cfg.run.log_json else None) as bar:
            driver = _Driver(cfg, outdir, journal, Resolver(scratch), summary, models, log, bar)
            try:
                return driver.run(inputs)
            finally:
                driver.close()
    finally:
        scratch.close()


@dataclass
class _Pending:
    group: Group
    kept: dict[str, dict[str, str]] | None  # its models, when an earlier run committed it with the same
    ack: Ack | None = None                  # fingerprint and they still resolve the same


class _Driver:
    """The driver's loop: groups go to the engine as they are planned (at most its ``slots`` in
    flight); each is settled in input order (``plan.Resolver``) and committed, or sent again with
    the driver's decisions where the worker's differ (see ``plan``). With ``run.files`` every group
    is sent again: a worker writes an article's files only under its settled id."""

    def __init__(self, cfg: PipelineConfig, outdir: Path, journal: Journal, resolver: Resolver, summary: RunSummary,
                 models: dict[str, dict[str, str]], log: EventLog, bar: Any) -> None:
        self.cfg, self.outdir, self.journal, self.resolver = cfg, outdir, journal, resolver
        self.summary, self.models, self.log, self.bar = summary, models, log, bar
        self.queue: deque[_Pending] = deque()  # planned, not settled, in input order
        self.by_g: dict[int, _Pending] = {}
        # settled, sent again with the driver's decisions; with what the first writing processed
        self.fixing: dict[int, tuple[Group, dict[str, tuple[int, dict[str, float]]]]] = {}
        self.engine: Engine | None = None
        self.in_flight = 0
        self.resolved: dict[str, dict[str, str] | None] = {}  # model ids of a language now (None: none)

    def run(self, inputs: list[str]) -> int:
        groups = plan(inputs, self.cfg, self.outdir)
        ahead = deque(islice(groups, available_cores()))  # how many groups a small job has: its worker count
        planned, more = 0, True
        while True:
            slots = self.engine.slots if self.engine else 2 * available_cores()
            while more and self.in_flight < slots and len(self.queue) < 2 * slots:
                group = ahead.popleft() if ahead else next(groups, None)
                if group is None:
                    more = False
                    break
                planned += 1
                self._plan(group, len(ahead))
            self._settle()
            if not self.in_flight:
                if more:  # only kept groups so far: plan on
                    continue
                return planned
            self._receive(self._engine(0).next())

    def close(self) -> None:
        if self.engine is not None:
            self.engine.close()

    def _engine(self, waiting: int) -> Engine:
        if self.engine is None:
            if self.cfg.segment.lang != "auto":
                self._model_ids(self.cfg.segment.lang, strict=True)  # a model missing: said before any worker starts
            if self.cfg.run.engine == "ray":
                from .ray_engine import RayEngine

                self.engine = RayEngine(self.cfg, self.outdir)
            else:
                self.engine = local_engine(self.cfg, self.outdir, 1 + waiting)
        return self.engine

    def _submit(self, task: GroupTask, waiting: int = 0) -> None:
        self._engine(waiting).submit(task)
        self.in_flight += 1

    def _plan(self, group: Group, waiting: int) -> None:
        self.bar.add_total(len(group.raws))
        kept = self.journal.finished(group.g, group.fingerprint)
        if kept is not None and not ((self.outdir / SHARDS / kept[0]).is_file()
                                     and all(self._model_ids(lang) == ids for lang, ids in kept[1].items())):
            kept = None
        pending = _Pending(group, kept[1] if kept else None)
        self.queue.append(pending)
        self.by_g[group.g] = pending
        if kept is None:
            self._submit(group.task(), waiting)

    def _model_ids(self, lang: str, strict: bool = False) -> dict[str, str] | None:
        """The model ids of ``lang`` now (None: a model is missing; ``strict``: raise its ModelError)."""
        if lang not in self.resolved:
            try:
                self.resolved[lang] = model_ids(self.cfg, lang)
            except (LanguageError, ModelError) as e:
                self.resolved[lang] = None
                if strict and isinstance(e, ModelError):
                    raise
        return self.resolved[lang]

    def _settle(self) -> None:
        """Settle the groups at the head of the queue whose articles are known."""
        while self.queue and (self.queue[0].kept is not None or self.queue[0].ack is not None):
            pending = self.queue.popleft()
            group, fresh = pending.group, {}
            del self.by_g[group.g]
            if pending.kept is not None:
                rows = self.journal.rows(group.g)
                decisions = [self.resolver.decide(r[9], r[10]) for r in rows if r[9]]
                if decisions == [(r[2], r[11]) for r in rows if r[9]]:
                    self.models.update(pending.kept)
                    self._count_kept(group, rows)
                    continue
            else:
                ack = pending.ack
                assert ack is not None
                written = [a for a in ack["articles"] if a[1]]
                decisions = [self.resolver.decide(a[1], a[2]) for a in written]
                if decisions == [(a[3], a[4]) for a in written] and not self.cfg.run.files:
                    self._commit(group, {}, ack)
                    continue
                self.journal.offer(ack["shard"]["name"], [(a[5], a[7]) for a in written if a[7] >= 0])
                fresh = {a[5]: (a[9], a[11]) for a in written if a[6] == "done" and not a[10]}
            self.fixing[group.g] = (group, fresh)
            self._submit(group.task(decisions))

    def _receive(self, ack: Ack) -> None:
        self.in_flight -= 1
        if "fatal" in ack:
            raise ModelError(ack["fatal"])
        if "error" in ack:
            raise OutputError(f"{ack['error']}; finished groups are kept: run again to resume")
        if ack["g"] in self.fixing:
            self._commit(*self.fixing.pop(ack["g"]), ack)
        else:
            self.by_g[ack["g"]].ack = ack

    def _commit(self, group: Group, fresh: dict[str, tuple[int, dict[str, float]]], ack: Ack) -> None:
        """Commit a written group; ``fresh``: the articles this run processed for it before it was
        written again (reused there, but done by this run)."""
        self.models.update(ack["models"])
        rows = _rows(group.g, ack, self.summary, self.log, fresh)
        self.journal.commit(group.g, group.fingerprint, ack["shard"], rows, ack["flags"], ack["models"])
        self.bar.advance(len(group.raws), description=f"articles ({self.summary.sentences} sentences)")

    def _count_kept(self, group: Group, rows: list[Row]) -> None:
        """A group an earlier run committed, as it stands: its articles counted as skipped."""
        for r in rows:
            if r[5] == "duplicate":
                self.summary.duplicates += 1
            elif r[5] == "failed":
                self.summary.failed += 1
                self.log("article_failed", source=r[3], id=r[2], reason=r[8])
            else:
                self.summary.skipped += 1
                self.log("article_skipped", source=r[3], id=r[2])
        self.bar.advance(len(group.raws))


def _rows(g: int, ack: Ack, summary: RunSummary, log: EventLog,
          fresh: dict[str, tuple[int, dict[str, float]]]) -> list[Row]:
    """The index rows of a written group (input order), counted and logged."""
    rows: list[Row] = []
    shard = ack["shard"]["name"]
    for i, (source, candidate, digest, doc_id, duplicate_of, key, status, line, reason, sentences, reused,
            timings) in enumerate(ack["articles"]):
        if reused and key in fresh:
            (sentences, timings), reused = fresh[key], False
        rows.append((g, i, doc_id, source, key, status, shard if line >= 0 else "", line, reason, candidate, digest,
                     duplicate_of))
        if status == "failed":
            summary.failed += 1
            log("article_failed", source=source, id=doc_id, reason=reason)
        elif status == "duplicate":
            summary.duplicates += 1
            log("article_duplicate", source=source, id=doc_id, duplicate_of=duplicate_of)
        elif reused:
            summary.skipped += 1
            log("article_skipped", source=source, id=doc_id, key=key)
        else:
            summary.done += 1
            summary.sentences += sentences
            log("article_done", source=source, id=doc_id, key=key, sentences=sentences, timings=timings)
    return rows


def _finish(outdir: Path, cfg: PipelineConfig, journal: Journal, models: dict[str, dict[str, str]],
            groups: int) -> dict[str, int]:
    """Write errors.jsonl, the views and the manifest (atomically, in that order), then drop the
    shards and index rows that no group of this job uses; returns the flag counts."""
    with open_atomic(outdir / "errors.jsonl", "w", **TEXT) as errors:
        errors.writelines(canonical({"source": r[3], "id": r[2], "reason": r[8]}) + "\n"
                          for r in journal.items(groups, "failed"))
    shards = journal.shards(groups)
    if cfg.run.files:
        with open_atomic(outdir / "records.jsonl", "w", **TEXT) as records:
            for shard in shards:
                records.writelines(f"{line}\n" for line in read_lines(outdir / shard["name"]))
        with open_atomic(outdir / "index.jsonl", "w", **TEXT) as index:
            index.writelines(canonical({"source": r[3], "id": r[2], "key": r[4], "status": r[5]}) + "\n"
                             for r in journal.items(groups))
    else:
        for view in VIEWS:  # left by an earlier run with --files: they would be stale
            (outdir / view).unlink(missing_ok=True)
    counts = journal.counts(groups)
    articles = sum(counts.values())
    flags = journal.flags(groups)
    manifest = {"newsmt": __version__, "settings": cfg.settings, "models": models, "articles": articles,
                "done": articles - counts.get("failed", 0), "failed": counts.get("failed", 0),
                "duplicates": counts.get("duplicate", 0), "flags": flags, "shards": shards,
                "files": ["errors.jsonl", *(VIEWS if cfg.run.files else ())]}
    write_atomic(outdir / "manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n")
    prune_shards(outdir, {Path(s["name"]).name for s in shards})
    journal.prune(groups)
    return flags
