"""What the ``newsmt serve`` tests share: the bundled en->pt config, real sentences, servers on free
loopback ports (in a thread, or a subprocess), fake engines, fixtures, a log recorder."""
from __future__ import annotations

import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from newsmt.config import load_config
from newsmt.document import Translation
from newsmt.serve import create_app

REPO = Path(__file__).resolve().parents[1]
CONFIG = "en-pt-news"

SENTENCES = [
    "The city council approved the new budget on Tuesday.",
    "Heavy rain caused flooding in several neighbourhoods overnight.",
    "The minister said the talks would continue next week.",
    "Scientists have discovered a new species of frog in the rainforest.",
    "The company reported a profit of 12 million dollars in the first quarter.",
    "Thousands of people gathered in the square to celebrate the victory.",
    "The museum will reopen to the public in March after renovations.",
    "Police are investigating the cause of the fire.",
    "The president is expected to visit the region later this month.",
    "Schools will remain closed until the storm has passed.",
    "The team won the championship for the third year in a row.",
    "Prices for fresh vegetables rose sharply last month.",
]
ARTICLE = (
    "Storm closes schools across the region\n\n"
    "Heavy rain caused flooding in several neighbourhoods overnight. Police closed three roads, and "
    "the fire service rescued a family from their car.\n\n"
    "The mayor said schools will remain closed until the storm has passed. \"We will not take any "
    "risks with the safety of children,\" she told reporters on Tuesday.\n\n"
    "Forecasters expect the rain to ease by Thursday. The city council approved emergency funding "
    "of 2 million dollars for repairs.\n"
)


# ---- helpers ---------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LiveServer:
    """uvicorn serving ``app`` in a thread on a free loopback port (lifespan included), with the
    server settings ``newsmt serve`` uses (its connection guards)."""

    def __init__(self, app) -> None:
        import uvicorn

        from newsmt.serve.protocol import GuardedProtocol, uvicorn_settings

        opts = app.state.service.opts
        GuardedProtocol.configure(opts.max_client_connections, opts.read_timeout)
        self.app, self.port = app, free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning",
                                                    access_log=False, lifespan="on", **uvicorn_settings(opts)))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self):
        self.thread.start()
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                if httpx.get(self.url + "/health", timeout=2).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise RuntimeError("the server did not become ready")

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.thread.join(30)


def start_subprocess_server(*args: str, ready_timeout: float = 90) -> tuple[subprocess.Popen, str]:
    port = free_port()
    cmd = [sys.executable, "-m", "newsmt.serve", "--config", str(CONFIG), "--port", str(port),
           "--option", "log_json=false", *args]
    proc = subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + ready_timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited: {proc.stderr.read().decode(errors='replace')[-3000:]}")
        try:
            if httpx.get(url + "/health", timeout=2).status_code == 200:
                return proc, url
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    proc.kill()
    raise RuntimeError("the server did not become ready")


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    proc.wait(10)


def ready_client(app) -> TestClient:
    client = TestClient(app)
    client.__enter__()
    assert app.state.service.wait_ready(60)
    assert app.state.service.state == "ready", app.state.service.error
    return client


class FakeEngine:
    """Uppercases; records its batches; ``delay`` seconds per call."""

    def __init__(self, src="en", tgt="pt", delay=0.0, fail_on=None):
        self.src, self.tgt, self.delay, self.fail_on = src, tgt, delay, fail_on
        self.batches: list[list[str]] = []
        self.provenance = {"model": "fake"}

    def translate_texts(self, texts, progress=None):
        if self.fail_on is not None and self.fail_on in texts:
            raise RuntimeError("boom")
        self.batches.append(list(texts))
        time.sleep(self.delay)
        return [Translation(t.upper()) for t in texts]

    def translate_document(self, doc, progress=None):  # the engine's shape: translate_texts on ``self``
        sents = [s for p in doc.paragraphs if p.translatable for s in p.sentences]
        for s, t in zip(sents, self.translate_texts([s.text for s in sents])):
            doc.translations[s.id] = t
        doc.tgt_lang = self.tgt
        return doc


class FakeResources:
    def __init__(self, delay):
        self.engines = {}
        self.delay = delay

    def engine(self, src, tgt):
        return self.engines.setdefault((src, tgt), FakeEngine(src, tgt, self.delay))


@pytest.fixture(scope="module")
def cfg():
    return load_config(CONFIG)


@pytest.fixture(scope="module")
def app(cfg):
    return create_app(cfg, log_json=False, max_chars=5000)


@pytest.fixture(scope="module")
def client(app):
    c = ready_client(app)
    yield c
    c.__exit__(None, None, None)


@pytest.fixture(scope="module")
def engine(app, client):
    return app.state.service.engine("en", "pt")


@pytest.fixture(scope="module")
def live(cfg):
    with LiveServer(create_app(cfg, log_json=False)) as server:
        yield server



class LogRecorder(logging.Handler):
    """The JSON log lines of ``newsmt.serve`` while installed (``with LogRecorder() as log``)."""

    def __init__(self) -> None:
        super().__init__()
        from newsmt.serve.middleware import JsonFormatter

        self.setFormatter(JsonFormatter())
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))

    def __enter__(self) -> "LogRecorder":
        logging.getLogger("newsmt.serve").addHandler(self)
        return self

    def __exit__(self, *exc: object) -> None:
        logging.getLogger("newsmt.serve").removeHandler(self)
