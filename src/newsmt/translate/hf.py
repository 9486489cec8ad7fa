"""What the Hugging Face based backends share: loading a seq2seq model folder, its tokenizer,
model families and language tokens, length limits, model ids, and per-call torch threads.

Used by the transformers and CTranslate2 translation backends (which never import each other) and
by abstractive summarization (``model_path``, ``load_seq2seq``). Nothing here downloads: a model is
a local folder or a snapshot already in the Hugging Face cache.
"""
from __future__ import annotations

import hashlib
import json
import re
import threading
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import LanguageError, ModelError

# tokenizer class -> model family (how languages are signalled)
FAMILY_BY_TOKENIZER = {
    "MarianTokenizer": "marian",
    "NllbTokenizer": "nllb", "NllbTokenizerFast": "nllb",
    "M2M100Tokenizer": "m2m100",
    "MBart50Tokenizer": "mbart", "MBart50TokenizerFast": "mbart",
    "MBartTokenizer": "mbart", "MBartTokenizerFast": "mbart",
}

# ISO 639-1 -> the language token of each multilingual family (M2M100 takes ISO codes itself).
# Any code the tokenizer knows can also be passed as is (e.g. src="rus_Cyrl").
LANG_CODES: dict[str, dict[str, str]] = {
    "nllb": {
        "ar": "arb_Arab", "ba": "bak_Cyrl", "be": "bel_Cyrl", "bg": "bul_Cyrl", "cs": "ces_Latn",
        "da": "dan_Latn", "de": "deu_Latn", "el": "ell_Grek", "en": "eng_Latn", "es": "spa_Latn",
        "et": "est_Latn", "fi": "fin_Latn", "fr": "fra_Latn", "he": "heb_Hebr", "hi": "hin_Deva",
        "hu": "hun_Latn", "hy": "hye_Armn", "it": "ita_Latn", "ja": "jpn_Jpan", "ka": "kat_Geor",
        "kk": "kaz_Cyrl", "ko": "kor_Hang", "ky": "kir_Cyrl", "lt": "lit_Latn", "lv": "lvs_Latn",
        "nl": "nld_Latn", "no": "nob_Latn", "pl": "pol_Latn", "pt": "por_Latn", "ro": "ron_Latn",
        "ru": "rus_Cyrl", "sk": "slk_Latn", "sl": "slv_Latn", "sr": "srp_Cyrl", "sv": "swe_Latn",
        "tg": "tgk_Cyrl", "tr": "tur_Latn", "tt": "tat_Cyrl", "uk": "ukr_Cyrl", "uz": "uzn_Latn",
        "vi": "vie_Latn", "zh": "zho_Hans",
    },
    "mbart": {
        "ar": "ar_AR", "cs": "cs_CZ", "de": "de_DE", "en": "en_XX", "es": "es_XX", "et": "et_EE",
        "fi": "fi_FI", "fr": "fr_XX", "he": "he_IL", "hi": "hi_IN", "it": "it_IT", "ja": "ja_XX",
        "ka": "ka_GE", "kk": "kk_KZ", "ko": "ko_KR", "lt": "lt_LT", "lv": "lv_LV", "nl": "nl_XX",
        "pl": "pl_PL", "pt": "pt_XX", "ro": "ro_RO", "ru": "ru_RU", "sv": "sv_SE", "tr": "tr_TR",
        "uk": "uk_UA", "vi": "vi_VN", "zh": "zh_CN",
    },
}

WEIGHT_SUFFIXES = (".safetensors", ".bin", ".pt", ".pth", ".h5", ".msgpack", ".ckpt", ".ot")
MIN_OUTPUT_TOKENS = 32


def read_json(path: Path) -> dict[str, Any]:
    """The JSON object in ``path`` ({} when there is no such file); ModelError when it is broken."""
    try:
        data = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    except (OSError, ValueError) as e:
        raise ModelError(f"{path}: unreadable JSON ({' '.join(str(e).split())})") from None
    if not isinstance(data, dict):
        raise ModelError(f"{path}: not a JSON object")
    return data


