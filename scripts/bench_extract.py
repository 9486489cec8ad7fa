#!/usr/bin/env python
"""Pages per second of main-text extraction on one core: newsmt's read_page and the extractors it is
compared with, on the same pages; and newsmt's memory over many pages.

    python scripts/bench_extract.py                      # dev set pages, 3 passes, best pass reported
    python scripts/bench_extract.py --passes 5 --pages 100 --systems newsmt,trafilatura
    python scripts/bench_extract.py --gold tests/fixtures/web_gold/newspaper4k/gold.jsonl
    python scripts/bench_extract.py --memory 10000       # newsmt's peak RSS every 1,000 pages

The process pins itself to one CPU (``os.sched_setaffinity``, where available) and runs one page
after the other; both CPU time and wall time are measured per pass, and the best pass counts (a
shared machine slows some passes down). Systems take turns within each pass, so a busy moment of
the machine slows them alike. A warm-up pass runs first (imports, regex caches, models). Bytes in,
as read from disk: decoding and parsing are included. ``--memory N`` reads N pages (the set over
and over) through ``read_page`` and prints the process's peak resident memory as it goes: flat
memory means no page leaves anything behind.
"""
from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from pathlib import Path

SCRIPTS = Path(__file__).resolve().parent
sys.path.insert(0, str(SCRIPTS))

from eval_extract import DEV, SYSTEMS, load_dev, load_gold  # noqa: E402


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def memory(pages: list[tuple[bytes, str]], total: int) -> None:
    from newsmt.errors import InputError
    from newsmt.sources.web import read_page

    print("| pages read | peak RSS (MiB) |")
    print("|---:|---:|")
    for n in range(1, total + 1):
        html, url = pages[(n - 1) % len(pages)]
        try:
            read_page(html, f"p{n}", url=url)
        except InputError:
            pass
        if n == 1 or n % 1000 == 0 or n == total:
            print(f"| {n} | {_peak_mib():.0f} |", flush=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--dev", type=Path, default=DEV)
    ap.add_argument("--gold", type=Path, help="a gold.jsonl of gold-text pages instead of the dev set")
    ap.add_argument("--systems", default="newsmt,trafilatura", help=f"comma-separated, of: {', '.join(SYSTEMS)}")
    ap.add_argument("--passes", type=int, default=3)
    ap.add_argument("--pages", type=int, default=0, help="first N pages only (default: all)")
    ap.add_argument("--cpu", type=int, default=-1, help="CPU to pin to (default: the last one allowed)")
    ap.add_argument("--memory", type=int, default=0, metavar="N", help="read N pages and report peak memory")
    args = ap.parse_args(argv)
    if hasattr(os, "sched_setaffinity"):
        allowed = sorted(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {args.cpu if args.cpu >= 0 else allowed[-1]})
    rows = load_gold(args.gold, "all") if args.gold else load_dev(args.dev, "all")
    if args.pages:
        rows = rows[: args.pages]
    pages = [(r["html"], r.get("url", "")) for r in rows]
    if args.memory:
        memory(pages, args.memory)
        return 0
    size = sum(len(h) for h, _ in pages) / len(pages) / 1024
    print(f"{len(pages)} pages (mean {size:.0f} KiB), {args.passes} passes, one core\n")
    runs = {name: SYSTEMS[name](False) for name in args.systems.split(",") if name}
    for run in runs.values():  # warm-up
        for html, url in pages:
            run(html, url)
    best = {name: [float("inf"), float("inf")] for name in runs}
    for _ in range(args.passes):
        for name, run in runs.items():
            c0, w0 = time.process_time(), time.perf_counter()
            for html, url in pages:
                run(html, url)
            best[name][0] = min(best[name][0], time.process_time() - c0)
            best[name][1] = min(best[name][1], time.perf_counter() - w0)
    print("| system | pages/s (CPU time) | pages/s (wall) | ms/page (CPU) |")
    print("|---|---:|---:|---:|")
    n = len(pages)
    for name, (cpu, wall) in best.items():
        print(f"| {name} | {n / cpu:.1f} | {n / wall:.1f} | {1000 * cpu / n:.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
