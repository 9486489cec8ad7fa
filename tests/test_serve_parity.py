"""``newsmt serve`` at parity with LibreTranslate's documented API: clients that work unchanged
(libretranslatepy, deep-translator, a file upload), /translate_file and /download_file for .txt,
.md, .html and .docx, /frontend/settings, /spec, /suggest (SQLite, exported as TMX by ``newsmt
suggestions export``), ``alternatives``, ``pb``/``zt``, emoji; and the one path: /translate is
``newsmt translate``, /detect the one language identifier, ``source=auto`` never a guess.
"""
from __future__ import annotations

import dataclasses
import gzip
import io
import json
import unicodedata
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
from serving import ARTICLE, SENTENCES, LiveServer, app, cfg, client, engine, ready_client  # noqa: F401

from newsmt.serve import create_app


@pytest.fixture(scope="module")
def live_parity(cfg, tmp_path_factory):
    db = tmp_path_factory.mktemp("suggestions") / "suggestions.sqlite"
    with LiveServer(create_app(cfg, log_json=False, suggestions=True, suggestions_db=db)) as server:
        server.db = db
        yield server


def test_deep_translator_client_unmodified(live_parity, engine):
    from deep_translator import LibreTranslator

    t = LibreTranslator(source="en", target="pt", api_key="any", custom_url=live_parity.url + "/")
    assert t.translate(SENTENCES[0]) == engine.translate_texts([SENTENCES[0]])[0].text
    assert t.translate_batch(SENTENCES[1:3]) == [x.text for x in engine.translate_texts(SENTENCES[1:3])]


def test_translate_is_newsmt_translate(client, sample_article, tmp_path):
    """/translate goes the way ``newsmt translate --output-format doc`` goes: the same sentences,
    the same translations, the text between them kept."""
    from typer.testing import CliRunner

    from newsmt.cli import app as cli

    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["translate", str(sample_article), "--src", "en", "--tgt", "pt", "-o", str(out),
                                      "--output-format", "doc"])
    assert result.exit_code == 0, result.output
    expected = next(out.glob("*.pt.txt")).read_text(encoding="utf-8")
    r = client.post("/translate", json={"q": sample_article.read_text(encoding="utf-8"), "source": "en", "target": "pt"})
    assert r.status_code == 200 and r.json()["translatedText"] == expected


def flores(name: str, n: int = 3) -> list[str]:
    """The first ``n`` lines of a FLORES-200 devtest file (skipped when ../shared is absent)."""
    from conftest import shared_path

    return shared_path("eval", "flores200_devtest", f"{name}.devtest").read_text(encoding="utf-8").splitlines()[:n]


def test_detect_gives_the_identifiers_candidates(client):
    """/detect answers LibreTranslate's list: the one identifier's likeliest languages, best first."""
    from newsmt.languages.identify import LanguageIdentifier

    text = flores("por_Latn")[0]
    with LanguageIdentifier() as identifier:
        ranked = identifier.ranked(text, 3)
    got = client.post("/detect", json={"q": text}).json()
    assert got == [{"confidence": round(100 * c, 2), "language": code} for code, c in ranked][:len(got)]
    assert got[0]["language"] == "pt" and got[0]["confidence"] > 90 and len(got) >= 2
    assert [c["confidence"] for c in got] == sorted((c["confidence"] for c in got), reverse=True)
    assert client.post("/detect", json={"q": "12 345 !!"}).json() == []


