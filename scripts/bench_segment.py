"""Sentence segmentation speed on one core, per language pack: characters per second (best of
several rounds).

    python scripts/bench_segment.py [--shared ../shared/eval] [--rounds 5] [--baselines]

Texts: each pack's own language where ../shared has news in it (the multilingual news dev set;
NTREX-128 for es, pt, uk), otherwise the WMT19 English news documents run through that pack (marked
"en text": the engine's speed depends on the punctuation it meets, not on the letters). Measures
``split_sentences`` on whole documents, and ``segment_text`` (plain-text reader + segmentation)
for en and ru; ``--baselines`` adds pysbd, razdel and ICU on the same texts where they have the
language.
"""
from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path
from typing import Callable

from newsmt.languages.packs import pack_codes
from newsmt.segment import segment_text, split_sentences

REPO = Path(__file__).resolve().parents[1]
NTREX = {"es": "spa", "pt": "por", "uk": "ukr"}
TARGET = 5_000_000  # characters per second per core, in every pack


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


def corpus(root: Path, code: str) -> tuple[list[str], str]:
    """(documents, where they come from) for one pack."""
    dev = root / "seg_multilingual_news_dev" / f"{code}.jsonl"
    if dev.is_file():
        return [json.loads(line)["text"] for line in dev.read_text(encoding="utf-8").splitlines()], "news dev set"
    if code in NTREX:
        lines = (root / "ntrex128" / f"newstest2019-ref.{NTREX[code]}.txt").read_text(encoding="utf-8").splitlines()
        return [" ".join(lines[i:i + 10]) for i in range(0, len(lines), 10)], "NTREX-128"
    wmt = root / "seg_news_wmt_docs" / "newstest2019_en_docs.jsonl"
    return [json.loads(line)["text"] for line in wmt.read_text(encoding="utf-8").splitlines()], "en text"


def baselines(code: str) -> dict[str, Callable[[str], object]]:
    """pysbd, razdel and ICU where they have the language and are installed."""
    tools: dict[str, Callable[[str], object]] = {}
    try:
        import pysbd

        tools["pysbd"] = pysbd.Segmenter(language=code, clean=False).segment
    except (ImportError, ValueError):
        pass
    if code == "ru":
        import razdel

        tools["razdel"] = lambda t: list(razdel.sentenize(t))
    try:
        import icu

        breaker = icu.BreakIterator.createSentenceInstance(icu.Locale(code))

        def icu_split(text: str) -> list[int]:
            breaker.setText(icu.UnicodeString(text))
            return list(breaker)

        tools["icu"] = icu_split
    except ImportError:
        pass
    return tools


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared" / "eval")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--baselines", action="store_true", help="also time pysbd, razdel and ICU (slow)")
    args = ap.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    print("| pack | text | docs | chars | split_sentences chars/s | ≥ 5 M |")
    print("|---|---|---|---|---|---|")
    slowest = float("inf")
    for code in pack_codes():
        texts, source = corpus(args.shared, code)
        split_sentences(texts[0], code)  # compile the pack's rules outside the timing
        speed = rate(texts, lambda t, code=code: split_sentences(t, code), args.rounds)
        slowest = min(slowest, speed)
        print(f"| {code} | {source} | {len(texts)} | {sum(map(len, texts)):,} | {speed:,.0f} | "
              f"{'yes' if speed >= TARGET else 'NO'} |")
        extra = {"segment_text": lambda t, code=code: segment_text(t, code)} if code in ("en", "ru") else {}
        if args.baselines:
            extra.update(baselines(code))
        for name, fn in extra.items():
            rounds = 1 if name in ("pysbd",) else args.rounds
            print(f"| {code} {name} | {source} | {len(texts)} | | {rate(texts, fn, rounds):,.0f} | |")
    print(f"\nSlowest pack: {slowest:,.0f} chars/s on one core (target {TARGET:,}).")


if __name__ == "__main__":
    main()
