"""Evaluation metrics: segmentation boundary P/R/F1, MT BLEU/chrF (sacrebleu), ROUGE for any script."""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Sequence, Union

from .errors import ConfigError, InputError, LanguageError
from .languages import Language, resolve
from .sources import file_lines
from .sources.jsonl import parse_record


# ---- segmentation (issue 2) ------------------------------------------------------------------
Segmentation = Union[Sequence[str], Sequence[tuple[int, int]]]
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class BoundaryScore:
    precision: float
    recall: float
    f1: float
    tp: int
    fp: int
    fn: int


def _ends(doc: Segmentation, text: str | None) -> tuple[set[int], int]:
    """Sentence ends counted in non-whitespace characters, and the document length likewise."""
    if doc and not isinstance(doc[0], str):
        if text is None:
            raise ValueError("span segmentations need the document texts")
        doc = [text[a:b] for a, b in doc]
    ends, pos = set(), 0
    for sent in doc:
        pos += len(_SPACE.sub("", sent))
        ends.add(pos)
    ends.discard(pos)  # the document end is not a decision
    return ends, pos


def boundary_prf(gold: Sequence[Segmentation], pred: Sequence[Segmentation],
                 texts: Sequence[str] | None = None) -> BoundaryScore:
    """Micro boundary precision/recall/F1 over documents, whitespace-insensitive.

    Each document is a list of sentence strings or of ``(start, end)`` spans into ``texts[i]``.
    A boundary is a sentence end inside the document (its final end is not counted).
    """
    if len(gold) != len(pred):
        raise InputError(f"gold has {len(gold)} documents, prediction {len(pred)}")
    tp = fp = fn = 0
    for i, (g, p) in enumerate(zip(gold, pred)):
        text = texts[i] if texts is not None else None
        (ge, gn), (pe, pn) = _ends(g, text), _ends(p, text)
        if gn != pn:
            raise InputError(f"document {i + 1}: gold and prediction cover different text "
                             f"({gn} vs {pn} non-space characters)")
        tp += len(ge & pe)
        fp += len(pe - ge)
        fn += len(ge - pe)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return BoundaryScore(precision, recall, f1, tp, fp, fn)


def read_segmentation(path: str | Path) -> dict[str, list[str]]:
    """Sentences per document from a file, in document order.

    JSONL: segment records ``{"doc", "text", ...}`` (as ``newsmt segment`` writes) or document records
    ``{"doc_id"|"id"|"doc", "sentences": [...]}``. Any other file: one sentence per line, documents
    separated by blank lines, keyed "1", "2", ... in order.
    """
    p = Path(path)
    lines = file_lines(p)
    docs: dict[str, list[str]] = {}
    if p.suffix == ".jsonl":
        for n, line in enumerate(lines, 1):
            if not line.strip():
                continue
            rec = parse_record(line, f"{p}:{n}")
            try:
                if "sentences" in rec:
                    key = rec.get("doc_id", rec.get("id", rec.get("doc", str(n))))
                    docs[str(key)] = [str(s) for s in rec["sentences"]]
                else:
                    docs.setdefault(str(rec["doc"]), []).append(str(rec["text"]))
            except (KeyError, TypeError, AttributeError):
                raise InputError(f"{p}:{n}: not a segment record {{\"doc\", \"text\"}} "
                                 f"or document record {{\"doc_id\", \"sentences\"}}") from None
    else:
        block: list[str] = []
        for line in lines + [""]:
            if line.strip():
                block.append(line.strip())
            elif block:
                docs[str(len(docs) + 1)], block = block, []
    if not docs:
        raise InputError(f"{p}: no sentences")
    return docs