def test_auto_detects_each_text_and_never_guesses(client, engine):
    """``source=auto`` detects each text of a list; a language the server does not translate (German
    detected as German, not the best of the served languages) is a 400, never a mangled 200."""
    english, portuguese, german = flores("eng_Latn", 1)[0], flores("por_Latn", 1)[0], flores("deu_Latn", 1)[0]
    r = client.post("/translate", json={"q": [english, portuguese], "source": "auto", "target": "pt"}).json()
    assert r["translatedText"] == [engine.translate_texts([english])[0].text, portuguese]
    assert [d["language"] for d in r["detectedLanguage"]] == ["en", "pt"]
    assert all(d["confidence"] > 50 for d in r["detectedLanguage"])
    r = client.post("/translate", json={"q": english, "source": "auto", "target": "pt"}).json()
    assert r["detectedLanguage"]["language"] == "en"
    r = client.post("/translate", json={"q": [english, german], "source": "auto", "target": "pt"})
    assert r.status_code == 400 and "de is not supported" in r.json()["error"] and "German" in r.json()["error"]


def test_pb_is_brazilian_portuguese_and_zt_traditional_chinese(client, sample_article):
    """LibreTranslate's ``pb`` is pt-BR (the Brazilian forms: Moscou where the model writes the
    European Moscovo), ``zt`` zh-Hant (not served here)."""
    paragraph = next(p for p in sample_article.read_text(encoding="utf-8").split("\n\n") if "Moscow" in p)
    pt, pb = (client.post("/translate", json={"q": paragraph, "source": "en", "target": t}).json()["translatedText"]
              for t in ("pt", "pb"))
    assert "Moscovo" in pt and "Moscou" in pb and "Moscovo" not in pb
    assert pb == client.post("/translate", json={"q": paragraph, "source": "en", "target": "pt-BR"}).json()["translatedText"]
    assert client.post("/translate", json={"q": "x", "source": "zt", "target": "pt"}).json() == {"error": "zh-Hant is not supported"}


def test_no_alternatives_from_bergamot(client, engine):
    r = client.post("/translate", json={"q": SENTENCES[0], "source": "en", "target": "pt", "alternatives": 3})
    assert r.status_code == 200 and r.json() == {"translatedText": engine.translate_texts([SENTENCES[0]])[0].text,
                                                 "alternatives": []}  # the native engine has no n-best list
    r = client.post("/translate", json={"q": [SENTENCES[0], SENTENCES[1]], "source": "en", "target": "pt", "alternatives": 1})
    assert r.json()["alternatives"] == [[], []]


@pytest.fixture(scope="module")
def nbest_app(cfg, tiny_models, tmp_path_factory):
    """A server whose en->pt model is a tiny Marian model of the real architecture on CTranslate2
    (random weights: gibberish, but a real n-best list)."""
    pytest.importorskip("ctranslate2")
    from newsmt.translate.ctranslate2_backend import convert_to_ctranslate2

    ct2 = convert_to_ctranslate2(tiny_models("marian"), tmp_path_factory.mktemp("ct2") / "marian", quantization="float32")
    translate = dataclasses.replace(cfg.translate, model=str(ct2), backend="ctranslate2", beam=3)
    app = create_app(dataclasses.replace(cfg, translate=translate), log_json=False)
    c = ready_client(app)
    yield app, c
    c.__exit__(None, None, None)


def test_alternatives_from_the_nbest_list(nbest_app):
    """``alternatives``: the model's next best translations, through the engine's guards (the emoji
    of a real headline written back into each), for a text, a list and HTML."""
    app, c = nbest_app
    engine = app.state.service.engine("en", "pt")
    first, second = _symbol_paragraphs()[:2]
    r = c.post("/translate", json={"q": first, "source": "en", "target": "pt", "alternatives": 2}).json()
    ranked = [t.text for t in engine.translate_nbest([first], 3)[0]]
    assert r["alternatives"] == [t for t in ranked if t != r["translatedText"]][:2] and len(r["alternatives"]) == 2
    assert all(a.startswith("📨 ") and a.count("📨") == 1 for a in [r["translatedText"], *r["alternatives"]])
    r = c.post("/translate", json={"q": [first, second], "source": "en", "target": "pt", "alternatives": 1}).json()
    assert [len(a) for a in r["alternatives"]] == [1, 1] and r["alternatives"][0][0] not in r["translatedText"]
    r = c.post("/translate", json={"q": f"<p><b>{second}</b></p>", "source": "en", "target": "pt", "format": "html",
                                   "alternatives": 1}).json()
    assert r["alternatives"][0].startswith("<p><b>🔌 ") and r["alternatives"][0] != r["translatedText"]


