"""Languages at the command line: a tag that is not a language exits 3 listing the packs; a known
language without a pack is processed by the generic rules and flagged where the output has
article-level fields (segment: a note on stderr; summarize: the summary's flags; run: the record);
an invalid language in a config file is reported before any model loads."""
from __future__ import annotations

import json

import pytest
from conftest import shared_path
from typer.testing import CliRunner

from newsmt.cli import app
from newsmt.languages import resolve

runner = CliRunner()


@pytest.fixture
def belarusian(tmp_path):
    """A news-like text in Belarusian (no pack of its own): FLORES-200 sentences, headline first."""
    lines = shared_path("eval", "flores200_devtest", "bel_Cyrl.devtest").read_text(encoding="utf-8").splitlines()
    path = tmp_path / "be.txt"
    path.write_text(lines[0] + "\n\n" + " ".join(lines[1:9]) + "\n\n" + " ".join(lines[9:18]) + "\n", encoding="utf-8")
    return path


def test_belarusian_is_a_language_without_a_pack():
    assert resolve("be").generic and not resolve("ru").generic


def test_not_a_language_exits_3_listing_the_packs(belarusian):
    res = runner.invoke(app, ["segment", str(belarusian), "--lang", "qq-zz-123"])
    assert res.exit_code == 3 and "Traceback" not in res.output
    assert "own pack: ar, cs, de, el, en" in res.stderr and len(res.stderr.strip().splitlines()) == 1


def test_segment_without_a_pack_uses_generic_rules_and_says_so(belarusian):
    res = runner.invoke(app, ["segment", str(belarusian), "--lang", "be"])
    assert res.exit_code == 0, res.output
    rows = [json.loads(line) for line in res.stdout.splitlines()]
    assert len(rows) >= 17  # the headline and every FLORES sentence
    text = belarusian.read_text(encoding="utf-8")
    assert all(text[r["start"]:r["end"]] == r["text"] for r in rows)
    assert "generic_rules" in res.stderr and "'be'" in res.stderr
    res = runner.invoke(app, ["segment", str(belarusian), "--lang", "ru"])
    assert res.exit_code == 0 and "generic_rules" not in res.stderr


def test_summarize_without_a_pack_flags_the_summary(belarusian):
    res = runner.invoke(app, ["summarize", str(belarusian), "--lang", "be"])
    assert res.exit_code == 0, res.output
    record = json.loads(res.stdout.splitlines()[0])
    assert "generic_rules" in record["flags"] and len(record["summary"]) == 3


def test_run_without_a_pack_flags_the_record(belarusian, tmp_path):
    out = tmp_path / "out"
    res = runner.invoke(app, ["run", str(belarusian), "-o", str(out), "--set", "segment.lang=be",
                              "--set", "translate.enabled=false"])
    assert res.exit_code == 0, res.output
    shown = runner.invoke(app, ["export", str(out)])
    records = [json.loads(line) for line in shown.stdout.splitlines()]
    assert len(records) == 1 and "generic_rules" in records[0]["meta"]["flags"]
    assert any("generic_rules" in s["flags"] for s in records[0]["summaries"])


def test_invalid_language_in_a_config_file_is_reported_before_any_model_loads(belarusian, tmp_path):
    config = tmp_path / "newsmt.toml"
    config.write_text('[segment]\nlang = "english!"\n\n[translate]\ntgt = "pt"\nmodel = "/no/such/model"\n',
                      encoding="utf-8")
    res = runner.invoke(app, ["run", str(belarusian), "-o", str(tmp_path / "out"), "--config", str(config)])
    assert res.exit_code == 3 and "Traceback" not in res.output
    assert "'english!' is not a language code" in res.stderr and "model" not in res.stderr
    assert not (tmp_path / "out").exists()
