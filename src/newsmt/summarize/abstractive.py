"""Abstractive summaries with any seq2seq summarization model, never truncating the article.

The model (BART, PEGASUS, T5/mT5, mBART) comes from a local transformers directory, a cached
Hugging Face name (offline: nothing is downloaded) or a CTranslate2 conversion. An article longer
than the model window is summarized map-reduce over runs of whole sentences. Each generated
sentence is attributed to the source sentences that cover its character n-grams.

There is no module-level model cache: a ``Seq2SeqSummarizer`` belongs to whoever opened it (a
worker's resources, ``summarize_paths`` for one CLI call) and is released with ``close()``.
"""
from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Iterator

from ..config import SummarizeConfig
from ..document import Document, Sentence, Summary
from ..errors import InputError, ModelError
from .attribution import Attributor
from .extractive import EXTRACTIVE_MODEL, SHORT_INPUT, candidates, extractive_summary, make_summary
from .measure import measure_for


def model_path(model: str) -> Path:
    """A local model directory, or the cached snapshot of a Hugging Face name (never downloads)."""
    if not model:
        raise ModelError("abstractive summarization needs a model: pass --model DIR (a transformers or "
                         "CTranslate2 directory) or a Hugging Face name already in the local cache; "
                         "none ships with newsmt (the extractive method needs none)")
    from ..translate.hf import model_path as hf_model_path

    return hf_model_path(model, "summarization model")  # its error says `hf download NAME`


def summarizer_id(cfg: SummarizeConfig, src: str) -> str:
    """``name@revision`` of the summarizer ``cfg`` selects (without loading it); ModelError when
    its model is missing. The revision is the cache commit or a fingerprint of the weights."""
    if cfg.method == "extractive":
        return EXTRACTIVE_MODEL
    from ..translate.hf import weights_fingerprint

    return f"{cfg.model}@{weights_fingerprint(model_path(cfg.model))}"


def _unique(sentences: Iterator[Sentence]) -> list[Sentence]:
    return list({s.id: s for s in sentences}.values())


@dataclasses.dataclass
class _Piece:
    """Text to summarize (or a partial summary) and the source sentences it stands for."""

    text: str
    sources: list[Sentence]


