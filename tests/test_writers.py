"""Writers: every output format from a segmented, hand-translated document; rebuild round trips."""
from __future__ import annotations

import json
import os
import re
import stat
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import shared_path

from newsmt.config import InputConfig
from newsmt.document import Document, Paragraph, Summary, SummarySentence, Translation
from newsmt.errors import NewsmtError
from newsmt.sources import read_path, read_text
from newsmt.segment import segment_document
from newsmt.writers import FORMAT_EXT, output_name, render, write_atomic, write_outputs

XLIFF = "{urn:oasis:names:tc:xliff:document:2.0}"


def segment(doc: Document) -> Document:
    doc = segment_document(doc)
    doc.check_offsets()
    return doc


def identity(doc: Document, tgt: str = "ru") -> Document:
    """'Translate' every sentence into itself."""
    doc.tgt_lang = tgt
    doc.translations = {s.id: Translation(text=s.text) for s in doc.sentences()}
    return doc


def one_line(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def article(sample_article) -> Document:
    doc = segment(next(read_path(sample_article)))
    doc.tgt_lang = "ru"
    for i, s in enumerate(doc.sentences()):
        if i != 2:  # the third sentence stays untranslated
            doc.translations[s.id] = Translation(f"ПЕРЕВОД {i}\t|<&>", score=0.5 + i / 100,
                                                 flags=["low_quality"] if i == 1 else [], model="m")
    return doc


def untranslated_id(doc: Document) -> str:
    return list(doc.sentences())[2].id


# -- sentence formats --------------------------------------------------------------------------
def test_every_format_renders_deterministically(article):
    copy = Document.from_json(render(article, "record"))  # an equal document, built anew
    for fmt in FORMAT_EXT:
        first = render(article, fmt)
        assert first == render(copy, fmt), fmt
        assert first.endswith("\n") or first == "" or fmt == "doc", fmt  # "doc" ends as its input


def test_record_round_trips(article):
    assert Document.from_json(render(article, "record")) == article


def test_segments(article):
    rows = [json.loads(line) for line in render(article, "segments").splitlines()]
    assert [r["id"] for r in rows] == [s.id for s in article.sentences()]
    for r in rows:
        assert set(r) == {"doc", "id", "paragraph", "start", "end", "text"}
        assert article.text[r["start"]:r["end"]] == r["text"] and r["doc"] == "news-article-en"


def test_jsonl_keeps_untranslated_sentences(article):
    rows = [json.loads(line) for line in render(article, "jsonl").splitlines()]
    assert [r["id"] for r in rows] == [s.id for s in article.sentences()]
    assert set(rows[0]) == {"doc", "id", "paragraph", "src", "tgt", "src_start", "src_end", "score", "flags"}
    missing = rows[2]
    assert missing["id"] == untranslated_id(article)
    assert missing["tgt"] is None and missing["score"] is None and missing["flags"] == ["untranslated"]
    assert rows[1]["flags"] == ["low_quality"] and rows[1]["score"] == 0.51
    assert all(article.text[r["src_start"]:r["src_end"]] == r["src"] for r in rows)


def test_tsv_escapes(article):
    lines = render(article, "tsv").splitlines()
    assert len(lines) == len(list(article.sentences()))
    cells = [line.split("\t") for line in lines]
    assert all(len(c) == 5 for c in cells)
    assert cells[0][0] == "news-article-en/p1s1" and "\\n" in cells[0][1]  # the caption's hard wrap
    assert cells[0][2] == "ПЕРЕВОД 0\\t|<&>" and cells[0][3] == "0.5000" and cells[0][4] == ""
    assert cells[2][2:] == ["", "", "untranslated"]


def test_tmx_is_valid(article):
    root = ET.fromstring(render(article, "tmx").encode("utf-8"))
    assert root.tag == "tmx" and root.get("version") == "1.4"
    header = root.find("header")
    assert header.get("srclang") == "en" and header.get("segtype") == "sentence"
    assert header.get("creationtool") == "newsmt"
    tus = root.findall("body/tu")
    assert len(tus) == len(article.translations)  # only translated pairs
    lang = "{http://www.w3.org/XML/1998/namespace}lang"
    tu = tus[1]
    assert tu.get("tuid") == "news-article-en/p1s2"
    assert {p.get("type"): p.text for p in tu.findall("prop")} == {"x-score": "0.5100", "x-flags": "low_quality"}
    assert [(t.get(lang), t.find("seg").text) for t in tu.findall("tuv")] == [
        ("en", article.sentence("p1s2").text), ("ru", "ПЕРЕВОД 1\t|<&>")]
    first_src = tus[0].find("tuv/seg").text
    assert first_src == one_line(article.sentence("p1s1").text)


def test_xliff_is_valid(article):
    root = ET.fromstring(render(article, "xliff").encode("utf-8"))
    assert root.tag == f"{XLIFF}xliff" and root.get("version") == "2.1"
    assert (root.get("srcLang"), root.get("trgLang")) == ("en", "ru")
    file = root.find(f"{XLIFF}file")
    assert file.get("id") == "news-article-en"
    units = file.findall(f"{XLIFF}unit")
    assert [u.get("id") for u in units] == [s.id for s in article.sentences()]
    seg = units[0].find(f"{XLIFF}segment")
    assert seg.get("state") == "translated" and seg.find(f"{XLIFF}target").text == "ПЕРЕВОД 0\t|<&>"
    missing = units[2].find(f"{XLIFF}segment")
    assert missing.get("state") == "initial" and missing.find(f"{XLIFF}target") is None
    notes = {n.get("category"): n.text for n in units[1].iter(f"{XLIFF}note")}
    assert notes == {"score": "0.5100", "flags": "low_quality"}


def test_xml_drops_invalid_characters():
    doc = identity(segment(read_text("Bad \x0b char here.")[0]))
    tmx = ET.fromstring(render(doc, "tmx"))
    assert "Bad  char here." in ET.tostring(tmx, encoding="unicode")
    assert {p.get("type"): p.text for p in tmx.iter("prop")} == {"x-invalid-xml-chars": "2"}  # source and target
    source = ET.fromstring(render(doc, "xliff")).find(f".//{XLIFF}source")
    [cp] = source  # XLIFF keeps it, as the standard's <cp>
    assert (source.text, cp.tag, cp.get("hex"), cp.tail) == ("Bad ", f"{XLIFF}cp", "000B", " char here.")


CONTROL = "\x01\x0b\x1f\ufffe"


def control_document() -> Document:
    """The sample's first sentences with characters XML 1.0 cannot hold in every field."""
    text = shared_path("samples", "news-article-en.txt").read_text(encoding="utf-8")
    doc = segment(read_text(text[:600], "txt", doc_id="feed\x0c12")[0])
    doc.lang, doc.tgt_lang = "e\x00n", "p\x07t"
    next(doc.sentences()).id = "p1\x08s1"
    for i, s in enumerate(doc.sentences()):
        if i != 1:
            doc.translations[s.id] = Translation(f"Tradução{CONTROL} {i}", score=0.5, flags=["odd\x02flag"])
    return doc


def test_tmx_control_characters_anywhere_give_well_formed_xml():
    doc = control_document()
    out = render(doc, "tmx")
    root = ET.fromstring(out.encode("utf-8"))  # well-formed
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]", out)
    header = root.find("header")
    assert header.get("srclang") == "en" and header.find("prop").text == "1"  # the NUL of the language
    tus = root.findall("body/tu")
    assert [tu.get("tuid") for tu in tus][0] == "feed12/p1s1"
    first = {p.get("type"): p.text for p in tus[0].findall("prop")}
    # tuid 2 (\x0c, \x08) + flags 1 + languages 2 + target 4 + source 0
    assert first == {"x-score": "0.5000", "x-flags": "oddflag", "x-invalid-xml-chars": "9"}
    assert tus[0].findall("tuv/seg")[1].text == "Tradução 0"


