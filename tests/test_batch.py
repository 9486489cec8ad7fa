"""Batch jobs end to end on the real stages: resume after SIGKILL, bad inputs, presets, the CLI."""
from __future__ import annotations

import dataclasses
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable

from conftest import SHARED

from newsmt import results, run
from newsmt.config import load_config

REPO = Path(__file__).resolve().parents[1]
EN_PT = "en-pt-news"  # presets, by name
EN_RU = "en-ru-news"
CHEAP = ["--set", "summarize.sentences=1"]  # keeps the 500-article job short


def news_sentences() -> list[str]:
    """Real English news sentences (WMT19 newstest source), or generated ones without ../shared."""
    path = SHARED / "eval" / "wmt19_newstest_en-ru" / "src.en"
    if path.is_file():
        return [s for s in path.read_text(encoding="utf-8").splitlines() if 30 < len(s) < 200]
    return [f"Officials in district {i} said on Monday that the new bridge would open in {2020 + i % 9}."
            for i in range(2000)]


def write_job(root: Path, n_jsonl: int, n_txt: int, per: int = 2) -> Path:
    """A directory with one JSONL file of ``n_jsonl`` articles and ``n_txt`` text files."""
    sents = news_sentences()
    texts = [" ".join(sents[i * per:(i + 1) * per]) for i in range(n_jsonl + n_txt)]
    (root / "txt").mkdir(parents=True)
    with (root / "feed.jsonl").open("w", encoding="utf-8") as f:
        for i, text in enumerate(texts[:n_jsonl]):
            f.write(json.dumps({"id": f"a{i:04d}", "text": text}) + "\n")
    for i, text in enumerate(texts[n_jsonl:]):
        (root / "txt" / f"t{i:02d}.txt").write_text(text + "\n", encoding="utf-8")
    return root


def tree(root: Path) -> dict[str, bytes]:
    """Every output file (not the run's own state under .newsmt/)."""
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and ".newsmt" not in p.relative_to(root).parts}


def index_rows(outdir: Path) -> list[dict]:
    """The job's index (.newsmt/index.sqlite) as rows in input order."""
    db = sqlite3.connect(outdir / ".newsmt" / "index.sqlite")
    db.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in db.execute("SELECT * FROM items ORDER BY g, i")]
    finally:
        db.close()


def records(outdir: Path) -> list[dict]:
    return [json.loads(line) for line in results.records(outdir)]


def cli(*args: str | Path) -> list[str]:
    return [sys.executable, "-m", "newsmt", *map(str, args)]


def shards(outdir: Path) -> int:
    return sum(1 for _ in (outdir / "records").glob("part-*.jsonl.zst"))


def kill_when(proc: subprocess.Popen, ready: Callable[[float], bool]) -> bool:
    """SIGKILL the job's whole process group once ``ready(start time)``; False if it ended first."""
    t0 = time.monotonic()
    while proc.poll() is None:
        if ready(t0):
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            return True
        time.sleep(0.005)
    return False


