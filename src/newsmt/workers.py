"""Local batch workers: ``pipeline.process`` in this process or in a pool of spawned processes.

Workers only compute: each takes an article's JSON and returns ``pipeline.process_json``'s result;
the driver (``batch``) writes every file. ``machine_plan`` and ``with_threads`` split the cores
between workers and translation threads, here and on Ray.
"""
from __future__ import annotations

import dataclasses
import multiprocessing
import os
import signal
import sys
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from itertools import chain, islice
from typing import Any, Iterator

from .config import PipelineConfig, available_cores
from .errors import NewsmtError
from .pipeline import Resources, process_json

Task = tuple[int, str]  # (article index, input Document JSON)
Result = tuple[int, dict[str, Any]]  # (article index, pipeline.process_json result)


def machine_plan(workers: int, threads: int, jobs: int, cpus: int) -> tuple[int, int]:
    """Workers and threads per worker; 0 = fill ``cpus``, never more workers than ``jobs`` waiting."""
    workers = workers or max(1, min(jobs, cpus // (threads or 1)))
    return workers, threads or max(1, cpus // workers)


def with_threads(cfg: PipelineConfig, threads: int) -> PipelineConfig:
    """The config a worker runs with: the translation backend's threads set unless fixed already."""
    if cfg.translate.threads:
        return cfg
    return dataclasses.replace(cfg, translate=dataclasses.replace(cfg.translate, threads=threads))


_WORKER: tuple[PipelineConfig, Resources] | None = None


def _init_worker(cfg: PipelineConfig, threads: int) -> None:
    """Worker start: die with the driver, leave Ctrl-C to it, cap math threads, load lazily."""
    global _WORKER
    if sys.platform.startswith("linux"):
        import ctypes

        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG: no orphans after a kill -9
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        os.environ[var] = str(threads)
    _WORKER = (cfg, Resources.load(cfg))


def _work(task: Task) -> Result:
    assert _WORKER is not None
    index, doc_json = task
    return index, process_json(doc_json, *_WORKER)


def execute_local(tasks: Iterator[Task], cfg: PipelineConfig) -> Iterator[Result]:
    """Results of ``tasks`` in completion order: in this process for one worker, else a spawn pool
    keeping at most two tasks per worker in flight (inputs are streamed, never loaded whole)."""
    head = list(islice(tasks, cfg.run.workers or available_cores()))
    workers, threads = machine_plan(cfg.run.workers, cfg.run.threads, len(head), available_cores())
    cfg = with_threads(cfg, threads)
    tasks = chain(head, tasks)
    if workers == 1:
        resources = Resources.load(cfg)
        yield from ((i, process_json(d, cfg, resources)) for i, d in tasks)
        return
    pool = ProcessPoolExecutor(workers, multiprocessing.get_context("spawn"), _init_worker, (cfg, threads))
    running: set[Future[Result]] = set()
    try:
        for task in chain(tasks, [None]):
            if task is not None:
                running.add(pool.submit(_work, task))
            while running and (task is None or len(running) >= 2 * workers):
                done, running = wait(running, return_when=FIRST_COMPLETED)
                yield from (f.result() for f in done)
    except BrokenProcessPool:
        raise NewsmtError("a worker process died (out of memory? from Python: newsmt.run called outside "
                          "`if __name__ == '__main__':`); finished articles are kept: run again to resume, "
                          "with fewer --workers if memory is short") from None
    finally:
        pool.shutdown(cancel_futures=True)
