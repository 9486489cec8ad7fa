"""Load test of ``newsmt serve`` on loopback: concurrent clients, single sentences and whole articles.

    python scripts/bench_serve.py [--config en-pt-news] [--clients 1,8,32,128]
                                  [--seconds 10] [--max-requests 2000] [--idle 300] [--url http://127.0.0.1:PORT]

Without ``--url`` it starts the server itself (``python -m newsmt.serve`` on a free loopback port,
the config's pair, request logs off) and stops it at the end. Only 127.0.0.1 is ever a target, and
every level is bounded by ``--seconds`` and ``--max-requests``.

Workloads, for each number of clients (each client sends its next request when the previous one
is answered, over one keep-alive connection):

* ``sentence``: ``POST /translate`` with one FLORES-200 devtest English sentence
  (``../shared/eval/flores200_devtest``);
* ``article``: ``POST /translate`` with a whole article, which the server cuts into its sentences:
  distinct articles of 8 consecutive FLORES sentences in 3 paragraphs (FLORES comes from Wikinews
  articles; distinct, because the engine translates a sentence repeated within a batch once).

Each level sends distinct texts (at most as many requests as there are texts).

``--idle N`` (default 300): all the while, N idle connections are held open beside the clients, each
the slow-body attack of the hardening issue (full headers, one byte of a 200-byte body, then
nothing); the server cuts each after its ``read_timeout`` (408) and the bench opens it again at
once, so N stay open. They come from the loopback addresses 127.0.0.2, 127.0.0.3, ... (50 each,
under the server's per-address connection limit); the clients from 127.0.0.1. Reported: the fewest
held at any moment and how many the server cut.

``--mixed N`` adds a robustness run: N single-sentence requests from 32 clients, 5% of them malformed
(bad JSON, unknown language, empty q, a 2 MB body, a wrong API key; the server is started with an
API key file). Every good answer must be the engine's own translation of its sentence, every bad
one a 4xx with a JSON error, and no answer a 5xx.

Reported per row: requests/s, sentences/s, latency p50/p95/p99 (seconds), errors (non-200 or
connection failures), and the server process's CPU time per sentence. The baseline is ``newsmt
translate``'s way: ``engine.translate_texts`` on the same sentences in one call, same model and
threads as the server (in this process, while the server idles), measured before and after the
levels (their mean is 100%). Target: 32 clients sending single sentences reach >= 80% of the
baseline's sentences/s with p99 <= 1 s while the idle connections are held. Load generator and
server share the machine's cores, so
the client's own CPU time is part of what the server competes with; on a shared machine the wall
figures move with other load, the CPU-per-sentence column much less.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
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
    cpu: float = float("nan")  # server CPU seconds for the level
    latencies: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)

    def pct(self, p: float) -> float:
        if not self.latencies:
            return float("nan")
        xs = sorted(self.latencies)
        return xs[min(len(xs) - 1, round(p / 100 * (len(xs) - 1)))]


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
                body, n = items[i % len(items)]  # distinct sentences (the engine would merge repeats in a batch)
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


IDLE_HEAD = (b"POST /translate HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
             b"Content-Length: 200\r\n\r\n{")
IDLE_PER_ADDRESS = 50


class IdleConnections:
    """``n`` slow-body connections held open (reopened when the server cuts one)."""

    def __init__(self, host: str, port: int, n: int) -> None:
        self.host, self.port, self.n = host, port, n
        self.open = 0
        self.samples: list[int] = []  # how many were open, every 0.1 s
        self.cut = 0
        self._stop = asyncio.Event()
        self._tasks: list[asyncio.Task] = []

    async def start(self) -> None:
        self._tasks = [asyncio.create_task(self._hold(f"127.0.0.{2 + k // IDLE_PER_ADDRESS}")) for k in range(self.n)]
        deadline = time.perf_counter() + 30
        while self.open < self.n and time.perf_counter() < deadline:
            await asyncio.sleep(0.05)
        self._tasks.append(asyncio.create_task(self._sample()))

    async def _sample(self) -> None:
        while not self._stop.is_set():
            self.samples.append(self.open)
            await asyncio.sleep(0.1)

    async def _hold(self, source: str) -> None:
        while not self._stop.is_set():
            try:
                reader, writer = await asyncio.open_connection(self.host, self.port, local_addr=(source, 0))
            except OSError:
                await asyncio.sleep(0.2)
                continue
            writer.write(IDLE_HEAD)
            self.open += 1
            try:
                done = asyncio.ensure_future(reader.read())
                stop = asyncio.ensure_future(self._stop.wait())
                await asyncio.wait({done, stop}, return_when=asyncio.FIRST_COMPLETED)
                if done.done():
                    self.cut += 1
                    self.open -= 1
                    continue
                done.cancel()
                self.open -= 1
            except OSError:
                self.open -= 1
            finally:
                writer.close()

    async def stop(self) -> None:
        self._stop.set()
        await asyncio.gather(*self._tasks, return_exceptions=True)


BAD_KINDS = ("bad JSON", "unknown language", "empty q", "2 MB body", "wrong key")


def bad_request(kind: str, key: str) -> bytes:
    return {
        "bad JSON": b'{"q": "Hello, "source": "en"',
        "unknown language": json.dumps({"q": "Hello.", "source": "qq", "target": "pt", "api_key": key}).encode(),
        "empty q": json.dumps({"q": "", "source": "en", "target": "pt", "api_key": key}).encode(),
        "2 MB body": json.dumps({"q": "a" * 2_000_000, "source": "en", "target": "pt", "api_key": key}).encode(),
        "wrong key": json.dumps({"q": "Hello.", "source": "en", "target": "pt", "api_key": "not-" + key}).encode(),
    }[kind]


async def run_mixed(host: str, port: int, n: int, clients: int, good: list[tuple[str, bytes]], expected: dict[str, str],
                    key: str, seconds: float, timeout: float) -> dict[str, int]:
    """``n`` requests, every 20th malformed; counts of how each kind was answered."""
    counts: dict[str, int] = {}
    bad_bodies = {k: bad_request(k, key) for k in BAD_KINDS}
    counter = iter(range(n))
    stop_at = time.perf_counter() + seconds

    def count(name: str) -> None:
        counts[name] = counts.get(name, 0) + 1

    async def client() -> None:
        conn = Connection(host, port)
        try:
            for i in counter:
                if time.perf_counter() >= stop_at:
                    break
                bad = BAD_KINDS[i // 20 % len(BAD_KINDS)] if i % 20 == 7 else None
                text, body = good[i % len(good)]
                try:
                    status, data = await conn.post("/translate", bad_bodies[bad] if bad else body, timeout)
                except (OSError, asyncio.TimeoutError, asyncio.IncompleteReadError, ValueError, IndexError):
                    count("connection error (bad)" if bad else "connection error (good)")
                    conn.close()
                    continue
                if status >= 500:
                    count("5xx")
                elif bad:
                    ok = 400 <= status < 500 and isinstance(json.loads(data).get("error"), str)
                    count("bad: clear 4xx" if ok else f"bad: answered {status}")
                elif status == 200 and json.loads(data).get("translatedText") == expected[text]:
                    count("good: correct")
                else:
                    count(f"good: wrong ({status})")
        finally:
            conn.close()

    await asyncio.gather(*(client() for _ in range(clients)))
    return counts


async def run_levels(host: str, port: int, a: argparse.Namespace, work: dict[str, list[tuple[bytes, int]]],
                     proc: subprocess.Popen | None) -> tuple[list[Result], IdleConnections]:
    """Every level (workload x clients), with the idle connections held all the while."""
    idle = IdleConnections(host, port, a.idle)
    await idle.start()
    rows: list[Result] = []
    try:
        for workload in a.workloads.split(","):
            for c in (int(x) for x in a.clients.split(",")):
                await run_level(host, port, min(c, 4), "warm", work["sentence"][-8:], 2.0, 8, a.timeout)
                items = work[workload][:-8] if workload == "sentence" else work[workload]
                limit = min(a.max_requests, len(items))
                cpu0 = cpu_seconds(proc.pid if proc else None)
                r = await run_level(host, port, c, workload, items, a.seconds, limit, a.timeout)
                r.cpu = cpu_seconds(proc.pid if proc else None) - cpu0
                rows.append(r)
                print(f"  {workload:8} {c:4} clients: {r.requests} requests, {r.sentences / r.seconds:.1f} sent/s, "
                      f"p99 {r.pct(99):.3f} s, errors {r.errors} {r.statuses}; idle held {idle.open}", file=sys.stderr,
                      flush=True)
    finally:
        await idle.stop()
    return rows, idle


def cpu_seconds(pid: int | None) -> float:
    """User + system CPU seconds of a process (all its threads); nan when unknown."""
    if pid is None:
        return float("nan")
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return float("nan")


# ---- the server ----------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(config: str, port: int, options: list[str], api_keys: str | None = None) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "newsmt.serve", "--port", str(port), "--option", "log_json=false"]
    cmd += ["--config", config] if config else []
    cmd += ["--api-keys", api_keys] if api_keys else []
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
class Baseline:
    """``newsmt translate``'s way: one ``engine.translate_texts`` call on all the sentences, same model
    and threads as the server (loaded here, in this process; the server idles meanwhile)."""

    def __init__(self, config: str, sentences: list[str], src: str, tgt: str) -> None:
        from newsmt.config import available_cores, load_config
        from newsmt.pipeline import Resources

        cfg = load_config(config or None)
        self.threads = cfg.translate.threads or available_cores()
        self.engine = Resources.load(cfg).engine(src, tgt)
        self.sentences = sentences
        self.engine.translate_texts(sentences[-4:])  # warm up

    def measure(self) -> float:
        t0, c0 = time.perf_counter(), time.process_time()
        self.engine.translate_texts(self.sentences)
        self.cpu_per_sentence = (time.process_time() - c0) / len(self.sentences)
        return len(self.sentences) / (time.perf_counter() - t0)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--config", default="en-pt-news")
    ap.add_argument("--url", help="an already running server on loopback (default: start one)")
    ap.add_argument("--clients", default="1,8,32,128")
    ap.add_argument("--workloads", default="sentence,article")
    ap.add_argument("--seconds", type=float, default=10.0, help="per level, at most")
    ap.add_argument("--max-requests", type=int, default=1000, help="per level, at most")
    ap.add_argument("--sentences", type=int, default=1012, help="FLORES sentences to draw from (distinct per level)")
    ap.add_argument("--timeout", type=float, default=60.0, help="seconds per request before it counts as an error")
    ap.add_argument("--option", action="append", default=[], help="server option NAME=VALUE (when started here)")
    ap.add_argument("--no-baseline", action="store_true")
    ap.add_argument("--idle", type=int, default=300, help="idle (slow-body) connections held beside the clients")
    ap.add_argument("--mixed", type=int, default=0, metavar="N", help="also N requests with 5%% malformed (see above)")
    ap.add_argument("--mixed-seconds", type=float, default=900.0, help="time bound of the --mixed run")
    ap.add_argument("--api-key", default="bench-key", help="a valid key of the --url server (--mixed)")
    a = ap.parse_args()
    if not FLORES.is_file():
        sys.exit(f"{FLORES} is needed (../shared beside the repository)")

    proc = None
    if a.url:
        u = urlparse(a.url)
        if u.hostname not in ("127.0.0.1", "localhost", "::1"):
            sys.exit("--url must be a loopback address")
        host, port = "127.0.0.1" if u.hostname == "localhost" else u.hostname, u.port or 80
    else:
        host, port = "127.0.0.1", free_port()
        keys = None
        if a.mixed:
            import tempfile

            keys = str(Path(tempfile.mkdtemp(prefix="bench-serve-")) / "keys.txt")
            Path(keys).write_text(a.api_key + "\n", encoding="utf-8")
        proc = start_server(a.config, port, a.option, keys)
    try:
        base = f"http://{host}:{port}"
        models = get_json(base + "/v1/models")
        src, tgt = models["default"]["src"], models["default"]["tgt"]
        sents = FLORES.read_text(encoding="utf-8").splitlines()[: a.sentences]
        articles = [sents[i:i + 8] for i in range(0, len(sents) - 7, 8)]
        articles = ["\n\n".join([" ".join(a[:3]), " ".join(a[3:6]), " ".join(a[6:])]) for a in articles]
        auth = {"api_key": a.api_key} if a.mixed else {}
        payload = lambda q: json.dumps({"q": q, "source": src, "target": tgt, **auth}).encode()
        work = {"sentence": [(payload(s), 1) for s in sents], "article": [(payload(x), 8) for x in articles]}

        base = None if a.no_baseline else Baseline(a.config, sents[: a.max_requests], src, tgt)
        base_rates = [base.measure()] if base else []  # before the levels and after: the machine may be shared
        base_cpu = [base.cpu_per_sentence] if base else []
        rows, idle = asyncio.run(run_levels(host, port, a, work, proc))
        if base:
            base_rates.append(base.measure())
            base_cpu.append(base.cpu_per_sentence)
        mixed: dict[str, int] = {}
        if a.mixed:
            from newsmt.segment import split_sentences

            singles = [x for x in sents if len(split_sentences(x, src)) == 1][:400]
            ref = base.engine if base else Baseline(a.config, singles[:4], src, tgt).engine
            expected = {x: t.text for x, t in zip(singles, ref.translate_texts(singles))}
            t0 = time.perf_counter()
            mixed = asyncio.run(run_mixed(host, port, a.mixed, 32, [(x, payload(x)) for x in singles], expected,
                                          a.api_key, a.mixed_seconds, a.timeout))
            mixed_seconds = time.perf_counter() - t0
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
          f"{cores} cores, load average {load:.2f} at the end; up to {a.seconds:g} s / {a.max_requests} requests per row; "
          f"{a.idle} idle slow-body connections held beside the clients (open: {statistics.mean(idle.samples or [0]):.0f} "
          f"on average, {min(idle.samples or [0])} at the fewest, sampled every 0.1 s; {idle.cut} cut by the server's "
          f"read timeout and opened again).\n")
    base_rate = statistics.mean(base_rates) if base_rates else float("nan")
    cpu_base = statistics.mean(base_cpu) if base_cpu else float("nan")
    print("| workload | clients | requests | requests/s | sentences/s | vs one batch | server CPU ms/sentence "
          "| CPU vs one batch | p50 s | p95 s | p99 s | errors |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        rate = r.sentences / r.seconds if r.seconds else 0.0
        ratio = "-" if math.isnan(base_rate) else f"{100 * rate / base_rate:.0f}%"
        cps = r.cpu / r.sentences if r.sentences else float("nan")
        cpu_ratio = "-" if math.isnan(cps) or math.isnan(cpu_base) else f"{100 * cpu_base / cps:.0f}%"
        print(f"| {r.workload} | {r.clients} | {r.requests} | {r.requests / r.seconds:.1f} | {rate:.1f} | {ratio} | "
              f"{1000 * cps:.1f} | {cpu_ratio} | {r.pct(50):.3f} | {r.pct(95):.3f} | {r.pct(99):.3f} | {r.errors} |")
    if base:
        print(f"| one batch (`engine.translate_texts`, {len(base.sentences)} sentences, {base.threads} threads; "
              f"before {base_rates[0]:.1f}, after {base_rates[-1]:.1f}) | - | - | - | {base_rate:.1f} | 100% | "
              f"{1000 * cpu_base:.1f} | 100% | - | - | - | - |")
    if a.mixed:
        print(f"\nMixed run: {sum(mixed.values())} of {a.mixed} requests sent by 32 clients in {mixed_seconds:.0f} s, "
              f"every 20th malformed ({', '.join(BAD_KINDS)} in turn):\n")
        print("| answer | requests |\n|---|---:|")
        for name, n in sorted(mixed.items()):
            print(f"| {name} | {n} |")
        failed = {k: v for k, v in mixed.items() if not k.endswith(("correct", "clear 4xx"))}
        if failed:
            print(f"\nFAILED: {failed}")
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