def test_killed_three_times_then_resumed_equals_uninterrupted(tmp_path):
    n, size = 500, 20
    job = write_job(tmp_path / "in", n - 20, 20, per=1)  # one sentence each: as many articles, half the translating
    args = ["run", job, "--config", EN_PT, *CHEAP, "--set", f"run.shard_size={size}", "--files"]
    ref = tmp_path / "ref"
    subprocess.run(cli(*args, "-o", ref, "--workers", "1"), check=True, capture_output=True)

    out = tmp_path / "out"
    seed = int(os.environ.get("NEWSMT_TEST_SEED", time.time_ns() % 10000))
    rng = random.Random(seed)
    start_delay, target = rng.uniform(0.5, 4.0), rng.randint(n // size // 4, 3 * n // size // 4)
    triggers = [
        lambda t0: time.monotonic() - t0 > start_delay,  # start-up, reading or the first groups
        lambda t0: shards(out) >= target,  # in the middle of the work
        lambda t0: shards(out) == n // size,  # every shard written: committing, writing views and manifest
    ]
    finished = []
    for k, ready in enumerate(triggers):
        proc = subprocess.Popen(cli(*args, "-o", out, "--workers", "2"), start_new_session=True,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        assert kill_when(proc, ready), f"the job ended before kill {k + 1} (seed {seed})"
        finished.append(shards(out))
    assert 0 < finished[1] < n // size, (finished, seed)
    done = subprocess.run(cli(*args, "-o", out, "--workers", "2"), check=True, capture_output=True, text=True)
    assert "failed 0" in done.stderr
    assert tree(out) == tree(ref), f"seed {seed}"
    assert index_rows(out) == index_rows(ref)
    assert sum(1 for _ in (ref / "records.jsonl").open()) == n and shards(ref) == n // size
    assert not [p for p in out.rglob("*.tmp")]
    again = subprocess.run(cli(*args, "-o", out, "--workers", "2"), check=True, capture_output=True, text=True)
    assert again.stderr.startswith("done 0, skipped ") and "failed 0" in again.stderr and tree(out) == tree(ref)


def test_bad_inputs_are_listed_and_do_not_stop_the_job(tmp_path):
    job = write_job(tmp_path / "in", 6, 4)
    bad = tmp_path / "in" / "bad"
    bad.mkdir()
    for i in range(3):
        (bad / f"binary{i}.txt").write_bytes(bytes(range(256)) * 4)
    (bad / "nul.md").write_bytes(b"# Title\x00\x00 text")
    (bad / "empty.txt").write_bytes(b"")
    (bad / "blank.txt").write_text(" \n\n\t\n")
    (bad / "empty.md").write_bytes(b"\n")
    (bad / "bad-utf16.txt").write_bytes(b"\xff\xfe" + b"\x00\xd8")  # BOM, then a lone surrogate
    long = " ".join(news_sentences()[:200])
    for i in range(3):
        (bad / f"long{i}.txt").write_text(long, encoding="utf-8")
    lines = [b'{"id": "ok1", "text": "The council met on Tuesday."}', b"{not json", b"[1, 2]",
             b'{"id": "n", "body": "no text field"}', b'{"text": 42}', b'{"text": "   "}',
             b'{"text": "caf\xe9 is not UTF-8"}', b'{"text": "\xff\xfe"}', b'"just a string"',
             b'{"title": 5, "text": "A title that is a number."}',
             b'{"id": "ok2", "text": "Ministers agreed on a plan."}']
    (bad / "feed.jsonl").write_bytes(b"\n".join(lines) + b"\n")
    cfg = load_config(EN_PT, ["summarize.sentences=1", f"run.max_chars={len(long) - 1}"])
    summary = run([str(job)], cfg, tmp_path / "out", workers=1)
    errors = [json.loads(x) for x in (tmp_path / "out" / "errors.jsonl").read_text().splitlines()]
    assert summary.failed == len(errors) == 20
    assert summary.done == 12
    reasons = " ".join(e["reason"] for e in errors)
    for cause in ("binary", "empty", "invalid JSON", "not valid UTF-8", "UTF-16", "run.max_chars", "missing"):
        assert cause in reasons
    assert sorted(Path(e["source"].split(":")[0]).name for e in errors) == sorted(
        [f"binary{i}.txt" for i in range(3)] + ["nul.md", "empty.txt", "blank.txt", "empty.md", "bad-utf16.txt"]
        + [f"long{i}.txt" for i in range(3)] + ["feed.jsonl"] * 9)
    in_order = [(row["source"], row["id"]) for row in index_rows(tmp_path / "out") if row["status"] == "failed"]
    assert [(e["source"], e["id"]) for e in errors] == in_order


def test_sample_article_cli_record_and_json_log(tmp_path, sample_article):
    out = tmp_path / "out"
    res = subprocess.run(cli("run", sample_article, "--config", EN_PT, "-o", out, "--log-json", "--files"),
                         capture_output=True, text=True, check=True)
    events = [json.loads(line) for line in res.stderr.splitlines()]  # every line an event
    done = next(e for e in events if e["event"] == "article_done")
    assert set(done["timings"]) == {"segment", "translate", "summarize"}
    assert events[-1]["event"] == "run_done" and (events[-1]["done"], events[-1]["failed"]) == (1, 0)
    [record] = [json.loads(x) for x in (out / "records.jsonl").read_text(encoding="utf-8").splitlines()]
    sentence_ids = [s["id"] for p in record["paragraphs"] for s in p["sentences"]]
    assert len(sentence_ids) > 10 and set(record["translations"]) == set(sentence_ids)
    assert record["tgt_lang"] == "pt-BR"  # the preset asks for Brazilian forms
    assert {s["lang"] for s in record["summaries"]} == {"en", "pt-BR"}
    assert all(set(x["sources"]) <= set(sentence_ids) for s in record["summaries"] for x in s["sentences"])
    assert record["timings"] == {}  # run.timings is off: records stay byte-reproducible
    names = {p.name for p in out.iterdir()}
    assert {"news-article-en.sentences.jsonl", "news-article-en.pt-BR.txt", "news-article-en.summary.jsonl",
            "records.jsonl", "errors.jsonl", "index.jsonl", "manifest.json"} <= names


def test_rerun_redoes_only_changed_articles(tmp_path):
    job = write_job(tmp_path / "in", 0, 5)
    out = tmp_path / "out"
    cfg = load_config(EN_PT, ["summarize.sentences=1", "run.timings=true", "run.shard_size=2"])
    first = run([str(job)], cfg, out, workers=1)
    assert (first.done, first.skipped) == (5, 0) and shards(out) == 3
    assert set(records(out)[0]["timings"]) == {"segment", "translate", "summarize"}
    before = {p.name for p in (out / "records").iterdir()}
    changed = job / "txt" / "t03.txt"
    changed.write_text("A different article. It has two sentences.\n", encoding="utf-8")
    again = run([str(job)], cfg, out, workers=1)
    assert (again.done, again.skipped, again.failed) == (1, 4, 0)
    assert "different" in records(out)[3]["text"]
    after = {p.name for p in (out / "records").iterdir()}
    assert len(before & after) == 2 and len(after) == 3  # only the changed article's group was rewritten
    assert json.loads(results.find(out, "t03"))["text"].startswith("A different article")


def test_en_ru_preset_names_the_missing_model(tmp_path, sample_article):
    env = {**os.environ, "NEWSMT_HOME": str(tmp_path / "home"), "HF_HOME": str(tmp_path / "hf")}
    res = subprocess.run(cli("run", sample_article, "--config", EN_RU, "-o", tmp_path / "out"),
                         capture_output=True, text=True, env=env, check=False)
    assert res.returncode == 4
    assert "Helsinki-NLP/opus-mt-en-ru" in res.stderr and "newsmt models pull" in res.stderr
    assert "Traceback" not in res.stderr


def test_en_ru_preset_runs_a_tiny_marian(tmp_path, sample_article, tiny_models):  # noqa: F811
    model = tiny_models("marian")
    cfg = load_config(EN_RU, [f"translate.model={model}", "translate.backend=transformers"])
    summary = run([str(sample_article)], cfg, tmp_path / "out", threads=1)  # 1: fast on a busy machine
    assert (summary.done, summary.failed) == (1, 0)
    [record] = records(tmp_path / "out")
    assert record["tgt_lang"] == "ru"
    assert len(record["translations"]) == sum(len(p["sentences"]) for p in record["paragraphs"])
    assert {s["lang"] for s in record["summaries"]} == {"en", "ru"}


def test_renamed_feed_or_inserted_line_redoes_nothing(tmp_path):
    sents = news_sentences()
    rows = [{"id": f"n{i}", "text": " ".join(sents[2 * i:2 * i + 2])} for i in range(6)]
    rows += [{"text": " ".join(sents[20 + 2 * i:22 + 2 * i])} for i in range(3)]  # no id: "feed:N" names
    feed = tmp_path / "feed.jsonl"
    feed.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    cfg = load_config(EN_PT, ["summarize.sentences=1", "run.shard_size=4"])
    out = tmp_path / "out"
    first = run([str(feed)], cfg, out, workers=1, files=True)
    assert (first.done, first.skipped) == (9, 0)

    renamed = tmp_path / "renamed.jsonl"
    extra = {"id": "new", "text": " ".join(sents[40:42])}
    renamed.write_text(json.dumps(extra) + "\n" + feed.read_text(encoding="utf-8"), encoding="utf-8")
    feed.unlink()
    second = run([str(renamed)], cfg, out, workers=2, files=True)  # every group shifted by one line
    assert (second.done, second.skipped, second.failed) == (1, 9, 0)
    view = [json.loads(x) for x in (out / "records.jsonl").read_text(encoding="utf-8").splitlines()]
    assert view == records(out)
    assert [r["meta"]["source"] for r in view] == [f"{renamed}:{i}" for i in range(1, 11)]
    assert [r["id"] for r in view][:2] == ["new", "n0"] and view[-1]["id"] == "renamed:10"
    assert (out / "renamed_10.pt-BR.jsonl").is_file()  # outputs follow the new names

    # a fresh job from the new feed alone gives the same records, byte for byte
    fresh = tmp_path / "fresh"
    run([str(renamed)], cfg, fresh, workers=1, files=True)
    assert tree(fresh) == {k: v for k, v in tree(out).items() if not k.startswith("feed_")}  # (old names stay)

    # shards of articles no longer in the inputs are removed, and so are views not asked for
    renamed.write_text(json.dumps(extra) + "\n", encoding="utf-8")
    third = run([str(renamed)], cfg, out, workers=1)
    assert (third.done, third.skipped) == (0, 1) and shards(out) == 1
    assert not (out / "records.jsonl").exists() and [r["id"] for r in records(out)] == ["new"]


def test_duplicate_bodies_are_processed_once(tmp_path):
    sents = news_sentences()
    body = " ".join(sents[:3])
    rows = [{"id": "wire", "title": "Storm hits the coast", "text": body},
            {"id": "other", "text": " ".join(sents[3:5])},
            {"id": "syndicated", "title": "Coastal storm", "text": "  " + body.upper().replace(" ", "\n ").replace("\n", "\u00a0", 2) + "\n"}]
    feed = tmp_path / "feed.jsonl"
    feed.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    summary = run([str(feed)], load_config(EN_PT, ["summarize.sentences=1"]), tmp_path / "out", workers=1)
    assert (summary.done, summary.duplicates) == (2, 1) and "duplicates 1" in summary.line()
    written = records(tmp_path / "out")
    assert [r["id"] for r in written] == ["wire", "other", "syndicated"]
    assert written[2]["provenance"]["duplicate_of"] == "wire" and not written[2]["translations"]
    assert [row["status"] for row in index_rows(tmp_path / "out")] == ["done", "done", "duplicate"]
    again = run([str(feed)], load_config(EN_PT, ["summarize.sentences=1"]), tmp_path / "out", workers=1)
    assert (again.done, again.skipped, again.duplicates) == (0, 2, 1)


def test_ids_and_duplicates_across_groups_are_settled_in_input_order(tmp_path):
    """Workers settle their own group; an id or body shared with an earlier group (settled or still
    in flight) ends as the driver settles it in input order, with 1 or 2 workers, with or without
    per-article files."""
    sents = news_sentences()
    rows = [{"id": f"a{i:02d}", "text": " ".join(sents[2 * i:2 * i + 2])} for i in range(20)]
    rows[5] = {"id": "a02", "text": rows[5]["text"]}  # a02's id in the next group: both in flight at once
    rows[9] = {"id": "copy9", "text": rows[1]["text"].upper()}  # the body of a01, two groups later
    rows[14] = {"id": "a03", "text": " ".join(sents[60:62])}  # a03's id again, another body
    rows[17] = {"id": "a03", "text": rows[14]["text"]}  # and that body again, under the same id
    feed = tmp_path / "feed.jsonl"
    feed.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    cfg = load_config(EN_PT, ["translate.enabled=false", "summarize.sentences=1", "run.shard_size=4"])
    outs = {}
    for workers, files in ((1, False), (2, False), (2, True)):
        out = outs[workers, files] = tmp_path / f"out-{workers}-{files}"
        summary = run([str(feed)], dataclasses.replace(cfg, run=dataclasses.replace(cfg.run, files=files)), out,
                      workers=workers)
        assert (summary.done, summary.duplicates, summary.failed) == (18, 2, 0), summary.line()
        written = records(out)
        assert [r["id"] for r in written][8:18] == ["a08", "copy9", "a10", "a11", "a12", "a13", "a03-2", "a15", "a16",
                                                    "a03-3"]
        assert written[5]["id"] == "a02-2" and written[9]["provenance"]["duplicate_of"] == "a01"
        assert written[17]["provenance"]["duplicate_of"] == "a03-2"
        assert written[3]["text"] == rows[3]["text"] and written[14]["text"] == rows[14]["text"]
    assert tree(outs[1, False] / "records") == tree(outs[2, False] / "records") == tree(outs[2, True] / "records")
    for stem, row in (("a02", rows[2]), ("a02-2", rows[5]), ("a03", rows[3]), ("a03-2", rows[14])):  # own files
        lines = (outs[2, True] / f"{stem}.sentences.jsonl").read_text(encoding="utf-8").splitlines()
        assert all(json.loads(x)["src"] in row["text"] for x in lines) and lines


def test_show_and_export_read_the_shards(tmp_path):
    job = write_job(tmp_path / "in", 4, 0)
    (job / "feed.jsonl").open("a").write('{"id": "broken"}\n')
    out = tmp_path / "out"
    r = subprocess.run(cli("run", job, "-c", EN_PT, *CHEAP, "-o", out, "--set", "run.shard_size=3"), capture_output=True)
    assert r.returncode == 2  # the broken line failed; the others were processed
    exported = subprocess.run(cli("export", out), capture_output=True, text=True, check=True).stdout
    assert [json.loads(x)["id"] for x in exported.splitlines()] == ["a0000", "a0001", "a0002", "a0003"]
    shown = subprocess.run(cli("show", out, "a0002", "--format", "jsonl"), capture_output=True, text=True, check=True)
    lines = [json.loads(x) for x in shown.stdout.splitlines()]
    assert lines and {x["doc"] for x in lines} == {"a0002"} and all(x["tgt"] for x in lines)
    key = index_rows(out)[1]["key"]
    assert json.loads(subprocess.run(cli("show", out, key), capture_output=True, text=True).stdout)["id"] == "a0001"
    bad = subprocess.run(cli("show", out, f"{job / 'feed.jsonl'}:5", "nope", "a0000"), capture_output=True, text=True)
    assert bad.returncode == 2 and json.loads(bad.stdout)["id"] == "a0000"
    assert "'text' is missing" in bad.stderr and "nope: no article" in bad.stderr and "Traceback" not in bad.stderr
    to_file = tmp_path / "all.tsv"
    subprocess.run(cli("export", out, "-f", "tsv", "-o", to_file), check=True)
    assert len(to_file.read_text(encoding="utf-8").splitlines()) == sum(len(x.split("\n")) - 1 for x in (
        subprocess.run(cli("show", out, f"a000{i}", "-f", "tsv"), capture_output=True, text=True).stdout for i in range(4)))


def test_set_takes_toml_values(tmp_path):
    cfg = load_config(EN_PT, ['output.formats=["jsonl", "tmx"]', "translate.enabled=false", "run.shard_size=7",
                              "summarize.ratio=0.25", "translate.tgt=pt", 'translate.model="2024"',
                              "translate.backend=bergamot", "output.formats=jsonl,doc"][1:])
    assert (cfg.translate.enabled, cfg.run.shard_size, cfg.summarize.ratio, cfg.translate.model) == (False, 7, 0.25, "2024")
    assert cfg.output.formats == ["jsonl", "doc"]
    assert load_config(None, ['output.formats=["jsonl", "tmx"]']).output.formats == ["jsonl", "tmx"]
    assert load_config(None, ["translate.model=2024"]).translate.model == "2024"
    res = subprocess.run(cli("run", write_job(tmp_path / "in", 2, 0), "-c", EN_PT, *CHEAP, "-o", tmp_path / "out",
                             "--set", 'output.formats=["jsonl"]', "--set", "translate.enabled=false", "--files"),
                         capture_output=True, text=True)
    assert res.returncode == 0 and "done 2" in res.stderr, res.stderr
    assert sorted(p.name for p in (tmp_path / "out").glob("a*")) == ["a0000.sentences.jsonl", "a0001.sentences.jsonl"]
    for bad, why in [("run.shard_size=[1]", "run.shard_size must be a int"), ("run.shard_size=-1", "shard_size must be >= 0"),
                     ("output.formats=[1]", "list of strings")]:
        res = subprocess.run(cli("run", tmp_path / "in", "-o", tmp_path / "x", "--set", bad), capture_output=True, text=True)
        assert res.returncode == 5 and why in res.stderr, res.stderr
