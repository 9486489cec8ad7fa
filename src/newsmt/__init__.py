"""newsmt: news articles into sentence-aligned translations and attributed summaries.

Public API (the CLI uses the same path): ``segment_text``, ``translate_text``, ``summarize_text``,
``run``, and ``Resources`` + ``process`` for one's own loop. Imports are lazy so ``import newsmt``
stays cheap.
"""
from __future__ import annotations

__version__ = "0.1.0"
__all__ = ["segment_text", "translate_text", "summarize_text", "score_texts", "run", "Document", "Resources", "process"]
_HOMES = {"Document": "document", "segment_text": "segment", "translate_text": "api", "summarize_text": "api",
          "score_texts": "api", "run": "api", "Resources": "pipeline", "process": "pipeline"}


def __getattr__(name: str):
    if name not in _HOMES:
        raise AttributeError(name)
    from importlib import import_module

    return getattr(import_module(f".{_HOMES[name]}", __name__), name)
