"""``newsmt serve``: the HTTP service over the same pipeline (LibreTranslate-compatible and /v1)."""
from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from .common import CONFIG, OVERRIDES, app, handle_errors


@app.command("serve")
@handle_errors
def serve_cmd(
    config: Optional[Path] = CONFIG,
    overrides: List[str] = OVERRIDES,
    host: str = typer.Option("127.0.0.1", "--host", help="Address to bind (loopback by default)."),
    port: int = typer.Option(5000, "--port", help="Port."),
    workers: int = typer.Option(1, "--workers", help="Server processes (each with its own models) or Ray Serve replicas."),
    api_keys: Optional[Path] = typer.Option(None, "--api-keys", help="File: one key per line, or key,requests_per_minute; keys then required."),
    engine: str = typer.Option("local", "--engine", help="local (uvicorn) or ray (Ray Serve)."),
    options: List[str] = typer.Option([], "--option", help="A limit, e.g. --option max_chars=20000 (max_queue, timeout, rate_limit, "
                                      "cors_origins, preload, batch_wait_ms, log_json, ...; repeatable)."),
) -> None:
    """Serve translations and aligned articles over HTTP until Ctrl-C (in-flight requests finish)."""
    from ..config import load_config
    from ..serve import ServeOptions, serve

    cfg = load_config(config, overrides)
    opts = ServeOptions.from_strings(options, api_keys=api_keys)
    serve(cfg, host, port, workers, engine=engine, **vars(opts))
