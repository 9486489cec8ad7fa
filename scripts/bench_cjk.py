"""Articles per second on one core for 3 KB Chinese and Japanese news: segmentation + extractive
summary on text, and extraction + segmentation + extractive summary on a simple HTML page.

    python scripts/bench_cjk.py [--shared ../shared/eval] [--articles 200] [--passes 3]

Articles are built at run time from the zh and ja documents of ../shared/eval/seg_multilingual_news_dev
(nothing is copied into the repository): each takes sentences in order until it holds about 3 KB of
UTF-8, a headline (its first sentence) and paragraphs of three sentences. The HTML page wraps the
same text in <h1> and <p> elements inside <article>. Thread pools are limited to one thread before
numpy loads; the process runs on one core (Linux). Target: 500 articles/s per core.
"""
from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import html  # noqa: E402
import json  # noqa: E402
from pathlib import Path  # noqa: E402

from bench_summarize import best_of  # noqa: E402  (scripts/ is on the path of a script)

from newsmt.config import SummarizeConfig  # noqa: E402
from newsmt.segment import segment_document, segment_text  # noqa: E402
from newsmt.sources import read_text  # noqa: E402
from newsmt.summarize import extractive_summary  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
ARTICLE_BYTES = 3 * 1024
TARGET = 500


def articles(root: Path, lang: str, count: int) -> list[list[str]]:
    """``count`` articles of about 3 KB as paragraph lists (headline first), cycling over the set."""
    folder = root / "seg_multilingual_news_dev"
    sentences = [s for line in (folder / f"{lang}.gold.jsonl").read_text(encoding="utf-8").splitlines()
                 for s in json.loads(line)["sentences"]]
    out, i = [], 0
    while len(out) < count:
        sents: list[str] = []
        while sum(len(s.encode("utf-8")) for s in sents) < ARTICLE_BYTES:
            sents.append(sentences[i % len(sentences)])
            i += 1
        body = [sents[k:k + 3] for k in range(1, len(sents), 3)]
        out.append([sents[0], *("".join(p) for p in body)])
    return out


def as_text(paragraphs: list[str]) -> str:
    return "\n\n".join(paragraphs) + "\n"


def as_html(paragraphs: list[str], lang: str) -> str:
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs[1:])
    title = html.escape(paragraphs[0])
    return (f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title></head>'
            f"<body><article><h1>{title}</h1>{body}</article></body></html>")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared" / "eval")
    ap.add_argument("--articles", type=int, default=200)
    ap.add_argument("--passes", type=int, default=3)
    args = ap.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    cfg = SummarizeConfig()
    print(f"| lang | input | articles | KB | articles/s (one core, best of {args.passes}) | ≥ {TARGET} |")
    print("|---|---|---|---|---|---|")
    for lang in ("zh", "ja"):
        arts = articles(args.shared, lang, args.articles)
        texts = [as_text(a) for a in arts]
        pages = [as_html(a, lang) for a in arts]
        extractive_summary(segment_text(texts[0], lang), cfg)  # warm-up: imports, compiled rules
        runs = {
            "text: segment + summarize": (texts, lambda: [extractive_summary(segment_text(t, lang), cfg) for t in texts]),
            "html: extract + segment + summarize": (pages, lambda: [
                extractive_summary(segment_document(read_text(p, "html", lang)[0]), cfg) for p in pages]),
        }
        for name, (inputs, fn) in runs.items():
            fn()  # warm-up of this path
            secs = best_of(args.passes, fn)
            kb = sum(len(x.encode("utf-8")) for x in inputs) / len(inputs) / 1024
            speed = len(inputs) / secs
            print(f"| {lang} | {name} | {len(inputs)} | {kb:.1f} | {speed:,.0f} | {'yes' if speed >= TARGET else 'NO'} |")


if __name__ == "__main__":
    main()
