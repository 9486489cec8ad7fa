"""``format=html``: the markup kept, the text translated as units (a sentence with ``<b>`` in it is
translated whole), ``title``/``alt`` translated, CDATA intact, an option that strips active
content; the inline elements placed the way ``newsmt translate --output-format html`` places links."""
from __future__ import annotations

import re
from html import unescape

import pytest
from serving import SENTENCES, app, cfg, client, engine, ready_client  # noqa: F401

from newsmt.serve import create_app


def translate_html(client, q: str) -> str:
    r = client.post("/translate", json={"q": q, "source": "en", "target": "pt", "format": "html"})
    assert r.status_code == 200, r.text
    return r.json()["translatedText"]


def text_of(html: str) -> str:
    return unescape(re.sub(r"<[^>]+>", "", html))


def test_inline_markup_is_translated_with_its_sentence(client, engine):
    sentence = "Heavy rain caused flooding in several neighbourhoods overnight."
    out = translate_html(client, "<p>Heavy rain caused <b>flooding</b> in several <i>neighbourhoods</i> overnight.</p>")
    assert text_of(out) == engine.translate_texts([sentence])[0].text  # the sentence, translated whole
    assert out.startswith("<p>") and out.endswith("</p>")
    assert re.search(r"<b>[^<]+</b>", out) and re.search(r"<i>[^<]+</i>", out)
    out = translate_html(client, '<p>Police detained <a href="https://example.org/n">Alexei Navalny</a> at the airport.</p>')
    assert '<a href="https://example.org/n">Alexei Navalny</a>' in out


def test_attributes_and_the_title_are_translated(client, engine):
    t = {s: x.text for s, x in zip(SENTENCES, engine.translate_texts(SENTENCES))}
    page = (f'<html><head><title>{SENTENCES[9]}</title></head><body><p><img src="a.png" alt="{SENTENCES[3]}"> '
            f'<abbr title="{SENTENCES[7]}">UN</abbr> <input placeholder="{SENTENCES[2]}"></p></body></html>')
    out = unescape(translate_html(client, page))
    assert f"<title>{t[SENTENCES[9]]}</title>" in out
    for s in (SENTENCES[3], SENTENCES[7], SENTENCES[2]):
        assert f'"{t[s]}"' in out and s not in out
    assert 'src="a.png"' in out and "<abbr title=" in out


def test_what_is_not_text_stays_as_it_is(client):
    src = ('<div class="story"><p>Fish and chips ]]&gt; <code>a &amp;&amp; b</code> cost more.</p>'
           '<svg><![CDATA[a]]b]]></svg><script>var s = "<p>do not translate</p>";</script>'
           '<pre>code stays</pre><p translate="no">Keep this sentence.</p><p class="notranslate">Keep this too.</p>'
           '<p onclick="go()">Read <a href="javascript:alert(1)">the report</a>.</p></div>')
    out = translate_html(client, src)
    for keep in ('<div class="story">', "]]&gt;", "<code>a &amp;&amp; b</code>", "a]]b",
                 '<script>var s = "<p>do not translate</p>";</script>', "<pre>code stays</pre>",
                 '<p translate="no">Keep this sentence.</p>', '<p class="notranslate">Keep this too.</p>',
                 'onclick="go()"', 'href="javascript:alert(1)"'):
        assert keep in out, keep  # as LibreTranslate: active content passes unless told otherwise
    assert "Fish" not in out and "Read" not in out


def test_sanitize_strips_active_content(cfg):
    c = ready_client(create_app(cfg, log_json=False, sanitize_html=True))
    try:
        out = translate_html(c, '<p onclick="go()" style="color:red">Read <a href="javascript:alert(1)">the report</a>.'
                                '<script>alert(2)</script><iframe src="https://x.example/"></iframe>'
                                '<img src="a.png" onerror="alert(3)"></p>')
        assert "<script" not in out and "onclick" not in out and "javascript:" not in out and "onerror" not in out
        assert "<iframe" not in out and 'style="color:red"' in out and 'src="a.png"' in out
        assert c.post("/translate", json={"q": "<script>alert(1)</script>", "source": "en", "target": "pt",
                                          "format": "html"}).json()["translatedText"] == ""
    finally:
        c.__exit__(None, None, None)


def _inline_paragraphs() -> str:
    """A real page (Readability's test page 001, a blog post on code coverage) cut to its paragraphs
    with emphasis, strong or code in them (links too), as a page of its own."""
    import gzip
    from pathlib import Path

    from lxml import html

    page = Path(__file__).parent / "fixtures" / "web_gold" / "readability" / "html" / "001.html.gz"
    root = html.fromstring(gzip.decompress(page.read_bytes()))
    ps = [p for p in root.iter("p") if any(p.find(f".//{tag}") is not None for tag in ("em", "strong", "code"))]
    return "<html><body><article>" + "".join(html.tostring(p, encoding="unicode", with_tail=False) for p in ps) + \
        "</article></body></html>"


def test_one_placement_for_the_service_and_the_html_format(engine):
    """The service's HTML writer and the "html" format (``newsmt translate --output-format html``)
    place a real page's links, emphasis, strong and code alike: ``writers.links.translated_unit``."""
    from collections import Counter

    from lxml import html

    from newsmt.segment import segment_document
    from newsmt.sources import read_text
    from newsmt.sources.markup import read_markup
    from newsmt.writers import render
    from newsmt.writers.markup import render_markup

    source = _inline_paragraphs()
    placed = []
    for doc, write in ((read_markup(source, lang="en"), render_markup),
                       (read_text(source, "html", "en", doc_id="page")[0], lambda d: render(d, "html"))):
        doc = segment_document(doc)
        engine.translate_document(doc)
        placed.append(Counter((el.tag, el.text_content()) for el in html.fromstring(write(doc)).iter("a", "em", "strong", "code")))
    assert placed[0] == placed[1]
    assert {tag for tag, _ in placed[0]} == {"a", "em", "strong", "code"} and sum(placed[0].values()) >= 15


@pytest.mark.parametrize("q", ["   ", "<p></p>", "<!-- only a comment -->", "<br>", "<p>123 – 456</p>"])
def test_html_without_words_comes_back_as_it_was(client, q):
    assert translate_html(client, q) == q
