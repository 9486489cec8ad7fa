"""Translation models converted to CTranslate2 (int8 on CPU), tokenized with their Hugging Face tokenizer.

``convert_to_ctranslate2`` turns a Hugging Face model folder into a CTranslate2 folder that also
holds the tokenizer files and ``newsmt.json`` (source model id, family, limits), so the converted
folder is self-contained. Language tokens: the source token comes from the tokenizer, the target
token is given to CTranslate2 as ``target_prefix`` (families and helpers shared in ``hf.py``).
"""
from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path

from ..config import available_cores
from ..errors import ModelError
from ..fileio import replace_dir, unique_sibling, write_atomic
from .backend import Backend, Hypothesis
from .hf import (
    WEIGHT_SUFFIXES,
    LanguageSetup,
    decode,
    group_by_limit,
    input_limit,
    load_ct2_translator,
    load_tokenizer,
    model_family,
    model_name,
    read_json,
    require_dir,
    tokenizer_has,
    weights_fingerprint,
)

log = logging.getLogger(__name__)

META = "newsmt.json"
MAX_DEFAULT_WORKERS = 4  # beyond this, extra cores go to threads within each worker
MAX_SUB_BATCH_TOKENS = 4096  # sub-batches of large calls: workers take them from one queue
QUANTIZATIONS = ("int8", "int8_float32", "int8_float16", "int8_bfloat16", "int16", "float16", "bfloat16", "float32")
# compute types on CPU, best first, for models converted to a type this machine cannot run
CPU_COMPUTE_TYPES = ("int8", "int8_float32", "float32")


