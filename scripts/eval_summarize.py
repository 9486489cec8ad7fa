"""ROUGE of LEAD-3, the extractive summarizer and (with --model) an abstractive model on CNN/DM.

Data: ../shared/eval/summ_en_cnndm/cnndm_test_frank.jsonl (FRANK test articles; fields text,
summary). References are PTB-tokenized highlights: detokenized here, one sentence per line.
All systems go through the same segmentation and the same scorer (newsmt.evaluate.rouge) in one run;
``--halves`` also scores even and odd articles apart (the extractive constants were chosen to beat
LEAD-3 on both), ``--rouge-score`` cross-checks with the rouge-score package when installed.

    python scripts/eval_summarize.py [--limit N] [--model DIR] [--halves] [--rouge-score]
"""
from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
from pathlib import Path

from newsmt.config import SummarizeConfig
from newsmt.evaluate import rouge
from newsmt.segment import segment_text
from newsmt.summarize import abstractive_summary, candidates, extractive_summary, load_summarizer

DATA = Path(__file__).resolve().parents[2] / "shared" / "eval" / "summ_en_cnndm" / "cnndm_test_frank.jsonl"
KEYS = ("rouge1", "rouge2", "rougeL", "rougeLsum")


def detok_ptb(text: str) -> str:
    """Undo PTB tokenization: brackets, quotes, clitics, spaces before punctuation and after $ £ (."""
    text = text.replace("-LRB-", "(").replace("-RRB-", ")").replace("``", '"').replace("''", '"').replace("` ", "'")
    text = re.sub(r" (n't|'s|'re|'ve|'ll|'d|'m)\b", r"\1", text)
    text = re.sub(r" ([.,;:!?%)\]'])", r"\1", text)
    return re.sub(r"([(\[$£]) ", r"\1", text)


def reference_lines(summary: str) -> str:
    """Highlights joined by " . " -> one detokenized sentence per line."""
    return "\n".join(detok_ptb(s.strip()) for s in summary.split(" . ") if s.strip())


def table(rows: dict[str, dict[str, float]]) -> str:
    out = ["| system | " + " | ".join(KEYS) + " |", "|---" * (len(KEYS) + 1) + "|"]
    out += [f"| {name} | " + " | ".join(f"{r[k]:.2f}" for k in KEYS) + " |" for name, r in rows.items()]
    return "\n".join(out)


def rouge_score_package(hyps: list[str], refs: list[str]) -> dict[str, float] | None:
    try:
        from rouge_score import rouge_scorer
    except ImportError:
        return None
    scorer = rouge_scorer.RougeScorer(list(KEYS))
    scores = [scorer.score(r, h) for h, r in zip(hyps, refs)]
    return {k: 100 * statistics.mean(s[k].fmeasure for s in scores) for k in KEYS}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--limit", type=int, default=0, help="first N articles only")
    ap.add_argument("--model", default="", help="an abstractive model directory (none ships offline)")
    ap.add_argument("--halves", action="store_true", help="also score even / odd articles separately")
    ap.add_argument("--rouge-score", action="store_true", help="cross-check with the rouge-score package")
    args = ap.parse_args()
    if not args.data.is_file():
        sys.exit(f"{args.data} not found (the ../shared folder beside the repository holds it)")
    items = [json.loads(line) for line in args.data.open(encoding="utf-8")]
    items = items[:args.limit] if args.limit else items
    refs = [reference_lines(x["summary"]) for x in items]
    docs = [segment_text(x["text"], "en", doc_id=x["id"]) for x in items]
    cfg = SummarizeConfig(sentences=3)
    systems = {
        "LEAD-3": ["\n".join(s.text for s in candidates(d)[:3]) for d in docs],
        "extractive (3 sentences)": ["\n".join(s.text for s in extractive_summary(d, cfg).sentences) for d in docs],
    }
    if args.model:
        abs_cfg = SummarizeConfig(method="abstractive", model=args.model)
        with load_summarizer(args.model) as summarizer:
            systems[f"abstractive ({args.model})"] = [
                "\n".join(s.text for s in abstractive_summary(d, abs_cfg, summarizer).sentences) for d in docs]
    print(f"{len(items)} articles ({args.data.name}); ROUGE F1 x100, newsmt.evaluate.rouge (Unicode \\w+ tokens, no stemming)\n")
    print(table({name: rouge(hyps, refs) for name, hyps in systems.items()}))
    if not args.model:
        print("\nabstractive: no summarization weights can be had offline here (pass --model DIR to score one)")
    if args.halves:
        for name, part in (("even", slice(0, None, 2)), ("odd", slice(1, None, 2))):
            print(f"\n{name} articles:\n" + table({n: rouge(h[part], refs[part]) for n, h in systems.items()}))
    if args.rouge_score:
        scored = {n: rouge_score_package(h, refs) for n, h in systems.items()}
        if None in scored.values():
            print("\nrouge-score is not installed (pip install rouge-score) - no cross-check")
        else:
            print("\nsame outputs, rouge-score package (use_stemmer=False):\n" + table(scored))  # type: ignore[arg-type]


if __name__ == "__main__":
    main()