class Seq2SeqSummarizer:
    """A summarization model, loaded when constructed and kept until ``close()``: transformers, or
    CTranslate2 when the directory holds a converted ``model.bin`` (its tokenizer files copied
    beside it). Also a context manager (``with load_summarizer(name) as s: ...``)."""

    def __init__(self, path: Path, name: str = "", window: int = 0) -> None:
        from ..translate.hf import load_seq2seq

        self.name = name or path.name
        self.model = load_seq2seq(path)  # ModelError when it cannot be loaded
        self.tokenizer = self.model.tokenizer
        self.prefix = self.model.task_prefix("summarization")  # T5-style task prefix, from the model config
        self.window = window or self.model.input_limit()
        overhead = self.tokenizer.num_special_tokens_to_add() + (self.count([self.prefix])[0] if self.prefix else 0)
        self.budget = self.window - overhead  # tokens of article text one input can hold
        if self.budget < 8:
            raise ModelError(f"{self.name}: a {self.window}-token window is too small to summarize with")

    # -- lifetime ------------------------------------------------------------------------------
    @property
    def closed(self) -> bool:
        return self.model.closed

    def close(self) -> None:
        """Release the model (idempotent); ``generate`` raises ModelError afterwards."""
        self.model.close()

    def __enter__(self) -> Seq2SeqSummarizer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- generation ----------------------------------------------------------------------------
    def count(self, texts: list[str]) -> list[int]:
        """Tokens per text, without special tokens."""
        return [len(ids) for ids in self.tokenizer(texts, add_special_tokens=False, verbose=False)["input_ids"]] if texts else []

    def generate(self, texts: list[str], cfg: SummarizeConfig) -> list[str]:
        """One summary per input; every input must fit the window (checked, never truncated)."""
        if self.closed:
            raise ModelError(f"{self.name}: the summarization model was closed")
        inputs = [self.prefix + t for t in texts]
        ids = self.tokenizer(inputs, verbose=False)["input_ids"]
        if max(len(x) for x in ids) > self.window:
            raise ModelError(f"{self.name}: an input of {max(len(x) for x in ids)} tokens exceeds the "
                             f"{self.window}-token window")  # a chunking bug: never cut silently
        out = []
        for text, n in zip(inputs, (len(x) for x in ids)):
            min_length = min(cfg.min_length, n // 2, cfg.max_length)  # a short chunk is not padded out
            if self.model.model is not None:
                import torch

                enc = self.tokenizer([text], return_tensors="pt")
                with torch.inference_mode():
                    gen = self.model.model.generate(**enc, num_beams=cfg.beam, max_length=cfg.max_length, min_length=min_length,
                                            no_repeat_ngram_size=cfg.no_repeat_ngram_size, do_sample=False)
                out.append(self.tokenizer.decode(gen[0], skip_special_tokens=True).strip())
            else:
                tokens = self.tokenizer.convert_ids_to_tokens(self.tokenizer(text)["input_ids"])
                res = self.model.translator.translate_batch([tokens], beam_size=cfg.beam, max_decoding_length=cfg.max_length,
                                                min_decoding_length=min_length,
                                                no_repeat_ngram_size=cfg.no_repeat_ngram_size)
                hyp = self.tokenizer.convert_tokens_to_ids(res[0].hypotheses[0])
                out.append(self.tokenizer.decode(hyp, skip_special_tokens=True).strip())
        return out

    def _pack(self, pieces: list[_Piece]) -> list[list[_Piece]]:
        """Consecutive pieces grouped into runs that fit the window (one token of slack each for
        the joining space)."""
        groups: list[list[_Piece]] = []
        used = self.budget + 1
        for piece, n in zip(pieces, self.count([p.text for p in pieces])):
            if used + n + 1 > self.budget:
                groups.append([])
                used = 0
            groups[-1].append(piece)
            used += n + 1
        return groups

    def _fit(self, sentences: list[Sentence]) -> tuple[list[_Piece], bool]:
        """One piece per sentence; a sentence longer than the window is cut at word boundaries."""
        pieces, cut = [], False
        for s, n in zip(sentences, self.count([s.text for s in sentences])):
            if n + 1 <= self.budget:
                pieces.append(_Piece(s.text, [s]))
                continue
            cut = True
            words, part = s.text.split(), []
            for w in words:
                if part and self.count([" ".join(part + [w])])[0] + 1 > self.budget:
                    pieces.append(_Piece(" ".join(part), [s]))
                    part = []
                part.append(w)
            pieces.append(_Piece(" ".join(part), [s]))
        return pieces, cut

    def chunks(self, sentences: list[Sentence]) -> list[list[Sentence]]:
        """The first-level chunks: runs of whole sentences that each fit the window."""
        pieces, _ = self._fit(sentences)
        return [_unique(s for p in g for s in p.sources) for g in self._pack(pieces)]

    def summarize(self, doc: Document, cfg: SummarizeConfig) -> Summary:
        """Map-reduce: summarize each chunk (partial summaries capped at half a window, so that
        two always fit one input); while the partial summaries are longer than ``cfg.max_length``
        tokens, group and summarize them again. One chunk: a single pass with ``cfg``."""
        from ..segment import split_sentences

        cands = candidates(doc)
        pieces, cut = self._fit(cands)
        flags = ["long_sentence_split"] if cut else []
        partial = dataclasses.replace(cfg, max_length=min(cfg.max_length, (self.budget - 2) // 2))
        level = 0
        while True:
            groups = self._pack(pieces)
            if level and len(groups) == len(pieces):
                flags.append("long_summary")  # partial summaries cannot be merged any further
                break
            if len(groups) > 1 and not level and cfg.long_input == "refuse":
                raise InputError(f"{doc.id}: the article does not fit the {self.window}-token window of {self.name} "
                                 f"({len(groups)} chunks); newsmt never truncates: use summarize.long_input=map_reduce")
            if len(groups) > 1 and "map_reduce" not in flags:
                flags.append("map_reduce")
            outs = self.generate([" ".join(p.text for p in g) for g in groups], partial if len(groups) > 1 else cfg)
            pieces = [_Piece(o, _unique(s for p in g for s in p.sources)) for o, g in zip(outs, groups) if o]
            level += 1
            if len(pieces) <= 1 or sum(self.count([p.text for p in pieces])) <= cfg.max_length:
                break
        attributor = Attributor(doc, cands)
        sents = [attributor.attribute(p.text[a:b], p.sources)
                 for p in pieces for a, b in split_sentences(p.text, doc.lang)]
        return make_summary(doc, "abstractive", self.name, sents, flags)


def load_summarizer(model: str, window: int = 0) -> Seq2SeqSummarizer:
    """A new summarizer for ``model`` (directory or cached Hugging Face name), loaded now and not
    cached: the caller owns it and calls ``close()`` (or uses it in a ``with``), as ``Resources``
    does for a worker. ModelError when the model is missing or does not load."""
    return Seq2SeqSummarizer(model_path(model), model, window)


def abstractive_summary(doc: Document, cfg: SummarizeConfig, summarizer: Seq2SeqSummarizer) -> Summary:
    """The model's summary, or the extractive one flagged when the input is too short for a model
    or the model's output is empty or longer than its input."""
    cands = candidates(doc)
    if len(cands) < SHORT_INPUT:
        return extractive_summary(doc, cfg)
    summary = summarizer.summarize(doc, cfg)
    if not summary.sentences:
        return extractive_summary(doc, cfg, ("empty_model_output",))
    measure = measure_for(doc.lang)
    if sum(measure.words(s.text) for s in summary.sentences) >= sum(measure.words(s.text) for s in cands):
        return extractive_summary(doc, cfg, ("summary_longer_than_input",))
    return summary
