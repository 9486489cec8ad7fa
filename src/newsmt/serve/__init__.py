"""``newsmt serve``: a translation and article service (LibreTranslate-compatible, batched).

``serve(cfg, host, port, workers, api_keys, engine, **limits)`` runs it; ``create_app(cfg, ...)``
returns the FastAPI app (for tests, or your own ASGI server). ``limits`` are the fields of
``ServeOptions``.
"""
from __future__ import annotations

from .app import create_app
from .limits import ServeOptions
from .runner import serve

__all__ = ["ServeOptions", "create_app", "serve"]
