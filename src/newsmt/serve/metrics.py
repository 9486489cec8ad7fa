"""``/metrics`` in the Prometheus text format (one registry per app, so apps never share counters).

With several uvicorn workers each process keeps its own counters and a scrape reaches one of them
(label the target per worker, or scale out with Ray Serve, whose replicas each expose theirs).
"""
from __future__ import annotations

from collections.abc import Callable

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


class Metrics:
    def __init__(self, queue_length: Callable[[], float], in_flight: Callable[[], float], ready: Callable[[], float]) -> None:
        r = self.registry = CollectorRegistry(auto_describe=True)
        self.requests = Counter("newsmt_requests", "HTTP requests answered", ["endpoint", "status"], registry=r)
        self.latency = Histogram("newsmt_request_seconds", "Request latency (seconds)", ["endpoint"],
                                 buckets=LATENCY_BUCKETS, registry=r)
        self.sentences = Counter("newsmt_sentences", "Sentences translated", ["pair"], registry=r)
        self.batch_size = Histogram("newsmt_batch_sentences", "Sentences per engine batch", buckets=BATCH_BUCKETS, registry=r)
        self.batch_seconds = Histogram("newsmt_batch_seconds", "Seconds per engine batch", buckets=LATENCY_BUCKETS, registry=r)
        self.rejected = Counter("newsmt_rejected", "Requests refused by a limit", ["reason"], registry=r)
        Gauge("newsmt_queue_sentences", "Sentences waiting for a batch", registry=r).set_function(queue_length)
        Gauge("newsmt_requests_in_flight", "Requests being handled", registry=r).set_function(in_flight)
        Gauge("newsmt_ready", "1 when the models are loaded", registry=r).set_function(ready)

    def on_batch(self, pair: tuple[str, str], size: int, seconds: float) -> None:
        self.sentences.labels(f"{pair[0]}-{pair[1]}").inc(size)
        self.batch_size.observe(size)
        self.batch_seconds.observe(seconds)

    def observe(self, endpoint: str, status: int, seconds: float) -> None:
        self.requests.labels(endpoint, str(status)).inc()
        self.latency.labels(endpoint).observe(seconds)

    def render(self) -> tuple[bytes, str]:
        return generate_latest(self.registry), CONTENT_TYPE_LATEST