def load_tokenizer(model_dir: Path, tokenizer_class: str = ""):
    """The Hugging Face tokenizer saved in ``model_dir`` (``tokenizer_class`` names it explicitly)."""
    import transformers

    try:
        if tokenizer_class and hasattr(transformers, tokenizer_class):
            return getattr(transformers, tokenizer_class).from_pretrained(str(model_dir), local_files_only=True)
        return transformers.AutoTokenizer.from_pretrained(str(model_dir), local_files_only=True)
    except (OSError, ValueError, TypeError, KeyError, RuntimeError) as e:
        raise ModelError(f"{model_dir}: cannot load the tokenizer ({' '.join(str(e).split())})") from None


def model_family(tokenizer) -> str:
    """marian | nllb | m2m100 | mbart, or "generic" (a seq2seq model without language tokens)."""
    return FAMILY_BY_TOKENIZER.get(type(tokenizer).__name__, "generic")


def _vocab_has(tokenizer, token: str) -> bool:
    tid = tokenizer.convert_tokens_to_ids(token)
    return tid is not None and tid != tokenizer.unk_token_id


def tokenizer_has(tokenizer, char: str) -> bool:
    """Whether ``tokenizer`` reads ``char`` other than as its unknown token (``Backend._has``)."""
    return tokenizer.unk_token_id is None or tokenizer.unk_token_id not in tokenizer(char, add_special_tokens=False)["input_ids"]


def language_token(family: str, lang: str, tokenizer) -> str:
    """The token that names ``lang`` in a multilingual family (nllb, m2m100, mbart)."""
    if family == "m2m100":
        code = lang if lang in tokenizer.lang_code_to_id else _base_lang(lang)
        if code not in tokenizer.lang_code_to_id:
            raise LanguageError(f"this M2M100 model has no language {lang!r}")
        return tokenizer.get_lang_token(code)
    if lang in tokenizer.added_tokens_encoder:  # a native code such as rus_Cyrl or ru_RU
        return lang
    token = LANG_CODES[family].get(_base_lang(lang), "")
    if not token or not _vocab_has(tokenizer, token):
        raise LanguageError(
            f"the {family} model has no code for language {lang!r}; pass its own code "
            f"(e.g. {next(iter(LANG_CODES[family].values()))}) or add it to LANG_CODES"
        )
    return token


def _base_lang(lang: str) -> str:
    return re.split(r"[-_]", lang.strip().lower())[0]


class LanguageSetup:
    """How one direction is signalled to a model: tokenizer source language and target token.

    marian: nothing, except multi-target OPUS-MT models whose vocabulary has ``>>xxx<<`` tokens:
    the target token is prepended to the source text. nllb/m2m100/mbart: the tokenizer's
    ``src_lang`` adds the source token; the target token is forced as the first output token.
    """

    def __init__(self, family: str, tokenizer, src: str, tgt: str) -> None:
        self.source_prefix = ""
        self.target_token: str | None = None
        if family == "marian":
            self.source_prefix = _marian_target_prefix(tokenizer, tgt)
        elif family != "generic":
            src_token = language_token(family, src, tokenizer)
            self.target_token = language_token(family, tgt, tokenizer)
            tokenizer.src_lang = src_token if family != "m2m100" else src_token.strip("_")
            tokenizer.tgt_lang = self.target_token if family != "m2m100" else self.target_token.strip("_")
        self.target_id = tokenizer.convert_tokens_to_ids(self.target_token) if self.target_token else None


def _marian_target_prefix(tokenizer, tgt: str) -> str:
    codes = getattr(tokenizer, "supported_language_codes", []) or []
    if not codes:
        return ""
    nllb = LANG_CODES["nllb"].get(_base_lang(tgt), "")
    for code in (tgt, nllb, nllb[:3], _base_lang(tgt)):
        if code and f">>{code}<<" in codes:
            return f">>{code}<< "
    raise LanguageError(f"this multi-target OPUS-MT model has no target token for {tgt!r}")