def thread_plan(threads: int = 0, workers: int = 0) -> tuple[int, int]:
    """(workers, threads per worker) for a budget of ``threads`` cores (0 = all available).

    Several one-thread workers translating different sub-batches use small CPUs better than one
    multi-thread worker (measured on 2-core machines: two 1-thread workers are faster), so the
    default is one worker per core, up to MAX_DEFAULT_WORKERS.
    """
    total = threads or available_cores()
    workers = workers or min(total, MAX_DEFAULT_WORKERS)
    return workers, max(1, total // workers)


class CTranslate2Backend(Backend):
    """A CTranslate2 model folder made by ``convert_to_ctranslate2`` (or by ct2-transformers-converter
    with the tokenizer files copied beside it).

    Each ``translate`` call is split into sub-batches of about ``total tokens / workers`` (at most
    MAX_SUB_BATCH_TOKENS) so that every worker has work: measured on 2 cores, finer splits of an
    engine batch are slower, and one call with all sentences runs at 94-98% of raw CTranslate2.

    Threads: CTranslate2's own options (``inter_threads`` workers x ``intra_threads`` each, see
    ``thread_plan``), local to this translator; the process's torch threads are never touched.
    """

    name = "ctranslate2"
    nbest = True
    min_call_tokens = 65536  # it sorts, sub-batches and spreads large calls over its workers itself

    def __init__(self, model_dir: str | Path, src: str, tgt: str, beam: int = 4, threads: int = 0,
                 workers: int = 0, compute_type: str = "auto") -> None:
        import ctranslate2

        self.model_dir = require_dir(Path(model_dir), "model.bin")
        meta = read_json(self.model_dir / META)
        self.tokenizer = load_tokenizer(self.model_dir, meta.get("tokenizer_class", ""))
        self.family = model_family(self.tokenizer)
        self.lang = LanguageSetup(self.family, self.tokenizer, src, tgt)
        self.workers, self.threads = thread_plan(threads, workers)
        if compute_type == "auto":  # the converted type where this CPU runs it, else the best it does
            supported = ctranslate2.get_supported_compute_types("cpu")
            preferred = (meta.get("quantization"), *CPU_COMPUTE_TYPES)
            compute_type = next((c for c in preferred if c in supported), "default")
        self.translator = load_ct2_translator(self.model_dir, compute_type, self.workers, self.threads)
        self.compute_type = compute_type
        self.beam = beam
        self.max_input_tokens = int(meta.get("max_input_tokens") or input_limit(self.tokenizer, {}))
        self.max_output_tokens = int(meta.get("max_output_tokens") or 512)
        source = meta.get("source_model_id") or f"{self.model_dir.resolve().name}@{weights_fingerprint(self.model_dir)}"
        self.model_id = f"{source}+ct2-{meta.get('quantization', 'unknown')}"

    def _tokens(self, texts: list[str]) -> list[list[str]]:
        ids = self.tokenizer([self.lang.source_prefix + t for t in texts])["input_ids"]
        return [self.tokenizer.convert_ids_to_tokens(x) for x in ids]

    def _has(self, char: str) -> bool:
        return tokenizer_has(self.tokenizer, char)

    def count_tokens(self, texts: list[str]) -> list[int]:
        return [len(t) for t in self._tokens(texts)] if texts else []

    def translate(self, texts: list[str]) -> list[Hypothesis]:
        return [hyps[0] for hyps in self._decode(texts, 1)]

    def translate_nbest(self, texts: list[str], n: int) -> list[list[Hypothesis]]:
        """The ``n`` best hypotheses of a beam of ``max(beam, n)`` (CTranslate2's ``num_hypotheses``)."""
        return self._decode(texts, max(1, n))

    def _decode(self, texts: list[str], n: int) -> list[list[Hypothesis]]:
        translator = self._require_open(self.translator)
        source = self._tokens(texts)
        if any(len(s) > self.max_input_tokens for s in source):
            log.warning("input truncated to %d tokens (split long sentences before translate())",
                        self.max_input_tokens)
        pending = []
        for limit, idx in group_by_limit([len(s) for s in source], self.max_output_tokens).items():
            group = [source[i] for i in idx]
            sub_batch = min(MAX_SUB_BATCH_TOKENS, -(-sum(len(s) for s in group) // self.workers))
            prefix = [[self.lang.target_token]] * len(group) if self.lang.target_token else None
            results = translator.translate_batch(
                group, target_prefix=prefix, beam_size=max(self.beam, n), num_hypotheses=n,
                max_decoding_length=limit, max_input_length=self.max_input_tokens, return_scores=True,
                max_batch_size=max(max(map(len, group)), sub_batch), batch_type="tokens",
                asynchronous=True,
            )
            pending.append(((limit, idx), results))
        out: list[list[Hypothesis]] = [[Hypothesis("")]] * len(texts)
        for (limit, idx), results in pending:
            for i, res in zip(idx, results):
                result = res.result()
                out[i] = [self._hypothesis(tokens, score, limit)
                          for tokens, score in zip(result.hypotheses, result.scores)]
        return out

    def _hypothesis(self, tokens: list[str], score: float, limit: int) -> Hypothesis:
        """Text and mean token log-prob (EOS included, target prefix excluded).

        CTranslate2 scores a hypothesis as sum(log p) / (prefix + generated tokens, EOS included):
        the forced prefix counts in the length with log p = 0. Rescaled here to the mean over
        generated tokens, as the transformers backend reports it.
        """
        prefix = 1 if self.lang.target_token else 0
        generated = len(tokens) - prefix + (0 if len(tokens) >= limit else 1)  # +1: the EOS, unless cut at the limit
        ids = self.tokenizer.convert_tokens_to_ids(tokens[prefix:])
        logprob = score * (generated + prefix) / max(1, generated)
        return Hypothesis(decode(self.tokenizer, ids), round(logprob, 4))

    def close(self) -> None:
        """Unload the model (idempotent); ``translate`` raises ModelError afterwards."""
        if self.translator is not None:
            self.translator.unload_model()
            self.translator = None


def _converter_class():
    """TransformersConverter adapted to transformers 5 (M2M100 language tokens moved)."""
    from ctranslate2.converters import TransformersConverter

    class _TokenizerV4View:
        """Shows M2M100's language tokens as ``additional_special_tokens``, where the converter reads them."""

        def __init__(self, tokenizer) -> None:
            self._tokenizer = tokenizer

        def __getattr__(self, name: str):
            return getattr(self._tokenizer, name)

        @property
        def special_tokens_map(self) -> dict:
            langs = sorted(self._tokenizer.lang_token_to_id, key=self._tokenizer.lang_token_to_id.get)
            return {**self._tokenizer.special_tokens_map, "additional_special_tokens": langs}

    class Converter(TransformersConverter):
        def load_tokenizer(self, tokenizer_class, model_name_or_path, **kwargs):
            tokenizer = super().load_tokenizer(tokenizer_class, model_name_or_path, **kwargs)
            langs_hidden = "additional_special_tokens" not in tokenizer.special_tokens_map
            return _TokenizerV4View(tokenizer) if hasattr(tokenizer, "lang_token_to_id") and langs_hidden else tokenizer

    return Converter


def convert_to_ctranslate2(model_dir: Path, out_dir: Path, quantization: str = "int8", force: bool = False) -> Path:
    """Convert a Hugging Face translation model folder to CTranslate2 in ``out_dir``.

    The result appears only when complete (converted into a temporary sibling folder, then
    renamed); an existing ``out_dir`` is replaced only with ``force``. Tokenizer and generation
    files are copied beside the model, with ``newsmt.json`` describing the source.
    """
    model_dir, out_dir = require_dir(Path(model_dir), "config.json"), Path(out_dir)
    if quantization not in QUANTIZATIONS:
        raise ModelError(f"unknown quantization {quantization!r}; use one of {', '.join(QUANTIZATIONS)}")
    if out_dir.exists() and not force:
        raise ModelError(f"{out_dir} already exists; pass --force to replace it")
    config = read_json(model_dir / "config.json")
    tokenizer = load_tokenizer(model_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = unique_sibling(out_dir, "converting")
    try:
        _converter_class()(str(model_dir)).convert(str(tmp), quantization=quantization, force=True)
        for f in model_dir.iterdir():  # tokenizer and generation files; CTranslate2 wrote its own config
            if f.is_file() and not f.name.endswith(WEIGHT_SUFFIXES) and not (tmp / f.name).exists():
                shutil.copy2(f, tmp / f.name)
        meta = {
            "source_model_id": f"{model_name(model_dir, config)}@{weights_fingerprint(model_dir)}",
            "family": model_family(tokenizer),
            "tokenizer_class": type(tokenizer).__name__,
            "quantization": quantization,
            "max_input_tokens": input_limit(tokenizer, config),
            "max_output_tokens": int(config.get("max_position_embeddings") or 512),
        }
        write_atomic(tmp / META, json.dumps(meta, indent=1) + "\n")
    except (OSError, ValueError, RuntimeError, KeyError, AttributeError) as e:
        shutil.rmtree(tmp, ignore_errors=True)
        raise ModelError(f"cannot convert {model_dir} to CTranslate2: {' '.join(str(e).split())}") from None
    except BaseException:  # interrupted: leave no temporary folder behind
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    replace_dir(tmp, out_dir)
    return out_dir
