"""``newsmt serve``: a translation and article service (LibreTranslate-compatible, batched).

``serve(cfg, host, port, workers, api_keys, engine, **limits)`` runs it; ``create_app(cfg, ...)``
returns the FastAPI app (for tests, or your own ASGI server). ``limits`` are the fields of
``ServeOptions``.
"""
from __future__ import annotations

from .app import create_app
from .runner import serve
from .limits import ServeOptions

__all__ = ["ServeOptions", "create_app", "serve"]
