"""Language packs: every pack's segment section is valid, names its segmenter and passes its golden
cases (tests/packs/<code>.toml, hand-written per language); a pack without golden cases fails."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

from newsmt.languages import packs, resolve
from newsmt.languages.packs import GENERIC, pack_codes, read_section
from newsmt.segment import SEGMENT_KEYS, SEGMENTERS, rules_for, split_sentences

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

CASES = Path(__file__).resolve().parent / "packs"
MIN_CASES = 5
# the 22 languages of the multilingual news dev set and the 9 the project names besides
REQUIRED = set("ar cs de en et fi fr gu hi iu ja kk km lt lv pl ps ro ru ta tr zh it pt uk ko id nl sv el es".split())


def golden(code: str) -> list[dict]:
    path = CASES / f"{code}.toml"
    return tomllib.loads(path.read_text(encoding="utf-8"))["case"] if path.is_file() else []


def test_required_languages_have_packs():
    assert REQUIRED <= set(pack_codes())


@pytest.mark.parametrize("code", pack_codes())
def test_every_pack_has_golden_cases(code):
    """Adding a language means a data file and its golden cases."""
    cases = golden(code)
    assert len(cases) >= MIN_CASES, f"tests/packs/{code}.toml: {len(cases)} golden cases, {MIN_CASES} needed"
    for case in cases:
        assert set(case) == {"note", "text", "sentences"}, case


@pytest.mark.parametrize("code", [*pack_codes(), GENERIC])
def test_segment_section_is_valid(code):
    data = read_section(code, "segment")
    assert data is not None
    assert set(data) <= SEGMENT_KEYS, f"unknown keys: {set(data) - SEGMENT_KEYS}"
    assert {**read_section(GENERIC, "segment"), **data}["segmenter"] in SEGMENTERS
    if code != GENERIC:
        assert "segmenter" in data, f"pack {code} must say which segmenter it uses"
        rules_for(code)  # compiles


def golden_params() -> list:
    return [pytest.param(code, c["text"], c["sentences"], id=f"{code}-{i}")
            for code in pack_codes() for i, c in enumerate(golden(code))]


@pytest.mark.parametrize("code, text, expected", golden_params())
def test_golden_case(code, text, expected):
    spans = split_sentences(text, code)
    assert [text[a:b] for a, b in spans] == expected


def test_regional_tags_use_the_pack():
    assert resolve("pt-BR").pack == "pt" and resolve("zh-Hant").pack == "zh" and resolve("sr").generic
    assert all(not lang.generic for lang in packs())
