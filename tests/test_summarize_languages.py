"""Summaries in any language: length and similarity without spaces (Chinese, Japanese), stopwords
from the packs, a pack without stopwords still summarizes; real news text from ../shared."""
from __future__ import annotations

import json

import numpy as np
import pytest
from conftest import shared_path

from newsmt.config import SummarizeConfig
from newsmt.segment import segment_text
from newsmt.summarize import Attributor, NgramVectors, candidates, extractive_summary, fragments
from newsmt.summarize.measure import CHARS_PER_WORD, SPACED, measure_for


def news(lang: str, docs: int = 3) -> str:
    """The first documents of a language of the multilingual news set, one paragraph each."""
    path = shared_path("eval", "seg_multilingual_news_dev", f"{lang}.jsonl")
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()[:docs]]
    return "\n\n".join(r["text"] for r in rows)


def cosine(vectors: NgramVectors, i: int, j: int) -> float:
    return float(vectors.row(i) @ vectors.row(j))


@pytest.mark.parametrize("lang", ["zh", "ja"])
def test_unspaced_news_summarizes_with_real_sentences(lang):
    doc = segment_text(news(lang), lang)
    cands = candidates(doc)
    measure = measure_for(lang)
    assert not measure.spaced and measure.stopwords is not None
    # a news sentence of 20+ characters is no fragment: words are counted per CHARS_PER_WORD letters
    frag = fragments(doc, cands, np.array([measure.words(s.text) for s in cands]))
    long = np.array([len(s.text) >= 20 * CHARS_PER_WORD for s in cands])
    assert long.sum() >= 20 and not frag[long].any()
    spaced_count = sum(SPACED.words(s.text) for s in cands)  # counted as space-separated words
    assert spaced_count * 3 < sum(measure.words(s.text) for s in cands)
    summary = extractive_summary(doc, SummarizeConfig(sentences=3))
    assert len(summary.sentences) == 3 and not summary.flags
    ids = {s.id: s.text for s in cands}
    assert all(ids[s.sources[0]] == s.text for s in summary.sentences)


@pytest.mark.parametrize("lang", ["zh", "ja"])
def test_similarity_without_spaces(lang):
    """A sentence is closer to itself with its second half replaced than to an unrelated sentence,
    and the picked summary never holds a sentence twice."""
    doc = segment_text(news(lang), lang)
    texts = [s.text for s in candidates(doc)]
    a, other = texts[0], texts[5]
    variant = a[: len(a) // 2] + other[len(other) // 2:]
    vectors = NgramVectors.build([a, variant, texts[9]], measure_for(lang))
    assert cosine(vectors, 0, 1) > max(0.15, 2 * cosine(vectors, 0, 2))
    dup = segment_text(a + a + "\n\n" + news(lang, 1), lang)  # the first sentence twice
    summary = extractive_summary(dup, SummarizeConfig(sentences=3))
    assert len({s.text for s in summary.sentences}) == 3


def test_stopwords_come_from_the_pack_and_a_pack_without_them_summarizes():
    zh = measure_for("zh")
    assert zh.content("这是我们的城市") != "这是我们的城市"
    fi = measure_for("fi")
    assert fi.spaced and fi.stopwords is None
    summary = extractive_summary(segment_text(news("fi"), "fi"), SummarizeConfig(sentences=2))
    assert len(summary.sentences) == 2 and not summary.flags


def test_attribution_of_chinese_text():
    doc = segment_text(news("zh", 1), "zh")
    sources = candidates(doc)
    attributed = Attributor(doc, sources).attribute(sources[2].text)
    assert attributed.sources[0] == sources[2].id and attributed.score > 0.9


def test_character_table_reads_text_as_the_regex_classes_do():
    """The summary's table of character classes (letters, digits, the rest) agrees with regex
    ``[^\\W\\d_]`` and ``\\d`` on every code point, and the lengths it gives are the letters of each
    sentence, counted one by one, on real news of the unspaced languages."""
    import re
    import sys

    from newsmt.summarize.measure import LETTER, OTHER, char_classes, code_points

    every = "".join(map(chr, range(sys.maxunicode + 1)))
    want = np.array([LETTER if re.match(r"[^\W\d_]", c) else 2 if re.match(r"\d", c) else OTHER for c in every])
    assert (char_classes(code_points(every)) == want).all()
    for lang in ("zh", "ja", "km"):
        measure = measure_for(lang)
        texts = [s.text for s in candidates(segment_text(news(lang), lang))]
        letters = [len(re.findall(r"[^\W\d_]", t)) for t in texts]
        assert measure.lengths(texts).tolist() == [-(-n // CHARS_PER_WORD) for n in letters]
