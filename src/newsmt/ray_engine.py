"""``--engine ray``: the same group writer (``workers.GroupWriter``) in Ray actors, one per worker.

Each actor loads the models once and writes the shards of the groups it is given, exactly as a
local worker does, so a Ray run writes the same bytes; the driver sends groups (at most two per
actor in flight) and commits the acknowledgements. On a cluster the output folder must be one
file system that every node sees (the shards are written where the actors run).
"""
from __future__ import annotations

import logging
from itertools import chain, islice
from pathlib import Path
from typing import Any, Iterator

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


def execute_ray(tasks: Iterator[GroupTask], cfg: PipelineConfig, outdir: Path) -> Iterator[Ack]:
    """Acknowledgements of ``tasks`` (completion order) from ``run.workers`` actors."""
    head = list(islice(tasks, 1))
    if not head:  # Ray starts only when there is work
        return
    connect(cfg.run.address)
    import ray

    cpus = int(ray.cluster_resources().get("CPU", 1))
    workers, threads = machine_plan(cfg.run.workers, cfg.run.threads, cpus, cpus)
    actor = ray.remote(num_cpus=threads)(Writer)
    actors = [actor.remote(with_threads(cfg, threads), str(outdir.resolve())) for _ in range(workers)]
    running: dict[Any, Any] = {}  # future -> actor
    free = actors * 2  # two groups in flight per actor
    try:
        for task in chain(head, tasks, [None]):
            if task is not None:
                owner = free.pop()
                running[owner.write.remote(task)] = owner
            while running and (task is None or not free):
                [done], _ = ray.wait(list(running), num_returns=1)
                free.append(running.pop(done))
                yield ray.get(done)
    finally:
        for a in actors:
            ray.kill(a)
