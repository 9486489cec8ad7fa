"""Every code block of the README runs here, so no claim in it can go stale.

- The first block (quick start): its first two commands are exactly what ``.ci/run`` runs (CI runs
  them on a fresh clone); its third, the main job, runs here and must write the translation.
- Install blocks: what ``setup.sh`` runs for a new environment (the venv, the pinned CPU torch and
  its index).
- Every other ``bash`` line runs in a folder holding the files the README names, made from real
  data: ``article.txt`` (the sample article), ``page.html`` (a page of the web extraction set),
  ``feed.jsonl`` (the README's JSON example and the sample article), ``source.txt`` and
  ``translation.txt`` (FLORES-200 lines); ``newsmt`` is this interpreter's ``python -m newsmt``.
- The TOML block is written as the file its first line names and run with the command there; the
  Python block runs as a script.
"""
from __future__ import annotations

import gzip
import json
import os
import re
import shlex
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from conftest import REPO, shared_path

README = REPO / "README.md"
INSTALL = ("python3 -m venv", "pip install")  # lines of install blocks, checked against setup.sh


def blocks(lang: str) -> list[str]:
    return [t.content for t in MarkdownIt("commonmark").parse(README.read_text(encoding="utf-8"))
            if t.type == "fence" and t.info.strip() == lang]


def commands(block: str) -> list[str]:
    """The command lines of a block, comments removed."""
    lines = [shlex.split(line, comments=True) for line in block.splitlines()]
    return [shlex.join(words) for words in lines if words]


@pytest.fixture(scope="module")
def work(tmp_path_factory) -> Path:
    """A folder with the README's example files, ``../shared`` beside it, ``newsmt`` on PATH."""
    root = tmp_path_factory.mktemp("readme")
    work, bin_dir = root / "work", root / "bin"
    work.mkdir()
    bin_dir.mkdir()
    sample = shared_path("samples", "news-article-en.txt")
    (root / "shared").symlink_to(sample.parents[1])
    shim = f'#!/bin/sh\nexec {shlex.quote(sys.executable)} -m newsmt "$@"\n'
    for folder in (bin_dir, work / ".venv" / "bin"):
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "newsmt").write_text(shim, encoding="utf-8")
        (folder / "newsmt").chmod(0o755)
    (work / "article.txt").write_bytes(sample.read_bytes())
    gold = shared_path("eval", "web_pages_trafilatura_eval", "gold.jsonl")
    row = next(r for r in map(json.loads, gold.read_text(encoding="utf-8").splitlines()) if r["lang"] == "en")
    (work / "page.html").write_bytes(gzip.decompress((gold.parent / row["file"]).read_bytes()))
    example, = blocks("json")
    article = {"id": "sample", "text": sample.read_text(encoding="utf-8")}
    (work / "feed.jsonl").write_text(example.strip() + "\n" + json.dumps(article) + "\n", encoding="utf-8")
    flores = shared_path("eval", "flores200_devtest")
    for name, lang in (("source.txt", "eng_Latn"), ("translation.txt", "por_Latn")):
        lines = (flores / f"{lang}.devtest").read_text(encoding="utf-8").splitlines()[:5]
        (work / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return work


def sh(line: str, work: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PATH": f"{work.parent / 'bin'}{os.pathsep}{os.environ['PATH']}", "NO_COLOR": "1"}
    return subprocess.run(line, shell=True, cwd=work, env=env, capture_output=True, text=True, timeout=300)


def test_the_quick_start_is_what_ci_runs_and_the_main_job_writes_a_translation(work):
    first = commands(blocks("bash")[0])
    ci = [line for line in commands((REPO / ".ci" / "run").read_text(encoding="utf-8"))
          if not line.startswith(("set ", "cd "))]
    assert first[:2] == ci == ["./setup.sh", ".venv/bin/python -m pytest -q"]
    r = sh(first[2], work)
    assert r.returncode == 0, r.stderr
    out = (work / "out" / "news-article-en.pt.txt").read_text(encoding="utf-8")
    assert "Anistia Internacional" in out and r.stderr.startswith("translated 1 article, 19 sentences")


def test_install_blocks_are_what_setup_runs():
    setup = (REPO / "setup.sh").read_text(encoding="utf-8")
    assert '"$PYTHON" -m venv --clear "$VENV"' in setup and "PYTHON=${PYTHON:-python3}" in setup and "pip install -e '.[dev]'" in setup
    lines = [c for b in blocks("bash") + blocks("text") for c in commands(b) if c.startswith(INSTALL) or "/pip " in c]
    assert len(lines) == 4, lines
    for line in lines:
        if "torch" in line:  # the pin and the CPU index of setup.sh
            pin, index = re.search(r"(torch==\S+) --index-url (\S+)", line).groups()
            assert f"TORCH=${{TORCH:-{pin}}}" in setup and f"TORCH_INDEX=${{TORCH_INDEX:-{index}}}" in setup
        else:
            assert line.startswith("python3 -m venv .venv") or line.startswith(".venv/bin/pip install -e ")


def test_every_command_line_runs(work):
    lines = [c for b in blocks("bash")[1:] for c in commands(b) if not c.startswith(INSTALL) and "/pip " not in c]
    assert len(lines) >= 8
    batch = [line for line in lines if " out/" in line]  # run, then show and export its folder: in order
    tasks = [[line] for line in lines if line not in batch] + [batch]
    with ThreadPoolExecutor(2) as pool:  # independent tasks: two at a time on two cores
        for task, results in zip(tasks, pool.map(lambda task: [sh(line, work) for line in task], tasks)):
            for line, r in zip(task, results):
                assert r.returncode == 0 and "Traceback" not in r.stderr, (line, r.stderr)
    assert (work / "out" / "manifest.json").is_file() and (work / "scores.jsonl").is_file()
    assert [json.loads(x)["id"] for x in (work / "records.jsonl").read_text(encoding="utf-8").splitlines()][:1] == ["a1"]
    assert (work / "sentences.jsonl").read_text(encoding="utf-8").count('"id": "p') > 10


def test_the_config_example_runs(work):
    toml, = blocks("toml")
    name, command = re.match(r"# (\S+): (.+)", toml).groups()
    (work / name).write_text(toml, encoding="utf-8")
    r = sh(command.replace("-o out/", "-o out-toml/"), work)
    assert r.returncode == 0, r.stderr
    assert (work / "out-toml" / "a1.tmx").is_file()


def test_the_python_example_runs(work):
    code, = blocks("python")
    r = subprocess.run([sys.executable, "-c", code], cwd=work, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert "terça-feira" in r.stdout


def test_the_documented_defaults_are_the_real_ones():
    from newsmt.config import PipelineConfig

    cfg = PipelineConfig().to_dict()
    checked = 0
    for line in README.read_text(encoding="utf-8").splitlines():
        cells = line.strip("|").split(" | ")
        keys = re.findall(r"`([a-z_.]+)`", cells[0]) if line.startswith("| `") else []
        if not keys or "." not in keys[0] or keys[0].split(".")[0] not in cfg:
            continue
        section = keys[0].split(".")[0]
        values = re.findall(r"`([^`]*)`", cells[1])
        values = values * len(keys) if len(values) == 1 else values
        assert len(values) == len(keys), line
        for key, value in zip(keys, values):
            real = cfg[section][key.split(".")[-1]]
            shown = json.dumps(real) if isinstance(real, list) else str(real).lower() if isinstance(real, bool) else str(real)
            assert value == shown or (real == "" and value == '""'), (key, value, real)
            checked += 1
    assert checked >= 30, checked
