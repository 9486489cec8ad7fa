"""``newsmt serve`` under attack and across workers: slow and idle connections hold no work slot and
are cut (408 / closed), one address holds a bounded number of connections, a client that hangs up is
no 500, random bodies and parameters get no 5xx and leave no traceback, two workers share one rate
limit and one metrics view.
"""
from __future__ import annotations

import json
import multiprocessing
import re
import socket
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlencode

import httpx
import pytest
from serving import SENTENCES, FakeResources, LiveServer, LogRecorder, ready_client, start_subprocess_server, stop
from serving import cfg  # noqa: F401  (fixture)

from newsmt.serve import create_app
from newsmt.serve.ratelimit import SharedLimiter

SLOW_HEAD = (b"POST /translate HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
             b"Content-Length: 200\r\n\r\n{")


def connect(url: str, source: str = "127.0.0.1") -> socket.socket:
    host, port = url.rsplit("/", 1)[-1].split(":")
    return socket.create_connection((host, int(port)), timeout=15, source_address=(source, 0))


def read_until_closed(sock: socket.socket, limit: float) -> tuple[bytes, float]:
    """What the server sent until it closed the connection, and after how many seconds."""
    t0, data = time.monotonic(), b""
    sock.settimeout(0.2)
    while time.monotonic() - t0 < limit:
        try:
            chunk = sock.recv(4096)
        except TimeoutError:
            continue
        except OSError:
            break
        if not chunk:
            break
        data += chunk
    return data, time.monotonic() - t0


def trickle(sock: socket.socket, byte: bytes, seconds: float, every: float) -> float:
    """Send ``byte`` every ``every`` seconds for ``seconds``; how long until the server cut it off."""
    t0 = time.monotonic()
    while time.monotonic() - t0 < seconds:
        try:
            sock.sendall(byte)
        except OSError:
            break
        time.sleep(every)
    return time.monotonic() - t0


def translate_ok(url: str, source: str = "127.0.0.1") -> bool:
    with httpx.Client(transport=httpx.HTTPTransport(local_address=source), timeout=20) as http:
        return http.post(url + "/translate", json={"q": SENTENCES[0], "source": "en", "target": "pt"}).status_code == 200


def test_slow_bodies_hold_no_work_slot_and_get_408(cfg):
    """260 connections with full headers and one byte of body: every translation still answered
    (they are not in flight); each slow one gets 408 after read_timeout, a trickle of bytes too."""
    app = create_app(cfg, log_json=False, read_timeout=2.0, max_in_flight=4, max_client_connections=0)
    with LiveServer(app) as server:
        slow = []
        for _ in range(260):
            s = connect(server.url)
            s.sendall(SLOW_HEAD)
            slow.append(s)
        assert all(translate_ok(server.url) for _ in range(3))
        slowest = connect(server.url)
        slowest.sendall(SLOW_HEAD)
        t0 = time.monotonic()
        trickle(slowest, b" ", 5, 0.3)
        answer, _ = read_until_closed(slowest, 5)
        assert answer.startswith(b"HTTP/1.1 408") and time.monotonic() - t0 < 6
        answers = [read_until_closed(s, 5)[0] for s in slow[:20]]
        assert all(a.startswith(b"HTTP/1.1 408") and b"did not arrive" in a for a in answers)
        for s in slow:
            s.close()
        assert translate_ok(server.url)


def test_headers_must_arrive_in_time(cfg):
    app = create_app(cfg, log_json=False, read_timeout=1.5, max_client_connections=0)
    with LiveServer(app) as server:
        silent = connect(server.url)
        slowest = connect(server.url)
        slowest.sendall(b"GET /health HTTP/1.1\r\nHo")
        assert trickle(slowest, b"o", 4, 0.25) < 3.5  # cut, not served after 4 s of trickling
        assert read_until_closed(silent, 4)[1] < 3.5  # a connection that sends nothing is closed too
        keep = connect(server.url)  # a normal request on a connection is answered
        keep.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
        assert keep.recv(100).startswith(b"HTTP/1.1 200")


def test_connections_per_client_are_bounded(cfg):
    app = create_app(cfg, log_json=False, max_client_connections=5, read_timeout=30)
    with LiveServer(app) as server:
        held = [connect(server.url) for _ in range(5)]
        time.sleep(0.2)
        extra = connect(server.url)
        answer, _ = read_until_closed(extra, 5)
        assert answer.startswith(b"HTTP/1.1 503") and b"too many open connections" in answer
        assert translate_ok(server.url, source="127.0.0.2")  # another address is not affected
        for s in held:
            s.close()
        time.sleep(0.2)
        assert translate_ok(server.url)


def test_a_client_that_hangs_up_is_no_500(cfg):
    app = create_app(cfg, log_json=True, resources=FakeResources(0.5))
    with LogRecorder() as log, LiveServer(app) as server:
        for _ in range(5):
            s = connect(server.url)
            s.sendall(SLOW_HEAD)  # hangs up halfway through the body
            s.close()
        s = connect(server.url)
        body = json.dumps({"q": "Gone before the answer.", "source": "en", "target": "pt"}).encode()
        s.sendall(b"POST /translate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s"
                  % (len(body), body))
        s.close()  # hangs up while it is translated
        time.sleep(1.5)
        assert translate_ok(server.url)
    lines = [json.loads(x) for x in log.lines]
    assert sum(1 for x in lines if x.get("status") == 499 and x.get("client") == "gone") == 5
    assert not [x for x in lines if x["event"] == "unhandled" or (x.get("status", 0) >= 500 and x["path"] != "/health")]


