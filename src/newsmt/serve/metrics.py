"""``/metrics`` in the Prometheus text format, one view of all workers.

With several workers (``runner.serve``) every process writes its metrics into the shared folder
named by ``PROMETHEUS_MULTIPROC_DIR`` (prometheus_client's multiprocess mode, set before the workers
start) and a scrape, whichever worker answers it, merges them: counters and histograms summed,
the gauges summed over the live workers (``newsmt_ready`` counts the workers that are ready). In a
single process without that variable each app keeps its own registry.
"""
from __future__ import annotations

import os

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)

try:  # no *_created series: they double the output and no dashboard uses them
    from prometheus_client import disable_created_metrics

    disable_created_metrics()
except ImportError:  # pragma: no cover - older prometheus_client
    pass

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 0.75, 1.0, 1.5, 2.5, 5.0, 10.0, 30.0, 60.0)
BATCH_BUCKETS = (1, 2, 4, 8, 16, 32, 64, 128, 256)
MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"


def shared_folder() -> str | None:
    """The multiprocess folder when this process writes into one, else None."""
    return os.environ.get(MULTIPROC_ENV) or None


class Metrics:
    def __init__(self) -> None:
        r = self.registry = CollectorRegistry(auto_describe=True)
        self.requests = Counter("newsmt_requests", "HTTP requests answered", ["endpoint", "status"], registry=r)
        self.latency = Histogram("newsmt_request_seconds", "Request latency (seconds)", ["endpoint"],
                                 buckets=LATENCY_BUCKETS, registry=r)
        self.sentences = Counter("newsmt_sentences", "Sentences translated", ["pair"], registry=r)
        self.batch_size = Histogram("newsmt_batch_sentences", "Sentences per engine batch", buckets=BATCH_BUCKETS, registry=r)
        self.batch_seconds = Histogram("newsmt_batch_seconds", "Seconds per engine batch", buckets=LATENCY_BUCKETS, registry=r)
        self.rejected = Counter("newsmt_rejected", "Requests refused by a limit", ["reason"], registry=r)
        self.queue = Gauge("newsmt_queue_sentences", "Sentences waiting for a batch", registry=r,
                           multiprocess_mode="livesum")
        self.in_flight = Gauge("newsmt_requests_in_flight", "Requests being worked on", registry=r,
                               multiprocess_mode="livesum")
        self.ready = Gauge("newsmt_ready", "Workers with their models loaded", registry=r, multiprocess_mode="livesum")

    def on_batch(self, pair: tuple[str, str], size: int, seconds: float) -> None:
        self.sentences.labels(f"{pair[0]}-{pair[1]}").inc(size)
        self.batch_size.observe(size)
        self.batch_seconds.observe(seconds)

    def observe(self, endpoint: str, status: int, seconds: float) -> None:
        self.requests.labels(endpoint, str(status)).inc()
        self.latency.labels(endpoint).observe(seconds)

    def render(self) -> tuple[bytes, str]:
        folder = shared_folder()
        if folder is None:
            return generate_latest(self.registry), CONTENT_TYPE_LATEST
        from prometheus_client import multiprocess

        merged = CollectorRegistry()
        multiprocess.MultiProcessCollector(merged, path=folder)
        return generate_latest(merged), CONTENT_TYPE_LATEST

    @staticmethod
    def close() -> None:
        """This worker is stopping: its live gauges leave the merged view."""
        if shared_folder() is not None:
            from prometheus_client import multiprocess

            multiprocess.mark_process_dead(os.getpid())
