#!/usr/bin/env python
"""Main-text extraction from web pages, scored on the dev set (and, with --gold-text, on bodies).

    python scripts/eval_extract.py                      # Markdown table: newsmt, trafilatura, old reader
    python scripts/eval_extract.py --show-misses        # per page: missed and leaked snippets (newsmt)
    python scripts/eval_extract.py --systems newsmt --langs en,es

Dev set: ``../shared/eval/web_pages_trafilatura_eval`` (gold.jsonl: id, file, url, lang, "with":
snippets of the main text, "without": boilerplate snippets; html/NNNN.html.gz). A page scores a
"with" snippet when the snippet occurs in the extracted text, a "without" one when it does not
(trafilatura's own evaluation). Rows: newsmt (``read_page`` article mode, its ``Document.text``;
``newsmt-body``: the same without title and captions),
trafilatura alone (``trafilatura.extract(html)``, defaults) and the old reader
(``read_html`` of ``scripts/old_html_reader.py``: every visible block, no extraction).

Held-out data with reference bodies (JSONL: {"id", "file" or "html", "url", "lang", "body"}) is
scored with ``body_f1``: precision / recall / F1 of the extracted text's word 4-grams against the
reference body's (``--gold-text FILE``; newsmt scores its article body, title and captions left out,
and its full text too).
"""
from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Callable

SCRIPTS = Path(__file__).resolve().parent
REPO = SCRIPTS.parent
DEV = REPO.parent / "shared" / "eval" / "web_pages_trafilatura_eval"

_TOKEN = re.compile(r"\w+", re.UNICODE)


def ngrams(text: str, n: int = 4) -> Counter:
    """Word n-grams (lower-cased word tokens, punctuation ignored) with their counts."""
    words = _TOKEN.findall(text.casefold())
    if len(words) < n:
        return Counter([tuple(words)]) if words else Counter()
    return Counter(tuple(words[i:i + n]) for i in range(len(words) - n + 1))


def body_f1(extracted: str, reference: str, n: int = 4) -> tuple[float, float, float]:
    """(precision, recall, F1) of the extracted text's word n-grams against the reference's
    (clipped counts: an n-gram counts as often as it occurs in both)."""
    got, ref = ngrams(extracted, n), ngrams(reference, n)
    if not got and not ref:
        return 1.0, 1.0, 1.0
    overlap = sum((got & ref).values())
    p = overlap / sum(got.values()) if got else 0.0
    r = overlap / sum(ref.values()) if ref else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


# -- systems ---------------------------------------------------------------------------------------
def _newsmt(body_only: bool = False) -> Callable[[bytes, str, str], str]:
    from newsmt.errors import InputError
    from newsmt.sources.web import article_body, read_page

    def run(html: bytes, url: str, lang: str) -> str:
        try:
            doc = read_page(html, "page", lang, url=url)
        except InputError:
            return ""
        return article_body(doc) if body_only else doc.text

    return run


def _trafilatura() -> Callable[[bytes, str, str], str]:
    import trafilatura

    def run(html: bytes, url: str, lang: str) -> str:
        return trafilatura.extract(html) or ""

    return run


def _old_reader() -> Callable[[bytes, str, str], str]:
    if str(SCRIPTS) not in sys.path:
        sys.path.insert(0, str(SCRIPTS))
    from old_html_reader import read_html

    from newsmt.errors import InputError
    from newsmt.sources.web import decode_page

    def run(html: bytes, url: str, lang: str) -> str:
        try:
            text = decode_page(html, "page")[0]
            return read_html(text, lang or "en", "page").text
        except InputError:
            return ""

    return run


SYSTEMS = {
    "newsmt": lambda: _newsmt(False),
    "newsmt-body": lambda: _newsmt(True),  # title and captions left out (``article_body``)
    "trafilatura": _trafilatura,
    "old-reader": _old_reader,
}


