#!/usr/bin/env python
"""Main-text extraction: newsmt against trafilatura, readability-lxml and resiliparse, same pages, one run.

    python scripts/eval_extract.py                          # dev set (snippets) and gold fixtures, both parts
    python scripts/eval_extract.py --part tuning            # only the tuning part of each set
    python scripts/eval_extract.py --systems newsmt --show  # per page: missed/leaked snippets, per-page P/R
    python scripts/eval_extract.py --gold DIR_OR_FILE       # other gold-text sets (DIR/*/gold.jsonl, or one file)
    python scripts/eval_extract.py --summaries              # newsmt's page summaries: from the body?

Systems: ``newsmt`` (``read_page``, article mode: the extract record's text), ``trafilatura``
(``trafilatura.extract(html)``, its defaults), ``trafilatura-nc`` (comments off),
``readability`` (readability-lxml's summary as text), ``resiliparse`` (main-content plain text).
Every system gets the page's bytes as read from disk.

Data, each set split into a tuning part and a reporting part (never tune on the reporting part):

* the dev set ``../shared/eval/web_pages_trafilatura_eval`` (snippets a page's extraction must
  and must not hold; tuning part: even page ids, reporting part: odd ones). Scored as trafilatura
  scores it: a "with" snippet found, a "without" snippet absent; newsmt's text there includes
  the title.
* gold-text sets (``tests/fixtures/web_gold/*/gold.jsonl``: {"id", "file", "url", "lang", "part",
  "body", "gold"}; a set without "part" is all reporting; "gold" says whose text the gold is:
  "human" when absent, else the program whose expected output it is): pooled word 4-gram
  precision / recall / F1 (overlaps, extracted and reference 4-grams summed over all pages, then
  divided), as the public extraction benchmarks score; in scripts written without spaces every
  character is a word. All gold-text sets are also pooled into one table per part.

Speed is pages per second of CPU time over the set (a shared machine disturbs wall time more).

``--summaries``: newsmt's extractive summary of each page (3 sentences, as ``newsmt summarize``
makes it) and the share of its sentences that come from the article body: on the dev set, those
that hold none of the page's boilerplate snippets; on a gold-text set, those whose word 4-grams
are at least half in the gold body.
"""
from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Callable

REPO = Path(__file__).resolve().parent.parent
DEV = REPO.parent / "shared" / "eval" / "web_pages_trafilatura_eval"
GOLD = REPO / "tests" / "fixtures" / "web_gold"
SYSTEMS_DEFAULT = "newsmt,trafilatura,trafilatura-nc,readability,resiliparse"

# a word; in a script written without spaces (Chinese, Japanese, Thai, ...) a character
_TOKEN = re.compile("[\u0e00-\u0eff\u0f00-\u0fff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf"
                    "\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f]|[^\\W_]+")
Extract = Callable[[bytes, str], str]


def ngrams(text: str, n: int = 4) -> Counter:
    """Word n-grams (lower-cased words, punctuation ignored; a character is a word where a script
    writes no spaces) with their counts."""
    words = _TOKEN.findall(text.casefold())
    if len(words) < n:
        return Counter([tuple(words)]) if words else Counter()
    return Counter(tuple(words[i:i + n]) for i in range(len(words) - n + 1))


def overlap(extracted: str, reference: str, n: int = 4) -> tuple[int, int, int]:
    """(shared, extracted, reference) word n-gram counts (clipped: an n-gram counts as often as it
    occurs in both)."""
    got, ref = ngrams(extracted, n), ngrams(reference, n)
    return sum((got & ref).values()), sum(got.values()), sum(ref.values())


def prf(shared: int, extracted: int, reference: int) -> tuple[float, float, float]:
    p = shared / extracted if extracted else float(not reference)
    r = shared / reference if reference else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


# -- systems ---------------------------------------------------------------------------------------
def _newsmt(with_title: bool) -> Extract:
    from newsmt.errors import InputError
    from newsmt.sources.web import read_page
    from newsmt.writers.extract import extract_record

    def run(html: bytes, url: str) -> str:
        try:
            doc = read_page(html, "page", url=url)
        except InputError:
            return ""
        return doc.text if with_title else extract_record(doc)["text"]

    return run


def _trafilatura(**options) -> Extract:
    import trafilatura

    return lambda html, url: trafilatura.extract(html, **options) or ""


