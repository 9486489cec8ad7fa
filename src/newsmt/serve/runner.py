"""Running the service: uvicorn in this process, several uvicorn worker processes, or Ray Serve.

One server, one shared folder (``state_dir``, a new temporary folder unless given): the rate
limiter's SQLite file, the metrics of every worker (Prometheus multiprocess mode) and the translated
files all live there, so the workers answer as one server.
"""
from __future__ import annotations

import base64
import os
import pickle
import shutil
import tempfile
from pathlib import Path
from typing import Any

from fastapi import FastAPI

from ..config import PipelineConfig
from ..errors import ConfigError
from .app import create_app
from .limits import ServeOptions, threads_per_worker
from .metrics import MULTIPROC_ENV
from .middleware import setup_logging
from .protocol import GuardedProtocol, uvicorn_settings
from .service import emit

ENV_STATE = "NEWSMT_SERVE_STATE"  # how worker processes get the config and options


def app_from_env() -> FastAPI:
    """The app factory uvicorn's worker processes call (``serve(workers>1)``)."""
    blob = os.environ.get(ENV_STATE)
    if not blob:
        raise RuntimeError(f"{ENV_STATE} is not set: start workers with newsmt.serve.serve(..., workers=N)")
    cfg, opts = pickle.loads(base64.b64decode(blob))
    GuardedProtocol.configure(opts.max_client_connections, opts.read_timeout)
    return create_app(cfg, opts)


def serve(cfg: PipelineConfig, host: str = "127.0.0.1", port: int = 5000, workers: int = 1,
          api_keys: Path | None = None, engine: str = "local", **limits: Any) -> None:
    """Run the server until SIGINT/SIGTERM (in-flight requests finish; new ones get 503).

    ``workers`` > 1: that many uvicorn worker processes, each with its own models (and
    ``cores / workers`` engine threads unless ``translate.threads`` is set), sharing one rate
    limiter, one metrics view and the translated files. ``engine="ray"``: the same app as a Ray
    Serve deployment with ``workers`` replicas (needs ``pip install 'ray[serve]'``). ``limits``:
    the fields of ``ServeOptions`` (max_chars, max_queue, timeout, rate_limit, ...).
    """
    opts = ServeOptions.from_kwargs(api_keys=api_keys, **limits)
    if workers < 1:
        raise ConfigError("workers must be >= 1")
    if engine not in ("local", "ray"):
        raise ConfigError(f"unknown serve engine {engine!r}: use local or ray")
    own = opts.state_dir is None
    opts.state_dir = Path(tempfile.mkdtemp(prefix="newsmt-serve-")) if own else opts.state_dir
    try:
        if engine == "ray":
            from .ray_serve import serve_ray

            serve_ray(cfg, host, port, workers, opts)
        else:
            _serve_uvicorn(threads_per_worker(cfg, workers), host, port, workers, opts)
    finally:
        if own:
            shutil.rmtree(opts.state_dir, ignore_errors=True)


def _serve_uvicorn(cfg: PipelineConfig, host: str, port: int, workers: int, opts: ServeOptions) -> None:
    import uvicorn

    setup_logging(opts.log_json)
    emit("serve_start", url=f"http://{host}:{port}/", workers=workers, docs=f"http://{host}:{port}/docs")
    common: dict[str, Any] = {"host": host, "port": port, "log_level": "warning", "access_log": False, "lifespan": "on",
                              "timeout_graceful_shutdown": int(opts.shutdown_grace) or None, "server_header": False,
                              **uvicorn_settings(opts)}
    if workers == 1:
        GuardedProtocol.configure(opts.max_client_connections, opts.read_timeout)
        uvicorn.Server(uvicorn.Config(create_app(cfg, opts), **common)).run()
        return
    metrics = opts.state_dir / "metrics"
    metrics.mkdir(parents=True, exist_ok=True)
    os.environ[MULTIPROC_ENV] = str(metrics)  # before the workers start: they import prometheus_client anew
    os.environ[ENV_STATE] = base64.b64encode(pickle.dumps((cfg, opts))).decode()
    uvicorn.run("newsmt.serve.runner:app_from_env", factory=True, workers=workers, **common)