def output_limit(n_input_tokens: int, cap: int) -> int:
    """Most output tokens for an input: 2n+10 rounded up to a power-of-two bucket (>= 32), capped.

    Buckets keep the number of ``generate`` calls per batch small while the limit stays a
    function of the sentence alone.
    """
    need, limit = 2 * n_input_tokens + 10, MIN_OUTPUT_TOKENS
    while limit < need:
        limit *= 2
    return min(limit, cap)


def group_by_limit(lengths: list[int], cap: int) -> dict[int, list[int]]:
    """Indices of the inputs grouped by their output limit."""
    groups: dict[int, list[int]] = defaultdict(list)
    for i, n in enumerate(lengths):
        groups[output_limit(n, cap)].append(i)
    return dict(sorted(groups.items()))


def weights_fingerprint(model_dir: Path) -> str:
    """12 hex digits identifying the weights: a commit hash for a Hugging Face cache snapshot,
    else sha256 over the config and each weights file's size, first and last MiB (fast on GBs)."""
    parts = model_dir.resolve().parts
    if len(parts) > 2 and parts[-2] == "snapshots" and re.fullmatch(r"[0-9a-f]{40}", parts[-1]):
        return parts[-1][:12]
    h = hashlib.sha256()
    for f in sorted(model_dir.iterdir()):
        if f.name == "config.json" or f.name.endswith(WEIGHT_SUFFIXES) or f.name == "model.bin":
            size = f.stat().st_size
            h.update(f"{f.name}:{size}".encode())
            with f.open("rb") as fh:
                h.update(fh.read(1 << 20))
                fh.seek(max(0, size - (1 << 20)))
                h.update(fh.read(1 << 20))
    return h.hexdigest()[:12]


def model_name(model_dir: Path, config: dict[str, Any]) -> str:
    """A readable name: the hub id (config ``_name_or_path`` or cache folder) or the folder name."""
    parts = model_dir.resolve().parts
    if len(parts) > 3 and parts[-2] == "snapshots" and parts[-3].startswith("models--"):
        return parts[-3].removeprefix("models--").replace("--", "/")
    hub_id = str(config.get("_name_or_path", ""))
    if re.fullmatch(r"[\w.-]+/[\w.-]+", hub_id) and not Path(hub_id).exists():
        return hub_id
    return model_dir.resolve().name


def input_limit(tokenizer, config: dict[str, Any]) -> int:
    """Longest input in tokens: the smaller of the tokenizer's and the model's position limits."""
    limits = [n for n in (getattr(tokenizer, "model_max_length", 0), config.get("max_position_embeddings", 0))
              if isinstance(n, int) and 0 < n < 1_000_000]
    return min(limits) if limits else 512


def decode(tokenizer, ids: list[int]) -> str:
    """Output ids to text without special tokens (no "clean up": spacing as the model wrote it)."""
    return tokenizer.decode(ids, skip_special_tokens=True, clean_up_tokenization_spaces=False).strip()


def require_dir(model_dir: Path, marker: str) -> Path:
    """``model_dir`` when it holds ``marker``; ModelError naming the folder otherwise."""
    model_dir = Path(model_dir)
    if not model_dir.is_dir():
        raise ModelError(f"model folder not found: {model_dir}")
    if not (model_dir / marker).is_file():
        raise ModelError(f"{model_dir} is not a model folder (no {marker})")
    return model_dir


# ---- threads ---------------------------------------------------------------------------------

_TORCH_THREADS = threading.RLock()


@contextmanager
def torch_threads(threads: int) -> Iterator[None]:
    """Run the block with torch's intra-op threads set to ``threads`` (0: leave as is), then restore
    the previous value: a backend never changes the process's setting beyond its own call.

    torch's setting is process wide, so calls that set it are serialized by one lock (a second
    backend in another thread waits instead of running with the wrong thread count).
    """
    import torch

    with _TORCH_THREADS:
        before = torch.get_num_threads()
        if threads and threads != before:
            torch.set_num_threads(threads)
        try:
            yield
        finally:
            if torch.get_num_threads() != before:
                torch.set_num_threads(before)


# ---- loading ---------------------------------------------------------------------------------


