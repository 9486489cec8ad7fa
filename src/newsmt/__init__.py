"""newsmt: news articles into sentence-aligned translations and attributed summaries.

Public API (the CLI uses the same functions): ``segment_text``, ``translate_text``,
``summarize_text``, ``run``. Imports are lazy so ``import newsmt`` stays cheap.
"""
from __future__ import annotations

__version__ = "0.1.0"
__all__ = ["segment_text", "translate_text", "summarize_text", "run", "Document"]


def __getattr__(name: str):
    if name == "Document":
        from .document import Document
        return Document
    if name == "segment_text":
        from .segment import segment_text
        return segment_text
    if name == "translate_text":
        from .translate.engine import translate_text
        return translate_text
    if name == "summarize_text":
        from .summarize import summarize_text
        return summarize_text
    if name == "run":
        from .pipeline import run
        return run
    raise AttributeError(name)
