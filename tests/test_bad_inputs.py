"""The bad-input matrix: every command, one clear line and the documented exit code, nothing lost.

Exit codes (README): 2 bad input, 3 unsupported language, 4 missing or broken model (or extra),
5 bad configuration, 6 output that cannot be written. A bad item among good ones is reported, the
good ones are processed, and the command exits 2 at the end; ``run`` too (its errors.jsonl kept).
Inputs that hold no article are an error. Run as subprocesses: what a user sees.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

GOOD = "The council met on Tuesday. It approved the new budget for schools.\n"
GOOD_LINE = json.dumps({"id": "good", "text": GOOD})
BAD_LINES = {
    "lone surrogate": '{"id": "s", "text": "Bad \\ud83d escape."}',
    "deep nesting": "[" * 100_000,
    "huge integer": '{"id": ' + "9" * 5000 + ', "text": "A number id."}',
    "not json": "{oops",
}


def newsmt(*args: str | Path, cwd: Path | None = None, stdin: int | None = None,
           env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "newsmt", *map(str, args)],
                          capture_output=True, text=True, cwd=cwd, stdin=stdin,
                          env={**os.environ, **(env or {})}, timeout=300)


def one_line_error(r: subprocess.CompletedProcess, code: int) -> None:
    assert r.returncode == code, (r.returncode, r.stderr)
    assert "Traceback" not in r.stderr and "newsmt: error: " in r.stderr


def run_failed(r: subprocess.CompletedProcess, out: Path, sources: list[str], done: int) -> None:
    """``run`` with failed articles: their lines on stderr, the closing line, exit 2, errors.jsonl kept."""
    one_line_error(r, 2)
    assert f"done {done}," in r.stderr and f"failed {len(sources)}" in r.stderr, r.stderr
    errors = [json.loads(x) for x in (out / "errors.jsonl").read_text().splitlines()]
    assert sorted(e["source"] for e in errors) == sorted(sources)
    assert all(any(line.startswith(f"newsmt: error: {s}") for line in r.stderr.splitlines()) for s in sources), r.stderr


COMMANDS = {
    "segment": ["segment", "--lang", "en"],
    "translate": ["translate", "--src", "en", "--tgt", "pt"],
    "summarize": ["summarize", "--lang", "en", "--sentences", "1"],
    "run": ["run", "--set", "summarize.sentences=1", "--set", "translate.tgt=pt", "--workers", "1", "--files"],
}


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("kind", BAD_LINES)
def test_a_bad_jsonl_line_is_reported_and_the_rest_processed(tmp_path, command, kind):
    feed = tmp_path / "feed.jsonl"
    feed.write_text("\n".join([GOOD_LINE, BAD_LINES[kind], GOOD_LINE.replace('"good"', '"good2"')]) + "\n",
                    encoding="utf-8")
    out = tmp_path / "out"
    r = newsmt(*COMMANDS[command], feed, "-o", out)
    if command == "run":
        run_failed(r, out, [f"{feed}:2"], done=1)  # the two good lines have one body: one is a duplicate
        assert len((out / "records.jsonl").read_text().splitlines()) == 2
        return
    one_line_error(r, 2)
    assert f"{feed}:2: " in r.stderr and "1 of 3 inputs" in r.stderr
    written = out.read_text() if out.is_file() else "".join(p.read_text() for p in out.iterdir())
    assert "good" in written and "good2" in written


@pytest.mark.parametrize("kind", BAD_LINES)
def test_score_reports_a_bad_line_and_scores_the_others(tmp_path, kind):
    pairs = tmp_path / "pairs.jsonl"
    good = [json.dumps({"src": "The council met on Tuesday.", "tgt": "O conselho reuniu-se na terça-feira."}),
            json.dumps({"src": "It approved the budget.", "tgt": "Aprovou o orçamento."})]
    pairs.write_text("\n".join([good[0], BAD_LINES[kind], '{"src": "No translation."}', good[1]]) + "\n", encoding="utf-8")
    r = newsmt("score", pairs, "--src", "en", "--tgt", "pt", "-o", tmp_path / "scores.jsonl")
    one_line_error(r, 2)
    assert f"{pairs}:2: " in r.stderr and f"{pairs}:3: " in r.stderr and "2 of 4 lines" in r.stderr, r.stderr
    records = [json.loads(x) for x in (tmp_path / "scores.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [(r["line"], r["src"]) for r in records] == [(1, "The council met on Tuesday."), (4, "It approved the budget.")]


@pytest.mark.parametrize("command", ["translate", "summarize", "run"])
def test_inputs_that_share_a_name_never_overwrite_each_other(tmp_path, command):
    for rel, text in [("a/story.txt", "First story. It has a sentence."), ("b/story.txt", "Second story. Another one."),
                      ("x.txt", "The x text file. It is short."), ("x.md", "The x Markdown file. Also short.")]:
        (tmp_path / rel).parent.mkdir(exist_ok=True)
        (tmp_path / rel).write_text(text + "\n", encoding="utf-8")
    ids = [{"id": i, "text": f"Article {n} with id {i}. It is fine."} for n, i in enumerate(["x", "x", "a/b", "a_b", "L" * 300])]
    (tmp_path / "ids.jsonl").write_text("".join(json.dumps(r) + "\n" for r in ids), encoding="utf-8")
    r = newsmt(*COMMANDS[command], "a/story.txt", "b/story.txt", "x.txt", "x.md", "ids.jsonl", "-o", "out", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    index = [json.loads(x) for x in (tmp_path / "out" / "index.jsonl").read_text().splitlines()]
    assert len(index) == 9 and len({i["id"] for i in index}) == 9
    if command != "run":  # every file of the call exists once, and says where it came from
        files = [f for i in index for f in i["files"]]
        assert len(files) == len(set(files)) and all((tmp_path / "out" / f).is_file() for f in files)
        assert all(len(f.encode()) < 200 for f in files)


@pytest.mark.parametrize("command", COMMANDS)
def test_a_missing_input_or_empty_glob_does_not_stop_the_good_ones(tmp_path, command):
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    r = newsmt(*COMMANDS[command], "missing.txt", "*.none", "good.txt", "-o", "out", cwd=tmp_path)
    if command == "run":
        run_failed(r, tmp_path / "out", ["missing.txt", "*.none"], done=1)
        return
    one_line_error(r, 2)
    assert "missing.txt: no such file" in r.stderr and "*.none: matches no file" in r.stderr
    out = tmp_path / "out"
    assert "council" in (out.read_text() if out.is_file() else "".join(p.read_text() for p in out.iterdir()))


def test_run_with_its_inputs_inside_the_output_folder(tmp_path):
    (tmp_path / "feed.jsonl").write_text(GOOD_LINE + "\n", encoding="utf-8")
    r = newsmt(*COMMANDS["run"], "feed.jsonl", "-o", ".", cwd=tmp_path)
    assert r.returncode == 0 and "done 1" in r.stderr, (r.stdout, r.stderr)
    again = newsmt(*COMMANDS["run"], ".", "-o", ".", cwd=tmp_path)  # its own outputs are not read back: nothing
    one_line_error(again, 2)
    assert ".: holds no input file outside the output folder" in again.stderr


def test_file_names_that_are_not_utf8(tmp_path):
    name = os.fsdecode(b"caf\xe9.txt")
    (tmp_path / name).write_text(GOOD, encoding="utf-8")
    (tmp_path / "broken.txt").write_bytes(b"\x00\x01binary")
    r = newsmt(*COMMANDS["translate"], ".", "-o", "out", cwd=tmp_path)
    one_line_error(r, 2)
    index = (tmp_path / "out" / "index.jsonl").read_text(encoding="utf-8")
    assert "caf\\\\xe9.txt" in index or "caf\\xe9.txt" in index


@pytest.mark.parametrize("args, code, message", [
    (["translate", "IN", "--src", "en", "--tgt", "pt", "--threads", "-1"], 5, "threads"),
    (["translate", "IN", "--src", "en", "--tgt", "pt", "--output-format", "jsonl,nope"], 5, "unknown output format"),
    (["translate", "IN", "--src", "en", "--tgt", "pt", "--model", "/nonexistent/model"], 4, "/nonexistent/model"),
    (["translate", "IN", "--src", "en", "--tgt", "xx"], 3, "xx"),
    (["translate", "IN", "--src", "en", "--tgt", "en"], 3, "en"),
    (["segment", "IN", "--lang", "xx"], 3, "xx"),
    (["run", "IN", "-o", "OUT", "--set", "output.formats=jsonl,nope"], 5, "unknown output format"),
    (["translate", "IN", "--src", "en", "--tgt", "pt", "-o", "IN"], 6, "not a folder"),
    (["run", "IN", "-o", "IN"], 6, "not a folder"),
    (["segment", "IN", "-o", "in.txt/"], 6, "in.txt"),
    (["models", "pull", "bergamot-en-ru", "--base-url", "notaurl"], 5, "not a URL"),
    (["run", "-", "-o", "OUT"], 2, "-: empty input"),
    (["run", "EMPTYDIR", "-o", "OUT"], 2, "holds no input file"),
    (["translate", "EMPTYJSONL"], 2, "no article"),
    (["run", "IN", "-o", "OUT", "--config", "nope"], 5, "presets: en-pt-news"),
    (["eval", "mt", "--hyp", "EMPTY", "--ref", "EMPTY"], 2, "empty"),
    (["eval", "mt", "--hyp", "IN", "--ref", "IN", "--lang", "ja"], 5, "sacrebleu[ja]"),
    (["eval", "sum", "--hyp", "BIN", "--ref", "BIN"], 2, "binary"),
    (["eval", "seg", "--gold", "BIN", "--pred", "BIN"], 2, "binary"),
    (["models", "pull", "../../etc"], 5, "invalid model name"),
    (["models", "info", "a/../../b"], 5, "invalid model name"),
])
def test_errors_are_one_line_with_the_documented_code(tmp_path, args, code, message):
    (tmp_path / "in.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    (tmp_path / "bin.dat").write_bytes(bytes(range(256)) * 4)
    (tmp_path / "emptydir").mkdir()
    (tmp_path / "blank.jsonl").write_text("\n\n", encoding="utf-8")
    paths = {"IN": "in.txt", "OUT": "out", "EMPTY": "empty.txt", "BIN": "bin.dat", "EMPTYDIR": "emptydir",
             "EMPTYJSONL": "blank.jsonl"}
    r = newsmt(*[paths.get(a, a) for a in args], cwd=tmp_path, stdin=subprocess.DEVNULL,
               env={"NEWSMT_HOME": str(tmp_path / "home")})
    one_line_error(r, code)
    assert message in r.stderr


@pytest.mark.parametrize("command", ["segment", "run"])
def test_closed_stdin_and_full_stdout(tmp_path, command):
    r = subprocess.run(f"{sys.executable} -m newsmt {command} - {'-o out' if command == 'run' else ''} 0<&-",
                       shell=True, capture_output=True, text=True, cwd=tmp_path)
    one_line_error(r, 2)
    assert "standard input is closed" in r.stderr
    if command == "run":
        return
    (tmp_path / "in.txt").write_text(GOOD, encoding="utf-8")
    with open("/dev/full", "w") as full:
        r = subprocess.run([sys.executable, "-m", "newsmt", "segment", str(tmp_path / "in.txt")],
                           stdout=full, stderr=subprocess.PIPE, text=True)
    one_line_error(r, 6)
    assert "No space left" in r.stderr


def test_a_corrupt_model_marker_breaks_nothing(tmp_path):
    broken = tmp_path / "home" / "models" / "some-model"
    broken.mkdir(parents=True)
    (broken / ".newsmt-model.json").write_text("{not json", encoding="utf-8")
    (tmp_path / "in.txt").write_text(GOOD, encoding="utf-8")
    env = {"NEWSMT_HOME": str(tmp_path / "home")}
    assert newsmt("models", "list", env=env).returncode == 0
    r = newsmt("translate", tmp_path / "in.txt", "--src", "en", "--tgt", "pt", env=env)
    assert r.returncode == 0 and "Traceback" not in r.stderr, r.stderr


def test_a_second_run_on_the_same_folder_stops_at_once(tmp_path):
    from newsmt.batch import locked

    (tmp_path / "in.txt").write_text(GOOD, encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    with locked(out):
        r = newsmt(*COMMANDS["run"], tmp_path / "in.txt", "-o", out)
    one_line_error(r, 6)
    assert "in use by another newsmt run" in r.stderr
    assert newsmt(*COMMANDS["run"], tmp_path / "in.txt", "-o", out).returncode == 0


def test_temp_names_cannot_be_planted(tmp_path):
    """A link planted at the old fixed temp name is never followed or written through."""
    (tmp_path / "in.txt").write_text(GOOD, encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    victim = tmp_path / "victim.txt"
    victim.write_text("untouched", encoding="utf-8")
    (out / ".records.jsonl.stream.tmp").symlink_to(victim)
    assert newsmt(*COMMANDS["run"], tmp_path / "in.txt", "-o", out).returncode == 0
    assert victim.read_text(encoding="utf-8") == "untouched"


def test_bad_web_inputs_are_one_line_each_and_the_rest_is_processed(tmp_path):
    """A truncated archive, a feed that is not XML, a page without text, a page in an encoding
    nobody can tell: each reported alone, the good inputs processed."""
    import gzip

    from test_feeds_warc import build_warc

    page = b"<html><head><title>Bridge opens</title></head><body><article><p>" + GOOD.encode() + b"</p></article></body></html>"
    warc = build_warc([({"url": "https://news.example/a"}, page), ({"url": "https://news.example/b"}, page.replace(b"budget", b"plan"))], gz=True)
    (tmp_path / "cut.warc.gz").write_bytes(warc[: len(warc) // 2])  # inside the second page's record
    (tmp_path / "feed.xml").write_text("this is not a feed at all", encoding="utf-8")
    (tmp_path / "empty.html").write_text("<html><body><script>x()</script></body></html>", encoding="utf-8")
    (tmp_path / "nav.html").write_text("<html><head><style>p {}</style></head><body><nav><a href='/'>Home</a> "
                                       "<a href='/news'>News</a></nav><script>x()</script></body></html>", encoding="utf-8")
    (tmp_path / "noise.html").write_bytes(b"<meta charset='x-unknown'><p>" + bytes(range(128, 256)) * 40)
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    assert gzip.decompress(warc)  # the whole archive was valid
    r = newsmt(*COMMANDS["translate"], ".", "-o", "out", cwd=tmp_path)
    one_line_error(r, 2)
    for name in ("cut.warc.gz", "feed.xml", "empty.html", "nav.html"):
        assert sum(line.startswith(f"newsmt: error: {name}") for line in r.stderr.splitlines()) == 1, (name, r.stderr)
    # the page in an unknown encoding: decoded by detection, or refused in one line; never a traceback
    assert sum(line.startswith("newsmt: error: noise.html") for line in r.stderr.splitlines()) <= 1
    index = [json.loads(x) for x in (tmp_path / "out" / "index.jsonl").read_text().splitlines()]
    assert "good.txt" in {i["source"] for i in index} and any(i["source"].startswith("cut.warc.gz#") for i in index)


def test_a_repaired_stray_byte_is_counted_in_the_run(tmp_path):
    (tmp_path / "a.txt").write_bytes("It’s a “quoted” story about a café.\n".encode().replace("é".encode(), b"\xe9"))
    r = newsmt(*COMMANDS["run"], tmp_path / "a.txt", "-o", tmp_path / "out")
    assert r.returncode == 0 and "decode_replaced 1" in r.stderr, (r.stdout, r.stderr)
    record = json.loads((tmp_path / "out" / "records.jsonl").read_text(encoding="utf-8"))
    assert record["meta"]["replaced_bytes"] == 1 and "caf\ufffd" in record["text"]


@pytest.mark.parametrize("src, tgt", [("EN", "pt-BR"), ("en_US", "PT"), ("en-GB", "pt_br")])
def test_language_codes_are_bcp47(tmp_path, src, tgt):
    (tmp_path / "in.txt").write_text(GOOD, encoding="utf-8")
    r = newsmt("translate", tmp_path / "in.txt", "--src", src, "--tgt", tgt)
    assert r.returncode == 0 and "conselho" in r.stdout.lower(), r.stderr


def test_a_language_that_is_no_code_is_exit_3(tmp_path):
    (tmp_path / "in.txt").write_text(GOOD, encoding="utf-8")
    r = newsmt("translate", tmp_path / "in.txt", "--src", "en", "--tgt", "klingon")
    one_line_error(r, 3)
    assert "not a language code" in r.stderr


@pytest.mark.parametrize("args", [("segment", "--lang", ""), ("translate", "--tgt", " "), ("summarize", "--to", "")])
def test_an_empty_language_option_is_exit_3_not_the_default(tmp_path, args):
    """``--lang ""`` is no language: an error, not English by default (leaving the option out is)."""
    (tmp_path / "in.txt").write_text(GOOD, encoding="utf-8")
    r = newsmt(args[0], tmp_path / "in.txt", *args[1:])
    one_line_error(r, 3)
    assert "an empty language option" in r.stderr
