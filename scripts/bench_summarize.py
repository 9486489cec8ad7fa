"""Extractive summarization speed on one core: articles/s with and without sentence segmentation.

Articles: the CNN/DM texts of ../shared/eval/summ_en_cnndm (or --data FILE.jsonl with a text field).
Thread pools are limited to one thread before numpy loads; the process runs on one core (Linux).

    python scripts/bench_summarize.py [--passes 3]
"""
from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import json  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

from newsmt.config import SummarizeConfig  # noqa: E402
from newsmt.segment import segment_text  # noqa: E402
from newsmt.summarize import extractive_summary  # noqa: E402

DATA = Path(__file__).resolve().parents[2] / "shared" / "eval" / "summ_en_cnndm" / "cnndm_test_frank.jsonl"


def best_of(passes: int, fn) -> float:
    """Fastest of ``passes`` runs, in seconds (the least disturbed by other processes)."""
    times = []
    for _ in range(passes):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--passes", type=int, default=3)
    args = ap.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    texts = [json.loads(line)["text"] for line in args.data.open(encoding="utf-8")]
    cfg = SummarizeConfig()
    docs = [segment_text(t, "en") for t in texts]
    extractive_summary(docs[0], cfg)  # warm-up (imports, regex compilation)
    with_seg = best_of(args.passes, lambda: [extractive_summary(segment_text(t, "en"), cfg) for t in texts])
    without = best_of(args.passes, lambda: [extractive_summary(d, cfg) for d in docs])
    kb = sum(len(t.encode("utf-8")) for t in texts) / len(texts) / 1024
    sents = sum(1 for d in docs for _ in d.sentences()) / len(docs)
    print(f"{len(texts)} articles, {kb:.1f} KB and {sents:.0f} sentences on average; one core, best of {args.passes}")
    for name, secs in (("segmentation + extractive summary", with_seg), ("extractive summary only", without)):
        print(f"  {name:34s} {len(texts) / secs:7.0f} articles/s  ({1000 * secs / len(texts):.2f} ms/article)")


if __name__ == "__main__":
    main()