def test_emoji_kept_in_place(client):
    text = "🎉 " + SENTENCES[10].rstrip(".") + " 👍🏽. The flag 🇧🇷 was raised yesterday ❤️."
    out = client.post("/translate", json={"q": text, "source": "en", "target": "pt"}).json()["translatedText"]
    assert "-" not in out and out.startswith("🎉 ")
    for emoji in ("👍🏽", "🇧🇷", "❤️"):
        assert out.count(emoji) == 1, out
    assert out.index("👍🏽") < out.index("🇧🇷") < out.index("❤️")


def _symbol_paragraphs() -> list[str]:
    """The paragraphs of a real page (WIRED, from the newspaper4k fixtures) that hold emoji or symbols."""
    from lxml import html

    page = Path(__file__).parent / "fixtures" / "web_gold" / "newspaper4k" / "html" / "wired_001.html.gz"
    texts = [" ".join(p.text_content().split()) for p in html.fromstring(gzip.decompress(page.read_bytes())).iter("p")]
    return [t for t in texts if any(unicodedata.category(c) == "So" for c in t)]


def _symbols(text: str) -> list[str]:
    return [c for c in text if unicodedata.category(c) == "So"]


def test_emoji_and_symbols_are_the_engines_on_every_path(cfg, client, tmp_path):
    """Symbols are kept by the engine (``translate.guards.symbols``): /translate, /v1/articles and
    ``newsmt run`` give the same text, with each emoji and symbol of the source, once."""
    import newsmt
    from newsmt.document import Document
    from newsmt.writers.common import substituted

    texts = _symbol_paragraphs()
    assert len(texts) == 3 and {"📨", "🔌", "©"} <= {c for t in texts for c in _symbols(t)}
    article = tmp_path / "wired.txt"
    article.write_text("\n\n".join(texts) + "\n", encoding="utf-8")
    newsmt.run([str(article)], cfg, tmp_path / "out", workers=1, files=True)
    record = json.loads((tmp_path / "out" / "records.jsonl").read_text(encoding="utf-8").splitlines()[0])
    doc = Document.from_dict(record)
    ran = [substituted(doc, p.start, p.end) for p in doc.paragraphs]
    r = client.post("/v1/articles", json={"text": article.read_text(encoding="utf-8"), "format": "txt",
                                          "id": record["id"], "meta": record["meta"]})
    assert r.json() == record
    out = client.post("/translate", json={"q": texts, "source": "en", "target": "pt"}).json()["translatedText"]
    assert out == ran
    for text, translation in zip(texts, out):
        assert _symbols(translation) == _symbols(text) and translation != text, translation


@pytest.mark.parametrize("body", [
    b'{"q": "\\ud800", "source": "en", "target": "pt"}',
    b'{"q": "Hello.", "source": "e\\udc00n", "target": "pt"}',
    b'{"q": ["ok", "\\udfff"], "source": "en", "target": "pt"}',
    b'{"q": "Hello.", "source": "en", "target": "pt", "alternatives": 1e400}',
    b'{"q": "Hello.", "source": "en", "target": "pt", "alternatives": NaN}',
    b'{"q": "Hello.", "source": "en", "target": "pt", "alternatives": true}',
])
def test_bad_text_and_numbers_are_400(client, body):
    r = client.post("/translate", content=body, headers={"content-type": "application/json"})
    assert r.status_code == 400 and r.json()["error"]
    assert client.post("/detect", content=body.replace(b'"q": "Hello."', b'"q": "\\ud83d"'),
                       headers={"content-type": "application/json"}).status_code == 400


