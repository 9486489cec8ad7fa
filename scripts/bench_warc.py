"""A web archive through ``newsmt run``: pages/s and peak memory at N records (and local vs Ray bytes).

    python scripts/bench_warc.py --records 1000 10000            # peak RSS must stay flat
    python scripts/bench_warc.py --records 1000 --ray            # also compare with --engine ray
    python scripts/bench_warc.py --records 200 --translate       # the whole pipeline (slow: MT)

The archive repeats the English pages of ``../shared/eval/web_pages_trafilatura_eval`` with a unique
sentence in each record (no two bodies alike, so none is skipped as a duplicate). By default
translation is off (segment + extract + summarize), which measures what streaming costs, not the
model; ``--translate`` turns it on (en->pt, bundled model).
"""
from __future__ import annotations

import argparse
import gzip
import io
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DEV = Path(__file__).resolve().parents[2] / "shared" / "eval" / "web_pages_trafilatura_eval"
REPO = Path(__file__).resolve().parents[1]


def build(path: Path, n: int) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    rows = [json.loads(x) for x in (DEV / "gold.jsonl").read_text(encoding="utf-8").splitlines()]
    pages = [gzip.decompress((DEV / r["file"]).read_bytes()) for r in rows if r["lang"] == "en"]
    with path.open("wb") as f:
        writer = WARCWriter(f, gzip=True)
        for i in range(n):
            marker = f" Benchmark record {i} was filed by the desk on day {i % 365} of the year. ".encode()
            page = pages[i % len(pages)]
            longest = max(re.finditer(rb"<p(?:\s[^>]*)?>([^<]{80,})", page), key=lambda m: len(m.group(1)), default=None)
            at = longest.start(1) if longest else page.find(b"</body>")
            html = page[:at] + marker + page[at:]  # inside the longest paragraph: part of every article
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(f"https://bench.example/{i}", "response",
                                                          payload=io.BytesIO(html), http_headers=headers))


def run(warc: Path, out: Path, translate: bool, engine: str) -> tuple[float, float, str]:
    """Seconds, peak RSS (MiB) of the whole CLI run and its summary line."""
    sets = ["--set", "summarize.sentences=2"]
    sets += ["--set", "translate.tgt=pt"] if translate else ["--set", "translate.enabled=false"]
    cmd = [sys.executable, "-c", "from newsmt.cli import app; app()", "run", str(warc), "-o", str(out), *sets,
           "--workers", "1", "--engine", engine]
    probe = ("import resource, subprocess, sys; r = subprocess.run(sys.argv[1:], capture_output=True, text=True); "
             "print(r.stdout.strip()); print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); sys.exit(r.returncode)")
    t0 = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", probe, *cmd], capture_output=True, text=True, check=True).stdout
    seconds = time.perf_counter() - t0
    line, peak_kib = out.strip().rsplit("\n", 1)
    return seconds, int(peak_kib) / 1024, line


def tree(root: Path) -> dict[str, bytes]:
    """The outputs (not the run's own state under .newsmt/: lock, index)."""
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and ".newsmt" not in p.relative_to(root).parts}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--records", type=int, nargs="+", default=[1000, 10000])
    ap.add_argument("--translate", action="store_true")
    ap.add_argument("--ray", action="store_true", help="also run with --engine ray and compare the bytes")
    a = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="newsmt-warc-"))
    print("| records | engine | seconds | records/s | peak RSS (MiB) | summary |\n|---|---|---|---|---|---|")
    try:
        for n in a.records:
            warc = tmp / f"{n}.warc.gz"
            build(warc, n)
            engines = ["local", "ray"] if a.ray else ["local"]
            for engine in engines:
                s, rss, line = run(warc, tmp / f"out-{n}-{engine}", a.translate, engine)
                print(f"| {n} | {engine} | {s:.1f} | {n / s:.1f} | {rss:.0f} | {line.split(' in ')[0]} |", flush=True)
            if a.ray:
                same = tree(tmp / f"out-{n}-local") == tree(tmp / f"out-{n}-ray")
                print(f"\n{n} records: local and Ray outputs {'byte-identical' if same else 'DIFFER'}\n")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
