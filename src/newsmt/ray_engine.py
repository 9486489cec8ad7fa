"""``--engine ray``: the same ``pipeline.process`` on Ray Data, one actor per worker holding Resources.

Actors only compute and return each article's result; the driver (``batch.run_batch``) writes every
file with the same keys and atomic renames as a local run, so resume works the same way and the
output directory needs no shared file system. Articles go to Ray in windows of ``WINDOW`` so that a
large JSONL input is never held in memory whole.
"""
from __future__ import annotations

import json
import logging
from itertools import islice
from typing import Any, Iterator

from .workers import Result, Task, machine_plan, with_threads
from .config import PipelineConfig
from .errors import NewsmtError
from .pipeline import Resources, process_json

WINDOW = 4096  # articles per Ray dataset


class Processor:
    """Ray Data actor: loads Resources once, then runs ``process`` on each batch of articles."""

    def __init__(self, cfg: PipelineConfig) -> None:
        self.cfg, self.resources = cfg, Resources.load(cfg)

    def __call__(self, batch: dict[str, Any]) -> dict[str, list]:
        results = [json.dumps(process_json(str(d), self.cfg, self.resources)) for d in batch["doc"]]
        return {"index": list(batch["index"]), "result": results}


def connect(address: str = "") -> None:
    """Join the Ray cluster at ``address`` ("auto", "ray://host:10001") or start a local one."""
    try:
        import ray
        import ray.data
    except ImportError:
        raise NewsmtError("--engine ray needs Ray: pip install 'newsmt[ray]'") from None
    if not ray.is_initialized():
        ray.init(address=address or None, include_dashboard=False, log_to_driver=False, logging_level="ERROR")
    for handler in logging.getLogger("ray.data").handlers:  # no dataset plans/progress on stderr
        if isinstance(handler, logging.StreamHandler):
            handler.setLevel(logging.ERROR)


def execute_ray(tasks: Iterator[Task], cfg: PipelineConfig) -> Iterator[Result]:
    """Results of ``tasks`` (completion order) from an actor pool of ``run.workers`` actors."""
    while window := list(islice(tasks, WINDOW)):  # Ray starts only when there is work
        connect(cfg.run.address)
        import ray.data

        ray.data.DataContext.get_current().enable_progress_bars = False
        cpus = int(ray.cluster_resources().get("CPU", 1))
        workers, threads = machine_plan(cfg.run.workers, cfg.run.threads, len(window), cpus)
        ds = ray.data.from_items([{"index": i, "doc": d} for i, d in window]).map_batches(
            Processor, fn_constructor_args=(with_threads(cfg, threads),), batch_size=1,
            compute=ray.data.ActorPoolStrategy(size=workers), num_cpus=threads,
        )
        for row in ds.iter_rows():
            yield int(row["index"]), json.loads(row["result"])
