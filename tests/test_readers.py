"""Readers: encoding detection, paragraph structure and exact offsets for every input format."""
from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from newsmt.config import InputConfig
from newsmt.document import Document
from newsmt.errors import InputError
from newsmt.sources import iter_path, read_path, read_text, safe_filename
from newsmt.sources.decode import decode, decode_bytes
from newsmt.sources.files import expand_inputs
from newsmt.sources.jsonl import iter_jsonl

RU = ("Международная амнистия лишила Алексея Навального статуса узника совести.\n"
      "Организация заявила об этом во вторник.\n")


def texts(doc: Document) -> list[str]:
    return [doc.text[p.start:p.end] for p in doc.paragraphs]


def check_spans(doc: Document) -> None:
    """Ids p1..pn, spans in order, never with surrounding whitespace."""
    end = 0
    for i, p in enumerate(doc.paragraphs, 1):
        assert p.id == f"p{i}"
        assert end <= p.start <= p.end <= len(doc.text)
        span = doc.text[p.start:p.end]
        assert span == span.strip()
        end = p.end
    doc.check_offsets()


# -- decoding ----------------------------------------------------------------------------------
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-be", "utf-32", "cp1251", "koi8-r"])
def test_decode_detects_encodings(encoding):
    data = RU.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data  # big-endian with its byte-order mark
    assert decode_bytes(data, "a.txt") == RU


def test_decode_legacy_latin():
    text = "Le président a déclaré que l'économie française était à un tournant décisif.\n"
    assert decode_bytes(text.encode("cp1252"), "fr.txt") == text


def test_decode_normalizes_newlines():
    assert decode_bytes(b"a\r\nb\rc\n", "x") == "a\nb\nc\n"