# -- dev set ---------------------------------------------------------------------------------------
def load_dev(root: Path, langs: set[str] | None = None) -> list[dict]:
    rows = []
    with open(root / "gold.jsonl", encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            if langs and row["lang"] not in langs:
                continue
            row["html"] = gzip.decompress((root / row["file"]).read_bytes())
            rows.append(row)
    return rows


def score_snippets(rows: list[dict], fn: Callable[[bytes, str, str], str], show: bool = False) -> dict:
    """Per language and overall: with-snippets found, without-snippets absent, pages/s."""
    per: dict[str, Counter] = defaultdict(Counter)
    elapsed = 0.0
    for row in rows:
        t = time.process_time()
        out = fn(row["html"], row.get("url", ""), row["lang"])
        elapsed += time.process_time() - t
        for c in (per[row["lang"]], per["all"]):
            c["pages"] += 1
            c["with"] += len(row["with"])
            c["found"] += sum(s in out for s in row["with"])
            c["without"] += len(row["without"])
            c["absent"] += sum(s not in out for s in row["without"])
        if show:
            for s in row["with"]:
                if s not in out:
                    print(f"{row['id']} MISSED {s!r}")
            for s in row["without"]:
                if s in out:
                    line = next((x for x in out.split("\n") if s in x), "")
                    print(f"{row['id']} LEAKED {s!r} | {line[:160]!r}")
    per["all"]["seconds"] = elapsed
    return per


def _pct(a: int, b: int) -> str:
    return f"{100 * a / b:.1f}" if b else "-"


def print_table(results: dict[str, dict]) -> None:
    first = next(iter(results.values()))
    langs = sorted({k for r in results.values() for k in r if k != "all"}, key=lambda k: -first[k]["pages"])
    print("| system | lang | pages | must-have found % | boilerplate absent % | pages/s |")
    print("|---|---|---:|---:|---:|---:|")
    for name, per in results.items():
        for lang in ["all", *langs]:
            c = per[lang]
            speed = f"{c['pages'] / per['all']['seconds']:.1f}" if lang == "all" and per["all"]["seconds"] else ""
            print(f"| {name} | {lang} | {c['pages']} | {_pct(c['found'], c['with'])} | "
                  f"{_pct(c['absent'], c['without'])} | {speed} |")


def score_bodies(path: Path, systems: list[str]) -> None:
    """Word-4-gram precision and recall averaged over pages (as the Article Extraction Benchmark
    does), F1 of those means, and the mean of the per-page F1s."""
    rows = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]
    fns = {name: SYSTEMS[name]() for name in systems}
    if "newsmt" in systems and "newsmt-body" not in systems:
        fns["newsmt-body"] = _newsmt(True)
    print("| system | pages | precision | recall | F1 (of the means) | mean F1 |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, fn in fns.items():
        sums = [0.0, 0.0, 0.0]
        for row in rows:
            html = row.get("html")
            if html is None:
                raw = (path.parent / row["file"]).read_bytes()
                html = gzip.decompress(raw) if row["file"].endswith(".gz") else raw
            elif isinstance(html, str):
                html = html.encode("utf-8")
            for i, v in enumerate(body_f1(fn(html, row.get("url", ""), row.get("lang", "")), row["body"])):
                sums[i] += v
        k = len(rows) or 1
        p, r = sums[0] / k, sums[1] / k
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        print(f"| {name} | {len(rows)} | {p:.3f} | {r:.3f} | {f1:.3f} | {sums[2] / k:.3f} |")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--dev", type=Path, default=DEV, help="dev set folder (gold.jsonl, html/)")
    ap.add_argument("--systems", default="newsmt,trafilatura,old-reader")
    ap.add_argument("--langs", default="", help="comma-separated languages (default: all)")
    ap.add_argument("--show-misses", action="store_true", help="list missed/leaked snippets of the first system")
    ap.add_argument("--gold-text", type=Path, help="JSONL of pages with reference bodies: word-4-gram P/R/F1")
    args = ap.parse_args(argv)
    systems = [s for s in args.systems.split(",") if s]
    if args.gold_text:
        score_bodies(args.gold_text, systems)
        return 0
    if not (args.dev / "gold.jsonl").exists():
        print(f"dev set not found: {args.dev}", file=sys.stderr)
        return 1
    rows = load_dev(args.dev, set(args.langs.split(",")) - {""} or None)
    results = {}
    for i, name in enumerate(systems):
        fn = SYSTEMS[name]()
        fn(rows[0]["html"], rows[0]["url"], rows[0]["lang"])  # warm-up (imports, caches)
        results[name] = score_snippets(rows, fn, show=args.show_misses and i == 0)
    print_table(results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