def load_transformers_model(model_dir: Path, dtype: str | None = "float32"):
    """``AutoModelForSeq2SeqLM`` from a local folder, in eval mode (``dtype`` None: as saved)."""
    import torch
    from transformers import AutoModelForSeq2SeqLM

    kwargs = {"dtype": getattr(torch, dtype)} if dtype else {}
    try:
        return AutoModelForSeq2SeqLM.from_pretrained(str(model_dir), local_files_only=True, **kwargs).eval()
    except (OSError, ValueError, KeyError, RuntimeError) as e:
        raise ModelError(f"{model_dir}: cannot load the model ({' '.join(str(e).split())})") from None


def load_ct2_translator(model_dir: Path, compute_type: str = "default", inter_threads: int = 1,
                        intra_threads: int = 0):
    """A CPU ``ctranslate2.Translator``; its threads are its own (never the process's torch threads)."""
    import ctranslate2

    try:
        return ctranslate2.Translator(str(model_dir), device="cpu", compute_type=compute_type,
                                      inter_threads=inter_threads, intra_threads=intra_threads)
    except (RuntimeError, ValueError) as e:
        raise ModelError(f"{model_dir}: cannot load the CTranslate2 model ({' '.join(str(e).split())})") from None


def model_path(model: str, what: str = "model") -> Path:
    """A local model folder, or the cached snapshot of a Hugging Face name (never downloads);
    ModelError saying how to get it (``what`` names the model's job in the message)."""
    if not model:
        raise ModelError(f"no {what} given: pass a model folder or a Hugging Face name already in the local cache")
    path = Path(model).expanduser()
    if path.is_dir():
        return path
    try:
        from huggingface_hub import snapshot_download

        return Path(snapshot_download(model, local_files_only=True))
    except (OSError, ValueError):  # not cached, or not a valid repository name
        raise ModelError(f"{what} {model!r} is neither a directory nor in the local Hugging Face cache; on a "
                         f"connected machine run `hf download {model}`, then pass its directory with --model") from None


@dataclass
class Seq2SeqModel:
    """A loaded seq2seq folder: its tokenizer and either a transformers model or a CTranslate2
    translator (a folder with ``model.bin``). ``close()`` frees the model (idempotent)."""

    path: Path
    tokenizer: Any
    model: Any = None  # transformers AutoModelForSeq2SeqLM in eval mode
    translator: Any = None  # ctranslate2.Translator
    config: dict[str, Any] = field(default_factory=dict)  # config.json ({} for CTranslate2 folders)

    @property
    def kind(self) -> str:
        return "ctranslate2" if self.translator is not None else "transformers"

    @property
    def closed(self) -> bool:
        return self.model is None and self.translator is None

    def task_prefix(self, task: str) -> str:
        """The model's input prefix for ``task`` (T5: "summarize: "), or ""."""
        tasks = self.config.get("task_specific_params") or {}
        return str((tasks.get(task) or {}).get("prefix", "")) if isinstance(tasks, dict) else ""

    def input_limit(self) -> int:
        return input_limit(self.tokenizer, self.config)

    def close(self) -> None:
        if self.translator is not None:
            self.translator.unload_model()
        self.model = self.translator = None


def load_seq2seq(path: Path, *, tokenizer_class: str = "", dtype: str | None = None, compute_type: str = "default",
                 inter_threads: int = 1, intra_threads: int = 0) -> Seq2SeqModel:
    """Load a seq2seq folder: CTranslate2 when it holds ``model.bin`` (tokenizer files beside it),
    else transformers. ModelError (one line) when anything cannot be loaded."""
    path = Path(path)
    if (path / "model.bin").is_file():
        path = require_dir(path, "model.bin")
        tokenizer = load_tokenizer(path, tokenizer_class)
        return Seq2SeqModel(path, tokenizer, translator=load_ct2_translator(path, compute_type, inter_threads, intra_threads))
    path = require_dir(path, "config.json")
    config = read_json(path / "config.json")
    tokenizer = load_tokenizer(path, tokenizer_class)
    return Seq2SeqModel(path, tokenizer, model=load_transformers_model(path, dtype), config=config)
