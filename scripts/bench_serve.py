"""Load test of ``newsmt serve`` on loopback: concurrent clients, single sentences and whole articles.

    python scripts/bench_serve.py [--config configs/en-pt-news.toml] [--clients 1,8,32,128]
                                  [--seconds 10] [--max-requests 2000] [--url http://127.0.0.1:PORT]

Without ``--url`` it starts the server itself (``python -m newsmt.serve`` on a free loopback port,
the config's pair, request logs off) and stops it at the end. Only 127.0.0.1 is ever a target, and
every level is bounded by ``--seconds`` and ``--max-requests``.

Workloads, for each number of clients (each client sends its next request when the previous one
is answered, over one keep-alive connection):

* ``sentence``: ``POST /translate`` with one FLORES-200 devtest English sentence
  (``../shared/eval/flores200_devtest``);
* ``article``: ``POST /translate`` with the whole sample article (``../shared/samples``), which the
  server cuts into its sentences.

Reported per row: requests/s, sentences/s, latency p50/p95/p99 (seconds), errors (non-200 or
connection failures). The baseline is ``newsmt translate``'s way: ``engine.translate_texts`` on all
the sentences of the ``sentence`` workload in one call, same model and threads as the server
(in this process, while the server idles). Target: 32 clients sending single sentences reach
>= 80% of the baseline's sentences/s with p99 <= 1 s. Load generator and server share the machine's
cores, so the client's own CPU time is part of what the server competes with.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
FLORES = SHARED / "eval" / "flores200_devtest" / "eng_Latn.devtest"
ARTICLE = SHARED / "samples" / "news-article-en.txt"


# ---- a minimal keep-alive HTTP/1.1 client (low overhead: the load generator shares the cores) ---
class Connection:
    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def _open(self) -> None:
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port)

    async def post(self, path: str, body: bytes, timeout: float) -> tuple[int, bytes]:
        return await asyncio.wait_for(self._post(path, body), timeout)

    async def _post(self, path: str, body: bytes) -> tuple[int, bytes]:
        if self.writer is None:
            await self._open()
        assert self.reader is not None and self.writer is not None
        head = (f"POST {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\nContent-Type: application/json\r\n"
                f"Content-Length: {len(body)}\r\n\r\n").encode()
        self.writer.write(head + body)
        status_line = await self.reader.readline()
        if not status_line:
            self.close()
            raise ConnectionError("connection closed by the server")
        status = int(status_line.split()[1])
        length, close = 0, False
        while True:
            line = await self.reader.readline()
            if line in (b"\r\n", b"\n", b""):
                break
            name, _, value = line.decode("latin-1").partition(":")
            name = name.strip().lower()
            if name == "content-length":
                length = int(value.strip())
            elif name == "connection" and value.strip().lower() == "close":
                close = True
        data = await self.reader.readexactly(length) if length else b""
        if close:
            self.close()
        return status, data

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


@dataclass
class Result:
    clients: int
    workload: str
    requests: int = 0
    sentences: int = 0
    errors: int = 0
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)

    def pct(self, p: float) -> float:
        if not self.latencies:
            return float("nan")
        xs = sorted(self.latencies)
        return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


async def run_level(host: str, port: int, clients: int, workload: str, items: list[tuple[bytes, int]],
                    seconds: float, max_requests: int, timeout: float) -> Result:
    res = Result(clients, workload)
    counter = iter(range(max_requests))
    stop_at = time.perf_counter() + seconds

    async def client(k: int) -> None:
        conn = Connection(host, port)
        try:
            for i in counter:
                if time.perf_counter() >= stop_at:
                    break
                body, n = items[(i * 7 + k) % len(items)]
                t0 = time.perf_counter()
                try:
                    status, data = await conn.post("/translate", body, timeout)
                except (OSError, asyncio.TimeoutError, asyncio.IncompleteReadError, ValueError, IndexError):
                    res.errors += 1
                    res.statuses[0] = res.statuses.get(0, 0) + 1
                    conn.close()
                    continue
                res.latencies.append(time.perf_counter() - t0)
                res.requests += 1
                res.statuses[status] = res.statuses.get(status, 0) + 1
                if status == 200 and "translatedText" in json.loads(data):
                    res.sentences += n
                else:
                    res.errors += 1
        finally:
            conn.close()

    t0 = time.perf_counter()
    await asyncio.gather(*(client(k) for k in range(clients)))
    res.seconds = time.perf_counter() - t0
    return res


# ---- the server ----------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(config: str, port: int, options: list[str]) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "newsmt.serve", "--port", str(port), "--option", "log_json=false"]
    cmd += ["--config", config] if config else []
    for o in options:
        cmd += ["--option", o]
    proc = subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.time() + 120
    while time.time() < deadline:
        if proc.poll() is not None:
            sys.exit(f"the server exited: {proc.stderr.read().decode(errors='replace')[-2000:]}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2) as r:
                if r.status == 200:
                    return proc
        except OSError:
            pass
        time.sleep(0.3)
    proc.kill()
    sys.exit("the server did not become ready in 120 s")


def get_json(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=10) as r:
        return json.loads(r.read())


# ---- the baseline --------------------------------------------------------------------------
def baseline(config: str, sentences: list[str], src: str, tgt: str) -> tuple[float, int]:
    """Sentences/s of one ``translate_texts`` call on all ``sentences`` (after a warm-up), and threads."""
    from newsmt.config import available_cores, load_config
    from newsmt.pipeline import Resources

    cfg = load_config(config or None)
    engine = Resources.load(cfg).engine(src, tgt)
    engine.translate_texts(sentences[:4])
    t0 = time.perf_counter()
    engine.translate_texts(sentences)
    dt = time.perf_counter() - t0
    return len(sentences) / dt, cfg.translate.threads or available_cores()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--config", default=str(REPO / "configs" / "en-pt-news.toml"))
    ap.add_argument("--url", help="an already running server on loopback (default: start one)")
    ap.add_argument("--clients", default="1,8,32,128")
    ap.add_argument("--workloads", default="sentence,article")
    ap.add_argument("--seconds", type=float, default=10.0, help="per level, at most")
    ap.add_argument("--max-requests", type=int, default=2000, help="per level, at most")
    ap.add_argument("--sentences", type=int, default=300, help="FLORES sentences to draw from")
    ap.add_argument("--timeout", type=float, default=60.0, help="seconds per request before it counts as an error")
    ap.add_argument("--option", action="append", default=[], help="server option NAME=VALUE (when started here)")
    ap.add_argument("--no-baseline", action="store_true")
    a = ap.parse_args()
    if not FLORES.is_file() or not ARTICLE.is_file():
        sys.exit(f"{FLORES} and {ARTICLE} are needed (../shared beside the repository)")

    proc = None
    if a.url:
        u = urlparse(a.url)
        if u.hostname not in ("127.0.0.1", "localhost", "::1"):
            sys.exit("--url must be a loopback address")
        host, port = "127.0.0.1" if u.hostname == "localhost" else u.hostname, u.port or 80
    else:
        host, port = "127.0.0.1", free_port()
        proc = start_server(a.config, port, a.option)
    try:
        base = f"http://{host}:{port}"
        models = get_json(base + "/v1/models")
        src, tgt = models["default"]["src"], models["default"]["tgt"]
        sents = FLORES.read_text(encoding="utf-8").splitlines()[: a.sentences]
        article = ARTICLE.read_text(encoding="utf-8")
        from newsmt.segment import split_sentences

        n_article = len(split_sentences(article, src))
        payload = lambda q: json.dumps({"q": q, "source": src, "target": tgt}).encode()  # noqa: E731
        work = {"sentence": [(payload(s), 1) for s in sents], "article": [(payload(article), n_article)]}

        rows: list[Result] = []
        for workload in a.workloads.split(","):
            for c in (int(x) for x in a.clients.split(",")):
                asyncio.run(run_level(host, port, min(c, 4), workload, work[workload][:8], 2.0, 40, a.timeout))  # warm
                r = asyncio.run(run_level(host, port, c, workload, work[workload], a.seconds, a.max_requests, a.timeout))
                rows.append(r)
                print(f"  {workload:8} {c:4} clients: {r.requests} requests, {r.sentences / r.seconds:.1f} sent/s, "
                      f"p99 {r.pct(99):.3f} s, errors {r.errors} {r.statuses}", file=sys.stderr, flush=True)
        base_rate, threads = (float("nan"), 0) if a.no_baseline else baseline(a.config if not a.url else a.config, sents, src, tgt)
    finally:
        if proc is not None:
            proc.terminate()
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()

    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"\n`newsmt serve` on 127.0.0.1, {src}->{tgt} ({models['pairs'][0]['model'] if models['pairs'] else '?'}), "
          f"{cores} cores, load average {load:.2f} at the end; up to {a.seconds:g} s / {a.max_requests} requests per row.\n")
    print("| workload | clients | requests | requests/s | sentences/s | vs one batch | p50 s | p95 s | p99 s | errors |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        rate = r.sentences / r.seconds if r.seconds else 0.0
        ratio = f"{100 * rate / base_rate:.0f}%" if base_rate == base_rate else "-"
        print(f"| {r.workload} | {r.clients} | {r.requests} | {r.requests / r.seconds:.1f} | {rate:.1f} | {ratio} | "
              f"{r.pct(50):.3f} | {r.pct(95):.3f} | {r.pct(99):.3f} | {r.errors} |")
    if base_rate == base_rate:
        print(f"| one batch (`engine.translate_texts`, {len(sents)} sentences, {threads} threads) | - | - | - | "
              f"{base_rate:.1f} | 100% | - | - | - | - |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