def test_xliff_control_characters_become_cp_in_text_and_are_dropped_elsewhere():
    doc = control_document()
    out = render(doc, "xliff")
    root = ET.fromstring(out.encode("utf-8"))
    assert (root.get("srcLang"), root.get("trgLang")) == ("en", "pt")
    file = root.find(f"{XLIFF}file")
    assert file.get("id") == "feed_12"
    assert [(n.get("category"), n.text) for n in file.findall(f"{XLIFF}notes/{XLIFF}note")] == [
        ("invalid-xml-chars", "cp=0 dropped=2")]  # the two language codes
    units = file.findall(f"{XLIFF}unit")
    assert units[0].get("id") == "p1s1"
    notes = {n.get("category"): n.text for n in units[0].iter(f"{XLIFF}note")}
    assert notes == {"score": "0.5000", "flags": "oddflag", "invalid-xml-chars": "cp=4 dropped=2"}
    target = units[0].find(f"{XLIFF}segment/{XLIFF}target")
    assert target.text == "Tradução" and target[-1].tail == " 0"
    assert [c.get("hex") for c in target] == ["0001", "000B", "001F", "FFFE"]
    decoded = target.text + "".join(chr(int(c.get("hex"), 16)) + (c.tail or "") for c in target)
    assert decoded == doc.translations[list(doc.sentences())[0].id].text  # lossless
    untouched = units[1]  # untranslated, nothing invalid: no note at all
    assert untouched.find(f"{XLIFF}notes") is None
    plain = identity(segment(read_text("Ordinary text. Nothing odd.")[0]))
    assert "invalid-xml-chars" not in render(plain, "xliff") + render(plain, "tmx")


