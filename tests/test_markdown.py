"""Markdown round trip: an article read and rebuilt equals its input in structure (blocks, emphasis,
inline code, links, images, lists, tables), translated or not. Real documents: README files of
PyPI packages (``fixtures/markdown``, see SOURCE.txt there) and the sample article."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from conftest import shared_path
from newsmt.config import load_config
from newsmt.pipeline import Resources, process
from newsmt.sources import read_path, read_text
from newsmt.writers import render

FIXTURES = sorted((Path(__file__).parent / "fixtures" / "markdown").glob("*.md"))
INLINE = ("em_open", "strong_open", "code_inline", "link_open", "image")
MD = MarkdownIt("commonmark").enable("table")


def structure(text: str) -> tuple[list[str], Counter, list[str]]:
    """Block tokens (with their tags), inline markup counts, and the inline code spans verbatim."""
    tokens = MD.parse(text)
    blocks = [f"{t.type}:{t.tag}" for t in tokens if t.nesting == 1 or t.type in ("fence", "code_block", "html_block")]
    children = [c for t in tokens if t.type == "inline" for c in t.children or []]
    return blocks, Counter(c.type for c in children if c.type in INLINE), [c.content for c in children if c.type == "code_inline"]


@pytest.fixture(scope="module")
def translate():
    cfg = load_config(None, ["summarize.enabled=false"])
    with Resources(cfg) as resources:
        yield lambda doc: render(process(doc, cfg, resources), "doc")


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.stem)
def test_read_and_rebuilt_is_the_input(path):
    doc = next(read_path(path, "md", "en"))
    text = path.read_text(encoding="utf-8")
    assert render(doc, "doc") == text and render(doc, "extract-md") == text.rstrip("\n") + "\n"


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.stem)
def test_translated_markdown_keeps_its_structure(path, translate):
    source = path.read_text(encoding="utf-8")
    out = translate(next(read_path(path, "md", "en")))
    blocks, inline, code = structure(source)
    assert inline["code_inline"] and inline["link_open"]  # the document exercises what is checked
    assert structure(out) == (blocks, inline, code)
    assert out != source


def test_emphasis_around_a_paragraph_stays_emphasis(translate):
    """``*By …*`` at a paragraph start: the delimiters stay outside the sentences, so no translation
    can turn them into a list marker."""
    lines = shared_path("samples", "news-article-en.txt").read_text(encoding="utf-8").split("\n\n")
    byline, body = " ".join(lines[1].split()[:8]), lines[1]
    source = f"*{byline}*\n\n**{body.split('. ')[0]}.**\n\n{body}\n"
    doc = read_text(source, "md", "en")[0]
    assert [doc.text[p.start:p.end][:1] for p in doc.paragraphs[:2]] == [byline[0], body[0]]
    out = translate(doc)
    assert structure(out)[0] == structure(source)[0] and structure(out)[1] == structure(source)[1]
    assert out.startswith("*") and not out.startswith("* ")
