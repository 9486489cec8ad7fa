"""Feeds (RSS, Atom, JSON Feed) and web archives (WARC, WARC.gz) -> one Document per article.

RSS, Atom and WARC files are built here at test time, around pages of the shared dev set
(../shared/eval/web_pages_trafilatura_eval, skipped when absent) or around text written for the
tests; the JSON Feed is the shared NPR sample.
"""
from __future__ import annotations

import gzip
import io
import json
import re
from collections import Counter
from html import escape

import pytest
from conftest import shared_path

from newsmt.document import Document
from newsmt.errors import InputError
from newsmt.sources.feeds import is_feed, iter_feed
from newsmt.sources.web import read_page
from newsmt.sources.warc import iter_warc

DEV = ("eval", "web_pages_trafilatura_eval")
PAGES = ("0194", "0200", "0221")  # three news pages of the dev set


def dev_pages() -> list[tuple[dict, bytes]]:
    rows = {r["id"]: r for r in map(json.loads, shared_path(*DEV, "gold.jsonl").read_text("utf-8").splitlines())}
    pages = []
    for i in PAGES:
        row = dict(rows[i])
        if not row["url"].startswith("http"):  # a few dev pages have no real URL
            row["url"] = f"https://dev.example/{i}.html"
        pages.append((row, gzip.decompress(shared_path(*DEV, rows[i]["file"]).read_bytes())))
    return pages


def cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def docs_and_errors(items):
    items = list(items)
    return [x for x in items if isinstance(x, Document)], [x for x in items if isinstance(x, InputError)]


# -- JSON Feed ------------------------------------------------------------------------------------
def test_json_feed_sample():
    data = shared_path("samples", "feeds", "npr-technology.json").read_bytes()
    assert is_feed(data)
    docs, errors = docs_and_errors(iter_feed(data, "npr-technology.json", "en"))
    assert not errors and len(docs) == 25
    first = docs[0]
    assert first.id == "1050315385" and first.lang == "en" and first.format == "html"
    assert first.meta["title"] == "Keller Rinaudo: How can delivery drones save lives?"
    assert first.meta["url"].startswith("https://www.npr.org/2021/10/29/1050315385/")
    assert first.meta["author"] == "Manoush Zomorodi"
    assert first.meta["date"].startswith("2021-10-29T10:26:00")
    assert first.meta["site"] == "Technology"
    assert [d.meta["source"] for d in docs[:3]] == [f"npr-technology.json#{n}" for n in (1, 2, 3)]
    assert first.paragraphs[0].kind == "title"
    assert "Zipline, a delivery company" in first.text
    assert len({d.id for d in docs}) == 25


def test_json_feed_bad_item_does_not_stop_the_others():
    feed = {"version": "https://jsonfeed.org/version/1.1", "title": "Quay notes", "items": [
        {"id": "a", "url": "https://quay.example/a", "title": "Nets",
         "content_text": "The nets were mended on the quay this morning.\n\nThe boats leave at dawn."},
        "not an item",
        {"id": "c", "content_html": "   "},
        {"id": "d", "title": "Only a headline about the tide"},
    ]}
    data = json.dumps(feed).encode()
    items = list(iter_feed(data, "quay.json", "en"))
    assert [type(x).__name__ for x in items] == ["Document", "InputError", "InputError", "Document"]
    assert str(items[1]).startswith("quay.json#2: ") and str(items[2]).startswith("quay.json#3: ")
    nets = items[0]
    assert [p.kind for p in nets.paragraphs] == ["title", "text", "text"]
    assert nets.text.endswith("The boats leave at dawn.")
    headline = items[3]
    assert headline.text == "Only a headline about the tide" and headline.meta["flags"] == ["feed_title_only"]
    assert headline.id == "d" and headline.meta["source"] == "quay.json#4"


# -- RSS and Atom built around dev pages --------------------------------------------------------------
def rss(items: list[dict]) -> bytes:
    body = "".join(
        f"<item><title>{escape(i['title'])}</title><link>{escape(i['link'])}</link>"
        + (f"<guid>{escape(i['guid'])}</guid>" if i.get("guid") else "")
        + f"<pubDate>{i.get('date', 'Wed, 08 Nov 2023 14:30:00 GMT')}</pubDate>"
        + (f"<dc:creator>{escape(i['author'])}</dc:creator>" if i.get("author") else "")
        + (f"<description>{escape(i['description'])}</description>" if i.get("description") else "")
        + (f"<content:encoded>{cdata(i['html'])}</content:encoded>" if i.get("html") else "")
        + "</item>" for i in items)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">'
            f"<channel><title>Test wire</title><link>https://wire.example/</link>{body}</channel></rss>").encode()