def _readability() -> Extract:
    from lxml import html as lxml_html
    from readability import Document

    def run(html: bytes, url: str) -> str:
        try:
            summary = Document(html).summary(html_partial=True)
            return "\n".join(t for t in lxml_html.fragment_fromstring(summary, create_parent="div").itertext()
                             if t.strip())
        except Exception:  # noqa: BLE001 - a page it cannot take scores as an empty extraction
            return ""

    return run


def _resiliparse() -> Extract:
    from resiliparse.extract.html2text import extract_plain_text
    from resiliparse.parse.encoding import bytes_to_str, detect_encoding

    return lambda html, url: extract_plain_text(bytes_to_str(html, detect_encoding(html)), main_content=True)


SYSTEMS: dict[str, Callable[[bool], Extract]] = {
    "newsmt": _newsmt,
    "trafilatura": lambda _: _trafilatura(),
    "trafilatura-nc": lambda _: _trafilatura(include_comments=False),
    "readability": lambda _: _readability(),
    "resiliparse": lambda _: _resiliparse(),
}


# -- data ------------------------------------------------------------------------------------------
def _html(folder: Path, row: dict) -> bytes:
    raw = (folder / row["file"]).read_bytes()
    return gzip.decompress(raw) if row["file"].endswith(".gz") else raw


def load_dev(root: Path, part: str) -> list[dict]:
    rows = [json.loads(x) for x in (root / "gold.jsonl").read_text(encoding="utf-8").splitlines() if x.strip()]
    for row in rows:
        row["part"] = "tuning" if int(row["id"]) % 2 == 0 else "reporting"
    return [dict(row, html=_html(root, row)) for row in rows if part in ("all", row["part"])]


def load_gold(path: Path, part: str) -> list[dict]:
    rows = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]
    return [dict(row, html=_html(path.parent, row)) for row in rows if part in ("all", row.get("part", "reporting"))]


def _timed(fn: Extract, rows: list[dict]) -> tuple[list[str], float]:
    fn(rows[0]["html"], rows[0].get("url", ""))  # warm-up: imports, caches, models
    start = time.process_time()
    outs = [fn(r["html"], r.get("url", "")) for r in rows]
    return outs, len(rows) / max(time.process_time() - start, 1e-9)


def eval_snippets(rows: list[dict], systems: list[str], show: bool) -> None:
    print("| system | pages | must-have found % | boilerplate absent % | pages/s |")
    print("|---|---:|---:|---:|---:|")
    for name in systems:
        outs, speed = _timed(SYSTEMS[name](True), rows)
        found = with_ = absent = without = 0
        for row, out in zip(rows, outs):
            found += sum(s in out for s in row["with"])
            with_ += len(row["with"])
            absent += sum(s not in out for s in row["without"])
            without += len(row["without"])
            if show:
                for s in row["with"]:
                    if s not in out:
                        print(f"  {row['id']} MISSED {s!r}")
                for s in row["without"]:
                    if s in out:
                        print(f"  {row['id']} LEAKED {s!r}")
        print(f"| {name} | {len(rows)} | {100 * found / with_:.1f} | {100 * absent / without:.1f} | {speed:.1f} |",
              flush=True)


def gold_kind(rows: list[dict]) -> str:
    """What a set's gold is: "human" (annotated by people), else the program whose output it is."""
    return rows[0].get("gold", "human") if rows else "human"


def score_gold(rows: list[dict], systems: list[str], show: bool) -> dict[str, tuple[list[int], float, float]]:
    """For each system: pooled (shared, extracted, reference) 4-gram counts, CPU seconds, pages."""
    scores = {}
    for name in systems:
        outs, speed = _timed(SYSTEMS[name](False), rows)
        totals = [0, 0, 0]
        for row, out in zip(rows, outs):
            counts = overlap(out, row["body"])
            totals = [a + b for a, b in zip(totals, counts)]
            if show:
                p, r, _ = prf(*counts)
                print(f"  {name} {row['id']} ({row.get('lang', '')}): P {p:.3f} R {r:.3f}")
        scores[name] = (totals, len(rows) / speed, len(rows))
    return scores


