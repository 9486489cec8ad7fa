"""The driver's loop of a batch job (``batch``): plan groups, send them to an engine, settle and
commit them in input order (see ``plan`` for why a group may be sent twice)."""
from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .config import PipelineConfig, available_cores
from .errors import ModelError, OutputError
from .journal import Journal, Row, Scratch
from .pipeline import ModelIds
from .plan import Group, GroupTask, Resolver, plan
from .shards import SHARDS
from .workers import Ack, Article, Engine, local_engine

if TYPE_CHECKING:
    from .batch import EventLog, RunSummary


@dataclass
class _Pending:
    group: Group
    # its models, when an earlier run committed it with the same fingerprint and they resolve the same now
    kept: dict[str, dict[str, str]] | None
    ack: Ack | None = None

    @property
    def known(self) -> bool:
        """Whether its articles are known: kept, or written by a worker."""
        return self.kept is not None or self.ack is not None


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
        self.fixing: dict[int, tuple[Group, dict[str, tuple[int, dict[str, float] | None]]]] = {}
        self.engine: Engine | None = None
        self.in_flight = 0
        self.ahead: deque[Group] = deque()  # planned before the engine starts: a small job's worker count
        self.model_ids = ModelIds(cfg)

    def run(self, inputs: list[str]) -> int:
        groups = plan(inputs, self.cfg, self.outdir)
        self.ahead.extend(islice(groups, available_cores()))
        planned, more = 0, True
        while True:
            slots = self.engine.slots if self.engine else 2 * available_cores()
            while more and self.in_flight < slots and len(self.queue) < 2 * slots:
                group = self.ahead.popleft() if self.ahead else next(groups, None)
                if group is None:
                    more = False
                    break
                planned += 1
                self._plan(group)
            self._settle()
            if not self.in_flight:
                if more:  # only kept groups so far: plan on
                    continue
                return planned
            self._receive(self._engine().next())

    def close(self) -> None:
        if self.engine is not None:
            self.engine.close()

    def _engine(self) -> Engine:
        if self.engine is None:
            if self.cfg.segment.lang != "auto":  # a model missing: said before any worker starts
                found = self.model_ids(self.cfg.segment.lang)
                if isinstance(found, ModelError):
                    raise found
            if self.cfg.run.engine == "ray":
                from .ray_engine import RayEngine

                self.engine = RayEngine(self.cfg, self.outdir)
            else:
                self.engine = local_engine(self.cfg, self.outdir, 1 + len(self.ahead))
        return self.engine

    def _submit(self, task: GroupTask) -> None:
        self._engine().submit(task)
        self.in_flight += 1

    def _plan(self, group: Group) -> None:
        self.bar.add_total(len(group.raws))
        kept = self.journal.finished(group.g, group.fingerprint)
        if kept is not None and not ((self.outdir / SHARDS / kept[0]).is_file()
                                     and all(self.model_ids(lang) == ids for lang, ids in kept[1].items())):
            kept = None
        pending = _Pending(group, kept[1] if kept else None)
        self.queue.append(pending)
        self.by_g[group.g] = pending
        if kept is None:
            self._submit(group.task())

    def _settle(self) -> None:
        """Settle the groups at the head of the queue whose articles are known, then let the
        workers see what is settled."""
        if not (self.queue and self.queue[0].known):
            return
        while self.queue and self.queue[0].known:
            pending = self.queue.popleft()
            group, fresh = pending.group, {}
            del self.by_g[group.g]
            if pending.kept is not None:
                rows = self.journal.rows(group.g)
                decisions, same = self._replay([r for r in rows if r.candidate])
                if same:
                    self.models.update(pending.kept)
                    self._count_kept(group, rows)
                    continue
            else:
                ack = pending.ack
                assert ack is not None
                written: list[Article] = [a for a in ack["articles"] if a.candidate]
                decisions, same = self._replay(written)
                if same and not self.cfg.run.files:
                    self._commit(group, {}, ack)
                    continue
                self.journal.offer(ack["shard"]["name"], [(a.key, a.line) for a in written if a.line >= 0])
                fresh = {a.key: (a.sentences, a.timings) for a in written if a.status == "done" and not a.reused}
            self.fixing[group.g] = (group, fresh)
            self._submit(group.task(decisions))
        self.scratch.commit()

    def _replay(self, read: list[Row] | list[Article]) -> tuple[list[tuple[str, str]], bool]:
        """The driver's (id, duplicate_of) for articles read (id as read, body digest), in input
        order, and whether they are the ones the worker or an earlier run stored."""
        decisions = [self.resolver.decide(a.candidate, a.digest) for a in read]
        return decisions, decisions == [(a.id, a.duplicate_of) for a in read]

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

    def _commit(self, group: Group, fresh: dict[str, tuple[int, dict[str, float] | None]], ack: Ack) -> None:
        """Commit a written group; ``fresh``: the articles this run processed for it before it was
        written again (reused there, but done by this run)."""
        self.models.update(ack["models"])
        rows = _rows(group.g, ack, self.summary, self.log, fresh)
        self.journal.commit(group.g, group.fingerprint, ack["shard"], rows, ack["flags"], ack["models"])
        self.bar.advance(len(group.raws), description=f"articles ({self.summary.sentences} sentences)")

    def _count_kept(self, group: Group, rows: list[Row]) -> None:
        """A group an earlier run committed, as it stands: its articles counted as skipped."""
        for r in rows:
            if r.status == "duplicate":
                self.summary.duplicates += 1
            elif r.status == "failed":
                self.summary.failed += 1
                self.log("article_failed", source=r.source, id=r.id, reason=r.reason)
            else:
                self.summary.skipped += 1
                self.log("article_skipped", source=r.source, id=r.id)
        self.bar.advance(len(group.raws))


def _rows(g: int, ack: Ack, summary: RunSummary, log: EventLog,
          fresh: dict[str, tuple[int, dict[str, float] | None]]) -> list[Row]:
    """The index rows of a written group (input order), counted and logged."""
    rows: list[Row] = []
    shard = ack["shard"]["name"]
    for i, a in enumerate(ack["articles"]):
        sentences, timings, reused = a.sentences, a.timings, a.reused
        if reused and a.key in fresh:
            (sentences, timings), reused = fresh[a.key], False
        rows.append(Row(g, i, a.id, a.source, a.key, a.status, shard if a.line >= 0 else "", a.line, a.reason,
                        a.candidate, a.digest, a.duplicate_of))
        if a.status == "failed":
            summary.failed += 1
            log("article_failed", source=a.source, id=a.id, reason=a.reason)
        elif a.status == "duplicate":
            summary.duplicates += 1
            log("article_duplicate", source=a.source, id=a.id, duplicate_of=a.duplicate_of)
        elif reused:
            summary.skipped += 1
            log("article_skipped", source=a.source, id=a.id, key=a.key)
        else:
            summary.done += 1
            summary.sentences += sentences
            log("article_done", source=a.source, id=a.id, key=a.key, sentences=sentences, timings=timings)
    return rows