def atom(entries: list[dict]) -> bytes:
    body = "".join(
        f"<entry><title>{escape(e['title'])}</title><link href=\"{escape(e['link'])}\"/><id>{escape(e['guid'])}</id>"
        f"<updated>2023-11-08T14:30:00Z</updated><author><name>{escape(e.get('author', 'Desk'))}</name></author>"
        f"<content type=\"html\">{escape(e['html'])}</content></entry>" for e in entries)
    return ('<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
            f"<title>Test atom</title><id>urn:test</id><updated>2023-11-08T14:30:00Z</updated>{body}</feed>").encode()


def test_rss_and_atom_around_real_pages(tmp_path):
    pages = dev_pages()
    items = [{"title": f"Story {row['id']}", "link": row["url"], "guid": f"urn:test:{row['id']}",
              "author": "Wire Desk", "html": html.decode("utf-8")} for row, html in pages]
    for name, data in (("wire.rss", rss(items)), ("wire.atom", atom(items))):
        path = tmp_path / name
        path.write_bytes(data)
        data = path.read_bytes()
        assert is_feed(data)
        docs, errors = docs_and_errors(iter_feed(data, name, "", "article"))
        assert not errors and len(docs) == 3
        for doc, (row, _) in zip(docs, pages):
            assert doc.id == f"urn:test:{row['id']}"
            assert doc.meta["title"] == f"Story {row['id']}" and doc.paragraphs[0].kind == "title"
            assert doc.meta["url"] == row["url"] and doc.meta["author"] == "Wire Desk"
            assert doc.meta["date"] == ("2023-11-08T14:30:00+00:00")
            assert doc.meta["site"] in ("Test wire", "Test atom")
            for snippet in row["with"]:
                assert snippet in doc.text, (name, row["id"], snippet)
            for snippet in row["without"]:
                assert snippet not in doc.text, (name, row["id"], snippet)
        assert [d.meta["source"] for d in docs] == [f"{name}#{n}" for n in (1, 2, 3)]
        page_mode = next(iter(iter_feed(data, name, "", "page")))
        assert len(page_mode.text) > len(docs[0].text)


def test_hand_written_rss():
    data = rss([
        {"title": "Tide museum opens", "link": "https://wire.example/tide", "guid": "tide-1",
         "description": "<p>The harbour town opened a small museum about tides in a former net loft.</p>"},
        {"title": "Lifeboat station", "link": "https://wire.example/lifeboat",
         "description": "A new lifeboat station was blessed on Sunday by the harbour master and the crews."},
        {"title": "", "link": "", "description": ""},
    ])
    items = list(iter_feed(data, "wire.xml", "en"))
    assert [type(x).__name__ for x in items] == ["Document", "Document", "InputError"]
    tide, lifeboat, bad = items
    assert tide.id == "tide-1" and "former net loft" in tide.text
    assert lifeboat.id == "https://wire.example/lifeboat"  # no guid: the link
    assert "lifeboat station was blessed" in lifeboat.text
    assert str(bad).startswith("wire.xml#3: ")


@pytest.mark.parametrize("data, reason", [
    (b"just some text, not a feed", "not a feed"),
    (b"", "empty file"),
    (b'<?xml version="1.0"?><rss version="2.0"><channel><title>Empty</title></channel></rss>', "no entries"),
    (b'<?xml version="1.0"?><rss version="2.0"><channel><title>Broken<item><title>x</ti',
     "not a readable feed|has no entries"),
    (b'{"version": "https://jsonfeed.org/version/1", "items": [', "not a readable JSON Feed"),
    (b'{"version": "https://jsonfeed.org/version/1", "title": "t", "items": []}', "no items"),
    (b'<html><body><p>A web page is no feed.</p></body></html>', "not a feed"),
])
def test_bad_feed_is_one_input_error(data, reason):
    items = list(iter_feed(data, "bad.xml"))
    assert len(items) == 1 and isinstance(items[0], InputError)
    assert re.search(reason, str(items[0])) and str(items[0]).startswith("bad.xml: ")


