"""The command-line grammar (README, "Command line"): flags take no value, ``-o`` is a file only where
one file results (a trailing slash or an existing folder is a folder), ``--to`` is a language,
every article command ends with one line on stderr, presets are found by name from any folder,
config errors name the right thing, Ctrl-C stops the server cleanly, a missing extra is one line."""
from __future__ import annotations

import json
import re
import signal
import socket
import subprocess
import sys
import time

import pytest

from newsmt.config import load_config
from newsmt.errors import ConfigError, LanguageError
from test_bad_inputs import GOOD, newsmt

COMMANDS = [["segment"], ["extract"], ["translate"], ["summarize"], ["run", "-o", "out"], ["score"], ["serve"],
            ["models", "list"], ["models", "pull"], ["models", "convert"], ["eval", "mt"]]


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_flags_take_no_value(command):
    from typer.testing import CliRunner

    from newsmt.cli import app

    args = command[:2] if command[0] in ("models", "eval") else command[:1]
    text = CliRunner().invoke(app, [*args, "--help"]).stdout
    flags = re.findall(r"^\s+(--[\w-]+)(?:, -\w)?\s*(<\w+>)?\s", text, re.M)
    assert flags and not [f for f, kind in flags if kind == "<bool>"], text
    assert "<bool>" not in text


def test_to_is_a_language_only():
    from typer.testing import CliRunner

    from newsmt.cli import app

    assert "--to" not in CliRunner().invoke(app, ["extract", "--help"]).stdout
    assert "--to" in CliRunner().invoke(app, ["summarize", "--help"]).stdout


CLOSING = {"segment": "segmented", "extract": "extracted", "translate": "translated", "summarize": "summarized"}


@pytest.mark.parametrize("command, args", [
    ("segment", []), ("extract", []), ("translate", ["--src", "auto"]), ("summarize", ["--to", "pt"]),
    ("run", ["-o", "out"]), ("score", ["in.txt", "--src", "en", "--tgt", "pt"]),
])
def test_every_command_ends_with_one_line_on_stderr(tmp_path, command, args):
    (tmp_path / "in.txt").write_text(GOOD, encoding="utf-8")
    r = newsmt(command, "in.txt", *args, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    last = r.stderr.splitlines()[-1]
    pattern = {"run": r"^done 1, skipped 0, failed 0 in ", "score": r"^scored 1 pair in "}.get(
        command, rf"^{CLOSING.get(command)} 1 article, 2 sentences in .*; flags: ")
    assert re.search(pattern, last), r.stderr
    assert command == "run" or r.stdout  # the result itself stays on stdout


@pytest.mark.parametrize("command, suffix", [("segment", ".segments.jsonl"), ("extract", ".extract.jsonl")])
def test_o_is_a_file_unless_it_is_a_folder(tmp_path, command, suffix):
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "b.txt").write_text(GOOD.replace("council", "board"), encoding="utf-8")
    (tmp_path / "existing").mkdir()
    for target in ("one.jsonl", "dir/", "existing"):
        r = newsmt(command, "a.txt", "b.txt", "-o", target, cwd=tmp_path)
        assert r.returncode == 0, r.stderr
    assert len((tmp_path / "one.jsonl").read_text(encoding="utf-8").splitlines()) == (4 if command == "segment" else 2)
    for folder in ("dir", "existing"):
        files = sorted(p.name for p in (tmp_path / folder).iterdir())
        assert files == [f"a{suffix}", f"b{suffix}", "index.jsonl"], files


def test_score_o_folder_gets_one_file(tmp_path):
    (tmp_path / "src.txt").write_text("The house is red.\n", encoding="utf-8")
    (tmp_path / "tgt.txt").write_text("A casa é vermelha.\n", encoding="utf-8")
    r = newsmt("score", "src.txt", "tgt.txt", "--src", "en", "--tgt", "pt", "-o", "scores/", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert json.loads((tmp_path / "scores" / "src.scores.jsonl").read_text(encoding="utf-8"))["line"] == 1


def test_presets_by_name_from_any_folder(tmp_path):
    assert load_config("en-ru-news").translate.tgt == "ru"
    (tmp_path / "in.txt").write_text(GOOD, encoding="utf-8")
    r = newsmt("summarize", "in.txt", "--config", "en-pt-news", "-n", "1", cwd=tmp_path)
    assert r.returncode == 0 and json.loads(r.stdout)["summary"], r.stderr
    assert load_config(None).translate.tgt == "pt" and load_config(None).segment.lang == "en"  # the offline pair


@pytest.mark.parametrize("toml, overrides, message", [
    ("translate = 3\n", [], r"^CFG: \[translate\] must be a table of settings, got 3$"),
    ("[tranlsate]\ntgt = 'pt'\n", [], r"^CFG: unknown table\(s\): tranlsate; known: input, output, run, segment"),
    ("[translate]\ntarget = 'pt'\n", [], r"^CFG: unknown key\(s\) in \[translate\]: target; known: backend"),
    ("", ["translate.target=pt"], r"^--set translate.target=pt|^--set translate.target: unknown key 'target' in \[translate\]"),
    ("", ["tgt=pt"], r"^--set tgt: give table.key=value"),
    ("translate = 'x'\n", ["translate.tgt=pt"], r"^CFG: \[translate\] must be a table of settings, got 'x'$"),
])
def test_config_errors_name_the_right_thing(tmp_path, toml, overrides, message):
    cfg = tmp_path / "job.toml"
    cfg.write_text(toml, encoding="utf-8")
    with pytest.raises(ConfigError, match=message.replace("CFG", re.escape(str(cfg)))):
        load_config(cfg if toml else None, overrides)


def test_config_files_and_folders_that_are_not_there(tmp_path):
    with pytest.raises(ConfigError, match="is a folder; give a TOML file or a preset name"):
        load_config(tmp_path)
    with pytest.raises(ConfigError, match=r"no such file \(folder .*nope does not exist\); presets: en-pt-news"):
        load_config(tmp_path / "nope" / "job.toml")
    with pytest.raises(ConfigError, match="no such file or preset; presets: en-pt-news, en-ru-news, ru-en-news"):
        load_config("en-xx-news")
    with pytest.raises(LanguageError, match="^translate.tgt: 'klingon' is not a language code"):
        load_config(None, ["translate.tgt=klingon"])


def test_a_missing_extra_is_one_line(tmp_path):
    code = "import sys; sys.modules['fastapi'] = None; from newsmt.cli import app; app(['serve'], prog_name='newsmt')"
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path)
    assert r.returncode == 4 and "Traceback" not in r.stderr, r.stderr
    assert r.stderr.strip() == ("newsmt: error: this needs fastapi, which the default install leaves out: "
                                "pip install 'newsmt[serve]' (or newsmt[all])")


def test_ctrl_c_stops_the_server_cleanly(tmp_path):
    httpx = pytest.importorskip("httpx")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "newsmt", "serve", "--port", str(port), "--option", "log_json=false"],
                            cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.time() + 120
        while time.time() < deadline and proc.poll() is None:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == 0 and "error" not in err and "Traceback" not in err, err
    assert err.rstrip().endswith("newsmt: server stopped")
