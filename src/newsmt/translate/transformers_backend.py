"""Hugging Face seq2seq translation models on PyTorch: Marian/OPUS-MT, NLLB, M2M100, mBART-50.

Family detection, language tokens, length limits and model ids live in ``hf.py``, shared with the
CTranslate2 backend (which tokenizes with the same Hugging Face tokenizer).

Batch independence: a sentence's output limit depends only on its own length (bucketed, see
``output_limit``) and the batch is split into one ``generate`` call per limit, so neighbours never
change how long a hypothesis may grow. Padding itself is masked; on the tiny test models padded and
unpadded fp32 runs give identical tokens (tests/test_hf_backends.py checks it).
"""
from __future__ import annotations

import logging
from pathlib import Path

from ..config import available_cores
from .backend import Backend, Hypothesis
from .hf import (
    LanguageSetup,
    decode,
    group_by_limit,
    input_limit,
    load_tokenizer,
    load_transformers_model,
    model_family,
    model_name,
    read_json,
    require_dir,
    tokenizer_has,
    torch_threads,
    weights_fingerprint,
)

log = logging.getLogger(__name__)


class TransformersBackend(Backend):
    """Any Hugging Face seq2seq translation model, run with ``generate`` (beam search) on CPU.

    Threads: ``threads`` (0 = all available cores) is torch's intra-op thread count *during this
    backend's own calls*: ``translate`` sets it and restores the previous value on return
    (``hf.torch_threads``), so constructing or using a backend never changes the process's setting
    for other code (the quality scorer, a summarizer, another backend). torch's setting is process
    wide, so two such calls from different threads run one after the other.

    ``logprob`` is the mean log-probability of the output tokens (EOS included, the forced
    language token excluded), from one teacher-forced pass over the chosen hypotheses.
    """

    name = "transformers"
    nbest = True

    def __init__(self, model_dir: str | Path, src: str, tgt: str, beam: int = 4, threads: int = 0) -> None:
        self.model_dir = require_dir(Path(model_dir), "config.json")
        config = read_json(self.model_dir / "config.json")
        self.tokenizer = load_tokenizer(self.model_dir)
        self.family = model_family(self.tokenizer)
        self.lang = LanguageSetup(self.family, self.tokenizer, src, tgt)
        self.threads = threads or available_cores()
        self.model = load_transformers_model(self.model_dir, "float32")
        self.beam = beam
        self.max_input_tokens = input_limit(self.tokenizer, config)
        self.max_output_tokens = int(config.get("max_position_embeddings") or 512)
        self.model_id = f"{model_name(self.model_dir, config)}@{weights_fingerprint(self.model_dir)}"

    def close(self) -> None:
        """Drop the model (idempotent); ``translate`` raises ModelError afterwards."""
        self.model = None

    def _encode(self, texts: list[str], **kwargs):
        return self.tokenizer([self.lang.source_prefix + t for t in texts], **kwargs)

    def _has(self, char: str) -> bool:
        return tokenizer_has(self.tokenizer, char)

    def count_tokens(self, texts: list[str]) -> list[int]:
        return [len(ids) for ids in self._encode(texts)["input_ids"]] if texts else []

    def translate(self, texts: list[str]) -> list[Hypothesis]:
        return [hyps[0] for hyps in self._decode(texts, 1)]

    def translate_nbest(self, texts: list[str], n: int) -> list[list[Hypothesis]]:
        """The ``n`` best of a beam of ``max(beam, n)`` (``generate``'s ``num_return_sequences``)."""
        return self._decode(texts, max(1, n))

    def _decode(self, texts: list[str], n: int) -> list[list[Hypothesis]]:
        lengths = self.count_tokens(texts)
        if any(k > self.max_input_tokens for k in lengths):
            log.warning("input truncated to %d tokens (split long sentences before translate())",
                        self.max_input_tokens)
        self._require_open(self.model)
        out: list[list[Hypothesis]] = [[Hypothesis("")]] * len(texts)
        with torch_threads(self.threads):
            for limit, idx in group_by_limit(lengths, self.max_output_tokens).items():
                for i, hyps in zip(idx, self._generate([texts[i] for i in idx], limit, n)):
                    out[i] = hyps
        return out

    def _generate(self, texts: list[str], limit: int, n: int) -> list[list[Hypothesis]]:
        import torch

        batch = self._encode(texts, padding=True, truncation=True, max_length=self.max_input_tokens,
                             return_tensors="pt")
        forced = {"forced_bos_token_id": self.lang.target_id} if self.lang.target_id is not None else {}
        with torch.inference_mode():
            encoded = self.model.get_encoder()(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"])
            hidden = encoded.last_hidden_state  # generate() expands ``encoded`` in place for the beams
            seqs = self.model.generate(
                encoder_outputs=encoded, attention_mask=batch["attention_mask"], num_beams=max(self.beam, n),
                num_return_sequences=n, do_sample=False, max_new_tokens=limit, **forced,
            )
            mask = batch["attention_mask"]
            logprobs = self._mean_logprobs(hidden.repeat_interleave(n, 0), mask.repeat_interleave(n, 0), seqs)
        skip = 1 if self.lang.target_id is None else 2  # decoder start (+ forced language token)
        hyps = [Hypothesis(decode(self.tokenizer, ids), round(lp, 4)) for ids, lp in zip(seqs[:, skip:].tolist(), logprobs)]
        return [hyps[k:k + n] for k in range(0, len(hyps), n)]

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