# ---- fuzzing ----------------------------------------------------------------------------------
def _fuzz_cases():
    from hypothesis import strategies as st

    names = st.sampled_from(["q", "source", "target", "format", "alternatives", "api_key", "s", "text", "src", "tgt",
                             "pairs", "meta", "id", "translate", "summarize", "file", "x"])
    text = st.text(st.characters(codec=None, categories=("L", "N", "P", "S", "Z", "C", "Cs")), max_size=40)
    scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**40, 10**40),
                        st.floats(allow_nan=True, allow_infinity=True), text,
                        st.sampled_from(["en", "pt", "auto", "pb", "zt", "de", "html", "text", "xx-YY", ""]))
    values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                           st.dictionaries(st.one_of(names, text), inner, max_size=4)),
                          max_leaves=12)
    body = st.one_of(
        st.binary(max_size=200),
        st.dictionaries(names, values, max_size=6).map(lambda d: json.dumps(d).encode()),
        values.map(lambda v: json.dumps(v).encode()),
        st.dictionaries(names, st.binary(max_size=20), max_size=5).map(lambda d: urlencode(d).encode()))
    ctype = st.sampled_from(["application/json", "application/x-www-form-urlencoded", "multipart/form-data; boundary=zz",
                             "text/plain", "text/html", "text/markdown", "", "application/xml"])
    path = st.sampled_from(["/translate", "/detect", "/translate_file", "/suggest", "/v1/articles", "/v1/score",
                            "/v1/render", "/languages", "/frontend/settings", "/download_file/x.txt", "/nope"])
    query = st.dictionaries(names, st.binary(max_size=12), max_size=3).map(lambda d: urlencode(d))
    return st.tuples(st.sampled_from(["POST", "GET"]), path, query, ctype, body)


def test_fuzzed_requests_get_no_5xx_and_leave_no_traceback(cfg):
    from hypothesis import HealthCheck, given, settings

    app = create_app(cfg, log_json=True, max_chars=2000, suggestions=True, rate_limit=0)
    statuses: dict[int, int] = {}
    with LogRecorder() as log:
        client = ready_client(app)
        try:
            @settings(max_examples=400, deadline=None, derandomize=True, database=None,
                      suppress_health_check=list(HealthCheck))
            @given(_fuzz_cases())
            def check(case):
                method, path, query, ctype, body = case
                headers = {"content-type": ctype} if ctype else {}
                r = client.request(method, f"{path}?{query}", content=body if method == "POST" else None, headers=headers)
                statuses[r.status_code] = statuses.get(r.status_code, 0) + 1
                assert r.status_code < 500, (case, r.text)
                if r.status_code >= 400:
                    assert isinstance(r.json()["error"], str) and r.json()["error"]

            check()
        finally:
            client.__exit__(None, None, None)
    assert sum(n for s, n in statuses.items() if 400 <= s < 500) > 300, statuses
    assert not [x for x in log.lines if "Traceback" in x or '"unhandled"' in x]


# ---- several workers ----------------------------------------------------------------------------
def _take_many(path: str, n: int, out: "multiprocessing.Queue") -> None:
    limiter = SharedLimiter(path)
    out.put(sum(1 for _ in range(n) if limiter.take("ip:1.2.3.4", 10) == 0))


def test_processes_share_one_limiter(tmp_path):
    ctx = multiprocessing.get_context("spawn")
    out = ctx.Queue()
    procs = [ctx.Process(target=_take_many, args=(str(tmp_path / "l.sqlite"), 8, out)) for _ in range(2)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
    assert out.get(timeout=5) + out.get(timeout=5) == 10  # 16 takes, one bucket of 10


def _metric(text: str, name: str) -> float:
    m = re.search(rf"^{re.escape(name)} ([0-9.e+]+)$", text, re.M)
    return float(m.group(1)) if m else 0.0


def test_two_workers_share_one_rate_limit_and_one_metrics_view():
    proc, url = start_subprocess_server("--workers", "2", "--option", "rate_limit=5", ready_timeout=150)
    try:
        deadline = time.time() + 120
        while _metric(httpx.get(url + "/metrics", timeout=10).text, "newsmt_ready") < 2 and time.time() < deadline:
            time.sleep(0.5)  # both workers loaded: the merged gauge counts them
        assert _metric(httpx.get(url + "/metrics", timeout=10).text, "newsmt_ready") == 2
        with ThreadPoolExecutor(5) as pool:  # a new connection each: the kernel spreads them over the workers
            codes = sorted(pool.map(lambda i: httpx.post(url + "/translate", json={"q": SENTENCES[i], "source": "en",
                                                                                   "target": "pt"}, timeout=60).status_code,
                                    range(10)))
        assert codes == [200] * 5 + [429] * 5
        scrapes = [httpx.get(url + "/metrics", timeout=10).text for _ in range(6)]
        for text in scrapes:  # whichever worker answers, the counts of both
            assert _metric(text, 'newsmt_requests_total{endpoint="/translate",status="200"}') == 5
            assert _metric(text, 'newsmt_requests_total{endpoint="/translate",status="429"}') == 5
    finally:
        stop(proc)


@pytest.mark.parametrize("value", ["0", "-1"])
def test_guard_options_are_checked(value):
    from newsmt.errors import ConfigError
    from newsmt.serve import ServeOptions

    with pytest.raises(ConfigError, match="read_timeout"):
        ServeOptions.from_kwargs(read_timeout=float(value))