def test_side_by_side_markdown(article):
    md = render(article, "md")
    assert md.startswith("# news-article-en (en → ru)\n")
    assert "| p1s1 | Amnesty International said" in md
    assert "ПЕРЕВОД 0\t\\|&lt;&amp;&gt;" in md  # pipes escaped, markup characters as entities
    assert "*(kept as is: url)*" in md
    rows = [line for line in md.splitlines() if line.startswith("| p")]
    assert len(rows) == len(list(article.sentences())) + 1  # + the URL paragraph


SCRIPT = "<script>alert(1)</script>"


def test_markdown_outputs_keep_source_markup_inert(sample_article):
    """Text that came from a web page as escaped markup is text, never live Markdown or HTML."""
    raw = sample_article.read_text(encoding="utf-8")
    text = raw.replace("the human rights organization said Tuesday.",
                       f"the group said {SCRIPT} on Tuesday & [click](javascript:alert(1)) `x`.")
    doc = segment(read_text(text, "txt", doc_id="web")[0])
    doc.tgt_lang = "pt"
    hostile = next(s for s in doc.sentences() if SCRIPT in s.text)
    doc.translations = {s.id: Translation(s.text.replace("said", "disse")) for s in doc.sentences()}
    doc.summaries = [Summary("en", "extractive", "m", [SummarySentence(hostile.text, [hostile.id]),
                                                        SummarySentence("- 1. # not a list", [hostile.id])])]
    for fmt in ("md", "summary-md"):
        md = render(doc, fmt)
        assert SCRIPT not in md and "<script" not in md and "</script" not in md, fmt
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in md, fmt
        assert "](javascript:" not in md.replace("\\](javascript:", ""), fmt  # the link brackets are escaped
        assert "\\[click\\](javascript:alert(1)) \\`x\\`" in md and " &amp; " in md, fmt
    md = render(doc, "md")
    rows = [line for line in md.splitlines() if line.startswith(f"| {hostile.id} ")]
    assert len(rows) == 1 and rows[0].count(" | ") == 2  # still one row of three cells
    assert "- \\- 1. # not a list [" in render(doc, "summary-md")  # no nested list from the text
    plain = render(identity(segment(next(read_path(sample_article)))), "md")  # ordinary text: as before
    assert "&" not in plain.replace("&amp;", "") and "\\" not in plain


