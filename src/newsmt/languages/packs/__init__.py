"""Language packs as data: ``<code>/<section>.toml``, one folder per language, one file per concern.

A section is one concern's words and rules for one language: ``segment`` (terminators, quotes,
abbreviations: what the sentence splitter reads), ``numbers``, ``dates``, ``units``, ``names``,
``stopwords``, ``boilerplate``, ``variants``, ``transliteration``... The folder ``generic`` holds
the rules for a language without a pack (Unicode terminators of every script). Files are read once
and kept: a section is plain, read-only data (tables and lists), and whatever a module compiles
from it, it caches per ``Language``.
"""
from __future__ import annotations

import sys
from functools import lru_cache
from importlib import resources
from types import MappingProxyType
from typing import Any, Mapping

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

GENERIC = "generic"
Section = Mapping[str, Any]
_ROOT = resources.files(__name__)


@lru_cache(maxsize=1)
def pack_codes() -> tuple[str, ...]:
    """The languages (primary subtags) that have a pack of their own, sorted."""
    return tuple(sorted(d.name for d in _ROOT.iterdir() if d.is_dir() and d.name not in (GENERIC, "__pycache__")))


@lru_cache(maxsize=None)
def read_section(pack: str, name: str) -> Section | None:
    """Section ``name`` of ``pack`` (a read-only mapping), or None where the pack has none."""
    path = _ROOT.joinpath(pack, f"{name}.toml")
    if not path.is_file():
        return None
    return MappingProxyType(tomllib.loads(path.read_text(encoding="utf-8")))


def sections(pack: str) -> list[str]:
    """The sections ``pack`` has."""
    return sorted(f.name[:-5] for f in _ROOT.joinpath(pack).iterdir() if f.name.endswith(".toml"))