def test_is_feed_sniffing():
    assert is_feed(b'\xef\xbb\xbf<?xml version="1.0"?>\n<!-- x -->\n<rss version="2.0"><channel/></rss>')
    assert is_feed(b'<feed xmlns="http://www.w3.org/2005/Atom"></feed>')
    assert is_feed(b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"></rdf:RDF>')
    assert is_feed(b'{"version":"https:\\/\\/jsonfeed.org\\/version\\/1.1","items":[]}')
    assert not is_feed(b'{"items": []}')
    assert not is_feed(b"<html><head><title>x</title></head></html>")
    assert not is_feed(b'<?xml version="1.0"?><urlset></urlset>')


# -- WARC -------------------------------------------------------------------------------------------
def build_warc(pages: list[tuple[dict, bytes]], gz: bool) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=gz)
    writer.write_record(writer.create_warcinfo_record("test.warc", {"software": "newsmt tests"}))

    def response(uri: str, status: str, ctype: str, payload: bytes):
        headers = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
        return writer.create_warc_record(uri, "response", payload=io.BytesIO(payload), http_headers=headers)

    for row, html in pages:
        request = StatusAndHeaders("GET / HTTP/1.1", [("Host", "example")], is_http_request=True)
        writer.write_record(writer.create_warc_record(row["url"], "request", http_headers=request))
        writer.write_record(response(row["url"], "200 OK", "text/html; charset=utf-8", html))
    writer.write_record(response("https://news.example/missing", "404 Not Found", "text/html",
                                 b"<html><body><p>Not found</p></body></html>"))
    writer.write_record(response("https://news.example/logo.png", "200 OK", "image/png", b"\x89PNG\r\n\x1a\n" * 20))
    writer.write_record(writer.create_warc_record("https://news.example/", "metadata",
                                                  payload=io.BytesIO(b"outlinks: none\n"),
                                                  warc_content_type="application/warc-fields"))
    return buf.getvalue()


@pytest.mark.parametrize("gz", [True, False])
def test_warc_yields_only_html_200_responses(gz, tmp_path):
    pages = dev_pages()
    path = tmp_path / ("crawl.warc.gz" if gz else "crawl.warc")
    path.write_bytes(build_warc(pages, gz))
    skipped: Counter = Counter()
    with open(path, "rb") as f:
        docs, errors = docs_and_errors(iter_warc(f, path.name, "", "article", skipped))
    assert not errors and len(docs) == 3
    assert skipped == Counter({"request": 3, "warcinfo": 1, "metadata": 1, "status_404": 1, "not_html": 1})
    for n, (doc, (row, _)) in enumerate(zip(docs, pages)):
        assert doc.meta["url"] == row["url"]
        assert doc.meta["source"] == f"{path.name}#{2 * n + 3}"  # warcinfo, then request/response pairs
        assert doc.meta["crawl_date"][:2] == "20" and "T" in doc.meta["crawl_date"]  # the capture time
        assert doc.meta["date"] == read_page(pages[n][1], "p").meta["date"]  # the page's own, not the capture's
        assert doc.meta["date"] != doc.meta["crawl_date"]
        assert len(doc.id) == 36 and doc.id.count("-") == 4  # the record's UUID
        for snippet in row["with"]:
            assert snippet in doc.text, snippet


def test_truncated_warc_gz_yields_what_came_before(tmp_path):
    pages = dev_pages()
    data = build_warc(pages, gz=True)
    cut = data[: len(data) * 2 // 3]
    items = list(iter_warc(io.BytesIO(cut), "cut.warc.gz"))
    docs = [x for x in items if isinstance(x, Document)]
    assert docs and all(isinstance(x, Document) for x in items[:-1])
    assert isinstance(items[-1], InputError)
    msg = str(items[-1])
    assert msg.startswith("cut.warc.gz: archive truncated or corrupt at record ") and "\n" not in msg
    full = [x for x in iter_warc(io.BytesIO(data), "full.warc.gz") if isinstance(x, Document)]
    assert [d.id for d in docs] == [d.id for d in full[: len(docs)]] and len(docs) < len(full)


def test_truncated_plain_warc_and_garbage(tmp_path):
    data = build_warc(dev_pages(), gz=False)
    items = list(iter_warc(io.BytesIO(data[:-20]), "cut.warc"))
    assert sum(isinstance(x, Document) for x in items) == 3
    assert isinstance(items[-1], InputError) and "truncated or corrupt" in str(items[-1])
    garbage = list(iter_warc(io.BytesIO(b"this is not an archive at all\n" * 10), "junk.warc"))
    assert len(garbage) == 1 and isinstance(garbage[0], InputError)
    assert str(garbage[0]) == "junk.warc: not a WARC file (expected WARC/1.x records)"
    broken = list(iter_warc(io.BytesIO(b"\x00\x01 binary junk"), "bin.warc"))
    assert len(broken) == 1 and str(broken[0]).startswith("bin.warc: archive truncated or corrupt at record 1")
