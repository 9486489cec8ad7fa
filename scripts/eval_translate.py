"""Evaluate translation: the raw backend (one sentence per call, no guards) against newsmt's engine.

Data in ../shared/eval (read-only):
- FLORES-200 devtest eng->por, por->eng (and eng->rus with an en-ru model);
- NTREX-128 newstest2019 eng->por-BR (eng->rus with an en-ru model) as gold segments (one line
  each) and as whole documents (DOCUMENT_IDS.tsv groups lines; the headline is the first line, its
  own paragraph; the rest is one paragraph that newsmt segments itself), scored per document;
- WMT newstest 2019/2020 en-ru with an en-ru model;
- the quotes experiment: sentences of WMT18 src.en with typographic double quotes, counting
  translations with fewer quotation marks than their source;
- numbers and URLs kept (every set; as ``newsmt.translate.guards.preserved`` checks them).

BLEU and chrF are sacrebleu corpus scores (signatures printed). Speed: sentences per second of the
raw backend and of newsmt on the same sentences and threads (alternating runs, best of ``--repeat``).

    python scripts/eval_translate.py --backend bergamot --pair en-pt
    python scripts/eval_translate.py --pair en-pt --limit 200 --sets flores,quotes   # a quick slice
    python scripts/eval_translate.py --backend transformers --model PATH --pair en-ru
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

from newsmt.config import TranslateConfig
from newsmt.evaluate import doc_chrf, join_documents, mt_scores
from newsmt.languages import resolve
from newsmt.translate.engine import TranslationEngine, load_engine
from newsmt.translate.guards import preserved
from newsmt.translate.source_names import title_case

EVAL = Path(__file__).resolve().parents[2] / "shared" / "eval"
FLORES_CODE = {"en": "eng_Latn", "pt": "por_Latn", "ru": "rus_Cyrl", "de": "deu_Latn", "fr": "fra_Latn", "es": "spa_Latn"}
NTREX_REF = {"pt": "por-BR", "ru": "rus", "de": "deu", "fr": "fra", "es": "spa"}
WMT = {("en", "ru"): ["wmt19_newstest_en-ru", "wmt20_newstest_en-ru"], ("ru", "en"): ["wmt19_newstest_ru-en", "wmt20_newstest_ru-en"]}
DOUBLE_QUOTES = re.compile(r"[\"“”„‟«»]")
TYPOGRAPHIC = re.compile(r"[“”„«»]")


def lines(path: Path, limit: int = 0) -> list[str]:
    out = path.read_text(encoding="utf-8").rstrip("\n").split("\n")
    return out[:limit] if limit else out


def timed(fn: Callable[[list[str]], list[str]], src: list[str]) -> tuple[list[str], float, float]:
    """Output, sentences per wall-clock second, and per CPU second of this process (all threads;
    steadier than wall time on a machine shared with other jobs)."""
    wall, cpu = time.perf_counter(), time.process_time()
    out = fn(src)
    return out, len(src) / max(time.perf_counter() - wall, 1e-9), len(src) / max(time.process_time() - cpu, 1e-9)


def kept(src: list[str], hyps: list[str], s: str, t: str) -> dict[str, float]:
    n = [preserved(a, b, resolve(s), resolve(t)) for a, b in zip(src, hyps)]
    nums, nums_kept, items, items_kept = (sum(x[i] for x in n) for i in range(4))
    total = nums + items
    return {"numbers": nums, "numbers_kept": nums_kept, "urls": items, "urls_kept": items_kept,
            "kept_rate": round(100 * (nums_kept + items_kept) / total, 2) if total else 100.0}


class Runner:
    def __init__(self, engine: TranslationEngine, repeat: int) -> None:
        self.engine, self.repeat = engine, repeat
        self.raw = lambda texts: [h.text for h in engine.backend.translate(texts)]
        self.newsmt = lambda texts: [tr.text for tr in engine.translate_texts(texts)]

    def both(self, src: list[str]) -> tuple[list[str], tuple[float, float], list[str], tuple[float, float]]:
        """Raw and newsmt outputs with their best (wall, CPU) speeds over ``repeat`` alternating runs."""
        raw_best = new_best = (0.0, 0.0)
        for _ in range(self.repeat):
            raw, *raw_speed = timed(self.raw, src)
            new, *new_speed = timed(self.newsmt, src)
            raw_best = tuple(map(max, raw_best, raw_speed))
            new_best = tuple(map(max, new_best, new_speed))
        return raw, raw_best, new, new_best


def row(name: str, src: list[str], refs: list[str], raw: list[str], new: list[str], s: str, t: str,
        speeds: tuple[tuple[float, float], tuple[float, float]] | None = None) -> dict:
    r, n = mt_scores(raw, refs, t), mt_scores(new, refs, t)
    out = {"set": name, "lines": len(src), "raw": r, "newsmt": n, "raw_kept": kept(src, raw, s, t), "newsmt_kept": kept(src, new, s, t)}
    if speeds:
        (raw_wall, raw_cpu), (new_wall, new_cpu) = speeds
        out["raw_sent_s"], out["newsmt_sent_s"] = round(raw_wall, 1), round(new_wall, 1)
        out["speed_ratio"] = round(new_wall / raw_wall, 3)
        out["raw_sent_per_cpu_s"], out["newsmt_sent_per_cpu_s"] = round(raw_cpu, 1), round(new_cpu, 1)
        out["cpu_speed_ratio"] = round(new_cpu / raw_cpu, 3)
    return out


def flores(runner: Runner, s: str, t: str, limit: int) -> dict:
    src = lines(EVAL / "flores200_devtest" / f"{FLORES_CODE[s]}.devtest", limit)
    refs = lines(EVAL / "flores200_devtest" / f"{FLORES_CODE[t]}.devtest", limit)
    raw, rs, new, ns = runner.both(src)
    return row(f"FLORES-200 devtest {FLORES_CODE[s][:3]}->{FLORES_CODE[t][:3]}", src, refs, raw, new, s, t, (rs, ns))


def ntrex(runner: Runner, s: str, t: str, limit: int) -> list[dict]:
    """Gold segments, and whole documents segmented by newsmt, scored per document."""
    from newsmt.sources import read_text
    from newsmt.segment import segment_document

    base = EVAL / "ntrex128"
    src = lines(base / "newstest2019-src.eng.txt", limit)
    refs = lines(base / f"newstest2019-ref.{NTREX_REF[t]}.txt", limit)
    ids = [x.split("\t")[0] for x in lines(base / "DOCUMENT_IDS.tsv", limit)]
    raw, rs, new, ns = runner.both(src)
    gold = row(f"NTREX newstest2019 eng->{NTREX_REF[t]} (gold segments)", src, refs, raw, new, s, t, (rs, ns))
    ref_docs = join_documents(refs, ids)
    gold["doc_level"] = {"raw": doc_chrf(join_documents(raw, ids), ref_docs), "newsmt": doc_chrf(join_documents(new, ids), ref_docs)}

    hyp_docs, sentences, headlines = [], 0, {}
    start = time.perf_counter()
    for first, doc_lines in _group(src, ids):
        text = doc_lines[0] + ("\n\n" + " ".join(doc_lines[1:]) if len(doc_lines) > 1 else "")
        doc = runner.engine.translate_document(segment_document(read_text(text, "txt", s)[0]))
        hyp = [doc.translations[x.id].text for x in doc.sentences()]
        sentences += len(hyp)
        hyp_docs.append(" ".join(hyp))
        headlines[first] = " ".join(doc.translations[x.id].text for x in doc.paragraphs[0].sentences)
    speed = sentences / (time.perf_counter() - start)
    docs = {"set": f"NTREX newstest2019 eng->{NTREX_REF[t]} (whole documents, newsmt segmentation)",
            "docs": len(hyp_docs), "sentences": sentences, "newsmt_sent_s": round(speed, 1),
            "doc_level": {"newsmt": doc_chrf(hyp_docs, ref_docs)}}
    # the Title Case headlines (read in sentence case in their documents: translate/casing.py), raw
    # = the line alone as written, by halves of the documents (the rule was written looking at both)
    order = list(headlines)
    halves = [[i for i in part if title_case(src[i])] for part in (order[:len(order) // 2], order[len(order) // 2:])]
    heads = [row(f"NTREX eng->{NTREX_REF[t]}: Title Case headlines in their documents, {part} half of the documents",
                 [src[i] for i in lines_], [refs[i] for i in lines_], [raw[i] for i in lines_],
                 [headlines[i] for i in lines_], s, t) for part, lines_ in zip(("1st", "2nd"), halves) if lines_]
    return [gold, docs, *heads]


def _group(src: list[str], ids: list[str]) -> list[tuple[int, list[str]]]:
    """(index of its first line, its lines) per document."""
    docs: dict[str, tuple[int, list[str]]] = {}
    for i, (line, d) in enumerate(zip(src, ids)):
        docs.setdefault(d, (i, []))[1].append(line)
    return list(docs.values())


def wmt(runner: Runner, s: str, t: str, limit: int) -> list[dict]:
    out = []
    for name in WMT.get((s, t), []):
        base = EVAL / name
        src = lines(base / f"src.{s}", limit)
        refs = lines(base / f"ref.A.{t}", limit)
        raw, rs, new, ns = runner.both(src)
        out.append(row(f"WMT {name}", src, refs, raw, new, s, t, (rs, ns)))
    return out


def quotes(runner: Runner, s: str, t: str, limit: int) -> dict:
    """Sentences of WMT18 src.en with typographic double quotes: how many lose quotation marks."""
    src = [x for x in lines(EVAL / "wmt18_newstest_en-ru" / "src.en") if TYPOGRAPHIC.search(x)]
    src = src[:limit] if limit else src
    raw, new = runner.raw(src), runner.newsmt(src)

    def fewer(hyps: list[str]) -> int:
        return sum(len(DOUBLE_QUOTES.findall(h)) < len(DOUBLE_QUOTES.findall(x)) for x, h in zip(src, hyps))

    return {"set": f"quotes: WMT18 src.en sentences with typographic double quotes, en->{t}",
            "lines": len(src), "raw_fewer_quotes": fewer(raw), "newsmt_fewer_quotes": fewer(new)}


def markdown(results: list[dict]) -> str:
    out = ["| data | lines | raw BLEU | raw chrF | newsmt BLEU | newsmt chrF | kept raw / newsmt (%) | sent/s raw / newsmt | sent per CPU-s raw / newsmt |",
           "|---|---|---|---|---|---|---|---|---|"]
    sigs = set()
    for r in results:
        if "raw" in r:
            sigs.add(r["newsmt"]["bleu_signature"])
            sigs.add(r["newsmt"]["chrf_signature"])
            speed = f"{r['raw_sent_s']} / {r['newsmt_sent_s']} ({r['speed_ratio']:.1%})" if "speed_ratio" in r else ""
            cpu = f"{r['raw_sent_per_cpu_s']} / {r['newsmt_sent_per_cpu_s']} ({r['cpu_speed_ratio']:.1%})" if "speed_ratio" in r else ""
            out.append(f"| {r['set']} | {r['lines']} | {r['raw']['bleu']} | {r['raw']['chrf']} | {r['newsmt']['bleu']} | "
                       f"{r['newsmt']['chrf']} | {r['raw_kept']['kept_rate']} / {r['newsmt_kept']['kept_rate']} | {speed} | {cpu} |")
        if "doc_level" in r:
            d = r["doc_level"]
            raw = d["raw"]["chrf"] if "raw" in d else "-"
            out.append(f"| {r['set']}: document-level chrF | {d['newsmt']['docs']} docs | | {raw} | | {d['newsmt']['chrf']} | | | |")
        if "raw_fewer_quotes" in r:
            out.append(f"| {r['set']}: fewer quotation marks than the source | {r['lines']} | | {r['raw_fewer_quotes']} | | {r['newsmt_fewer_quotes']} | | | |")
    out += ["", *sorted(f"signature: {s}" for s in sigs)]
    return "\n".join(out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--backend", default="auto", choices=["auto", "bergamot", "ctranslate2", "transformers"])
    ap.add_argument("--model", default="", help="model name or folder for the forward direction")
    ap.add_argument("--reverse-model", default="", help="model for the reverse direction (FLORES only)")
    ap.add_argument("--pair", default="en-pt")
    ap.add_argument("--sets", default="flores,flores-reverse,ntrex,wmt,quotes")
    ap.add_argument("--limit", type=int, default=0, help="first N lines of each set (0 = all)")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=1, help="alternating timed runs (best kept)")
    ap.add_argument("--json", type=Path, help="also write the results here")
    args = ap.parse_args()
    s, t = args.pair.split("-")
    sets = set(args.sets.split(","))

    def runner(src: str, tgt: str, model: str) -> Runner:
        cfg = TranslateConfig(tgt=tgt, backend=args.backend, model=model, threads=args.threads)
        return Runner(load_engine(src, tgt, cfg), args.repeat)

    results: list[dict] = []
    fwd = runner(s, t, args.model)
    print(f"model {fwd.engine.provenance['model']} ({fwd.engine.provenance['backend']}), {args.threads} threads", file=sys.stderr)
    if "flores" in sets:
        results.append(flores(fwd, s, t, args.limit))
    if "ntrex" in sets and s == "en" and t in NTREX_REF:
        results += ntrex(fwd, s, t, args.limit)
    if "wmt" in sets:
        results += wmt(fwd, s, t, args.limit)
    if "quotes" in sets and s == "en":
        results.append(quotes(fwd, s, t, args.limit))
    if "flores-reverse" in sets:
        results.append(flores(runner(t, s, args.reverse_model), t, s, args.limit))
    print(markdown(results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
