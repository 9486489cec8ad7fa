"""``serve(engine="ray")``: the same app as a Ray Serve deployment (``workers`` replicas).

Thin by design: each replica builds the app with ``create_app`` (its own models, batcher, limits,
metrics) and Ray Serve's proxy routes HTTP to the replicas. Needs ``pip install 'ray[serve]'``::

    newsmt serve --config en-pt-news --engine ray --workers 2        # local Ray
    RAY_ADDRESS=auto newsmt serve --config ... --engine ray --workers 8           # a running cluster
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..config import PipelineConfig
from ..errors import ConfigError
from .limits import ServeOptions, threads_per_worker


def ray_serve_available() -> bool:
    try:
        import ray.serve  # noqa: F401
    except Exception:  # noqa: BLE001 - ImportError, or a dependency of Ray Serve missing
        return False
    return True


def app_builder(cfg: PipelineConfig, opts: ServeOptions) -> Callable[[], Any]:
    """The function each replica calls to build its ASGI app (what ``serve.ingress`` takes)."""

    def build() -> Any:
        from .app import create_app

        return create_app(cfg, opts)

    return build


def deployment(cfg: PipelineConfig, opts: ServeOptions, replicas: int) -> Any:
    """The bound Ray Serve application (``serve.run`` takes it)."""
    from ray import serve

    ingress = serve.ingress(app_builder(cfg, opts))()
    return serve.deployment(ingress, name="newsmt", num_replicas=replicas,
                            max_ongoing_requests=opts.max_in_flight).bind()


def serve_ray(cfg: PipelineConfig, host: str, port: int, workers: int, opts: ServeOptions) -> None:
    if not ray_serve_available():
        raise ConfigError("the ray engine needs Ray Serve: pip install 'ray[serve]' (or use --engine local)")
    import ray
    from ray import serve

    ray.init(ignore_reinit_error=True)
    serve.start(http_options={"host": host, "port": port})
    serve.run(deployment(threads_per_worker(cfg, workers), opts, workers), name="newsmt", route_prefix="/", blocking=True)