def test_edge_cases_of_v1_are_4xx(client):
    r = client.post("/v1/articles", content=b'{"text": "A \\ud800 text."}', headers={"content-type": "application/json"})
    assert r.status_code == 400 and "Unicode" in r.json()["error"]
    deep = '{"text": "Hello there.", "meta": ' + '{"a": ' * 900 + "1" + "}" * 900 + "}"
    r = client.post("/v1/articles", content=deep.encode(), headers={"content-type": "application/json"})
    assert r.status_code == 400 and "deeper" in r.json()["error"]
    rec = client.post("/v1/articles", json={"text": ARTICLE, "id": "日本語の記事", "summarize": False}).json()
    r = client.post("/v1/render?format=tmx", json=rec)
    assert r.status_code == 200 and "filename*=UTF-8''%E6%97%A5%E6%9C%AC%E8%AA%9E" in r.headers["content-disposition"]
    r = client.post("/v1/articles?src=%ff", content=b"Hello.", headers={"content-type": "text/plain"})
    assert r.status_code == 400 and "UTF-8" in r.json()["error"]


def test_frontend_settings_and_spec(client):
    settings = client.get("/frontend/settings").json()
    assert settings["charLimit"] == 5000 and settings["apiKeys"] is False and settings["keyRequired"] is False
    assert settings["suggestions"] is False and set(settings["supportedFilesFormat"]) >= {".txt", ".md", ".html", ".docx"}
    assert settings["language"]["target"] == {"code": "pt-BR", "name": "Portuguese (Brazil)"}
    assert "pt-BR" in next(x["targets"] for x in client.get("/languages").json() if x["code"] == "en")
    spec = client.get("/spec").json()
    for path in ("/translate", "/translate_file", "/detect", "/languages", "/suggest", "/frontend/settings", "/v1/score"):
        assert path in spec["paths"], path
    assert client.post("/suggest", json={"q": "a", "s": "b", "source": "en", "target": "pt"}).status_code == 403


def test_suggestions_are_stored_and_exported_as_tmx(live_parity, tmp_path):
    from typer.testing import CliRunner

    from newsmt.cli import app as cli

    with httpx.Client(base_url=live_parity.url, timeout=30) as http:
        for q, s in ((SENTENCES[0], "O conselho aprovou o orçamento na terça."), (SENTENCES[1], "Chuva forte."),
                     (SENTENCES[0], "A câmara municipal aprovou o novo orçamento na terça-feira.")):
            r = http.post("/suggest", data={"q": q, "s": s, "source": "en", "target": "pb"})
            assert r.status_code == 200 and r.json() == {"success": True}
        assert http.post("/suggest", json={"q": "a", "source": "en", "target": "pt"}).status_code == 400
    out = tmp_path / "suggestions.tmx"
    result = CliRunner().invoke(cli, ["suggestions", "export", str(out), "--db", str(live_parity.db)])
    assert result.exit_code == 0, result.output
    tmx = out.read_text(encoding="utf-8")
    assert tmx.count("<tu ") == 2 and "A câmara municipal aprovou" in tmx and "na terça.</seg>" not in tmx
    assert 'srclang="en"' in tmx and 'xml:lang="pt-BR"' in tmx  # pb: Brazilian Portuguese
    result = CliRunner().invoke(cli, ["suggestions", "export", str(out), "--db", str(tmp_path / "none.sqlite")])
    assert result.exit_code != 0 and "no suggestions database" in result.output