def evaluate_segmentation(gold_path: str | Path, pred_path: str | Path) -> BoundaryScore:
    """Boundary P/R/F1 of a predicted segmentation file against a gold one (see ``read_segmentation``).

    Documents are matched by id when both files carry the same ids, otherwise by order.
    """
    gold, pred = read_segmentation(gold_path), read_segmentation(pred_path)
    if gold.keys() == pred.keys():
        return boundary_prf(list(gold.values()), [pred[k] for k in gold])
    if len(gold) != len(pred):
        raise InputError(f"gold has {len(gold)} documents, prediction {len(pred)}, and their ids differ")
    return boundary_prf(list(gold.values()), list(pred.values()))


def read_conllu(path: str | Path) -> list[tuple[str, list[list[str]]]]:
    """Documents of a CoNLL-U file as ``(doc_id, paragraphs)``, each paragraph a list of '# text' sentences.

    Documents start at '# newdoc', paragraphs at '# newpar'; a file without markers is one document.
    """
    docs: list[tuple[str, list[list[str]]]] = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line.startswith("# newdoc"):
            docs.append((line.partition("=")[2].strip() or str(len(docs) + 1), []))
        elif line.startswith("# newpar") and not line.startswith("# newpar_"):
            if not docs:
                docs.append(("1", []))
            docs[-1][1].append([])
        elif line.startswith("# text ="):
            if not docs:
                docs.append(("1", []))
            if not docs[-1][1]:
                docs[-1][1].append([])
            docs[-1][1][-1].append(line.partition("=")[2].strip())
    return docs


# ---- machine translation (issue 3) -----------------------------------------------------------
def _bleu_tokenize(lang: str) -> str:
    """sacrebleu's BLEU tokenizer for a language: its pack's ``metrics.bleu_tokenize`` (zh, ja-mecab,
    ko-mecab), else 13a."""
    language = _language(lang)
    return str(((language.section("metrics") if language else None) or {}).get("bleu_tokenize", "13a"))


def _language(lang: str) -> Language | None:
    """The Language of ``lang``, or None for "" and what is not a language (scored as unknown)."""
    try:
        return resolve(lang)
    except LanguageError:
        return None


def mt_scores(hyps: Sequence[str], refs: Sequence[str], lang: str = "") -> dict[str, Any]:
    """Corpus BLEU and chrF (sacrebleu defaults; BLEU tokenized for ``lang`` zh/ja/ko) with signatures."""
    import sacrebleu

    if len(hyps) != len(refs):
        raise InputError(f"{len(hyps)} hypotheses but {len(refs)} references: they must be line-aligned")
    if not hyps:
        raise InputError("no segments to score")
    try:
        bleu = sacrebleu.BLEU(tokenize=_bleu_tokenize(lang))
    except RuntimeError:  # the MeCab tokenizers of ja/ko need extra packages
        raise ConfigError(f"BLEU for --lang {lang} needs its tokenizer: pip install 'sacrebleu[{lang}]' "
                          "(or score without --lang: 13a tokenization)") from None
    chrf = sacrebleu.CHRF()
    b, c = bleu.corpus_score(list(hyps), [list(refs)]), chrf.corpus_score(list(hyps), [list(refs)])
    return {"n": len(hyps), "bleu": round(b.score, 2), "chrf": round(c.score, 2),
            "bleu_signature": str(bleu.get_signature()), "chrf_signature": str(chrf.get_signature())}


def join_documents(lines: Sequence[str], doc_ids: Sequence[str]) -> list[str]:
    """Lines concatenated (one space) per document id, documents in order of first appearance."""
    if len(lines) != len(doc_ids):
        raise InputError(f"{len(lines)} lines but {len(doc_ids)} document ids")
    docs: dict[str, list[str]] = {}
    for line, d in zip(lines, doc_ids):
        docs.setdefault(d, []).append(line.strip())
    return [" ".join(x for x in parts if x) for parts in docs.values()]


