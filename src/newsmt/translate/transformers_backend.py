"""Hugging Face seq2seq translation models on PyTorch: Marian/OPUS-MT, NLLB, M2M100, mBART-50.

The helpers above the backend class (family detection, language tokens, length limits, model ids)
are shared with the CTranslate2 backend, which tokenizes with the same Hugging Face tokenizer.

Batch independence: a sentence's output limit depends only on its own length (bucketed, see
``output_limit``) and the batch is split into one ``generate`` call per limit, so neighbours never
change how long a hypothesis may grow. Padding itself is masked; on the tiny test models padded and
unpadded fp32 runs give identical tokens (tests/test_hf_backends.py checks it).
"""
from __future__ import annotations

import hashlib
import json
import logging
import re
from collections import defaultdict
from pathlib import Path
from typing import Any

from ..config import available_cores
from ..errors import LanguageError, ModelError
from .backend import Backend, Hypothesis

log = logging.getLogger(__name__)

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


# ---- shared helpers --------------------------------------------------------------------------


def read_json(path: Path) -> dict[str, Any]:
    try:
        return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    except (OSError, ValueError) as e:
        raise ModelError(f"{path}: unreadable JSON ({e})") from None


def load_tokenizer(model_dir: Path, tokenizer_class: str = ""):
    """The Hugging Face tokenizer saved in ``model_dir`` (``tokenizer_class`` names it explicitly)."""
    import transformers

    try:
        if tokenizer_class and hasattr(transformers, tokenizer_class):
            return getattr(transformers, tokenizer_class).from_pretrained(str(model_dir))
        return transformers.AutoTokenizer.from_pretrained(str(model_dir))
    except (OSError, ValueError, TypeError, KeyError) as e:
        raise ModelError(f"{model_dir}: cannot load the tokenizer ({e})") from None


def model_family(tokenizer) -> str:
    """marian | nllb | m2m100 | mbart, or "generic" (a seq2seq model without language tokens)."""
    return FAMILY_BY_TOKENIZER.get(type(tokenizer).__name__, "generic")


def _vocab_has(tokenizer, token: str) -> bool:
    tid = tokenizer.convert_tokens_to_ids(token)
    return tid is not None and tid != tokenizer.unk_token_id


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
    model_dir = Path(model_dir)
    if not (model_dir / marker).is_file():
        raise ModelError(f"{model_dir} is not a model folder (no {marker})")
    return model_dir


# ---- the backend -----------------------------------------------------------------------------


class TransformersBackend(Backend):
    """Any Hugging Face seq2seq translation model, run with ``generate`` (beam search) on CPU.

    ``threads`` sets torch's intra-op threads (process wide; 0 = all available cores).
    ``logprob`` is the mean log-probability of the output tokens (EOS included, the forced
    language token excluded), from one teacher-forced pass over the chosen hypotheses.
    """

    name = "transformers"

    def __init__(self, model_dir: str | Path, src: str, tgt: str, beam: int = 4, threads: int = 0) -> None:
        import torch
        from transformers import AutoModelForSeq2SeqLM

        self.model_dir = require_dir(Path(model_dir), "config.json")
        config = read_json(self.model_dir / "config.json")
        self.tokenizer = load_tokenizer(self.model_dir)
        self.family = model_family(self.tokenizer)
        self.lang = LanguageSetup(self.family, self.tokenizer, src, tgt)
        torch.set_num_threads(threads or available_cores())
        try:
            self.model = AutoModelForSeq2SeqLM.from_pretrained(str(self.model_dir), dtype=torch.float32).eval()
        except (OSError, ValueError, KeyError) as e:
            raise ModelError(f"{self.model_dir}: cannot load the model ({e})") from None
        self.beam = beam
        self.max_input_tokens = input_limit(self.tokenizer, config)
        self.max_output_tokens = int(config.get("max_position_embeddings") or 512)
        self.model_id = f"{model_name(self.model_dir, config)}@{weights_fingerprint(self.model_dir)}"

    def _encode(self, texts: list[str], **kwargs):
        return self.tokenizer([self.lang.source_prefix + t for t in texts], **kwargs)

    def count_tokens(self, texts: list[str]) -> list[int]:
        return [len(ids) for ids in self._encode(texts)["input_ids"]] if texts else []

    def translate(self, texts: list[str]) -> list[Hypothesis]:
        lengths = self.count_tokens(texts)
        if any(n > self.max_input_tokens for n in lengths):
            log.warning("input truncated to %d tokens (split long sentences before translate())",
                        self.max_input_tokens)
        out: list[Hypothesis] = [Hypothesis("")] * len(texts)
        for limit, idx in group_by_limit(lengths, self.max_output_tokens).items():
            for i, hyp in zip(idx, self._generate([texts[i] for i in idx], limit)):
                out[i] = hyp
        return out

    def _generate(self, texts: list[str], limit: int) -> list[Hypothesis]:
        import torch

        batch = self._encode(texts, padding=True, truncation=True, max_length=self.max_input_tokens,
                             return_tensors="pt")
        forced = {"forced_bos_token_id": self.lang.target_id} if self.lang.target_id is not None else {}
        with torch.inference_mode():
            encoded = self.model.get_encoder()(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"])
            hidden = encoded.last_hidden_state  # generate() expands ``encoded`` in place for the beams
            seqs = self.model.generate(
                encoder_outputs=encoded, attention_mask=batch["attention_mask"], num_beams=self.beam,
                num_return_sequences=1, do_sample=False, max_new_tokens=limit, **forced,
            )
            logprobs = self._mean_logprobs(hidden, batch["attention_mask"], seqs)
        skip = 1 if self.lang.target_id is None else 2  # decoder start (+ forced language token)
        return [Hypothesis(decode(self.tokenizer, ids), round(lp, 4))
                for ids, lp in zip(seqs[:, skip:].tolist(), logprobs)]

    def _mean_logprobs(self, hidden, attention_mask, seqs) -> list[float]:
        """Mean log p of each output token given the source, EOS included, forced prefix excluded."""
        import torch

        targets = seqs[:, 1:]
        is_eos = targets == self.tokenizer.eos_token_id
        valid = (is_eos.long().cumsum(1) - is_eos.long()) == 0  # up to and including the first EOS
        if self.lang.target_id is not None:
            valid[:, 0] = False
        vocab = self.model.config.get_text_config().vocab_size
        rows = max(1, (1 << 24) // max(1, targets.shape[1] * vocab))  # bound the logits to ~64 MB
        sums, counts = [], []
        for s in range(0, seqs.shape[0], rows):
            logits = self.model(
                encoder_outputs=(hidden[s:s + rows],),
                attention_mask=attention_mask[s:s + rows], decoder_input_ids=seqs[s:s + rows, :-1],
            ).logits.float()
            tgt = targets[s:s + rows]
            lp = logits.gather(-1, tgt.unsqueeze(-1)).squeeze(-1) - logits.logsumexp(-1)
            mask = valid[s:s + rows]
            sums.append((lp * mask).sum(1))
            counts.append(mask.sum(1).clamp(min=1))
        return (torch.cat(sums) / torch.cat(counts)).tolist()
