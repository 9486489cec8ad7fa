"""Web input through every command: pages, feeds and archives in extract, segment, translate,
summarize and run; one language per article; the translated page out as HTML with its links."""
from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

from conftest import shared_path
from test_bad_inputs import newsmt
from test_feeds_warc import build_warc

DEV = ("eval", "web_pages_trafilatura_eval")


def dev_pages(lang: str, n: int) -> list[tuple[dict, bytes]]:
    rows = [json.loads(x) for x in shared_path(*DEV, "gold.jsonl").read_text(encoding="utf-8").splitlines()]
    return [({**r, "url": r["url"] if r["url"].startswith("http") else f"https://dev.example/{r['id']}"},
             gzip.decompress(shared_path(*DEV, r["file"]).read_bytes())) for r in rows if r["lang"] == lang][:n]


def test_extract_gives_the_article_record(tmp_path):
    (row, html), = dev_pages("en", 1)
    page = tmp_path / "page.html"
    page.write_bytes(html)
    r = newsmt("extract", page)
    assert r.returncode == 0, r.stderr
    rec = json.loads(r.stdout)
    assert {"id", "source", "url", "title", "author", "date", "site", "lang", "text", "paragraphs", "links"} <= set(rec)
    assert rec["source"] == str(page) and rec["lang"] == "en"
    assert all(s in rec["text"] for s in row["with"]) and not any(s in rec["text"] for s in row["without"])
    people = newsmt("extract", page, "--output-format", "md")
    assert people.returncode == 0 and people.stdout.startswith("# ")


def test_summaries_of_pages_come_from_the_article(tmp_path):
    pages = dev_pages("en", 6)
    for i, (_, html) in enumerate(pages):
        (tmp_path / f"p{i}.html").write_bytes(html)
    r = newsmt("summarize", *sorted(tmp_path.glob("*.html")), "--lang", "auto", "--sentences", "2")
    assert r.returncode == 0, r.stderr
    summaries = [json.loads(x) for x in r.stdout.splitlines()]
    boiler = [s for (row, _) in pages for s in row["without"]]
    chosen = [s["text"] for rec in summaries for s in rec["summary"]]
    assert len(summaries) == 6 and chosen and not any(b in c or c in b for c in chosen for b in boiler if len(b) > 20)


def test_translated_page_keeps_its_links(tmp_path):
    page = tmp_path / "story.html"
    page.write_text(
        "<html lang='en'><head><title>Bridge opens | City News</title></head><body><nav><a href='/'>Home</a></nav>"
        "<article><h1>Bridge opens</h1><p>The new bridge over the river opened on Monday, the "
        "<a href='https://city.example/council'>city council</a> said in a statement.</p>"
        "<p>Officials expect <a href='/traffic'>traffic</a> to ease within weeks, according to the "
        "transport department, which studied the route for two years.</p>"
        "<p>Residents welcomed the opening. <script>alert(1)</script>Many had waited a decade.</p></article>"
        "<footer>Copyright 2026 City News. All rights reserved.</footer></body></html>", encoding="utf-8")
    r = newsmt("translate", page, "--src", "en", "--tgt", "pt", "-o", tmp_path / "out", "--output-format", "html,jsonl")
    assert r.returncode == 0, r.stderr
    out = (tmp_path / "out" / "story.pt.html").read_text(encoding="utf-8")
    assert '<html lang="pt"' in out and "<script" not in out and "alert(1)" not in out
    hrefs = re.findall(r'<a [^>]*href="([^"]+)"', out)
    assert sorted(hrefs) == ["https://city.example/council", "https://city.example/traffic"] or len(hrefs) == 2
    assert "Copyright" not in out and "Home" not in out


def test_feed_and_archive_through_run_with_languages_detected(tmp_path):
    en, es = dev_pages("en", 3), dev_pages("es", 2)
    warc = tmp_path / "crawl.warc.gz"
    warc.write_bytes(build_warc(en + es, gz=True))
    feed = shared_path("samples", "feeds", "npr-technology.json")
    out = tmp_path / "out"
    r = newsmt("run", warc, feed, "-o", out, "--set", "segment.lang=auto", "--set", "translate.tgt=pt",
               "--set", "summarize.sentences=1", "--workers", "1", "--files")
    assert r.returncode == 2 and r.stderr.count("'es'") == 2, r.stderr  # the failed articles: exit 2 at the end
    records = [json.loads(x) for x in (out / "records.jsonl").read_text(encoding="utf-8").splitlines()]
    errors = [json.loads(x) for x in (out / "errors.jsonl").read_text(encoding="utf-8").splitlines()]
    assert {r["lang"] for r in records} == {"en"} and all(r["translations"] for r in records)
    assert all(r["meta"]["lang_detected"]["confidence"] > 0.5 for r in records)
    assert len(errors) == 2 and all("'es'" in e["reason"] for e in errors)  # no es->pt model: reported, not mistranslated
    assert all(re.search(r"#\d+$", r["meta"]["source"]) for r in records)
    assert any(r["meta"]["source"].startswith(str(feed)) for r in records)


# -- one bad page costs only itself ------------------------------------------------------------------
# issue 19: nested spans of one kind crashed the page walk, and with -o the whole batch was lost
CRASH_PAGE = "<div>Let <em><i>z</i> be given. <p>Remark.</p></em></div>"
GOLD = Path(__file__).parent / "fixtures" / "web_gold" / "newspaper4k"


def _fixture_pages(tmp_path: Path, n: int) -> list[Path]:
    rows = [json.loads(x) for x in (GOLD / "gold.jsonl").read_text(encoding="utf-8").splitlines()][:n]
    paths = []
    for row in rows:
        path = tmp_path / f"{row['id']}.html"
        path.write_bytes(gzip.decompress((GOLD / row["file"]).read_bytes()))
        paths.append(path)
    return paths


def test_the_crash_page_alone(tmp_path):
    page = tmp_path / "crash.html"
    page.write_text(CRASH_PAGE, encoding="utf-8")
    out = tmp_path / "out.jsonl"
    r = newsmt("extract", page, "-o", out)
    assert r.returncode == 0 and "Traceback" not in r.stderr, r.stderr
    rec, = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert [p["text"] for p in rec["paragraphs"]] == ["Let z be given.", "Remark."]


def test_a_batch_with_o_loses_only_the_bad_page(tmp_path):
    first, second = _fixture_pages(tmp_path, 2)
    crash = tmp_path / "crash.html"
    crash.write_text(CRASH_PAGE, encoding="utf-8")
    bad = tmp_path / "binary.html"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    out = tmp_path / "out.jsonl"
    r = newsmt("extract", first, crash, bad, second, "-o", out)
    assert r.returncode == 2 and "Traceback" not in r.stderr, r.stderr
    errors = [x for x in r.stderr.splitlines() if "binary.html" in x]
    assert len(errors) == 1 and "looks binary" in errors[0]
    records = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert [rec["source"] for rec in records] == sorted(map(str, (first, crash, second)))
    assert all(rec["text"] for rec in records)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out.jsonl")]  # no temporary left


def test_extract_from_an_archive_keeps_publication_and_crawl_dates(tmp_path):
    pages = dev_pages("en", 2)
    warc = tmp_path / "crawl.warc.gz"
    warc.write_bytes(build_warc(pages, gz=True))
    r = newsmt("extract", warc)
    assert r.returncode == 0, r.stderr
    records = [json.loads(x) for x in r.stdout.splitlines()]
    assert len(records) == 2
    for rec in records:
        assert rec["crawl_date"][:2] == "20" and "T" in rec["crawl_date"]
        assert rec["date"] != rec["crawl_date"]