def doc_chrf(hyp_docs: Sequence[str], ref_docs: Sequence[str]) -> dict[str, Any]:
    """chrF over whole documents (each document one segment), with its signature."""
    import sacrebleu

    if len(hyp_docs) != len(ref_docs):
        raise InputError(f"{len(hyp_docs)} hypothesis documents but {len(ref_docs)} reference documents")
    chrf = sacrebleu.CHRF()
    return {"docs": len(hyp_docs), "chrf": round(chrf.corpus_score(list(hyp_docs), [list(ref_docs)]).score, 2),
            "chrf_signature": str(chrf.get_signature())}


def read_hypotheses(path: str | Path) -> list[str]:
    """Hypotheses of a file: one per line, or the ``tgt`` field of ``newsmt translate`` jsonl records."""
    p = Path(path)
    lines = file_lines(p)
    if p.suffix != ".jsonl":
        return lines
    out = []
    for n, line in enumerate(lines, 1):
        if line.strip():
            rec = parse_record(line, f"{p}:{n}")
            try:
                out.append(str(rec["tgt"]))
            except KeyError:
                raise InputError(f"{p}:{n}: not a translation record with a \"tgt\" field") from None
    return out


def evaluate_mt(hyp_path: str | Path, ref_path: str | Path, docs_path: str | Path | None = None,
                lang: str = "") -> dict[str, Any]:
    """Scores of a hypothesis file against a line-aligned reference; document-level chrF when
    ``docs_path`` gives one document id per line (first tab-separated field, e.g. NTREX DOCUMENT_IDS.tsv)."""
    hyps, refs = read_hypotheses(hyp_path), read_hypotheses(ref_path)
    result = mt_scores(hyps, refs, lang)
    if docs_path:
        ids = [line.split("\t")[0].strip() for line in read_hypotheses(docs_path)]
        result["document"] = doc_chrf(join_documents(hyps, ids), join_documents(refs, ids))
    return result


# ---- summaries (issue 4) ---------------------------------------------------------------------
_ROUGE_TOKEN = re.compile(r"\w+")
def rouge_tokens(text: str, lang: str = "en", stemmer: Callable[[str], str] | None = None) -> list[str]:
    """Lowercased Unicode ``\\w+`` tokens (any script); characters for languages written without
    spaces (``Language.spaced``: Chinese, Japanese, Thai, Lao, Khmer, Burmese)."""
    toks = _ROUGE_TOKEN.findall(text.lower())
    language = _language(lang)
    if language is not None and not language.spaced:
        toks = [c for t in toks for c in t]
    return [stemmer(t) for t in toks] if stemmer else toks


def _f1(overlap: int, n_hyp: int, n_ref: int) -> float:
    if not overlap:
        return 0.0
    p, r = overlap / n_hyp, overlap / n_ref
    return 2 * p * r / (p + r)


def _ngram_f1(hyp: list[str], ref: list[str], n: int) -> float:
    h = Counter(zip(*(hyp[i:] for i in range(n))))
    r = Counter(zip(*(ref[i:] for i in range(n))))
    return _f1(sum((h & r).values()), sum(h.values()), sum(r.values()))


def _lcs_table(a: list[str], b: list[str]) -> list[list[int]]:
    t = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i, x in enumerate(a, 1):
        row, prev = t[i], t[i - 1]
        for j, y in enumerate(b, 1):
            row[j] = prev[j - 1] + 1 if x == y else max(prev[j], row[j - 1])
    return t


def _lcs_hits(a: list[str], b: list[str]) -> set[int]:
    """Indices of ``a`` on one longest common subsequence of ``a`` and ``b``."""
    t, hits, i, j = _lcs_table(a, b), set(), len(a), len(b)
    while i and j:
        if a[i - 1] == b[j - 1]:
            hits.add(i - 1)
            i, j = i - 1, j - 1
        elif t[i - 1][j] >= t[i][j - 1]:
            i -= 1
        else:
            j -= 1
    return hits


