"""One registry of translation backends, keyed by the backend name ``models.resolve`` reports.

``BACKENDS`` maps each name to a loader ``(resolved, cfg, src, tgt) -> Backend``; a loader
imports its backend module only when called, so loading one backend never imports another's
libraries. The caller owns the returned backend and calls ``close()`` when done.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from ..config import TranslateConfig
from ..errors import ConfigError, extras_needed
from .backend import Backend

if TYPE_CHECKING:
    from ..models import ResolvedModel

Loader = Callable[["ResolvedModel", TranslateConfig, str, str], Backend]


def _bergamot(resolved: ResolvedModel, cfg: TranslateConfig, src: str, tgt: str) -> Backend:
    from .bergamot import BergamotBackend

    return BergamotBackend(resolved.path, threads=cfg.threads)


def _ctranslate2(resolved: ResolvedModel, cfg: TranslateConfig, src: str, tgt: str) -> Backend:
    from .ctranslate2_backend import CTranslate2Backend

    return CTranslate2Backend(resolved.path, src, tgt, beam=cfg.beam, threads=cfg.threads)


def _transformers(resolved: ResolvedModel, cfg: TranslateConfig, src: str, tgt: str) -> Backend:
    from .transformers_backend import TransformersBackend

    return TransformersBackend(resolved.path, src, tgt, beam=cfg.beam, threads=cfg.threads)


BACKENDS: dict[str, Loader] = {
    "bergamot": _bergamot,
    "ctranslate2": _ctranslate2,
    "transformers": _transformers,
}


def create_backend(resolved: ResolvedModel, cfg: TranslateConfig, src: str = "", tgt: str = "") -> Backend:
    """Load the backend for a resolved model (``resolved.backend``: a key of ``BACKENDS``)."""
    loader = BACKENDS.get(resolved.backend)
    if loader is None:
        raise ConfigError(f"unknown backend {resolved.backend!r}: use {', '.join(BACKENDS)}")
    with extras_needed():  # transformers, torch, ctranslate2: the [hf] extra
        return loader(resolved, cfg, src, tgt or cfg.tgt)
