"""The "html" output format: a clean HTML5 page of the translated article, every source link once,
its emphasis, strong and code, all text escaped, unsafe hrefs dropped; placement in translations
(the lexicon where no word matches); registration."""
from __future__ import annotations

import re
from collections import Counter
from html.parser import HTMLParser

import pytest
from conftest import shared_path

from newsmt.document import Document, Paragraph, Span, Translation
from newsmt.errors import NewsmtError
from newsmt.sources import read_path, read_text
from newsmt.segment import segment_document
from newsmt.writers import FORMAT_EXT, check_formats, output_name, render, write_outputs
from newsmt.placement import Link, translated
from newsmt.writers.links import safe_href

VOID = {"meta", "br", "hr", "img", "link"}


class Page(HTMLParser):
    """Anchors (href, class, text), the tags seen, and whether every element was closed in order."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.anchors: list[tuple[str, str, str]] = []
        self.tags: list[str] = []
        self.stack: list[str] = []
        self.balanced = True
        self.text: list[str] = []
        self._anchor: list[str] | None = None
        self.feed(page)
        self.close()
        self.balanced = self.balanced and not self.stack

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag not in VOID:
            self.stack.append(tag)
        if tag == "a":
            self._anchor = [dict(attrs).get("href", ""), dict(attrs).get("class") or ""]
            self.text_at = len(self.text)

    def handle_endtag(self, tag):
        if not self.stack or self.stack.pop() != tag:
            self.balanced = False
        if tag == "a" and self._anchor is not None:
            self.anchors.append((*self._anchor, "".join(self.text[self.text_at:])))
            self._anchor = None

    def handle_data(self, data):
        self.text.append(data)

    def hrefs(self) -> Counter:
        return Counter(href for href, _, _ in self.anchors)


def link(doc: Document, text: str, href: str, nth: int = 0) -> None:
    """A link span on the ``nth`` occurrence of ``text`` in the document text."""
    at = -1
    for _ in range(nth + 1):
        at = doc.text.index(text, at + 1)
    doc.spans.append(Span("link", at, at + len(text), {"href": href}))


# -- the sample article, translated by the bundled en->pt model --------------------------------------
SAMPLE_LINKS = [  # (source text, occurrence, href)
    ("Amnesty International", 1, "https://www.amnesty.org/"),
    ("prisoner of conscience", 1, "https://example.org/poc"),
    ("Alexei Navalny", 0, "https://en.wikipedia.org/wiki/Alexei_Navalny"),
    ("nerve agent poisoning", 0, "/news/poisoning"),
    ("https://www.themoscowtimes.com/2025/11/23/what-comes-next-after-european-rights-courts-call-to-release-navalny",
     0, "https://www.themoscowtimes.com/2025/11/23/"),
    ("Mediazona", 0, "https://zona.media/"),
    ("Twitter thread", 0, "javascript:alert(document.cookie)"),
    ("penal colony", 0, "mailto:desk@example.org"),
    ("Europe’s human\nrights court", 0, "https://echr.coe.int/"),
    ("signatures", 0, "https://example.org/petition"),
    ("Vladimir Gerdo / TASS", 0, "https://tass.com/"),
]


@pytest.fixture(scope="module")
def translated_sample() -> Document:
    from newsmt.translate.engine import load_engine

    doc = segment_document(next(read_path(shared_path("samples", "news-article-en.txt"))))
    for text, nth, href in SAMPLE_LINKS:
        link(doc, text, href, nth)
    load_engine("en", "pt").translate_document(doc)
    del doc.translations["p1s2"]  # the photo credit stays untranslated: its link is placed exactly
    return doc


def test_translated_sample_is_a_clean_page_with_every_link_once(translated_sample):
    doc = translated_sample
    out = render(doc, "html")
    assert out.startswith('<!DOCTYPE html>\n<html lang="pt">\n<head>\n<meta charset="utf-8">\n'
                          "<title>news-article-en</title>\n</head>\n<body>\n<p>")
    page = Page(out)
    assert page.balanced and set(page.tags) <= {"html", "head", "meta", "title", "body", "p", "a"}
    safe = Counter(s.attrs["href"] for s in doc.spans if not s.attrs["href"].startswith("javascript"))
    assert page.hrefs() == safe and set(safe.values()) == {1}  # every safe link exactly once
    assert "javascript" not in out
    anchors = {href: (cls, text) for href, cls, text in page.anchors}
    assert anchors["https://zona.media/"] == ("", "Mediazona")  # found verbatim in the translation
    assert anchors["https://en.wikipedia.org/wiki/Alexei_Navalny"] == ("", "Alexei Navalny")
    url = SAMPLE_LINKS[4][0]
    assert anchors["https://www.themoscowtimes.com/2025/11/23/"] == ("", url)  # the URL paragraph, exact
    assert anchors["https://tass.com/"] == ("", "Vladimir Gerdo / TASS")  # untranslated sentence, exact
    assert anchors["https://www.amnesty.org/"] == ("approx", "Anistia Internacional")  # aligned words
    assert anchors["https://example.org/poc"] == ("approx", "prisioneiro de consciência")
    assert anchors["mailto:desk@example.org"] == ("approx", "colônia penal")
    # the page's text is the translation (source text where untranslated), links changing no letter
    body = re.sub(r"\s+", " ", "".join(page.text))
    for s in doc.sentences():
        shown = doc.translations[s.id].text if s.id in doc.translations else s.text
        assert " ".join(shown.split()) in body
    assert render(Document.from_json(doc.to_json()), "html") == out  # deterministic


def test_a_document_without_translations_shows_its_source_and_exact_links():
    doc = segment_document(next(read_path(shared_path("samples", "news-article-en.txt"))))
    for text, nth, href in SAMPLE_LINKS:
        link(doc, text, href, nth)
    out = render(doc, "html")
    assert '<html lang="en">' in out
    page = Page(out)
    sources = {s.attrs["href"]: " ".join(doc.text[s.start:s.end].split()) for s in doc.spans}
    assert {href: text for href, _, text in page.anchors} == {h: t for h, t in sources.items()
                                                              if not h.startswith("javascript")}
    assert all(cls == "" for _, cls, _ in page.anchors)
    assert "Twitter thread" in "".join(page.text)  # the unsafe link's text stays, as plain text


# -- every paragraph kind, escaping, hostile hrefs -----------------------------------------------------
BLOCKS = [  # (kind, text, meta)
    ("title", "Navalny loses his status", {"level": 1}),
    ("text", "Amnesty said on Tuesday that the decision <script>alert(1)</script> was final. It is done.", {}),
    ("heading", "What the group said", {"level": 3}),
    ("list_item", "First point of the statement.", {"marker": "- "}),
    ("list_item", "Second point, with a link.", {"marker": "- "}),
    ("quote", "We stand by our decision.", {}),
    ("table_cell", "Detentions", {}),
    ("table_cell", "12,000 people", {}),
    ("caption", "Protesters in Moscow. Photo: Reuters", {}),
    ("code", "print('<style>x</style>')\n    indented()", {}),
    ("url", "https://example.org/full-story", {}),
]


def kinds_document() -> Document:
    text, paragraphs = "", []
    for i, (kind, block, meta) in enumerate(BLOCKS, 1):
        if text:
            text += "\n\n"
        start = len(text)
        text += block
        paragraphs.append(Paragraph(f"p{i}", start, len(text), kind=kind, meta=dict(meta),
                                    translatable=kind not in ("code", "url")))
    doc = segment_document(Document("kinds", "en", text, paragraphs, format="txt"))
    doc.tgt_lang = "de"
    doc.translations = {s.id: Translation(s.text.upper()) for s in doc.sentences()}  # a "translation"
    return doc


def test_every_kind_has_its_element_and_no_markup_passes():
    doc = kinds_document()
    for sentence in doc.paragraphs[8].sentences:  # the caption stays in English
        del doc.translations[sentence.id]
    out = render(doc, "html")
    assert out.startswith('<!DOCTYPE html>\n<html lang="de">\n<head>\n<meta charset="utf-8">\n'
                          "<title>NAVALNY LOSES HIS STATUS</title>\n</head>\n<body>\n")
    assert ("<h1>NAVALNY LOSES HIS STATUS</h1>\n"
            "<p>AMNESTY SAID ON TUESDAY THAT THE DECISION &lt;SCRIPT&gt;ALERT(1)&lt;/SCRIPT&gt; WAS FINAL. "
            "IT IS DONE.</p>\n"
            "<h3>WHAT THE GROUP SAID</h3>\n"
            "<ul>\n<li>FIRST POINT OF THE STATEMENT.</li>\n<li>SECOND POINT, WITH A LINK.</li>\n</ul>\n"
            "<blockquote>WE STAND BY OUR DECISION.</blockquote>\n"
            "<table>\n<tr>\n<td>DETENTIONS</td>\n<td>12,000 PEOPLE</td>\n</tr>\n</table>\n"
            '<p class="caption">Protesters in Moscow. Photo: Reuters</p>\n'
            "<pre>print('&lt;style&gt;x&lt;/style&gt;')\n    indented()</pre>\n"
            "<p>https://example.org/full-story</p>\n</body>\n</html>\n") in out
    assert "<script" not in out.lower() and "<style" not in out.lower()
    assert Page(out).balanced


def test_hostile_and_odd_links():
    doc = kinds_document()
    link(doc, "Tuesday", "https://example.org/tuesday")  # verbatim in the upper-cased translation
    link(doc, "a link", "java\tscript:alert(1)")  # browsers ignore the tab: still javascript
    link(doc, "decision", " JAVASCRIPT:alert(2)")
    link(doc, "Second point", "data:text/html,<script>alert(3)</script>")
    link(doc, "Reuters", 'https://example.org/"onmouseover="alert(4)')  # quotes stay inside the attribute
    link(doc, "indented", "/code/ref")  # in code: exact
    link(doc, "full-story", "https://example.org/full-story")  # in the URL paragraph: exact
    link(doc, "Detentions", "HTTPS://example.org/cells")
    end = len(doc.text)
    doc.spans.append(Span("link", end, end, {"href": "https://example.org/end"}))  # empty, after the last paragraph
    doc.spans.append(Span("emphasis", 0, 7, {}))  # not a link
    doc.translations["p6s1"] = Translation("…")  # no words to place a link in
    link(doc, "our decision", "https://example.org/quote")
    out = render(doc, "html")
    page = Page(out)
    assert page.balanced and "javascript" not in out.lower() and "data:" not in out
    assert page.hrefs() == Counter({h: 1 for h in [
        "https://example.org/tuesday", 'https://example.org/"onmouseover="alert(4)', "/code/ref",
        "https://example.org/full-story", "HTTPS://example.org/cells", "https://example.org/end",
        "https://example.org/quote"]})
    assert '<a href="https://example.org/&quot;onmouseover=&quot;alert(4)">REUTERS</a>' in out
    anchors = {href: (cls, text) for href, cls, text in page.anchors}
    assert anchors["https://example.org/tuesday"] == ("", "TUESDAY")
    assert anchors["/code/ref"] == ("", "indented")
    assert "<pre>print('&lt;style&gt;x&lt;/style&gt;')\n    <a href=\"/code/ref\">indented</a>()</pre>" in out
    assert anchors["https://example.org/end"] == ("appended", "https://example.org/end")
    assert '<blockquote>… <a href="https://example.org/quote" class="appended">our decision</a></blockquote>' in out
    assert "SECOND POINT, WITH A LINK." in "".join(page.text)  # dropped links keep their text


def test_link_placement_in_a_translation():
    src = "Police detained Alexei Navalny at the airport on Sunday."
    tgt = "A polícia deteve Alexei Navalny no aeroporto no domingo."
    at = src.index("Alexei Navalny")
    wraps, left = translated(src, 100, tgt, [Link(100 + at, 100 + at + 14, "/a")])
    assert [(tgt[w.start:w.end], w.cls) for w in wraps] == [("Alexei Navalny", "")] and not left
    at = src.index("the airport")
    wraps, _ = translated(src, 0, tgt, [Link(at, at + 11, "/b")])  # no alike word: by position
    assert [(tgt[w.start:w.end], w.cls) for w in wraps] == [("no aeroporto", "approx")]
    both = [Link(src.index("Navalny"), src.index("Navalny") + 7, "/c"), Link(0, len(src), "/d")]
    for links in (both, both[::-1]):  # verbatim first: the outer link cannot take the inner one's words
        wraps, left = translated(src, 0, tgt, links)
        assert [(tgt[w.start:w.end], w.href, w.cls) for w in wraps] == [
            ("A polícia deteve Alexei", "/d", "approx"), ("Navalny", "/c", "")] and not left
    wraps, left = translated(src, 0, "", [Link(0, 6, "/e")])
    assert wraps == [] and left == [Link(0, 6, "/e")]  # nothing to wrap: appended by the page



def test_placement_by_whole_words_and_by_the_text_translated_alone():
    src, tgt = "The president and the prime minister met.", "O presidente e o primeiro-ministro se reuniram."
    at = src.index("president")
    wraps, _ = translated(src, 0, tgt, [Link(at, at + 9, "/p")])  # "president" is not a word of "presidente"
    assert [(tgt[w.start:w.end], w.cls) for w in wraps] == [("presidente", "approx")]
    at = src.index("prime minister")
    wraps, _ = translated(src, 0, tgt, [Link(at, at + 14, "/m")], alone=["Primeiro-ministro."])
    assert [tgt[w.start:w.end] for w in wraps] == ["primeiro-ministro"]
    src, tgt = "Need: you need this item.", "Necessidade: você precisa deste item."
    wraps, _ = translated(src, 0, tgt, [Link(0, 5, "/n")])  # the element's final colon comes with it
    assert [tgt[w.start:w.end] for w in wraps] == ["Necessidade:"]


# -- a real page's emphasis, strong and code ---------------------------------------------------------
@pytest.fixture(scope="module")
def blog_post() -> Document:
    """A real page (Readability's test page 001: a blog post on code coverage, with links, emphasis,
    strong and code), read as ``newsmt translate`` reads it and translated by the en->pt model."""
    import gzip
    from pathlib import Path

    from newsmt.translate.engine import load_engine

    page = Path(__file__).parent / "fixtures" / "web_gold" / "readability" / "html" / "001.html.gz"
    doc = segment_document(read_text(gzip.decompress(page.read_bytes()).decode("utf-8"), "html", "en", doc_id="001")[0])
    engine = load_engine("en", "pt")
    try:
        engine.translate_document(doc)
    finally:
        engine.close()
    return doc


def test_a_real_pages_inline_spans_are_placed(blog_post):
    """Links, emphasis, strong and code of the source, each in the translation of its sentence (a
    span over several sentences: a piece in each, the whole of each translation), no letter changed."""
    doc = blog_post
    out = render(doc, "html")
    page = Page(out)
    assert page.balanced and {"a", "em", "strong", "code"} <= set(page.tags)
    shown = Counter(page.tags)
    for kind, tag in (("link", "a"), ("emphasis", "em"), ("strong", "strong"), ("code", "code")):
        source = [x for x in doc.spans if x.kind == kind]
        assert shown[tag] >= len(source), kind
    assert shown["a"] == len([x for x in doc.spans if x.kind == "link"])
    body = re.sub(r"\s+", " ", "".join(page.text))
    for s in doc.sentences():
        assert " ".join(doc.translations[s.id].text.split()) in body
    last = next(p for p in doc.paragraphs if doc.text[p.start:p.end].startswith("So is code coverage"))
    assert len(last.sentences) == 5  # one <strong> in the source, a whole one per translated sentence
    for s in last.sentences:
        assert f'<strong class="approx">{doc.translations[s.id].text}</strong>' in out


def test_the_pairs_lexicon_places_what_no_word_matches(blog_post):
    """Where no word of an element looks like a word of the translation, the pair's lexicon (the
    Bergamot shortlists of both directions) finds the words that translate it: not one word off."""
    from newsmt.writers.links import pair_lexicon

    doc = blog_post
    lexicon = pair_lexicon(doc)
    assert lexicon is not None
    for words, expected in (("code logic", "lógica de código"), ("must", "deve")):
        span = next(x for x in doc.spans if doc.text[x.start:x.end] == words)
        s = next(s for s in doc.sentences() if s.start <= span.start < s.end)
        tgt = doc.translations[s.id].text
        without = translated(s.text, s.start, tgt, [Link(span.start, span.end, "/")], inline=True)[0]
        with_lexicon = translated(s.text, s.start, tgt, [Link(span.start, span.end, "/")], inline=True, lexicon=lexicon)[0]
        assert [tgt[w.start:w.end] for w in with_lexicon] == [expected] != [tgt[w.start:w.end] for w in without]
    assert "<em class=\"approx\">lógica de código</em>" in render(doc, "html")



def test_the_engine_translates_each_inline_span_alone_for_the_writers(blog_post):
    """Every link or emphasis that is a part of a translated sentence has its text translated alone
    (``Translation.inline``, in the record); where the translation holds it, that is the span's
    place: the link ``in a previous episode`` wraps ``em um episódio anterior``, where the words
    alone gave ``episódio anterior``."""
    doc = blog_post
    inside = [(s, x) for s in doc.sentences() if s.id in doc.translations for x in doc.spans if x.kind != "code"
              and s.start <= x.start < x.end <= s.end and re.search(r"\w", doc.text[s.start:x.start] + doc.text[x.end:s.end])]
    told = [(s, x) for s, x in inside if f"{x.start - s.start}:{x.end - s.start}" in doc.translations[s.id].inline]
    assert len(told) >= 0.9 * len(inside)  # not all: a sentence's spans are told while their text fits in it
    for s in doc.sentences():
        assert sum(int(k.split(":")[1]) - int(k.split(":")[0]) for k in doc.translations.get(s.id, Translation("")).inline) <= len(s.text)
    assert Document.from_json(doc.to_json()).translations == doc.translations
    assert '>em um episódio anterior</a>' in render(doc, "html")


@pytest.mark.parametrize("href,safe", [
    ("https://example.org/a?b=1&c=2", "https://example.org/a?b=1&c=2"), ("http://x", "http://x"),
    ("mailto:a@b.org", "mailto:a@b.org"), ("/relative/path", "/relative/path"), ("page.html#top", "page.html#top"),
    ("//cdn.example.org/x", "//cdn.example.org/x"), (" https://x ", "https://x"), ("/a b", "/a b"),
    ("javascript:alert(1)", None), ("JavaScript:alert(1)", None), ("\x01javascript:x", None),
    ("jav\nascript:x", None), ("vbscript:x", None), ("data:text/html,x", None), ("file:///etc/passwd", None),
    ("", None),
])
def test_safe_href(href, safe):
    assert safe_href(href) == safe


def test_html_format_is_registered(tmp_path):
    check_formats(["html"])
    doc = kinds_document()
    assert output_name(doc, "html") == "kinds.de.html" and "html" in FORMAT_EXT
    doc.tgt_lang = ""
    assert output_name(doc, "html") == "kinds.en.html"
    page = read_text("<html><head><title>T</title></head><body><p>One.</p></body></html>", "html", doc_id="pg")[0]
    with pytest.raises(NewsmtError, match="doc and html would both write pg.en.html"):
        write_outputs(segment_document(page), tmp_path / "out", ["doc", "html"])
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())
    [path] = write_outputs(doc, tmp_path / "out", ["html"])
    assert path.name == "kinds.en.html" and path.read_text(encoding="utf-8") == render(doc, "html")


@pytest.mark.parametrize("fmt, text", [
    ("md", "# Bridge opens\n\nThe bridge opened on Monday.\n\n# Traffic\n\nCars crossed it at noon.\n"),
    ("html", "<html><head><title>Bridge opens | City News</title></head><body><article><h1>Bridge opens</h1>"
             "<p>The bridge over the river opened on Monday, the council said in a statement.</p><h1>Traffic</h1>"
             "<p>Cars crossed it at noon, and officials expect traffic to ease within weeks.</p></article></body></html>"),
])
def test_a_page_has_one_h1(fmt, text):
    doc = segment_document(read_text(text, fmt, "en")[0])
    for out in ("html", "doc"):
        page = render(doc, out)
        if out == "doc" and fmt != "html":
            continue
        assert page.count("<h1>") == 1 and "<h2>Traffic</h2>" in page, page
