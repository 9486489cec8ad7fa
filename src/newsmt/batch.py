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

The driver (this module and ``driver``) cuts the inputs into groups of items, not read (``plan``); workers
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
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from . import __version__
from .config import PipelineConfig
from .document import canonical
from .errors import NewsmtError, OutputError
from .driver import Driver
from .fileio import open_atomic, write_atomic
from .journal import Journal, Scratch
from .pipeline import model_ids
from .plan import inputs_digest
from .progress import progress
from .shards import prune_shards, read_lines, remove_temp_files
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
            driver = Driver(cfg, outdir, journal, scratch, summary, models, log, bar)
            try:
                return driver.run(inputs)
            finally:
                driver.close()
    finally:
        scratch.close()


def _finish(outdir: Path, cfg: PipelineConfig, journal: Journal, models: dict[str, dict[str, str]],
            groups: int) -> dict[str, int]:
    """Write errors.jsonl, the views and the manifest (atomically, in that order), then drop the
    shards and index rows that no group of this job uses; returns the flag counts."""
    with open_atomic(outdir / "errors.jsonl", "w", **TEXT) as errors:
        errors.writelines(canonical({"source": r.source, "id": r.id, "reason": r.reason}) + "\n"
                          for r in journal.items(groups, "failed"))
    shards = journal.shards(groups)
    if cfg.run.files:
        with open_atomic(outdir / "records.jsonl", "w", **TEXT) as records:
            for shard in shards:
                records.writelines(f"{line}\n" for line in read_lines(outdir / shard["name"]))
        with open_atomic(outdir / "index.jsonl", "w", **TEXT) as index:
            index.writelines(canonical({"source": r.source, "id": r.id, "key": r.key, "status": r.status}) + "\n"
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
