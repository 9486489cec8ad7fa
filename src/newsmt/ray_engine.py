"""``--engine ray``: the same group writer (``workers.GroupWriter``) in Ray actors, one per worker.

Each actor loads the models once and reads and writes the groups it is given, exactly as a local
worker does, so a Ray run writes the same bytes; the driver sends groups (at most two per actor in
flight) and settles and commits the acknowledgements (``batch``). On a cluster the output folder must be one
file system that every node sees (the shards are written where the actors run).
"""
from __future__ import annotations

import logging
from collections import deque
from pathlib import Path
from typing import Any

from .config import PipelineConfig
from .errors import NewsmtError
from .plan import GroupTask
from .workers import Ack, GroupWriter, guarded, machine_plan, with_threads


class Writer:
    """Ray actor: a GroupWriter."""

    def __init__(self, cfg: PipelineConfig, outdir: str) -> None:
        self.writer = GroupWriter(cfg, Path(outdir))

    def write(self, task: GroupTask) -> Ack:
        return guarded(self.writer, task)


def connect(address: str = "") -> None:
    """Join the Ray cluster at ``address`` ("auto", "ray://host:10001") or start a local one."""
    try:
        import ray
    except ImportError:
        raise NewsmtError("--engine ray needs Ray: pip install 'newsmt[ray]'") from None
    if not ray.is_initialized():
        ray.init(address=address or None, include_dashboard=False, log_to_driver=False, logging_level="ERROR")
    for handler in logging.getLogger("ray").handlers:  # no plans or progress on stderr
        if isinstance(handler, logging.StreamHandler):
            handler.setLevel(logging.ERROR)


class RayEngine:
    """``run.workers`` actors (one per CPU of the cluster by default), two groups in flight per
    actor; groups beyond that wait here."""

    def __init__(self, cfg: PipelineConfig, outdir: Path) -> None:
        connect(cfg.run.address)
        import ray

        self.ray = ray
        cpus = int(ray.cluster_resources().get("CPU", 1))
        workers, threads = machine_plan(cfg.run.workers, cfg.run.threads, cpus, cpus)
        actor = ray.remote(num_cpus=threads)(Writer)
        self.actors = [actor.remote(with_threads(cfg, threads), str(outdir.resolve())) for _ in range(workers)]
        self.slots = 2 * workers
        self.free = self.actors * 2
        self.running: dict[Any, Any] = {}  # future -> actor
        self.waiting: deque[GroupTask] = deque()

    def submit(self, task: GroupTask) -> None:
        if not self.free:
            self.waiting.append(task)
            return
        owner = self.free.pop()
        self.running[owner.write.remote(task)] = owner

    def next(self) -> Ack:
        [done], _ = self.ray.wait(list(self.running), num_returns=1)
        self.free.append(self.running.pop(done))
        if self.waiting:
            self.submit(self.waiting.popleft())
        return self.ray.get(done)

    def close(self) -> None:
        for a in self.actors:
            self.ray.kill(a)
