"""``pull``: the only code that touches the network. Downloads are verified and resumable.

Firefox Translations files: over HTTP with resume (Range), never more bytes than the registry
declares (a server announcing or sending more is refused at once; a gzip-served file is never
decompressed beyond its declared size), then checked against the registry's size and sha256.
Hugging Face models: ``snapshot_download`` at the pinned revision. Everything is staged in
``models_home()/.incoming/`` and the model folder appears only when complete and verified.
"""
from __future__ import annotations

import gzip
import hashlib
import http.client
import json
import os
import shutil
import urllib.error
import urllib.parse
import urllib.request
import zlib
from pathlib import Path

from ..errors import ConfigError, ModelError
from ..fileio import replace_dir, write_atomic
from ..progress import progress
from .folders import (
    MARKER,
    TOKENIZER,
    build_tokenizer_json,
    check_name,
    is_model_name,
    locate,
    models_home,
)
from .registry import ModelFile, ModelInfo, entry, firefox_base_url, known_names
from .resolve import offline_hint

_CHUNK = 1 << 16


class _Interrupted(Exception):
    """A download that stopped before its end (resumable)."""


class _NotFound(Exception):
    """HTTP 404."""


def gzip_cap(size: int) -> int:
    """The most bytes a gzip stream of ``size`` bytes can take (deflate's worst case: stored
    blocks, 5 bytes per 16 KiB and less, plus header, file name and trailer)."""
    return size + size // 1000 + 1024


def pull(name: str, base_url: str | None = None, force: bool = False, retries: int = 2) -> Path:
    """Install ``name`` under models_home() and return its folder.

    Hugging Face models: ``snapshot_download`` at the pinned revision. Firefox Translations models:
    each file over HTTP with resume (Range), verified against the registry's size and sha256. Files
    are staged in ``models_home()/.incoming/`` and the folder appears only when complete and verified;
    an interrupted pull resumes where it stopped. ``base_url`` (or ``$NEWSMT_FTM_BASE_URL``)
    replaces the Firefox registry's URL. A name that is not NAME or ORG/NAME is a ConfigError.
    """
    check_name(name)
    info = entry(name)
    if info is None and "/" not in name:
        raise ModelError(f"unknown model {name!r}; known: {', '.join(known_names())}")
    home = models_home()
    dest = home / name
    if not dest.resolve().is_relative_to(home.resolve()):  # a link planted inside the home
        raise ModelError(f"refusing to install {name}: {dest} leads outside the models home {home}")
    found = locate(name, info.revision if info else "", info.bundled if info else "")
    if found and not force:
        return found.path
    staging = home / ".incoming" / name.replace("/", "--")
    staging.mkdir(parents=True, exist_ok=True)
    if info is not None and info.source == "firefox":
        base = base_url or os.environ.get("NEWSMT_FTM_BASE_URL") or firefox_base_url()
        if urllib.parse.urlsplit(base).scheme not in ("http", "https", "file"):
            raise ConfigError(f"base URL {base!r} is not a URL: give http://, https:// or file://")
        _pull_firefox(info, staging, base.rstrip("/"), retries, dest)
        revision = info.revision
    else:
        revision = info.revision if info else ""
        _pull_hf(name, revision, staging, dest)
    write_atomic(staging / MARKER, json.dumps({"name": name, "revision": revision or "main"}, indent=1) + "\n")
    replace_dir(staging, dest)
    return dest


def _pull_hf(repo_id: str, revision: str, staging: Path, dest: Path) -> None:
    from huggingface_hub import constants, snapshot_download

    endpoint = os.environ.get("HF_ENDPOINT", constants.ENDPOINT)
    offline = f"no network: cannot reach {endpoint} to download {repo_id}; {offline_hint(repo_id, revision, dest)}"
    try:  # snapshot_download retries for minutes and then returns an empty folder when offline
        urllib.request.urlopen(urllib.request.Request(endpoint, method="HEAD"), timeout=10).close()
    except urllib.error.HTTPError:
        pass  # the server answered
    except (urllib.error.URLError, OSError):
        raise ModelError(offline) from None
    try:
        snapshot_download(repo_id, revision=revision or None, local_dir=staging)
    except Exception as e:  # noqa: BLE001 - hub errors vary by version; all mean "could not download"
        raise ModelError(f"download of {repo_id} failed ({type(e).__name__}: {' '.join(str(e).split())}). {offline}") from None
    if not (staging / "config.json").is_file():
        raise ModelError(offline)
    shutil.rmtree(staging / ".cache", ignore_errors=True)


def _pull_firefox(info: ModelInfo, staging: Path, base: str, retries: int, dest: Path) -> None:
    with progress(f"pull {info.name}", total=sum(f.size for f in info.files)) as bar:
        for f in info.files:
            if "/" in f.name or not is_model_name(f.name):  # one plain name: it stays in the staging folder
                raise ModelError(f"registry entry {info.name} has an invalid file name {f.name!r}")
            final = staging / f.name
            if not (final.is_file() and _sha256(final) == f.sha256):
                _fetch_verified(f"{base}/{info.registry_pair}/{f.name}", f, final, retries, dest)
            bar.advance(f.size)
    vocab = next(f.name for f in info.files if f.name.startswith("vocab."))
    build_tokenizer_json(staging / vocab, staging / TOKENIZER)  # the engine needs it; registry folders lack it
    _write_bergamot_config(info, staging)