def print_gold(scores: dict[str, tuple[list[int], float, float]]) -> None:
    print("| system | pages | F1 | precision | recall | pages/s |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, (totals, seconds, pages) in scores.items():
        p, r, f = prf(*totals)
        print(f"| {name} | {pages:.0f} | {f:.3f} | {p:.3f} | {r:.3f} | {pages / max(seconds, 1e-9):.1f} |", flush=True)


def pool(scores: list[dict[str, tuple[list[int], float, float]]]) -> dict[str, tuple[list[int], float, float]]:
    """Several sets' scores as one: counts, seconds and pages summed."""
    out: dict[str, tuple[list[int], float, float]] = {}
    for score in scores:
        for name, (totals, seconds, pages) in score.items():
            t, s, n = out.get(name, ([0, 0, 0], 0.0, 0.0))
            out[name] = ([a + b for a, b in zip(t, totals)], s + seconds, n + pages)
    return out


def _summary_sentences(html: bytes, url: str, lang: str) -> list[str]:
    from newsmt.config import SummarizeConfig
    from newsmt.errors import InputError
    from newsmt.segment import segment_document
    from newsmt.sources.web import read_page
    from newsmt.summarize.extractive import extractive_summary

    try:
        doc = read_page(html, "page", lang, url=url)
    except InputError:
        return []
    return [s.text for s in extractive_summary(segment_document(doc), SummarizeConfig(sentences=3)).sentences]


def eval_summaries(rows: list[dict], gold: bool) -> None:
    """Share of newsmt's summary sentences that come from the article body."""
    total = from_body = 0
    for row in rows:
        for sentence in _summary_sentences(row["html"], row.get("url", ""), row.get("lang", "")):
            total += 1
            if gold:
                shared, extracted, _ = overlap(sentence, row["body"])
                from_body += shared >= 0.5 * extracted
            else:
                from_body += not any(s in sentence or sentence in s for s in row["without"] if len(s) > 20)
    print(f"| newsmt summaries | {len(rows)} pages | {total} sentences | from the body: "
          f"{100 * from_body / max(total, 1):.1f}% |", flush=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--dev", type=Path, default=DEV, help="dev set folder (gold.jsonl, html/); skipped when absent")
    ap.add_argument("--gold", type=Path, default=GOLD,
                    help="folder of gold-text sets (*/gold.jsonl), or one gold.jsonl")
    ap.add_argument("--systems", default=SYSTEMS_DEFAULT, help=f"comma-separated, of: {', '.join(SYSTEMS)}")
    ap.add_argument("--part", choices=("tuning", "reporting", "all"), default="all")
    ap.add_argument("--only", choices=("dev", "gold"), help="one kind of data only")
    ap.add_argument("--show", action="store_true", help="per page: missed/leaked snippets, P/R")
    ap.add_argument("--summaries", action="store_true", help="newsmt's summaries instead: share from the body")
    args = ap.parse_args(argv)
    systems = [s for s in args.systems.split(",") if s]
    unknown = [s for s in systems if s not in SYSTEMS]
    if unknown:
        ap.error(f"unknown system(s): {', '.join(unknown)}")
    parts = ("tuning", "reporting") if args.part == "all" else (args.part,)
    gold_sets = [args.gold] if args.gold.is_file() else sorted(args.gold.glob("*/gold.jsonl"))
    for part in parts:
        if args.only != "gold" and (args.dev / "gold.jsonl").exists():
            print(f"\n### dev set ({args.dev.name}), {part} part: snippets\n")
            rows = load_dev(args.dev, part)
            eval_summaries(rows, False) if args.summaries else eval_snippets(rows, systems, args.show)
        if args.only == "dev":
            continue
        by_kind: dict[str, list] = {}
        for path in gold_sets:
            rows = load_gold(path, part)
            if not rows:
                continue
            kind = gold_kind(rows)
            what = "summary sentences from the body" if args.summaries else "pooled word 4-gram F1"
            print(f"\n### {path.parent.name} (gold: {kind}), {part} part: {what}\n")
            if args.summaries:
                eval_summaries(rows, True)
                continue
            scores = score_gold(rows, systems, args.show)
            print_gold(scores)
            by_kind.setdefault(kind, []).append(scores)
        everything = [score for scores in by_kind.values() for score in scores]
        if len(everything) > 1:
            print(f"\n### all gold-text sets ({'; '.join(by_kind)}), {part} part, pooled\n")
            print_gold(pool(everything))
    return 0


if __name__ == "__main__":
    sys.exit(main())
