"""Throughput of ``newsmt run`` with 1 and 2 local workers on real news articles; outputs must match.

    python scripts/bench_pipeline.py [--articles 200] [--config en-pt-news] [--workers 1 2] [--threads 1]

Articles: WMT19 newstest English documents (../shared/eval/wmt19_newstest_en-ru), cut into articles of
at most 10 sentences (headline first). Each worker count runs the CLI once into a fresh directory;
the wall time includes start-up and model loading, as a user sees it. Threads per worker are fixed
(default 1) so that the figures show what worker processes add. Target: 2 workers >= 1.7x 1.
"""
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from newsmt import results

REPO = Path(__file__).resolve().parents[1]
WMT = REPO.parent / "shared" / "eval" / "wmt19_newstest_en-ru"


def write_articles(path: Path, n: int, per: int = 10) -> None:
    """``n`` JSONL articles of 3 to ``per`` consecutive sentences of one WMT document."""
    docs: dict[str, list[str]] = defaultdict(list)
    lines = (WMT / "src.en").read_text(encoding="utf-8").splitlines()
    rows = (WMT / "docs.tsv").read_text(encoding="utf-8").splitlines()[1:]
    for row, line in zip(rows, lines):
        docs[row.split("\t")[1]].append(line)
    chunks = [(f"{d}.{i // per}", s[i:i + per]) for d, s in docs.items() for i in range(0, len(s) - 2, per)]
    if len(chunks) < n:
        sys.exit(f"only {len(chunks)} articles in {WMT}")
    with path.open("w", encoding="utf-8") as f:
        for doc_id, sents in chunks[:n]:
            f.write(json.dumps({"id": doc_id, "title": sents[0], "text": " ".join(sents[1:])}, ensure_ascii=False) + "\n")


def _children_cpu() -> float:
    """CPU seconds used by finished child processes (the CLI and its workers)."""
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def tree(root: Path) -> dict[str, bytes]:
    """The outputs (not the run's own state under .newsmt/)."""
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and ".newsmt" not in p.relative_to(root).parts}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=200)
    ap.add_argument("--config", default="en-pt-news")
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--threads", type=int, default=1, help="threads per worker (0 = cores / workers)")
    args = ap.parse_args()
    if not WMT.is_dir():
        sys.exit(f"{WMT} not found: the benchmark reads real articles from ../shared")
    with tempfile.TemporaryDirectory() as tmp:
        job = Path(tmp) / "articles.jsonl"
        write_articles(job, args.articles)
        seconds: dict[int, float] = {}
        for w in args.workers:
            out = Path(tmp) / f"out-{w}"
            cpu0, t0 = _children_cpu(), time.perf_counter()
            subprocess.run([sys.executable, "-m", "newsmt", "run", str(job), "--config", args.config, "-o", str(out), "--workers", str(w),
                            "--threads", str(args.threads)], check=True, stdout=subprocess.DEVNULL)
            seconds[w], cpu = time.perf_counter() - t0, _children_cpu() - cpu0
            records = [json.loads(line) for line in results.records(out)]
            n_sent = sum(len(p["sentences"]) for r in records for p in r["paragraphs"])
            print(f"workers {w}: {len(records)} articles, {n_sent} sentences in {seconds[w]:.1f} s: "
                  f"{len(records) / seconds[w]:.2f} articles/s, {n_sent / seconds[w]:.1f} sentences/s "
                  f"(CPU {cpu:.1f} s: {cpu / seconds[w]:.2f} cores busy on average)")
        first = args.workers[0]
        same = all(tree(Path(tmp) / f"out-{w}") == tree(Path(tmp) / f"out-{first}") for w in args.workers)
        print(f"outputs identical across worker counts: {same}")
        for w in args.workers[1:]:
            print(f"speed-up {w} vs {first} workers: {seconds[first] / seconds[w]:.2f}x")
        if not same:
            sys.exit(1)


if __name__ == "__main__":
    main()