# -- the rebuilt document ----------------------------------------------------------------------
def test_txt_rebuild_identity_keeps_layout(sample_article):
    doc = identity(segment(next(read_path(sample_article))))
    out = render(doc, "doc")
    src = doc.text
    assert out.split() == src.split()  # same words, same order
    # blank lines between paragraphs (and the trailing spaces around them) are kept
    assert [b.strip() for b in out.split("\n\n")] == [one_line(b) for b in src.split("\n\n")]
    assert out.startswith(" Amnesty") and out.endswith(src[len(src.rstrip()):])
    hard_wrapped = [s for s in doc.sentences() if "\n" in s.text]
    assert hard_wrapped and all(one_line(s.text) in out for s in hard_wrapped)


def test_txt_rebuild_substitutes_translations():
    doc = segment(read_text("Headline\n\nFirst one. Second one.\n\nhttps://example.org/x\n")[0])
    doc.tgt_lang = "de"
    doc.translations = {"p1s1": Translation("Schlagzeile"), "p2s1": Translation("Erster.")}
    assert render(doc, "doc") == "Schlagzeile\n\nErster. Second one.\n\nhttps://example.org/x\n"


MD = """# Navalny loses status

Amnesty said on **Tuesday** that [the decision](https://example.org/a) was final. It is done.

- first item
- second item with `code`

> A quote line. Another one.

## Sub heading

```python
print("code. Not a sentence.")
```

| a | b |
|---|---|
| 1. | 2 |

<div>raw html.</div>
"""


def test_md_rebuild_identity_is_exact():
    doc = identity(segment(read_text(MD, "md")[0]))
    assert render(doc, "doc") == MD


def test_md_rebuild_collapses_hard_wraps():
    src = "Para one\nwrapped here. Next.\n\n> quoted and\n> wrapped.\n\n- item\n  wrapped.\n"
    doc = identity(segment(read_text(src, "md")[0]))
    assert render(doc, "doc") == "Para one wrapped here. Next.\n\n> quoted and wrapped.\n\n- item wrapped.\n"


def test_lines_rebuild_maps_line_to_line():
    doc = segment(read_text("One.\n\nThree.\n", "lines")[0])
    doc.translations = {"p1s1": Translation("Eins.\nund"), "p3s1": Translation("Drei.")}
    doc.tgt_lang = "de"
    assert render(doc, "doc") == "Eins. und\n\nDrei.\n"
    assert output_name(doc, "doc") == "doc.de.txt"


def test_html_rebuild():
    src = ("<html><head><title>The title</title></head><body><h2>Kicker</h2><p>One. Two.</p>"
           "<ul><li>a &amp; b</li><li>c</li></ul><ol><li>d</li></ol><pre>  code &lt;x&gt;</pre></body></html>")
    page = InputConfig(html="page")  # every block kept (the default extracts the article)
    doc = segment(read_text(src, "html", cfg=page)[0])
    identity(doc, "fr")
    doc.translations["p3s2"] = Translation("Deux <b>.")
    out = render(doc, "doc")
    assert out.startswith('<!DOCTYPE html>\n<html lang="fr">\n<head>\n<meta charset="utf-8">\n<title>The title</title>')
    assert re.search("<body>\n<h1>The title</h1>\n<h2>Kicker</h2>\n<p>One. Deux &lt;b&gt;.</p>\n"
                     "<ul>\n<li>a &amp; b</li>\n<li>c</li>\n(</ul>\n<ol>\n)?<li>d</li>\n</[uo]l>\n"  # ol if the reader says
                     "<pre>(  )?code &lt;x&gt;</pre>\n</body>", out)  # the page reader may trim a <pre>'s indent
    again = read_text(out, "html", cfg=page)[0]
    assert [(p.kind, again.text[p.start:p.end]) for p in again.paragraphs][:3] == [
        ("title", "The title"), ("heading", "Kicker"), ("text", "One. Deux <b>.")]