def _lsum_f1(hyp_sents: list[list[str]], ref_sents: list[list[str]]) -> float:
    """Summary-level ROUGE-L (union LCS per reference sentence, clipped by token counts)."""
    hyp_counts = Counter(t for s in hyp_sents for t in s)
    ref_counts = Counter(t for s in ref_sents for t in s)
    hits = 0
    for r in ref_sents:
        union = set()
        for h in hyp_sents:
            union |= _lcs_hits(r, h)
        for k in sorted(union):
            tok = r[k]
            if hyp_counts[tok] > 0 and ref_counts[tok] > 0:
                hits += 1
                hyp_counts[tok] -= 1
                ref_counts[tok] -= 1
    return _f1(hits, sum(len(s) for s in hyp_sents), sum(len(s) for s in ref_sents))


def rouge(hyps: list[str], refs: list[str], lang: str = "en", stemmer: Callable[[str], str] | None = None) -> dict[str, float]:
    """Mean ROUGE-1/2/L/Lsum F1 (0-100) over aligned pairs, plus ``n`` (pairs scored).

    Tokens are lowercased Unicode ``\\w+`` runs, so Cyrillic scores like Latin (the rouge-score
    package keeps ASCII only: Russian scores 0 there); ``lang`` in zh/ja/th/... scores characters.
    No stemming unless a ``stemmer`` (token -> stem) is given. ``rougeL`` is the LCS over the whole
    text; ``rougeLsum`` splits both sides on newlines (one sentence per line) and takes the union
    LCS, as the CNN/DM literature reports "ROUGE-L".
    """
    if len(hyps) != len(refs):
        raise InputError(f"{len(hyps)} hypotheses but {len(refs)} references: they must be line-aligned")
    keys = ("rouge1", "rouge2", "rougeL", "rougeLsum")
    tot = dict.fromkeys(keys, 0.0)
    for hyp, ref in zip(hyps, refs):
        h, r = rouge_tokens(hyp, lang, stemmer), rouge_tokens(ref, lang, stemmer)
        tot["rouge1"] += _ngram_f1(h, r, 1)
        tot["rouge2"] += _ngram_f1(h, r, 2)
        tot["rougeL"] += _f1(_lcs_table(h, r)[-1][-1], len(h), len(r))
        hs = [t for t in (rouge_tokens(x, lang, stemmer) for x in hyp.splitlines()) if t]
        rs = [t for t in (rouge_tokens(x, lang, stemmer) for x in ref.splitlines()) if t]
        tot["rougeLsum"] += _lsum_f1(hs, rs)
    n = max(len(hyps), 1)
    return {**{k: round(100 * v / n, 4) for k, v in tot.items()}, "n": float(len(hyps))}


def _summary_text(value: object, where: str) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(x, dict) and isinstance(x.get("text"), str) for x in value):
        return "\n".join(x["text"] for x in value)
    raise InputError(f"{where}: summary must be a string or a list of {{\"text\": ...}} objects")


def read_summaries(path: str | Path, lang: str = "en") -> list[str]:
    """Summaries of a file, one sentence per line: JSONL (a ``summary`` field per line: a string, or
    newsmt summary-jsonl sentences) or plain text, one summary per line (split into sentences)."""
    from .errors import LanguageError
    from .segment import split_sentences

    p = Path(path)
    lines = file_lines(p)
    if p.suffix.lower() == ".jsonl":
        texts = [_summary_text(parse_record(line, f"{p}:{i}").get("summary"), f"{p}:{i}")
                 for i, line in enumerate(lines, 1) if line.strip()]
    else:
        texts = lines
    out = []
    for t in texts:
        try:
            out.append(t if "\n" in t else "\n".join(t[a:b] for a, b in split_sentences(t, lang)))
        except LanguageError:
            out.append(t)
    return out


def rouge_files(hyp: str | Path, ref: str | Path, lang: str = "en") -> dict[str, float]:
    """``rouge`` of two line-aligned summary files (see ``read_summaries``)."""
    return rouge(read_summaries(hyp, lang), read_summaries(ref, lang), lang)

