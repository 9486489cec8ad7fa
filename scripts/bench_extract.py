#!/usr/bin/env python
"""Pages per second of main-text extraction on one core: newsmt's read_page and trafilatura.

    python scripts/bench_extract.py                  # dev set pages, 3 passes, best pass reported
    python scripts/bench_extract.py --passes 5 --pages 100

The process pins itself to one CPU (``os.sched_setaffinity``, where available) and runs one page
after the other; both CPU time and wall time are measured per pass, and the best pass counts (a
shared machine slows some passes down). A warm-up pass runs first (imports, regex caches, the
date parser's locale tables). Bytes in, as read from disk: decoding and parsing are included.
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEV = REPO.parent / "shared" / "eval" / "web_pages_trafilatura_eval"


def systems(names: list[str]):
    out = {}
    for name in names:
        if name == "newsmt":
            from newsmt.errors import InputError
            from newsmt.sources.web import read_page

            def run(html: bytes, url: str, _read=read_page, _err=InputError) -> None:
                try:
                    _read(html, "page", url=url)
                except _err:
                    pass
        elif name == "newsmt-page":
            from newsmt.sources.web import read_page

            def run(html: bytes, url: str, _read=read_page) -> None:
                _read(html, "page", url=url, mode="page")
        elif name == "trafilatura":
            import trafilatura

            def run(html: bytes, url: str, _extract=trafilatura.extract) -> None:
                _extract(html)
        else:
            raise SystemExit(f"unknown system {name!r}")
        out[name] = run
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--dev", type=Path, default=DEV)
    ap.add_argument("--systems", default="newsmt,trafilatura")
    ap.add_argument("--passes", type=int, default=3)
    ap.add_argument("--pages", type=int, default=0, help="first N pages only (default: all)")
    ap.add_argument("--cpu", type=int, default=-1, help="CPU to pin to (default: the last one allowed)")
    args = ap.parse_args(argv)
    if hasattr(os, "sched_setaffinity"):
        allowed = sorted(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {args.cpu if args.cpu >= 0 else allowed[-1]})
    rows = [json.loads(x) for x in (args.dev / "gold.jsonl").read_text(encoding="utf-8").splitlines()]
    if args.pages:
        rows = rows[: args.pages]
    pages = [(gzip.decompress((args.dev / r["file"]).read_bytes()), r.get("url", "")) for r in rows]
    size = sum(len(h) for h, _ in pages) / len(pages) / 1024
    print(f"{len(pages)} pages (mean {size:.0f} KiB), {args.passes} passes, one core\n")
    print("| system | pages/s (CPU time) | pages/s (wall) | ms/page (CPU) |")
    print("|---|---:|---:|---:|")
    for name, run in systems([s for s in args.systems.split(",") if s]).items():
        for html, url in pages:  # warm-up
            run(html, url)
        best_cpu = best_wall = float("inf")
        for _ in range(args.passes):
            c0, w0 = time.process_time(), time.perf_counter()
            for html, url in pages:
                run(html, url)
            best_cpu = min(best_cpu, time.process_time() - c0)
            best_wall = min(best_wall, time.perf_counter() - w0)
        n = len(pages)
        print(f"| {name} | {n / best_cpu:.1f} | {n / best_wall:.1f} | {1000 * best_cpu / n:.1f} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