def test_html_rebuild_keeps_the_block_tags_a_reader_recorded():
    text = "The title\n\nTerm\n\nOne.\n\na\n\nb"
    tags = [("title", "title", {}), ("text", "dt", {}), ("text", "dd", {}), ("list_item", "li", {"list": "ol"}),
            ("list_item", "li", {"list": "script"})]
    paragraphs, pos = [], 0
    for i, (kind, tag, meta) in enumerate(tags, 1):
        end = text.find("\n\n", pos) if i < len(tags) else len(text)
        paragraphs.append(Paragraph(f"p{i}", pos, end, kind=kind, meta={"tag": tag, **meta}))
        pos = end + 2
    doc = identity(segment(Document("t", "en", text, paragraphs, format="html")), "de")
    out = render(doc, "doc")
    assert "<title>The title</title>" in out and "<h1>" not in out  # the <title> stays in the head
    assert "<body>\n<dt>Term</dt>\n<dd>One.</dd>\n<ol>\n<li>a</li>\n</ol>\n<ul>\n<li>b</li>\n</ul>\n</body>" in out


def test_jsonl_rebuild_keeps_other_fields():
    record = {"id": "a1", "title": "Big news", "text": "One and\ntwo.\nThree.\n\nFour.", "url": "https://x", "n": 3}
    doc = identity(segment(read_text(json.dumps(record), "jsonl")[0]))
    assert json.loads(render(doc, "doc")) == {**record, "text": "One and two.\nThree.\n\nFour."}
    doc.translations["p1s1"] = Translation("Große Nachricht")
    assert json.loads(render(doc, "doc"))["title"] == "Große Nachricht"
    assert output_name(doc, "doc") == "a1.ru.jsonl"


# -- summaries ---------------------------------------------------------------------------------
def test_summaries(article):
    article.summaries = [
        Summary("en", "extractive", "", [SummarySentence("Amnesty withdrew | it.", ["p2s1"], 0.9)]),
        Summary("ru", "extractive", "m", [SummarySentence("Амнистия.", ["p2s1"])], source_lang="en"),
        Summary("en", "abstractive", "bart", [SummarySentence("Short.", ["p2s1", "p3s1"])], flags=["long_input"]),
    ]
    rows = [json.loads(line) for line in render(article, "summary-jsonl").splitlines()]
    assert [(r["method"], r["lang"], r["translation"] and r["translation"]["lang"]) for r in rows] == [
        ("extractive", "en", "ru"), ("abstractive", "en", None)]
    assert rows[0]["summary"] == [{"text": "Amnesty withdrew | it.", "sources": ["p2s1"], "score": 0.9, "flags": []}]
    assert rows[0]["translation"]["summary"][0]["text"] == "Амнистия." and rows[1]["flags"] == ["long_input"]
    md = render(article, "summary-md")
    assert "## en (extractive)\n\n- Amnesty withdrew | it. [p2s1]\n" in md
    assert "## ru (extractive, m)" in md and "- Short. [p2s1, p3s1]" in md and "Flags: long_input" in md


# -- files -------------------------------------------------------------------------------------
def test_write_atomic(tmp_path):
    path = tmp_path / "out.txt"
    write_atomic(path, "first")
    write_atomic(path, "второй".encode("utf-8"))
    assert path.read_text(encoding="utf-8") == "второй"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~umask
    with pytest.raises(FileNotFoundError):
        write_atomic(tmp_path / "missing" / "x.txt", "x")


def test_write_outputs(article, tmp_path):
    article.id = "feed:12"
    paths = write_outputs(article, tmp_path / "out", list(FORMAT_EXT))
    names = [p.name for p in paths]
    assert names == [
        "feed_12.record.json", "feed_12.segments.jsonl", "feed_12.sentences.jsonl", "feed_12.tsv",
        "feed_12.tmx", "feed_12.xlf", "feed_12.side-by-side.md", "feed_12.ru.txt", "feed_12.ru.html",
        "feed_12.summary.jsonl", "feed_12.summary.md", "feed_12.extract.jsonl", "feed_12.extract.txt",
        "feed_12.extract.md",
    ]
    assert len(set(names)) == len(names)
    assert Path(paths[2]).read_text(encoding="utf-8") == render(article, "jsonl")


def test_unknown_format_lists_valid_ones(article, tmp_path):
    with pytest.raises(NewsmtError, match="unknown output format.*pdf.*valid: record, segments"):
        write_outputs(article, tmp_path, ["doc", "pdf"])
    assert not list(tmp_path.iterdir())
    with pytest.raises(NewsmtError, match="valid:"):
        render(article, "docx")