def _docx(paragraphs: list[list[tuple[str, bool]]]) -> bytes:
    import docx

    d = docx.Document()
    d.sections[0].header.paragraphs[0].text = SENTENCES[6]
    for i, runs in enumerate(paragraphs):
        p = d.add_paragraph(style="Heading 1" if i == 0 else None)
        for text, bold in runs:
            p.add_run(text).bold = bold
    table = d.add_table(rows=1, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = SENTENCES[7], SENTENCES[8]
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def test_translate_file_for_each_format(live_parity, engine):
    """A file upload the way LibreTranslate clients send one; the download is the translated file
    in its own format, its layout kept."""
    import docx

    t = {s: x.text for s, x in zip(SENTENCES, engine.translate_texts(SENTENCES))}
    files = {
        "story.txt": (f"{SENTENCES[0]}\n\n{SENTENCES[1]} {SENTENCES[2]}\n").encode(),
        "story.md": f"# {SENTENCES[3]}\n\n- {SENTENCES[4]}\n- **{SENTENCES[5]}**\n\n```\nkeep = 1\n```\n".encode(),
        "página.html": (f'<!DOCTYPE html><html><head><meta charset="iso-8859-1"><title>{SENTENCES[9]}</title></head>'
                        f'<body><p class="lead">{SENTENCES[11]} <img src="x.png" alt="{SENTENCES[6]}"></p></body></html>'
                        ).encode("iso-8859-1"),
        "report.docx": _docx([[(SENTENCES[3], False)], [(SENTENCES[0].split(" on ")[0], True), (" on Tuesday.", False)]]),
    }
    got = {}
    with httpx.Client(base_url=live_parity.url, timeout=60) as http:
        for name, data in files.items():
            r = http.post("/translate_file", files={"file": (name, data)}, data={"source": "en", "target": "pt"})
            assert r.status_code == 200, r.text
            url = r.json()["translatedFileUrl"]
            assert url.startswith(live_parity.url + "/download_file/")
            d = http.get(url)
            assert d.status_code == 200 and quote(name) in d.headers["content-disposition"]
            got[name] = d.content
        assert http.get("/download_file/../../etc/passwd").status_code == 404
        assert http.get("/download_file/0123456789abcdef0123456789abcdef.x.txt").status_code == 404
        r = http.post("/translate_file", files={"file": ("a.pdf", b"%PDF")}, data={"source": "en", "target": "pt"})
        assert r.status_code == 400 and "not supported" in r.json()["error"]
        r = http.post("/translate_file", files={"file": ("a.docx", b"PK not a zip")}, data={"source": "en", "target": "pt"})
        assert r.status_code == 400 and "docx" in r.json()["error"]
    assert got["story.txt"].decode() == f"{t[SENTENCES[0]]}\n\n{t[SENTENCES[1]]} {t[SENTENCES[2]]}\n"
    assert got["story.md"].decode() == f"# {t[SENTENCES[3]]}\n\n- {t[SENTENCES[4]]}\n- **{t[SENTENCES[5]]}**\n\n```\nkeep = 1\n```\n"
    page = got["página.html"].decode("iso-8859-1")
    assert f"<title>{t[SENTENCES[9]]}</title>" in page and 'charset="iso-8859-1"' in page
    assert 'class="lead"' in page and 'src="x.png"' in page and SENTENCES[11] not in page and SENTENCES[6] not in page
    out = docx.Document(io.BytesIO(got["report.docx"]))
    assert out.paragraphs[0].style.name == "Heading 1" and out.paragraphs[0].text == t[SENTENCES[3]]
    runs = out.paragraphs[1].runs
    assert len(runs) == 2 and runs[0].bold and not runs[1].bold and runs[0].text.strip()
    assert out.paragraphs[1].text == t[SENTENCES[0]]
    assert out.sections[0].header.paragraphs[0].text == t[SENTENCES[6]]
    assert [c.text for c in out.tables[0].rows[0].cells] == [t[SENTENCES[7]], t[SENTENCES[8]]]


def test_libretranslatepy_and_openapi_list_the_parity_endpoints(live_parity):
    from libretranslatepy import LibreTranslateAPI

    lt = LibreTranslateAPI(live_parity.url)
    assert lt.translate(SENTENCES[2], "en", "pb") and lt.detect(SENTENCES[2])[0]["language"] == "en"
    spec = json.loads(httpx.get(live_parity.url + "/openapi.json").text)
    assert "/download_file/{name}" in spec["paths"]
