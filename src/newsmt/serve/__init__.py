"""``newsmt serve``: a translation and article service (LibreTranslate-compatible, batched).

``serve(cfg, host, port, workers, api_keys, engine, **limits)`` runs it; ``create_app(cfg, ...)``
returns the FastAPI app (for tests, or your own ASGI server). ``limits`` are the fields of
``ServeOptions``. Importing a submodule does not import the web framework.
"""
from __future__ import annotations

from typing import Any

__all__ = ["ServeOptions", "create_app", "serve"]


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from .app import create_app

        return create_app
    if name == "serve":
        from .runner import serve

        return serve
    if name == "ServeOptions":
        from .limits import ServeOptions

        return ServeOptions
    raise AttributeError(name)
