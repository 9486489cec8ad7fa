"""The driver's loop of a batch job (``batch``): plan groups, send them to an engine, settle and
commit them in input order (see ``plan`` for why a group may be sent twice)."""
from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .config import PipelineConfig, available_cores
from .errors import LanguageError, ModelError, OutputError
from .journal import Journal, Row, Scratch
from .pipeline import model_ids
from .plan import Group, GroupTask, Resolver, plan
from .shards import SHARDS
from .workers import Ack, Engine, local_engine

if TYPE_CHECKING:
    from .batch import EventLog, RunSummary


@dataclass
class _Pending:
    group: Group
    kept: dict[str, dict[str, str]] | None  # its models, when an earlier run committed it with the same
    ack: Ack | None = None                  # fingerprint and they still resolve the same


class Driver:
    """The driver's loop: groups go to the engine as they are planned (at most its ``slots`` in
    flight); each is settled in input order (``plan.Resolver``) and committed, or sent again with
    the driver's decisions where the worker's differ (see ``plan``). With ``run.files`` every group
    is sent again: a worker writes an article's files only under its settled id."""

    def __init__(self, cfg: PipelineConfig, outdir: Path, journal: Journal, scratch: Scratch, summary: RunSummary,
                 models: dict[str, dict[str, str]], log: EventLog, bar: Any) -> None:
        self.cfg, self.outdir, self.journal, self.scratch = cfg, outdir, journal, scratch
        self.resolver = Resolver(scratch)
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
        """Settle the groups at the head of the queue whose articles are known (then let the
        workers see what is settled)."""
        if self.queue and (self.queue[0].kept is not None or self.queue[0].ack is not None):
            self._settle_head()
            self.scratch.commit()

    def _settle_head(self) -> None:
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