@pytest.mark.parametrize("data, message", [
    (b"", "empty"),
    (b"  \n\t\r\n", "empty"),
    ("\ufeff \n".encode("utf-8"), "empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
    (bytes(range(1, 32)) * 4 + b"some text", "binary"),
])
def test_decode_rejects_empty_and_binary(data, message):
    with pytest.raises(InputError, match=message) as e:
        decode_bytes(data, "bad.txt")
    assert "bad.txt" in str(e.value)


def test_decode_rejects_undetectable():
    import random

    rnd = random.Random(0)
    data = bytes(rnd.randrange(0x80, 0x100) for _ in range(400))
    with pytest.raises(InputError, match="cannot detect encoding; convert to UTF-8"):
        decode_bytes(data, "noise.txt")


# -- plain text --------------------------------------------------------------------------------
def test_txt_sample_article(sample_article):
    doc = next(read_path(sample_article))
    raw = sample_article.read_text(encoding="utf-8")
    assert doc.id == "news-article-en" and doc.format == "txt" and doc.text == raw
    check_spans(doc)
    blocks = [b.strip() for b in raw.split("\n\n") if b.strip()]
    assert texts(doc) == blocks
    # the photo caption spans two lines: an ordinary paragraph, hard wrap kept inside it
    assert doc.paragraphs[0].kind == "text" and "\n" in texts(doc)[0]
    urls = [p for p in doc.paragraphs if p.kind == "url"]
    assert len(urls) == 1 and not urls[0].translatable
    assert doc.text[urls[0].start:urls[0].end].startswith("https://www.themoscowtimes.com/")
    assert all(p.translatable for p in doc.paragraphs if p.kind != "url")
    assert all(not p.sentences for p in doc.paragraphs)


@pytest.mark.parametrize("first, kind", [
    ("Navalny Loses Amnesty Status", "title"),
    ("Navalny loses status.", "text"),
    ("“Why?” asks Amnesty?", "text"),
    ("Navalny Loses\nAmnesty Status", "text"),  # two lines: not a headline
    ("word " * 40, "text"),  # too long for a headline
])
def test_txt_title_rule(first, kind):
    doc = read_text(f"\n  {first}\n\nBody text here. More text.\n")[0]
    assert [p.kind for p in doc.paragraphs] == [kind, "text"]
    check_spans(doc)
    assert texts(doc)[0] == first.strip()


def test_txt_whitespace_only_lines_separate_paragraphs():
    doc = read_text("One line\nwrapped.\n \t\nTwo.\n\n\n\nThree.   ")[0]
    assert texts(doc) == ["One line\nwrapped.", "Two.", "Three."]


# -- Markdown ----------------------------------------------------------------------------------
MD = """# Navalny loses status #

Amnesty said on **Tuesday** that [the decision](https://example.org/a) was final.
It was a wrapped line.

- first item
  continued here
- second item

3. numbered item

> A quote line.

Sub heading
-----------

```python
print("code")
```

    indented code

| a | b |
|---|---|
| 1 | 2 |

<div>
raw html
</div>

https://example.org/bare
"""


def test_md_blocks_and_spans():
    doc = read_text(MD, "md")[0]
    check_spans(doc)
    got = [(p.kind, p.translatable, doc.text[p.start:p.end]) for p in doc.paragraphs]
    assert got == [
        ("title", True, "Navalny loses status"),
        ("text", True, "Amnesty said on **Tuesday** that [the decision](https://example.org/a) was final.\n"
                       "It was a wrapped line."),
        ("list_item", True, "first item\n  continued here"),
        ("list_item", True, "second item"),
        ("list_item", True, "numbered item"),
        ("quote", True, "A quote line."),
        ("heading", True, "Sub heading"),
        ("code", False, '```python\nprint("code")\n```'),
        ("code", False, "indented code"),
        ("table", False, "| a | b |\n|---|---|\n| 1 | 2 |"),
        ("html", False, "<div>\nraw html\n</div>"),
        ("url", False, "https://example.org/bare"),
    ]
    meta = {p.id: p.meta for p in doc.paragraphs}
    assert meta["p1"] == {"level": 1} and meta["p7"] == {"level": 2}
    assert meta["p3"] == {"marker": "-"} and meta["p5"] == {"marker": "3."}
    assert doc.text == MD and doc.format == "md"


def test_md_nested_containers():
    doc = read_text("> - quoted item\n>   more\n\n1. a\n   - nested b\n", "md")[0]
    check_spans(doc)
    assert [(p.kind, doc.text[p.start:p.end]) for p in doc.paragraphs] == [
        ("list_item", "quoted item\n>   more"), ("list_item", "a"), ("list_item", "nested b"),
    ]


# -- HTML --------------------------------------------------------------------------------------
HTML = """<!DOCTYPE html><html><head><title>Navalny &amp; Amnesty</title>
<style>p { color: red }</style><script>var p = "<p>not text</p>";</script></head>
<body><nav><a href="/">Home</a></nav>
<h1>Amnesty withdraws status</h1>
<p>Amnesty <b>said</b> on
   Tuesday&nbsp;it &lt;would&gt; act.<br>Second line.</p>
<ol><li>one</li><li>two <i>items</i></li></ol>
<blockquote>A quote.</blockquote>
<pre>  x = 1
y = 2</pre>
<p>https://example.org/x</p><noscript>enable js</noscript>
<footer>Copyright</footer></body></html>"""


def test_html_extracts_blocks():
    doc = read_text(HTML, "html")[0]
    check_spans(doc)
    assert doc.format == "html" and doc.meta["extraction"] == "article" and doc.meta["title"] == "Navalny & Amnesty"
    assert [t.replace("\xa0", " ") for t in texts(doc)] == [
        "Navalny & Amnesty", "Amnesty withdraws status", "Amnesty said on Tuesday it <would> act.\nSecond line.",
        "one", "two items", "A quote.", "x = 1\ny = 2", "https://example.org/x",
    ]  # navigation, footer, noscript, scripts and styles are not the article
    kinds = [(p.kind, p.translatable) for p in doc.paragraphs]
    assert kinds == [("title", True), ("heading", True), ("text", True), ("list_item", True), ("list_item", True),
                     ("quote", True), ("code", False), ("text", True)]
    assert doc.paragraphs[1].meta["level"] == 1
    page = read_text(HTML, "html", cfg=InputConfig(html="page"))[0]
    assert {"Home", "Copyright"} <= set(texts(page)) and page.meta["extraction"] == "page"


def test_html_without_text_is_an_error(tmp_path):
    path = tmp_path / "empty.html"
    path.write_text("<html><script>document.write('hi')</script><nav>Home</nav></html>", encoding="utf-8")
    with pytest.raises(InputError, match="empty.html: no text found"):
        next(read_path(path))


def test_html_first_h1_is_title_without_title_element():
    doc = read_text("<h2>Kicker</h2><h1>Headline</h1><p>Text.</p><h1>Another</h1>", "html",
                    cfg=InputConfig(html="page"))[0]
    assert [(p.kind, doc.text[p.start:p.end]) for p in doc.paragraphs][:2] == [("title", "Headline"), ("heading", "Kicker")]


# -- JSONL -------------------------------------------------------------------------------------
def test_jsonl_documents_and_offsets():
    lines = [
        json.dumps({"id": "a1", "title": "Headline one", "text": "First para.\nWrapped.\n\nSecond para.", "src": "x"}),
        "",
        json.dumps({"text": "No title here."}, ensure_ascii=False),
    ]
    docs = read_text("\n".join(lines), "jsonl", doc_id="feed")
    assert [d.id for d in docs] == ["a1", "feed:3"]
    a, b = docs
    check_spans(a)
    check_spans(b)
    assert a.text == "Headline one\n\nFirst para.\nWrapped.\n\nSecond para."
    assert [(p.kind, a.text[p.start:p.end]) for p in a.paragraphs] == [
        ("title", "Headline one"), ("text", "First para.\nWrapped."), ("text", "Second para."),
    ]
    assert a.meta["fields"] == {"id": "a1", "src": "x"} and a.format == "jsonl"
    assert texts(b) == ["No title here."]


def test_jsonl_custom_fields():
    cfg = InputConfig(text_field="body", title_field="headline", id_field="guid")
    docs = read_text('{"guid": 7, "headline": "H", "body": "B."}', "jsonl", cfg=cfg)
    assert docs[0].id == "7" and texts(docs[0]) == ["H", "B."]


@pytest.mark.parametrize("line, message", [
    ("{not json", "invalid JSON"),
    ("[1, 2]", "expected a JSON object"),
    ('{"title": "t"}', "'text' is missing"),
    ('{"text": 5}', "'text' is not a string"),
    ('{"text": "ok", "title": ["x"]}', "'title' is not a string"),
    ('{"text": "  "}', "'text' is empty"),
])
def test_jsonl_bad_lines_name_file_and_line(line, message):
    with pytest.raises(InputError, match=message) as e:
        read_text('{"text": "fine."}\n' + line, "jsonl", doc_id="feed.jsonl")
    assert str(e.value).startswith("feed.jsonl:2: ")


def test_iter_jsonl_streams_and_goes_on_after_errors():
    def source():
        yield b'{"text": "one."}\n'
        yield b"broken\n"
        yield b'{"text": "three."}\n'
        raise AssertionError("read past what was asked")

    items = iter_jsonl(source(), "in.jsonl")
    first = next(items)
    assert isinstance(first, Document) and first.id == "in:1"
    second = next(items)
    assert isinstance(second, InputError) and "in.jsonl:2" in str(second)
    assert next(items).id == "in:3"


def test_read_path_jsonl_errors(tmp_path):
    path = tmp_path / "feed.jsonl"
    path.write_bytes(b'\xef\xbb\xbf{"text": "one."}\n\xff\xfe\n{"text": "three."}\n')
    items = list(iter_path(path))
    assert [type(i).__name__ for i in items] == ["Document", "InputError", "Document"]
    assert "feed.jsonl:2: not valid UTF-8" in str(items[1])
    got = read_path(path)
    assert next(got).id == "feed:1"
    with pytest.raises(InputError, match="feed.jsonl:2"):
        next(got)


# -- lines -------------------------------------------------------------------------------------
def test_lines_keep_line_numbers():
    doc = read_text("First sentence.\n\n  Third one.  \nFourth.\n", "lines")[0]
    check_spans(doc)
    assert [p.id for p in doc.paragraphs] == ["p1", "p2", "p3", "p4"]
    assert [(p.kind, [s.id for s in p.sentences]) for p in doc.paragraphs] == [
        ("text", ["p1s1"]), ("blank", []), ("text", ["p3s1"]), ("text", ["p4s1"]),
    ]
    assert [s.text for s in doc.sentences()] == ["First sentence.", "Third one.", "Fourth."]
    assert not doc.paragraphs[1].translatable


# -- paths -------------------------------------------------------------------------------------
def test_read_path_formats_and_ids(tmp_path):
    (tmp_path / "My Article (1).md").write_text("# Title\n\nText.\n", encoding="utf-8")
    (tmp_path / "page.HTM").write_bytes("<p>Привет.</p>".encode("cp1251") * 3)
    (tmp_path / "notes.dat").write_text("Plain.\n", encoding="utf-8")
    md = next(read_path(tmp_path / "My Article (1).md"))
    assert (md.id, md.format, md.paragraphs[0].kind) == ("My_Article_1", "md", "title")
    html = next(read_path(tmp_path / "page.HTM"))
    assert html.format == "html" and texts(html) == ["Привет."] * 3
    assert next(read_path(tmp_path / "notes.dat")).format == "txt"
    forced = next(read_path(tmp_path / "notes.dat", cfg=InputConfig(format="lines")))
    assert forced.format == "lines"
    assert next(read_path(tmp_path / "notes.dat", fmt="md")).format == "md"


def test_read_path_errors(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        next(read_path(tmp_path / "missing.txt"))
    with pytest.raises(InputError, match="not a regular file"):
        next(read_path(tmp_path))
    with pytest.raises(InputError, match="unknown input format"):
        next(read_path(tmp_path / "x.txt", fmt="pdf"))
    (tmp_path / "empty.txt").write_bytes(b"\n\n")
    with pytest.raises(InputError, match="empty.txt: empty input"):
        next(read_path(tmp_path / "empty.txt"))


def test_read_path_stdin(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(RU.encode("koi8-r"))))
    doc = next(read_path("-"))
    assert (doc.id, doc.format, doc.text) == ("stdin", "txt", RU)


def test_expand_inputs(tmp_path, monkeypatch):
    for name in ["b.txt", "a.md", "sub/c.jsonl", "sub/deep/d.html", "sub/skip.pdf", ".hidden/e.txt", "sub/.f.txt"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    got = list(expand_inputs(["sub", "*.txt", "b.txt", "sub/skip.pdf", "a.md", "sub/**/*.html"]))
    assert got == sorted(Path(p) for p in ["a.md", "b.txt", "sub/c.jsonl", "sub/deep/d.html", "sub/skip.pdf"])
    (tmp_path / "empty").mkdir()
    # each bad input is reported on its own (first, in argument order); the good ones are still read
    got = list(expand_inputs(["nope.txt", "b.txt", "*.rst", "empty"]))
    assert [str(e) for e in got[:3]] == ["nope.txt: no such file or directory",
                                         "*.rst: matches no file (known suffixes: " + str(got[1]).split("(known suffixes: ")[1],
                                         "empty: holds no input file (known suffixes: " + str(got[2]).split("(known suffixes: ")[1]]
    assert got[3:] == [Path("b.txt")]
    # files under the output folder are not picked up from a directory, but are read when named
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "records.jsonl").write_text("{}", encoding="utf-8")
    got = list(expand_inputs([".", "out/records.jsonl"], skip=tmp_path / "out"))
    assert Path("out/records.jsonl") in got and not any(str(p).startswith("out/") and p.name != "records.jsonl" for p in got)
    assert [p for p in expand_inputs(["out"], skip=tmp_path / "out") if isinstance(p, Path)] == []


def test_stray_byte_in_utf8_stays_utf8_and_is_flagged(tmp_path):
    text = "It’s a “quoted” café article.\n\nSecond paragraph — with a dash.\n"
    data = text.encode("utf-8").replace("café".encode(), b"caf\xe9")
    d = decode(data, "x.txt")
    assert (d.encoding, d.replaced) == ("utf-8", 1)
    assert "It’s a “quoted” caf\ufffd article." in d.text  # never re-decoded whole as cp1251 (’ -> тАЩ)
    (tmp_path / "x.txt").write_bytes(data)
    doc = next(read_path(tmp_path / "x.txt"))
    assert doc.meta["flags"] == ["decode_replaced"] and doc.meta["replaced_bytes"] == 1


@pytest.mark.parametrize("line, reason", [
    (b'{"text": "a \\ud83d b"}', "lone UTF-16 surrogate"),
    (b"[" * 100_000, "nested too deeply"),
    (b'{"id": ' + b"9" * 5000 + b', "text": "Some text."}', "out of range"),
    (b'{"text": "caf\xe9"}', "not valid UTF-8"),
    (b'{"text": 5}', "not a string"),
])
def test_bad_jsonl_line_is_its_own_error(line, reason):
    good = b'{"id": "ok", "text": "A good article."}'
    got = list(iter_jsonl([good, line, good], "feed.jsonl"))
    assert isinstance(got[1], InputError) and reason in str(got[1]) and str(got[1]).startswith("feed.jsonl:2: ")
    assert [d.id for d in (got[0], got[2])] == ["ok", "ok"]


def test_safe_filename():
    assert safe_filename("../a b/c:d") == "a_b_c_d" and safe_filename("...") == "doc"


def test_gzip_files_are_read_decompressed(tmp_path: Path) -> None:
    """A crawl keeps pages as ``page.html.gz`` and feeds as ``.jsonl.gz``: read as the format under
    ``.gz`` (a file named otherwise that starts as gzip data too), named without the suffixes, JSONL
    streamed; damaged data is one InputError naming the file."""
    import gzip

    page = tmp_path / "story.html.gz"
    page.write_bytes(gzip.compress(b"<html><body><article><h1>Rain in Lisbon</h1><p>Heavy rain flooded several "
                                   b"streets of Lisbon on Tuesday, the city council said.</p></article></body></html>"))
    [doc] = read_path(page)
    assert "Heavy rain flooded" in doc.text and doc.id == "story"
    feed = tmp_path / "feed.jsonl.gz"
    feed.write_bytes(gzip.compress(b'{"id": "a", "text": "The council met."}\n{"id": "b", "text": "It rained."}\n'))
    assert [d.text for d in read_path(feed)] == ["The council met.", "It rained."]
    plain = tmp_path / "notes.txt"
    plain.write_bytes(gzip.compress("The mayor spoke on Monday.".encode()))
    assert [d.text for d in read_path(plain)] == ["The mayor spoke on Monday."]
    cut = tmp_path / "cut.txt.gz"
    cut.write_bytes(gzip.compress(b"The mayor spoke on Monday. " * 50)[:30])
    with pytest.raises(InputError, match="cut.txt.gz: damaged gzip data"):
        list(read_path(cut))
