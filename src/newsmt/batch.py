"""Batch jobs: inputs -> articles -> ``pipeline.process`` on local workers or Ray -> outdir, resumable.

Layout of an output directory::

    records.jsonl          one aligned record per article (Document JSON), in input order
    errors.jsonl           {"source", "id", "reason"} per article that failed, in input order
    index.jsonl            {"source", "id", "key", "status"} per article, in input order
    manifest.json          settings, models, counts, flag counts
    <id>.<ext>             the per-article outputs of ``output.formats``
    .newsmt/parts/<key>    the finished record of each article: the resume journal

    .newsmt/lock           held while a job runs: a second job on the folder stops at once

Each article's key is the sha256 of its content (the input document without its id and source,
so a given JSONL id counts through its fields), the output settings, the model revisions and the
newsmt version (canonical JSON); never where it was read: a renamed feed, or lines inserted
before an article, redo nothing (the finished record is re-stamped with the new id and source).
The runner commits an article by writing its outputs, then its part file, each with an atomic
rename; the four files at the top are rebuilt from the parts at the end, also atomically, and
parts no key of this job uses are pruned (``run.keep_parts`` keeps them). So a job killed at any
point and run again skips the finished keys, redoes the rest and ends with the same bytes as an
uninterrupted run. Workers only compute; every file is written by this (driver) process.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import sys
import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import Any, Iterator

from . import __version__
from .config import PipelineConfig
from .document import Document
from .errors import InputError, LanguageError, ModelError, OutputError
from .fileio import open_atomic, write_atomic
from .naming import OutputNamer
from .pipeline import model_ids, settings
from .progress import progress
from .sources import documents
from .workers import Result, Task, execute_local
from .writers import check_formats, write_outputs

PARTS = Path(".newsmt") / "parts"
TEXT = {"encoding": "utf-8", "newline": "\n", "perms": 0o644}


@dataclass
class Item:
    """One input article (or unreadable input), in input order."""

    source: str
    id: str = ""
    key: str = ""
    error: str = ""
    duplicate_of: str = ""  # id of the earlier article of this job with the same body


@dataclass
class RunSummary:
    outdir: Path
    done: int = 0  # processed in this run
    skipped: int = 0  # finished by an earlier run (same key)
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


# -- keys and files ----------------------------------------------------------------------------
def canonical(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def article_key(doc: Document, run_settings: dict[str, Any], models: dict[str, str]) -> str:
    """sha256 over the article's content (no id, no source), output settings, model revisions and
    newsmt version."""
    content = doc.to_dict()
    del content["id"]
    content["meta"] = {k: v for k, v in content["meta"].items() if k != "source"}
    payload = {"doc": content, "settings": run_settings, "models": models, "newsmt": __version__}
    return hashlib.sha256(canonical(payload).encode("utf-8")).hexdigest()


def stamp(record: str, item: Item) -> tuple[str, dict[str, Any]]:
    """A finished record with the id and source of ``item`` (they differ after a rename): the line
    (``record`` itself when nothing changed) and its parsed form."""
    d = json.loads(record)
    if d["id"] == item.id and d["meta"].get("source", item.source) == item.source:
        return record, d
    d["id"] = item.id
    if "source" in d["meta"]:
        d["meta"]["source"] = item.source
    return canonical(d), d


def part_path(outdir: Path, key: str) -> Path:
    return outdir / PARTS / key[:2] / f"{key}.json"


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


def _remove_temp_files(outdir: Path) -> None:
    """Drop what a killed run left half-written (its final names were never created)."""
    for p in chain(outdir.glob(".*.tmp"), (outdir / PARTS).glob("*/.*.tmp")):
        p.unlink(missing_ok=True)


# -- reading -----------------------------------------------------------------------------------
def scan(inputs: list[str], cfg: PipelineConfig, outdir: Path,
         models: dict[str, dict[str, str]]) -> Iterator[tuple[Item, Document | None]]:
    """Every input article in order, with its key; the Document only when it still needs work.
    A finished article whose id or source changed gets its outputs written under the new name.

    ``models`` collects the model ids per source language (resolved once, before any work).
    """
    run_settings = settings(cfg)
    namer = OutputNamer()
    bodies: dict[bytes, str] = {}  # body digest -> id of the first article with that body
    for doc in documents(inputs, cfg.input, cfg.segment.lang, skip=outdir):
        if isinstance(doc, InputError):
            yield Item(str(doc).split(": ", 1)[0], error=str(doc)), None
            continue
        doc.id = namer.claim(doc.id)
        item = Item(doc.meta.get("source", doc.id), doc.id)
        if len(doc.text) > cfg.run.max_chars:
            item.error = (f"article has {len(doc.text)} characters, over run.max_chars="
                          f"{cfg.run.max_chars} (raise it with --set run.max_chars=N)")
            yield item, None
            continue
        digest = body_digest(doc)
        if digest in bodies:
            _commit_duplicate(outdir, item, doc, bodies[digest])
            yield item, None
            continue
        bodies[digest] = doc.id
        if doc.lang not in models:
            try:
                models[doc.lang] = model_ids(cfg, doc.lang)
            except (LanguageError, ModelError) as e:  # no model for a detected language: that article
                if isinstance(e, ModelError) and "lang_detected" not in doc.meta:
                    raise
                item.error = f"language {doc.lang!r}: {e}"
                yield item, None
                continue
        item.key = article_key(doc, run_settings, models[doc.lang])
        part = part_path(outdir, item.key)
        if not part.is_file():
            yield item, doc
            continue
        record = part.read_text(encoding="utf-8").rstrip("\n")
        stamped, d = stamp(record, item)
        if stamped != record:
            _write_outputs(Document.from_dict(d), outdir, cfg.output.formats)
        yield item, None


def body_digest(doc: Document) -> bytes:
    """The article's body (every paragraph but the title), case and spacing normalized, hashed:
    syndicated wire copy and a page crawled twice have the same one."""
    body = " ".join(doc.text[p.start:p.end] for p in doc.paragraphs if p.kind != "title")
    return hashlib.blake2b(" ".join(body.casefold().split()).encode("utf-8"), digest_size=16).digest()


def _commit_duplicate(outdir: Path, item: Item, doc: Document, first: str) -> None:
    """A duplicate is not processed: its record is the article as read, pointing to the first one
    (``provenance.duplicate_of``); that record is its own part, keyed by its bytes."""
    item.duplicate_of = first
    doc.provenance = {"duplicate_of": first, "newsmt": __version__}
    record = doc.to_json()
    item.key = hashlib.sha256(record.encode("utf-8")).hexdigest()
    part = part_path(outdir, item.key)
    if not part.is_file():
        part.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(part, record + "\n")


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
                elif item.duplicate_of:
                    summary.duplicates += 1
                    log("article_duplicate", source=item.source, id=item.id, duplicate_of=item.duplicate_of)
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


def _write_outputs(doc: Document, outdir: Path, formats: list[str]) -> None:
    try:
        write_outputs(doc, outdir, formats)
    except OSError as e:
        raise OutputError(f"cannot write the outputs of {doc.id} in {outdir}: {e.strerror or e}; finished "
                          "articles are kept: run again to resume") from None


def _commit(outdir: Path, item: Item, record: str, formats: list[str]) -> None:
    """Outputs first, then the part file: a part file means the article is complete on disk."""
    _write_outputs(Document.from_json(record), outdir, formats)
    part = part_path(outdir, item.key)
    try:
        part.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(part, record + "\n")
    except OSError as e:
        raise OutputError(f"cannot write {part}: {e.strerror or e}; run again to resume") from None


def _finish(outdir: Path, items: list[Item], cfg: PipelineConfig, models: dict[str, dict[str, str]]) -> dict[str, int]:
    """Rebuild records, errors, index and manifest from the parts, in input order; flag counts."""
    flags: Counter[str] = Counter()
    with open_atomic(outdir / "records.jsonl", "w", **TEXT) as records, open_atomic(outdir / "index.jsonl", "w", **TEXT) as index:
        for item in items:
            status = "failed" if item.error else "duplicate" if item.duplicate_of else "done"
            index.write(canonical({"source": item.source, "id": item.id, "key": item.key, "status": status}) + "\n")
            if item.error:
                continue
            record, rec = stamp(part_path(outdir, item.key).read_text(encoding="utf-8").rstrip("\n"), item)
            records.write(record + "\n")  # and its sentence and article flags (decode_replaced, extraction_fallback)
            flags.update([f for t in rec["translations"].values() for f in t["flags"]] + rec["meta"].get("flags", []))
    with open_atomic(outdir / "errors.jsonl", "w", **TEXT) as errors:
        errors.writelines(canonical({"source": i.source, "id": i.id, "reason": i.error}) + "\n"
                          for i in items if i.error)
    failed = sum(1 for i in items if i.error)
    manifest = {"newsmt": __version__, "settings": settings(cfg), "models": models, "articles": len(items),
                "done": len(items) - failed, "failed": failed, "flags": dict(sorted(flags.items())),
                "files": ["records.jsonl", "errors.jsonl", "index.jsonl"]}
    write_atomic(outdir / "manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n")
    if not cfg.run.keep_parts:
        _prune(outdir, {i.key for i in items if i.key})
    return dict(sorted(flags.items()))


def _prune(outdir: Path, keys: set[str]) -> None:
    """Remove the parts of articles no longer in the job's inputs (or finished with old settings)."""
    for part in (outdir / PARTS).glob("*/*.json"):
        if part.stem not in keys:
            part.unlink(missing_ok=True)


