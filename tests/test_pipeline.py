"""pipeline.process / Resources / keys, on the real stages (bundled Bergamot en->pt, extractive summaries)."""
from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from newsmt.config import load_config
from newsmt.document import Document
from newsmt.pipeline import Resources, model_ids, process, process_record
from newsmt.plan import detach
from newsmt.sources import read_path, read_text
from newsmt.workers import article_key, key_head, machine_plan

REPO = Path(__file__).resolve().parents[1]
EN_PT = "en-pt-news"


@pytest.fixture(scope="module")
def en_pt():
    cfg = load_config(EN_PT)
    return cfg, Resources.load(cfg)


def test_process_adds_every_layer(en_pt, sample_article):
    cfg, resources = en_pt
    doc = process(next(read_path(sample_article)), cfg, resources)
    sentences = [s for p in doc.paragraphs if p.translatable for s in p.sentences]
    assert len(sentences) > 10
    assert set(doc.translations) == {s.id for s in sentences}
    assert all(t.text.strip() for t in doc.translations.values())
    assert doc.tgt_lang == "pt-BR"
    assert [s.lang for s in doc.summaries] == ["en", "pt-BR"]
    ids = {s.id for s in sentences}
    for summary in doc.summaries:
        assert summary.sentences and all(set(x.sources) <= ids and x.sources for x in summary.sentences)
    assert set(doc.timings) == {"segment", "translate", "summarize"}
    assert doc.provenance["settings"] == cfg.settings
    assert not any(p.sentences for p in doc.paragraphs if p.kind == "url")


def test_resources_load_each_engine_once(en_pt):
    _, resources = en_pt
    assert resources.engine("en", "pt") is resources.engine("en", "pt")
    brazil = resources.engine("en", "pt-BR")  # a variant of a loaded pair: its own forms, the same model
    assert brazil.tgt == "pt-BR" and brazil.backend is resources.engine("en", "pt").backend
    assert brazil.translate_texts(["Moscow said no."])[0].text == "Moscou disse que não."


def test_process_record_turns_failures_into_results(en_pt, tmp_path):
    cfg, resources = en_pt
    unsupported = read_text("Some text here.", "txt", "xx", "x")[0]
    assert "'xx' is not a language code" in process_record(unsupported, cfg, resources)["error"]
    missing = dataclasses.replace(cfg, translate=dataclasses.replace(cfg.translate, model=str(tmp_path)))
    ok = read_text("A sentence.", "txt", "en", "y")[0]
    result = process_record(ok, missing, Resources.load(missing))
    assert "fatal" in result and str(tmp_path) in result["fatal"]


def test_key_follows_content_settings_and_models_not_machine():
    cfg = load_config(EN_PT)

    def key(doc: Document, cfg=cfg, models=None) -> str:
        return article_key(detach(doc), key_head(cfg.settings, models or model_ids(cfg, "en")))

    doc = Document("a", "en", "One sentence. Another one.", meta={"title": "T", "source": "feed.jsonl:1", "url": "u"})
    base = key(doc)
    assert key(doc, load_config(EN_PT, ["run.workers=3", "run.threads=2", "translate.threads=4",
                                        "run.engine=ray"])) == base
    assert key(doc, load_config(EN_PT, ["translate.beam=2"])) != base
    assert key(dataclasses.replace(doc, text="One sentence.")) != base
    assert key(doc, models={"translate": "other@rev"}) != base
    # where an article was read, and an id derived from that, are not part of its key
    assert key(dataclasses.replace(doc, id="b", meta={"title": "T", "source": "renamed.jsonl:7", "url": "u"})) == base
    assert key(dataclasses.replace(doc, meta={"title": "T", "url": "u"})) == base
    assert key(dataclasses.replace(doc, meta={"title": "T2", "source": "feed.jsonl:1", "url": "u"})) != base


def test_detaching_leaves_the_article_as_it_was():
    doc = Document("a", "en", "One sentence.", meta={"title": "T", "source": "feed.jsonl:1", "url": "u"})
    blob = detach(doc)
    assert doc.id == "a" and list(doc.meta) == ["title", "source", "url"]
    assert blob == detach(dataclasses.replace(doc, id="b", meta={"title": "T", "source": "x.jsonl:9", "url": "u"}))


def test_stages_switch_on_and_off(sample_article):
    text = sample_article.read_text(encoding="utf-8")
    only_segment = load_config(None, ["translate.enabled=false", "summarize.enabled=false"])
    with Resources(only_segment) as res:
        doc = process(read_text(text, lang="en")[0], only_segment, res)
        assert not res._engines
    assert any(doc.sentences()) and not doc.translations and not doc.summaries
    summary_in_pt = load_config(None, ["translate.enabled=false", "summarize.to=pt"])
    with Resources(summary_in_pt) as res:
        doc = process(read_text(text, lang="en")[0], summary_in_pt, res)
    assert not doc.translations and [s.lang for s in doc.summaries] == ["en", "pt"]


def test_api_helpers_run_the_same_process(sample_article):
    import newsmt

    text = sample_article.read_text(encoding="utf-8")
    cfg = load_config(None, ["translate.tgt=pt", "summarize.enabled=false"])
    with newsmt.Resources(cfg) as res:
        direct = process(read_text(text, lang="en")[0], cfg, res)
        via_api = newsmt.translate_text(text, "en", "pt", resources=res)
    assert dataclasses.replace(via_api, timings={}).to_json() == dataclasses.replace(direct, timings={}).to_json()
    summary = newsmt.summarize_text(text, "en", to="pt", sentences=2)
    assert summary.lang == "pt" and len(summary.sentences) == 2


@pytest.mark.parametrize("workers, threads, jobs, cpus, expected", [
    (0, 0, 100, 4, (4, 1)),   # a big job: one worker per core
    (0, 0, 1, 4, (1, 4)),     # one article: one worker with every core
    (2, 0, 100, 4, (2, 2)),   # --workers 2: cores shared among them
    (0, 2, 100, 4, (2, 2)),   # --threads 2: as many workers as fit
    (3, 3, 100, 4, (3, 3)),   # both given: as given
])
def test_machine_plan(workers, threads, jobs, cpus, expected):
    assert machine_plan(workers, threads, jobs, cpus) == expected