def _fetch_verified(url: str, f: ModelFile, final: Path, retries: int, dest: Path) -> None:
    """Download ``url`` (or ``url.gz``, decompressed) into ``final``, resuming a ``.part`` file.

    Size and sha256 are checked against the registry; a file that fails is removed.
    """
    for candidate in (url, url + ".gz"):
        part = final.with_name(candidate.rsplit("/", 1)[1] + ".part")
        gz = candidate.endswith(".gz")
        try:
            _download_retrying(candidate, part, gzip_cap(f.size) if gz else f.size, retries, dest)
            break
        except _NotFound:
            continue
    else:
        raise ModelError(f"download failed: {url}: HTTP 404 Not Found (also tried {url}.gz)")
    if gz:
        _gunzip_capped(part, final, f.size)
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


def _gunzip_capped(part: Path, final: Path, size: int) -> None:
    """Decompress ``part`` into ``final``, stopping (and refusing) past ``size`` bytes: a gzip bomb
    never gets further than its declared size. ``part`` is removed; ``final`` only holds a whole file."""
    written = 0
    try:
        with gzip.open(part, "rb") as src, open(final, "wb") as out:
            while chunk := src.read(min(_CHUNK, size - written + 1)):
                written += len(chunk)
                if written > size:
                    raise ModelError(f"corrupt download refused: {part.name} decompresses to more than the "
                                     f"declared {size} bytes of {final.name}; the file was removed, run the pull again")
                out.write(chunk)
    except (OSError, EOFError, zlib.error):
        final.unlink(missing_ok=True)  # not gzip or cut short: reported by the size check
    except ModelError:
        final.unlink(missing_ok=True)
        raise
    finally:
        part.unlink(missing_ok=True)


def _download_retrying(url: str, part: Path, limit: int, retries: int, dest: Path) -> None:
    for attempt in range(retries + 1):
        try:
            return _download(url, part, limit, dest)
        except _Interrupted as e:
            if attempt == retries:
                raise ModelError(f"download of {url} interrupted ({e}); run the same pull again to resume") from None


def _too_large(url: str, part: Path, limit: int, what: str) -> ModelError:
    part.unlink(missing_ok=True)
    return ModelError(f"download refused: {url} {what}, more than the {limit} bytes the registry declares; "
                      "nothing was kept")


def _download(url: str, part: Path, limit: int, dest: Path) -> None:
    """Append the rest of ``url`` to ``part`` (HTTP Range), never past ``limit`` bytes in all;
    _Interrupted when the body ends early."""
    offset = part.stat().st_size if part.exists() else 0
    if offset > limit:  # a leftover from elsewhere: start over
        part.unlink()
        offset = 0
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
        if total is not None and total > limit:
            raise _too_large(url, part, limit, f"announces {total} bytes")
        got = offset
        try:
            with open(part, "ab" if offset else "wb") as out:
                while chunk := resp.read(min(_CHUNK, limit - got + 1)):
                    if got + len(chunk) > limit:
                        out.close()
                        raise _too_large(url, part, limit, "sent more")
                    out.write(chunk)
                    got += len(chunk)
        except (http.client.HTTPException, OSError) as e:
            raise _Interrupted(f"{got} of {total or '?'} bytes: {e}") from None
    if total is not None and got < total:
        raise _Interrupted(f"{got} of {total} bytes")


def _total_length(resp: http.client.HTTPResponse, offset: int) -> int | None:
    crange = resp.headers.get("Content-Range", "")
    try:
        if "/" in crange and not crange.endswith("/*"):
            return int(crange.rsplit("/", 1)[1])
        length = resp.headers.get("Content-Length")
        return offset + int(length) if length is not None else None
    except ValueError:  # a malformed header: rely on the byte count and the checks
        return None


def _sha256(p: Path) -> str:
    h = hashlib.sha256()
    with open(p, "rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def _write_bergamot_config(info: ModelInfo, folder: Path) -> None:
    """The bergamot-translator config the wheel's folders carry (not needed by the native engine)."""
    by_kind = {f.name.split(".")[0]: f.name for f in info.files}
    write_atomic(
        folder / "config.intgemm8bitalpha.yml",
        "relative-paths: true\n"
        f"models:\n  - {by_kind['model']}\n"
        f"vocabs:\n  - {by_kind['vocab']}\n  - {by_kind['vocab']}\n"
        f"shortlist:\n    - {by_kind['lex']}\n    - false\n"
        "beam-size: 1\nnormalize: 1.0\nword-penalty: 0\nmini-batch: 64\nmaxi-batch: 1000\n"
        "maxi-batch-sort: src\nworkspace: 2000\nmax-length-factor: 2.5\ngemm-precision: int8shiftAlphaAll\n",
    )
