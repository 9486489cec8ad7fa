"""Sentence segmentation speed on one core: characters per second (best of several rounds).

    python scripts/bench_segment.py [--shared ../shared/eval] [--rounds 5] [--baselines]

Texts: the WMT19 English news documents and the Russian PUD documents. Measures ``split_sentences``
on whole documents and ``segment_text`` (plain-text reader + segmentation); ``--baselines`` adds
pysbd and razdel on the same texts.
"""
from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Callable

from newsmt.evaluate import read_conllu
from newsmt.segment import segment_text, split_sentences

REPO = Path(__file__).resolve().parents[1]


def rate(texts: list[str], fn: Callable[[str], object], rounds: int) -> float:
    """Characters per second of ``fn`` over ``texts``, best of ``rounds``."""
    size = sum(map(len, texts))
    best = float("inf")
    for _ in range(rounds):
        t0 = time.perf_counter()
        for t in texts:
            fn(t)
        best = min(best, time.perf_counter() - t0)
    return size / best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared" / "eval")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--baselines", action="store_true", help="also time pysbd and razdel (slow)")
    args = ap.parse_args()
    wmt = args.shared / "seg_news_wmt_docs" / "newstest2019_en_docs.jsonl"
    corpora = {
        "en": [json.loads(line)["text"] for line in wmt.read_text(encoding="utf-8").splitlines()],
        "ru": [" ".join(s for p in paras for s in p)
               for _, paras in read_conllu(args.shared / "ud_pud_en_ru" / "ru_pud-ud-test.conllu")],
    }
    for lang, texts in corpora.items():
        size = sum(map(len, texts))
        tools: dict[str, Callable[[str], object]] = {
            "split_sentences": lambda t, lang=lang: split_sentences(t, lang),
            "segment_text": lambda t, lang=lang: segment_text(t, lang),
        }
        if args.baselines:
            import pysbd
            import razdel

            tools["pysbd"] = pysbd.Segmenter(language=lang, clean=False).segment
            if lang == "ru":
                tools["razdel"] = lambda t: list(razdel.sentenize(t))
        for name, fn in tools.items():
            rounds = args.rounds if name not in ("pysbd",) else 1
            print(f"{lang} {name:16s} {len(texts)} docs, {size:,} chars: {rate(texts, fn, rounds):>12,.0f} chars/s")


if __name__ == "__main__":
    main()
